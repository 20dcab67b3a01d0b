// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the client state machine (client.c) driven directly: calls
 * started as sendmsg() does, the server's packets fed in, time passed to
 * the timer scan, and every datagram the client sends recorded.
 */
#include <kunit/test.h>
#include "client_steps.h"

static void server_error(struct sm_harness *h, struct eorpc_client_session *cs,
			 u8 code, u64 session_id, u64 id)
{
	struct eorpc_pkt pkt = from_server(cs, EORPC_PKT_ERROR);

	pkt.code = code;
	pkt.session_id = session_id;
	pkt.request_id = id;
	sm_input(h, &h->peer, &pkt, NULL, 0);
}

static void icmp(struct sm_harness *h, u64 client_epoch, u8 type)
{
	struct eorpc_icmp_report r = {
		.client_epoch = client_epoch,
		.peer = h->peer,
		.type = type,
	};

	lock_sock(&h->ep->sk);
	eorpc_client_icmp(h->ep, &r);
	release_sock(&h->ep->sk);
}

static void client__first_call_sends_hello_without_cookie(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs;
	struct eorpc_tx_record *rec;

	KUNIT_ASSERT_EQ(test, sm_call(h, "ping", 4, 1, 0), 4);
	cs = session(h);
	KUNIT_ASSERT_NOT_NULL(test, cs);
	rec = expect_sent(test, EORPC_PKT_HELLO);
	KUNIT_EXPECT_TRUE(test, eorpc_addr_equal(&rec->to, &h->peer));
	KUNIT_EXPECT_NE(test, rec->pkt.client_epoch, 0ULL);
	KUNIT_EXPECT_EQ(test, rec->pkt.client_epoch, cs->client_epoch);
	KUNIT_ASSERT_EQ(test, rec->len, (u32)EORPC_COOKIE_LEN);
	KUNIT_EXPECT_NULL(test, memchr_inv(rec->data, 0, rec->len));
	/* No request before the server welcomes the session. */
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
	KUNIT_EXPECT_EQ(test, cs->state, EORPC_CS_HELLO);
	KUNIT_EXPECT_EQ(test, list_count_nodes(&cs->waiting), (size_t)1);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_HELLOS_SENT), 1ULL);
}

static void client__cookie_is_echoed_in_next_hello(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs;
	struct eorpc_wire_cookie cookie;
	struct eorpc_tx_record *rec;
	struct eorpc_pkt pkt;

	memset(cookie.bytes, 0xc5, sizeof(cookie.bytes));
	KUNIT_ASSERT_EQ(test, sm_call(h, "ping", 4, 1, 0), 4);
	cs = session(h);
	sm_sent_clear(h);
	pkt = from_server(cs, EORPC_PKT_COOKIE);
	pkt.session_id = 0;
	sm_input(h, &h->peer, &pkt, &cookie, sizeof(cookie));
	rec = expect_sent(test, EORPC_PKT_HELLO);
	KUNIT_ASSERT_EQ(test, rec->len, (u32)sizeof(cookie));
	KUNIT_EXPECT_EQ(test, memcmp(rec->data, &cookie, sizeof(cookie)), 0);
	/* The HELLO a duplicate COOKIE asks for already went. */
	sm_input(h, &h->peer, &pkt, &cookie, sizeof(cookie));
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
}

