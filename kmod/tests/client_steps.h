/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit: the client-side steps the client suites share (client_test.c,
 * client_dispatch_test.c): the session and calls of a harness socket, the
 * server's packets, an established session.
 */
#ifndef _EORPC_CLIENT_STEPS_H
#define _EORPC_CLIENT_STEPS_H

#include <kunit/test.h>
#include "sm_harness.h"

enum { SERVER_EPOCH = 0x5e5e5e, SESSION_ID = 0x1d1d, TIMEOUT_MS = 120000 };

static inline struct eorpc_client_session *session(struct sm_harness *h)
{
	return list_first_entry_or_null(&h->ep->client_sessions,
					struct eorpc_client_session, link);
}

static inline struct eorpc_call *in_flight(struct eorpc_client_session *cs,
					   u64 id)
{
	struct eorpc_call *call;

	list_for_each_entry(call, &cs->calls, link)
		if (call->id == id)
			return call;
	return NULL;
}

/* The next datagram sent must be of @type; it is returned. */
static inline struct eorpc_tx_record *expect_sent(struct kunit *test,
						  u8 type)
{
	struct eorpc_tx_record *rec = sm_sent(sm(test));

	KUNIT_ASSERT_NOT_NULL_MSG(test, rec, "nothing sent, expected type %u",
				  type);
	KUNIT_ASSERT_EQ(test, rec->pkt.type, type);
	return rec;
}

/* A packet of the server, about session @cs. */
static inline struct eorpc_pkt from_server(struct eorpc_client_session *cs,
					   u8 type)
{
	struct eorpc_pkt pkt = {
		.type = type,
		.client_epoch = cs->client_epoch,
		.server_epoch = SERVER_EPOCH,
		.session_id = SESSION_ID,
	};

	return pkt;
}

static inline void welcome(struct sm_harness *h,
			   struct eorpc_client_session *cs, u32 window)
{
	struct eorpc_pkt pkt = from_server(cs, EORPC_PKT_WELCOME);
	struct eorpc_wire_welcome w = {
		.window = cpu_to_be32(window),
		.session_timeout_ms = cpu_to_be32(TIMEOUT_MS),
	};

	sm_input(h, &h->peer, &pkt, &w, sizeof(w));
}

/* The header of a one-datagram REPLY of @len bytes to call @id. */
static inline struct eorpc_pkt reply_pkt(struct eorpc_client_session *cs,
					 u64 id, u32 len)
{
	struct eorpc_pkt pkt = from_server(cs, EORPC_PKT_REPLY);

	pkt.request_id = id;
	pkt.msg_len = len;
	return pkt;
}

static inline void reply(struct sm_harness *h,
			 struct eorpc_client_session *cs, u64 id,
			 const char *data, u32 len)
{
	struct eorpc_pkt pkt = reply_pkt(cs, id, len);

	sm_input(h, &h->peer, &pkt, data, len);
}

/*
 * A call tagged @tag whose session is established with @window, its first
 * REQUEST taken off the record.
 */
static inline struct eorpc_client_session *
established(struct kunit *test, u32 window, u64 tag, s64 deadline_ms)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs;

	KUNIT_ASSERT_EQ(test, sm_call(h, "ping", 4, tag, deadline_ms), 4);
	cs = session(h);
	KUNIT_ASSERT_NOT_NULL(test, cs);
	expect_sent(test, EORPC_PKT_HELLO);
	welcome(h, cs, window);
	KUNIT_ASSERT_EQ(test, cs->state, EORPC_CS_ESTABLISHED);
	expect_sent(test, EORPC_PKT_REQUEST);
	return cs;
}

#endif /* _EORPC_CLIENT_STEPS_H */