static void client__welcome_sends_waiting_request(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs;
	struct eorpc_tx_record *rec;

	KUNIT_ASSERT_EQ(test, sm_call(h, "ping", 4, 1, 0), 4);
	cs = session(h);
	sm_sent_clear(h);
	welcome(h, cs, 4);
	rec = expect_sent(test, EORPC_PKT_REQUEST);
	KUNIT_EXPECT_EQ(test, rec->pkt.request_id, 1ULL);
	KUNIT_EXPECT_EQ(test, rec->pkt.session_id, (u64)SESSION_ID);
	KUNIT_EXPECT_EQ(test, rec->pkt.server_epoch, (u64)SERVER_EPOCH);
	KUNIT_EXPECT_EQ(test, rec->pkt.client_epoch, cs->client_epoch);
	KUNIT_EXPECT_EQ(test, rec->pkt.flags, 0);
	KUNIT_EXPECT_EQ(test, rec->pkt.ack, 0ULL);
	KUNIT_EXPECT_EQ(test, rec->pkt.msg_len, 4U);
	KUNIT_ASSERT_EQ(test, rec->len, 4U);
	KUNIT_EXPECT_EQ(test, memcmp(rec->data, "ping", 4), 0);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_REQUESTS_SENT), 1ULL);
	/* A duplicate WELCOME changes nothing. */
	welcome(h, cs, 4);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
}

static void client__hello_retransmitted_with_backoff(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs;
	ktime_t at;
	u32 rto;

	KUNIT_ASSERT_EQ(test, sm_call(h, "ping", 4, 1, 0), 4);
	cs = session(h);
	sm_sent_clear(h);
	at = cs->hello_next;
	rto = cs->hello_rto;
	KUNIT_EXPECT_EQ(test, sm_client_timers(h, at - 1), at);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
	sm_client_timers(h, at);
	expect_sent(test, EORPC_PKT_HELLO);
	KUNIT_EXPECT_EQ(test, cs->hello_rto, 2 * rto);
	KUNIT_EXPECT_EQ(test, cs->hello_next, ktime_add_us(at, 2 * rto));
}

static void client__request_retransmitted_when_due(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 1, 0);
	struct eorpc_call *call = in_flight(cs, 1);
	struct eorpc_tx_record *rec;
	ktime_t at;

	KUNIT_ASSERT_NOT_NULL(test, call);
	at = call->next_tx;
	KUNIT_EXPECT_EQ(test, sm_client_timers(h, at - 1), at);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
	sm_client_timers(h, at);
	rec = expect_sent(test, EORPC_PKT_REQUEST);
	KUNIT_EXPECT_EQ(test, rec->pkt.request_id, 1ULL);
	KUNIT_EXPECT_EQ(test, rec->pkt.flags, EORPC_F_RETRANS);
	KUNIT_EXPECT_EQ(test, memcmp(rec->data, "ping", 4), 0);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_RETRANSMITS), 1ULL);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
}

static void client__retransmission_timeout_doubles_up_to_rto_max(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 1, 0);
	struct eorpc_call *call = in_flight(cs, 1);
	u32 rto_max = sm_net(h)->rto_max_ms * USEC_PER_MSEC;
	u32 rto, want;
	ktime_t at;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, call);
	rto = call->rto;
	KUNIT_ASSERT_GE(test, rto, sm_net(h)->rto_min_ms * USEC_PER_MSEC);
	for (i = 0; i < 8; i++) {
		at = call->next_tx;
		sm_client_timers(h, at);
		expect_sent(test, EORPC_PKT_REQUEST);
		want = min(2 * rto, rto_max);
		KUNIT_EXPECT_EQ(test, call->rto, want);
		KUNIT_EXPECT_EQ(test, call->next_tx, ktime_add_us(at, want));
		rto = want;
	}
	KUNIT_EXPECT_EQ(test, call->rto, rto_max);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_RETRANSMITS), 8ULL);
}

static void client__reply_completes_call_once(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 7, 0);
	struct eorpc_call *call;

	reply(h, cs, 1, "pong", 4);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 1U);
	call = sm_completion(h, 7);
	KUNIT_ASSERT_NOT_NULL(test, call);
	KUNIT_EXPECT_EQ(test, call->error, 0);
	KUNIT_EXPECT_EQ(test, call->id, 1ULL);
	KUNIT_ASSERT_EQ(test, call->reply.len, 4U);
	KUNIT_EXPECT_EQ(test, memcmp(call->reply.data, "pong", 4), 0);
	KUNIT_EXPECT_TRUE(test, list_empty(&cs->calls));
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_CALLS_COMPLETED), 1ULL);
	/* The same reply again completes nothing (G6). */
	reply(h, cs, 1, "pong", 4);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 1U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_STALE_REPLIES), 1ULL);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_CALLS_COMPLETED), 1ULL);
}

static void client__reply_of_other_client_epoch_is_dropped(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 7, 0);
	struct eorpc_pkt pkt = from_server(cs, EORPC_PKT_REPLY);

	pkt.client_epoch++;
	pkt.request_id = 1;
	pkt.msg_len = 4;
	sm_input(h, &h->peer, &pkt, "pong", 4);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	KUNIT_EXPECT_NOT_NULL(test, in_flight(cs, 1));
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_RX_DROP_SESSION), 1ULL);
}

static void client__ack_sent_when_due_after_reply(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 7, 0);
	struct eorpc_tx_record *rec;
	ktime_t at;

	reply(h, cs, 1, "pong", 4);
	at = cs->ack_due;
	KUNIT_ASSERT_NE(test, at, 0);
	sm_client_timers(h, at - 1);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
	sm_client_timers(h, at);
	rec = expect_sent(test, EORPC_PKT_ACK);
	KUNIT_EXPECT_EQ(test, rec->pkt.ack, 1ULL);
	KUNIT_EXPECT_EQ(test, rec->pkt.session_id, (u64)SESSION_ID);
	KUNIT_EXPECT_EQ(test, rec->pkt.flags, 0);
	KUNIT_EXPECT_EQ(test, cs->ack_due, 0);
}

/*
 * A session with a pace (a call every 10 s) leaves the ack of a one-datagram
 * reply for its next call; a reply of two datagrams is acknowledged after
 * rto_min, since the server holds it until then.
 */
static void client__paced_session_delays_only_small_replies_ack(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 7, 0);
	u32 len = EORPC_FRAG_DATA + 1;
	struct eorpc_pkt pkt;
	ktime_t before;
	u8 *buf;

	cs->pace.gap_us = 10 * USEC_PER_SEC;
	before = ktime_get();
	reply(h, cs, 1, "pong", 4);
	KUNIT_EXPECT_GE(test, cs->ack_due, ktime_add_ms(before, 15000));

	/* The next call carries the ack; its reply is two datagrams. */
	KUNIT_ASSERT_EQ(test, sm_call(h, "ping", 4, 8, 0), 4);
	KUNIT_EXPECT_EQ(test, expect_sent(test, EORPC_PKT_REQUEST)->pkt.ack, 1ULL);
	KUNIT_EXPECT_EQ(test, cs->ack_due, 0);
	buf = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	pkt = reply_pkt(cs, 2, len);
	sm_input(h, &h->peer, &pkt, buf, EORPC_FRAG_DATA);
	pkt.frag = 1;
	before = ktime_get();
	sm_input(h, &h->peer, &pkt, buf + EORPC_FRAG_DATA, 1);
	KUNIT_ASSERT_EQ(test, sm_recvq_len(h), 2U);
	KUNIT_EXPECT_LE(test, cs->ack_due,
			ktime_add_ms(ktime_get(), sm_net(h)->rto_min_ms));
	KUNIT_EXPECT_GE(test, cs->ack_due,
			ktime_add_ms(before, sm_net(h)->rto_min_ms));
}

static void client__busy_slows_retransmission_to_rto_max(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 7, 0);
	struct eorpc_call *call = in_flight(cs, 1);
	struct eorpc_pkt pkt = from_server(cs, EORPC_PKT_BUSY);
	ktime_t was;

	KUNIT_ASSERT_NOT_NULL(test, call);
	was = call->next_tx;
	pkt.request_id = 1;
	sm_input(h, &h->peer, &pkt, NULL, 0);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_BUSY_RECEIVED), 1ULL);
	KUNIT_EXPECT_EQ(test, call->rto, sm_net(h)->rto_max_ms * USEC_PER_MSEC);
	KUNIT_EXPECT_GT(test, call->next_tx, was);
	/* The server has it: no retransmission when the old timeout ends. */
	sm_client_timers(h, was);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
}

/**
 * struct error_case - an ERROR of the server about request 1, in flight,
 *	while request 2 waits for window space (window 1)
 * @name: the case
 * @code: enum eorpc_wire_error
 * @sent_err: errno of call 1, which may have run (0: still in flight)
 * @waiting_err: errno of call 2, which certainly did not run (0: in flight)
 */
struct error_case {
	const char	*name;
	u8		code;
	int		sent_err;
	int		waiting_err;
};

static const struct error_case error_cases[] = {
	{ "server_closed", EORPC_WERR_SERVER_CLOSED, ECONNRESET, ECONNABORTED },
	{ "server_restarted", EORPC_WERR_SERVER_RESTARTED, ECONNRESET,
	  ECONNABORTED },
	{ "session_unknown", EORPC_WERR_SESSION_UNKNOWN, ESTALE, ECONNABORTED },
	/* Only this call ends; the next one takes its window slot. */
	{ "window", EORPC_WERR_WINDOW, EPROTO, 0 },
	/* A refusal cannot say "not executed" once a request went out. */
	{ "not_server", EORPC_WERR_NOT_SERVER, 0, 0 },
	{ "refused", EORPC_WERR_REFUSED, 0, 0 },
};

static void error_case_desc(const struct error_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(error, error_cases, error_case_desc);

static void expect_outcome(struct kunit *test, u64 tag, int err)
{
	struct eorpc_call *call = sm_completion(sm(test), tag);

	if (!err) {
		KUNIT_EXPECT_NULL_MSG(test, call, "call %llu ended", tag);
		return;
	}
	KUNIT_ASSERT_NOT_NULL_MSG(test, call, "call %llu still in flight", tag);
	KUNIT_EXPECT_EQ_MSG(test, call->error, err, "call %llu", tag);
}

static void client__server_error_sets_errno_of_calls(struct kunit *test)
{
	const struct error_case *c = test->param_value;
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 1, 1, 0);

	KUNIT_ASSERT_EQ(test, sm_call(h, "pong", 4, 2, 0), 4);
	KUNIT_ASSERT_EQ(test, list_count_nodes(&cs->waiting), (size_t)1);
	server_error(h, cs, c->code, SESSION_ID, 1);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_ERRORS_RECEIVED), 1ULL);
	expect_outcome(test, 1, c->sent_err);
	expect_outcome(test, 2, c->waiting_err);
}

static void client__error_about_unknown_request_is_ignored(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 1, 0);

	/* Proof of having seen our session is naming one of our requests. */
	server_error(h, cs, EORPC_WERR_SESSION_UNKNOWN, SESSION_ID, 9);
	server_error(h, cs, EORPC_WERR_SERVER_RESTARTED, SESSION_ID, 9);
	/* An error about another session. */
	server_error(h, cs, EORPC_WERR_SERVER_CLOSED, SESSION_ID + 1, 0);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	KUNIT_EXPECT_NOT_NULL(test, in_flight(cs, 1));
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_ERRORS_RECEIVED), 3ULL);
}

static void client__refused_hello_ends_calls_not_run(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs;

	KUNIT_ASSERT_EQ(test, sm_call(h, "ping", 4, 1, 0), 4);
	KUNIT_ASSERT_EQ(test, sm_call(h, "ping", 4, 2, 0), 4);
	cs = session(h);
	/* Only a refusal can concern a session not set up yet. */
	server_error(h, cs, EORPC_WERR_SERVER_CLOSED, 0, 0);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	server_error(h, cs, EORPC_WERR_REFUSED, 0, 0);
	expect_outcome(test, 1, ECONNREFUSED);
	expect_outcome(test, 2, ECONNREFUSED);
	KUNIT_EXPECT_NULL(test, session(h));
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_ERR_REFUSED), 2ULL);
}

static void client__deadline_times_out_sent_call(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 1, 5000);
	struct eorpc_call *call = in_flight(cs, 1);
	ktime_t at;

	KUNIT_ASSERT_NOT_NULL(test, call);
	at = call->deadline;
	/* Not a moment early, even with retransmissions due. */
	sm_client_timers(h, at - 1);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	sm_client_timers(h, at);
	expect_outcome(test, 1, ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_ERR_TIMEDOUT), 1ULL);
}

static void client__deadline_in_handshake_aborts_call_not_run(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_call *call;
	ktime_t at;

	KUNIT_ASSERT_EQ(test, sm_call(h, "ping", 4, 1, 5000), 4);
	call = list_first_entry(&session(h)->waiting, struct eorpc_call, link);
	at = call->deadline;
	sm_client_timers(h, at);
	expect_outcome(test, 1, ECONNABORTED);
	/* No call left: the session stops knocking. */
	KUNIT_EXPECT_NULL(test, session(h));
}

static void client__icmp_unreachable_refuses_handshake(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs;

	KUNIT_ASSERT_EQ(test, sm_call(h, "ping", 4, 1, 0), 4);
	cs = session(h);
	/* Not ours: a forged epoch, or a quote of a packet never sent. */
	icmp(h, cs->client_epoch + 1, EORPC_PKT_HELLO);
	icmp(h, cs->client_epoch, EORPC_PKT_REQUEST);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_ICMP_DROPPED), 2ULL);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	icmp(h, cs->client_epoch, EORPC_PKT_HELLO);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_ICMP_REFUSED), 1ULL);
	expect_outcome(test, 1, ECONNREFUSED);
	KUNIT_EXPECT_NULL(test, session(h));
}

static void client__icmp_unreachable_ignored_once_established(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 1, 0);

	/* A request may have run: only the server's answer can end it. */
	icmp(h, cs->client_epoch, EORPC_PKT_REQUEST);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_ICMP_IGNORED), 1ULL);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	KUNIT_EXPECT_NOT_NULL(test, in_flight(cs, 1));
}

/* What the server reports having of request @id: fragments [0, @upto). */
static void need_request(struct sm_harness *h, struct eorpc_client_session *cs,
			 u64 id, u32 len, u32 upto, u32 hole1, u32 hole2)
{
	struct eorpc_pkt pkt = from_server(cs, EORPC_PKT_NEED_REQUEST);
	u8 bits[(EORPC_MAX_FRAGS + 7) / 8] = {};
	u32 i;

	for (i = 0; i < upto; i++)
		if (i != hole1 && i != hole2)
			bits[i / 8] |= 1 << (i % 8);
	pkt.request_id = id;
	pkt.msg_len = len;
	sm_input(h, &h->peer, &pkt, bits, eorpc_need_len(len));
}

/*
 * The next @count datagrams are fragments @first.. of request @id, in
 * order, except that @hole1 and @hole2 come first when below @first
 * (resent, marked so); only the last asks for a report.
 */
static void expect_round(struct kunit *test, u64 id, u32 first, u32 count,
			 u32 hole1, u32 hole2)
{
	u32 expect[2], nholes = 0, i, frag;
	struct eorpc_tx_record *rec;

	if (hole1 < first)
		expect[nholes++] = hole1;
	if (hole2 < first)
		expect[nholes++] = hole2;
	for (i = 0; i < count; i++) {
		rec = expect_sent(test, EORPC_PKT_REQUEST);
		frag = i < nholes ? expect[i] : first + i - nholes;
		KUNIT_EXPECT_EQ(test, rec->pkt.request_id, id);
		KUNIT_EXPECT_EQ(test, (u32)rec->pkt.frag, frag);
		KUNIT_EXPECT_EQ(test, rec->pkt.flags,
				(i < nholes ? EORPC_F_RETRANS : 0) |
				(i == count - 1 ? EORPC_F_ACK_NOW : 0));
	}
}

/* A call of @len bytes (id 1) whose HELLO went: its session in @cs. */
static void call_sent_hello(struct kunit *test, u32 len,
			    struct eorpc_client_session **cs)
{
	struct sm_harness *h = sm(test);
	u8 *buf;

	buf = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, sm_call(h, buf, len, 1, 0), (int)len);
	*cs = session(h);
	KUNIT_ASSERT_NOT_NULL(test, *cs);
	expect_sent(test, EORPC_PKT_HELLO);
}

/* ... and welcomed: its first round went. Return: the call. */
static struct eorpc_call *call_welcomed(struct kunit *test, u32 len,
					struct eorpc_client_session **cs)
{
	struct eorpc_call *call;

	call_sent_hello(test, len, cs);
	welcome(sm(test), *cs, 4);
	call = in_flight(*cs, 1);
	KUNIT_ASSERT_NOT_NULL(test, call);
	return call;
}

static void client__large_request_goes_in_rounds_of_the_window(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	u32 n = 300, len = n * EORPC_FRAG_DATA, none = U32_MAX;
	struct eorpc_client_session *cs;
	struct eorpc_call *call = call_welcomed(test, len, &cs);

	/* First round: the initial window, its last fragment asks. */
	expect_round(test, 1, 0, EORPC_CWND_INITIAL, none, none);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);

	/* All of it arrived: the window doubles; the round was timed. */
	need_request(h, cs, 1, len, EORPC_CWND_INITIAL, none, none);
	KUNIT_EXPECT_EQ(test, cs->cwnd.frags, 2 * EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, cs->cwnd.timed_frags, EORPC_CWND_INITIAL);
	expect_round(test, 1, EORPC_CWND_INITIAL, 2 * EORPC_CWND_INITIAL,
		     none, none);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);

	/* The same report again (duplicated): nothing. */
	need_request(h, cs, 1, len, EORPC_CWND_INITIAL, none, none);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);

	/* Two lost: they go first, the window halves. */
	need_request(h, cs, 1, len, 3 * EORPC_CWND_INITIAL, 100, 150);
	KUNIT_EXPECT_EQ(test, cs->cwnd.frags, EORPC_CWND_INITIAL);
	expect_round(test, 1, 3 * EORPC_CWND_INITIAL, EORPC_CWND_INITIAL,
		     100, 150);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_FRAGMENTS_RESENT), 2ULL);

	/* No report for a whole timeout: halved again, still a round. */
	sm_client_timers(h, call->next_tx);
	KUNIT_EXPECT_EQ(test, cs->cwnd.frags, EORPC_CWND_INITIAL / 2);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), EORPC_CWND_INITIAL / 2);
	sm_sent_clear(h);

	/*
	 * Everything sent is reported: the window grows, but the round the
	 * timeout sent is not timed (either copy may be the one reported);
	 * the next round is.
	 */
	need_request(h, cs, 1, len, 4 * EORPC_CWND_INITIAL - 2, none, none);
	KUNIT_EXPECT_EQ(test, cs->cwnd.frags,
			EORPC_CWND_INITIAL / 2 + EORPC_CWND_MIN);
	KUNIT_EXPECT_EQ(test, cs->cwnd.timed_frags, EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, call->req.round_frags,
			n - (4 * EORPC_CWND_INITIAL - 2));
	KUNIT_EXPECT_NE(test, call->req.round_tx, 0);
}

/*
 * A round of a message larger than the initial window stops early when a
 * task waits for the socket: EORPC_CWND_MIN fragments, the last asking
 * for a report, untimed; its clean report leaves the window as it was.
 */
static void client__long_round_stops_for_a_waiting_task(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	u32 n = 300, len = n * EORPC_FRAG_DATA, none = U32_MAX, frags, timed;
	struct eorpc_client_session *cs;
	struct eorpc_call *call = call_welcomed(test, len, &cs);

	expect_round(test, 1, 0, EORPC_CWND_INITIAL, none, none);

	/* A task waits for the socket while the next round goes. */
	atomic_inc(&h->ep->tasks_waiting);
	need_request(h, cs, 1, len, EORPC_CWND_INITIAL, none, none);
	atomic_dec(&h->ep->tasks_waiting);
	KUNIT_EXPECT_EQ(test, cs->cwnd.frags, 2 * EORPC_CWND_INITIAL);
	expect_round(test, 1, EORPC_CWND_INITIAL, EORPC_CWND_MIN, none, none);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_ROUNDS_CUT), 1ULL);
	KUNIT_EXPECT_EQ(test, call->req.round_tx, 0);

	/* Its clean report: the window neither grows nor is timed. */
	frags = cs->cwnd.frags;
	timed = cs->cwnd.timed_frags;
	need_request(h, cs, 1, len, EORPC_CWND_INITIAL + EORPC_CWND_MIN,
		     none, none);
	KUNIT_EXPECT_EQ(test, cs->cwnd.frags, frags);
	KUNIT_EXPECT_EQ(test, cs->cwnd.timed_frags, timed);
	expect_round(test, 1, EORPC_CWND_INITIAL + EORPC_CWND_MIN, frags,
		     none, none);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_ROUNDS_CUT), 1ULL);
}

/* A message within the initial window leaves whole, whoever waits. */
static void client__initial_window_message_is_never_cut(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs;

	call_sent_hello(test, EORPC_CWND_INITIAL * EORPC_FRAG_DATA, &cs);
	atomic_inc(&h->ep->tasks_waiting);
	welcome(h, cs, 4);
	atomic_dec(&h->ep->tasks_waiting);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), (u32)EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_ROUNDS_CUT), 0ULL);
}

static struct kunit_case client_cases[] = {
	KUNIT_CASE(client__first_call_sends_hello_without_cookie),
	KUNIT_CASE(client__cookie_is_echoed_in_next_hello),
	KUNIT_CASE(client__welcome_sends_waiting_request),
	KUNIT_CASE(client__hello_retransmitted_with_backoff),
	KUNIT_CASE(client__request_retransmitted_when_due),
	KUNIT_CASE(client__retransmission_timeout_doubles_up_to_rto_max),
	KUNIT_CASE(client__reply_completes_call_once),
	KUNIT_CASE(client__reply_of_other_client_epoch_is_dropped),
	KUNIT_CASE(client__ack_sent_when_due_after_reply),
	KUNIT_CASE(client__paced_session_delays_only_small_replies_ack),
	KUNIT_CASE(client__busy_slows_retransmission_to_rto_max),
	KUNIT_CASE_PARAM(client__server_error_sets_errno_of_calls,
			 error_gen_params),
	KUNIT_CASE(client__error_about_unknown_request_is_ignored),
	KUNIT_CASE(client__refused_hello_ends_calls_not_run),
	KUNIT_CASE(client__deadline_times_out_sent_call),
	KUNIT_CASE(client__deadline_in_handshake_aborts_call_not_run),
	KUNIT_CASE(client__icmp_unreachable_refuses_handshake),
	KUNIT_CASE(client__icmp_unreachable_ignored_once_established),
	KUNIT_CASE(client__large_request_goes_in_rounds_of_the_window),
	KUNIT_CASE(client__long_round_stops_for_a_waiting_task),
	KUNIT_CASE(client__initial_window_message_is_never_cut),
	{}
};

static struct kunit_suite client_suite = {
	.name = "eorpc_client",
	.suite_init = sm_suite_init,
	.suite_exit = sm_suite_exit,
	.init = sm_init,
	.exit = sm_exit,
	.test_cases = client_cases,
};

kunit_test_suite(client_suite);
