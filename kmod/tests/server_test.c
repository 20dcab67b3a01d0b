// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the server state machine (server.c) driven directly: clients'
 * packets fed in, the application's recvmsg() and reply played by the
 * test, time passed to the expiry scan, and every datagram the server sends
 * recorded.
 */
#include <kunit/test.h>
#include "sm_harness.h"

enum { EPOCH_A = 0xa1, EPOCH_B = 0xb2 };

static void listening(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, sm_listen(sm(test)), 0);
}

static struct eorpc_tx_record *expect_sent(struct kunit *test, u8 type)
{
	struct eorpc_tx_record *rec = sm_sent(sm(test));

	KUNIT_ASSERT_NOT_NULL_MSG(test, rec, "nothing sent, expected type %u",
				  type);
	KUNIT_ASSERT_EQ(test, rec->pkt.type, type);
	return rec;
}

static void expect_error(struct kunit *test, u8 code)
{
	KUNIT_EXPECT_EQ(test, expect_sent(test, EORPC_PKT_ERROR)->pkt.code,
			code);
}

static void hello(struct sm_harness *h, const struct sockaddr_eorpc *from,
		  u64 epoch, const struct eorpc_wire_cookie *cookie)
{
	struct eorpc_wire_cookie none = {};
	struct eorpc_pkt pkt = {
		.type = EORPC_PKT_HELLO,
		.client_epoch = epoch,
	};

	sm_input(h, from, &pkt, cookie ? cookie : &none, sizeof(none));
}

/* The cookie exchange, then a session. Return: its session id. */
static u64 handshake(struct kunit *test, const struct sockaddr_eorpc *from,
		     u64 epoch)
{
	struct sm_harness *h = sm(test);
	struct eorpc_wire_cookie cookie;
	struct eorpc_tx_record *rec;

	hello(h, from, epoch, NULL);
	rec = expect_sent(test, EORPC_PKT_COOKIE);
	KUNIT_ASSERT_EQ(test, rec->len, (u32)sizeof(cookie));
	memcpy(&cookie, rec->data, sizeof(cookie));
	hello(h, from, epoch, &cookie);
	rec = expect_sent(test, EORPC_PKT_WELCOME);
	KUNIT_ASSERT_NE(test, rec->pkt.session_id, 0ULL);
	return rec->pkt.session_id;
}

/* The header of a 4-byte request ("ping"). */
static struct eorpc_pkt request_pkt(struct sm_harness *h, u64 epoch,
				    u64 session_id, u64 id, u64 ack, u8 flags)
{
	struct eorpc_pkt pkt = {
		.type = EORPC_PKT_REQUEST,
		.flags = flags,
		.client_epoch = epoch,
		.server_epoch = h->ep->server_epoch,
		.session_id = session_id,
		.request_id = id,
		.ack = ack,
		.msg_len = 4,
	};

	return pkt;
}

static void request(struct sm_harness *h, const struct sockaddr_eorpc *from,
		    u64 epoch, u64 session_id, u64 id, u64 ack, u8 flags)
{
	struct eorpc_pkt pkt = request_pkt(h, epoch, session_id, id, ack, flags);

	sm_input(h, from, &pkt, "ping", 4);
}

/* Client A's ACK of every id up to @ack. */
static struct eorpc_pkt ack_pkt(struct sm_harness *h, u64 session_id, u64 ack,
				u8 flags)
{
	struct eorpc_pkt pkt = {
		.type = EORPC_PKT_ACK,
		.flags = flags,
		.client_epoch = EPOCH_A,
		.server_epoch = h->ep->server_epoch,
		.session_id = session_id,
		.ack = ack,
	};

	return pkt;
}

static void ack(struct sm_harness *h, u64 session_id, u64 ack, u8 flags)
{
	struct eorpc_pkt pkt = ack_pkt(h, session_id, ack, flags);

	sm_input(h, &h->peer, &pkt, NULL, 0);
}

/* Request 1 of client A delivered to the application and answered. */
static u64 replied(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	u64 sid = handshake(test, &h->peer, EPOCH_A);
	struct eorpc_tx_record *rec;
	u64 call_id;

	request(h, &h->peer, EPOCH_A, sid, 1, 0, 0);
	call_id = sm_deliver(h);
	KUNIT_ASSERT_NE(test, call_id, 0ULL);
	KUNIT_ASSERT_EQ(test, sm_reply(h, call_id, "pong", 4), 4);
	rec = expect_sent(test, EORPC_PKT_REPLY);
	KUNIT_EXPECT_EQ(test, rec->pkt.request_id, 1ULL);
	return sid;
}

static void server__hello_without_cookie_gets_cookie_not_session(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_tx_record *rec;

	listening(test);
	hello(h, &h->peer, EPOCH_A, NULL);
	rec = expect_sent(test, EORPC_PKT_COOKIE);
	KUNIT_EXPECT_TRUE(test, eorpc_addr_equal(&rec->to, &h->peer));
	KUNIT_EXPECT_EQ(test, rec->pkt.client_epoch, (u64)EPOCH_A);
	KUNIT_EXPECT_EQ(test, rec->pkt.server_epoch, h->ep->server_epoch);
	KUNIT_EXPECT_EQ(test, rec->pkt.session_id, 0ULL);
	/* Never larger than the HELLO: no amplification. */
	KUNIT_EXPECT_EQ(test, rec->len, (u32)EORPC_COOKIE_LEN);
	KUNIT_EXPECT_EQ(test, h->ep->ss_count, 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_COOKIES_SENT), 1ULL);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_SESSIONS_CREATED), 0ULL);
}

static void server__hello_with_cookie_creates_one_session(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_wire_welcome w;
	struct eorpc_wire_cookie cookie;
	struct eorpc_tx_record *rec;
	u64 sid;

	listening(test);
	hello(h, &h->peer, EPOCH_A, NULL);
	memcpy(&cookie, expect_sent(test, EORPC_PKT_COOKIE)->data,
	       sizeof(cookie));
	hello(h, &h->peer, EPOCH_A, &cookie);
	rec = expect_sent(test, EORPC_PKT_WELCOME);
	sid = rec->pkt.session_id;
	KUNIT_EXPECT_NE(test, sid, 0ULL);
	KUNIT_ASSERT_EQ(test, rec->len, (u32)sizeof(w));
	memcpy(&w, rec->data, sizeof(w));
	KUNIT_EXPECT_EQ(test, be32_to_cpu(w.window), sm_net(h)->window);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(w.session_timeout_ms),
			sm_net(h)->session_timeout_ms);
	KUNIT_EXPECT_EQ(test, h->ep->ss_count, 1U);
	/* A retransmitted HELLO: the same session again. */
	hello(h, &h->peer, EPOCH_A, &cookie);
	KUNIT_EXPECT_EQ(test, expect_sent(test, EORPC_PKT_WELCOME)->pkt.session_id,
			sid);
	KUNIT_EXPECT_EQ(test, h->ep->ss_count, 1U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_SESSIONS_CREATED), 1ULL);
}

static void server__hello_with_forged_cookie_gets_cookie(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_wire_cookie forged;

	listening(test);
	memset(forged.bytes, 0xaa, sizeof(forged.bytes));
	hello(h, &h->peer, EPOCH_A, &forged);
	expect_sent(test, EORPC_PKT_COOKIE);
	KUNIT_EXPECT_EQ(test, h->ep->ss_count, 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_COOKIES_INVALID), 1ULL);
}

static void server__request_queued_once_for_application(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	u64 sid;

	listening(test);
	sid = handshake(test, &h->peer, EPOCH_A);
	request(h, &h->peer, EPOCH_A, sid, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 1U);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
	KUNIT_EXPECT_NE(test, sm_deliver(h), 0ULL);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_REQUESTS_DELIVERED), 1ULL);
}

/* Request 1 of client A, or its retransmission, as softirq takes it. */
static void request_in_softirq(struct sm_harness *h, u64 session_id, u8 flags)
{
	struct eorpc_pkt pkt = request_pkt(h, EPOCH_A, session_id, 1, 0, flags);

	sm_receive(h, &h->peer, &pkt, "ping", 4);
}

/* The fast path: a request reaches the receive queue without a work item. */
static void server__request_in_softirq_delivered_once_there(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_tx_record *rec;
	u64 sid, call_id;

	listening(test);
	sid = handshake(test, &h->peer, EPOCH_A);
	request_in_softirq(h, sid, 0);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&h->ep->rx_backlog), 0U);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 1U);
	/* Its retransmission, in softirq too: BUSY, not a second delivery. */
	request_in_softirq(h, sid, EORPC_F_RETRANS);
	expect_sent(test, EORPC_PKT_BUSY);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 1U);
	call_id = sm_deliver(h);
	KUNIT_ASSERT_NE(test, call_id, 0ULL);
	KUNIT_ASSERT_EQ(test, sm_reply(h, call_id, "pong", 4), 4);
	expect_sent(test, EORPC_PKT_REPLY);
	/* Answered from history (G2). */
	request_in_softirq(h, sid, EORPC_F_RETRANS);
	rec = expect_sent(test, EORPC_PKT_REPLY);
	KUNIT_EXPECT_EQ(test, memcmp(rec->data, "pong", 4), 0);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_REQUESTS_DELIVERED), 1ULL);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_DUP_FROM_HISTORY), 1ULL);
}

static void server__duplicate_of_unanswered_request_gets_busy(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	u64 sid;

	listening(test);
	sid = handshake(test, &h->peer, EPOCH_A);
	request(h, &h->peer, EPOCH_A, sid, 1, 0, 0);
	/* Queued, not read yet. */
	request(h, &h->peer, EPOCH_A, sid, 1, 0, EORPC_F_RETRANS);
	KUNIT_EXPECT_EQ(test, expect_sent(test, EORPC_PKT_BUSY)->pkt.request_id,
			1ULL);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 1U);
	/* Read, not answered yet. */
	KUNIT_EXPECT_NE(test, sm_deliver(h), 0ULL);
	request(h, &h->peer, EPOCH_A, sid, 1, 0, EORPC_F_RETRANS);
	expect_sent(test, EORPC_PKT_BUSY);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_DUP_BUSY), 2ULL);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_REQUESTS_DELIVERED), 1ULL);
}

static void server__duplicate_request_answered_from_history(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_tx_record *rec;
	u64 sid;

	listening(test);
	sid = replied(test);
	request(h, &h->peer, EPOCH_A, sid, 1, 0, EORPC_F_RETRANS);
	rec = expect_sent(test, EORPC_PKT_REPLY);
	KUNIT_EXPECT_EQ(test, rec->pkt.request_id, 1ULL);
	KUNIT_ASSERT_EQ(test, rec->len, 4U);
	KUNIT_EXPECT_EQ(test, memcmp(rec->data, "pong", 4), 0);
	/* G2: never delivered twice. */
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_REQUESTS_DELIVERED), 1ULL);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_DUP_FROM_HISTORY), 1ULL);
}

/* Client A reports having every fragment of reply @id, @len bytes. */
static void need_reply_all(struct sm_harness *h, u64 session_id, u64 id,
			   u32 len)
{
	struct eorpc_pkt pkt = {
		.type = EORPC_PKT_NEED_REPLY,
		.client_epoch = EPOCH_A,
		.server_epoch = h->ep->server_epoch,
		.session_id = session_id,
		.request_id = id,
		.msg_len = len,
	};
	u8 bits[(EORPC_MAX_FRAGS + 7) / 8];

	memset(bits, 0xff, sizeof(bits));
	sm_input(h, &h->peer, &pkt, bits, eorpc_need_len(len));
}

/*
 * A reply's round is timed for the window (cwnd.c) unless it was sent
 * again for a retransmitted request: the report may answer either copy.
 */
static void server__resent_reply_round_is_not_timed(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	u32 len = 3 * EORPC_FRAG_DATA;
	struct eorpc_server_session *ss;
	u64 sid, call_id, id;
	u8 *body;

	body = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, body);
	listening(test);
	sid = handshake(test, &h->peer, EPOCH_A);
	ss = list_first_entry(&h->ep->server_sessions,
			      struct eorpc_server_session, lru);
	for (id = 1; id <= 2; id++) {
		request(h, &h->peer, EPOCH_A, sid, id, 0, 0);
		call_id = sm_deliver(h);
		KUNIT_ASSERT_NE(test, call_id, 0ULL);
		KUNIT_ASSERT_EQ(test, sm_reply(h, call_id, body, len), (int)len);
	}
	/* Call 1's request again: its reply again, then a report on it. */
	request(h, &h->peer, EPOCH_A, sid, 1, 0, EORPC_F_RETRANS);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_DUP_FROM_HISTORY), 1ULL);
	need_reply_all(h, sid, 1, len);
	KUNIT_EXPECT_EQ(test, ss->cwnd.timed_frags, 0);
	/* Call 2's reply went once: its report times the round. */
	need_reply_all(h, sid, 2, len);
	KUNIT_EXPECT_EQ(test, ss->cwnd.timed_frags, 3);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_NEEDS_RECEIVED), 2ULL);
}

static void server__ack_frees_history_then_duplicate_is_stale(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	u64 sid;

	listening(test);
	sid = replied(test);
	ack(h, sid, 1, 0);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_HISTORY_FREED), 1ULL);
	/* Its reply is gone: a late copy gets neither a reply nor a run. */
	request(h, &h->peer, EPOCH_A, sid, 1, 0, EORPC_F_RETRANS);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_STALE_REQUESTS), 1ULL);
}

/*
 * An ACK that finds the socket owned (the server in sendmsg()) waits in the
 * socket's backlog and is processed when the owner releases the socket, not
 * by the work item; a request then still goes to the work item.
 */
static void server__ack_while_socket_owned_processed_at_release(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_pkt pkt;
	u64 sid;

	listening(test);
	sid = replied(test);
	pkt = ack_pkt(h, sid, 1, 0);
	lock_sock(&h->ep->sk);
	sm_receive(h, &h->peer, &pkt, NULL, 0);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_HISTORY_FREED), 0ULL);
	pkt = request_pkt(h, EPOCH_A, sid, 2, 1, 0);
	sm_receive(h, &h->peer, &pkt, "ping", 4);
	release_sock(&h->ep->sk);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_HISTORY_FREED), 1ULL);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&h->ep->rx_backlog), 1U);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
}

static void server__request_beyond_window_gets_window_error(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	u64 sid;

	listening(test);
	sid = handshake(test, &h->peer, EPOCH_A);
	request(h, &h->peer, EPOCH_A, sid, sm_net(h)->window + 1, 0, 0);
	expect_error(test, EORPC_WERR_WINDOW);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
}

/*
 * Fragment @frag of a 75-fragment request @id, with @flags; data zeroes.
 * Return: what the server sent in answer, NULL for nothing.
 */
static struct eorpc_tx_record *big_fragment(struct sm_harness *h, u64 sid,
					    u64 id, u32 frag, u8 flags)
{
	static const u8 zeroes[EORPC_FRAG_DATA];
	struct eorpc_pkt pkt = request_pkt(h, EPOCH_A, sid, id, 0, flags);

	pkt.msg_len = 100001;
	pkt.frag = frag;
	sm_input(h, &h->peer, &pkt, zeroes, eorpc_frag_len(pkt.msg_len, frag));
	return sm_sent(h);
}

/*
 * A request over the namespace's limit is refused at the end of each
 * round, the last fragment or one marked ACK_NOW, not only at the last:
 * a round cut short would otherwise never hear of it.
 */
static void server__too_big_request_refused_at_each_round_end(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_tx_record *rec;
	u64 sid;

	listening(test);
	sid = handshake(test, &h->peer, EPOCH_A);
	sm_net(h)->max_msg_bytes = 65536;
	KUNIT_EXPECT_NULL(test, big_fragment(h, sid, 1, 0, 0));
	rec = big_fragment(h, sid, 1, 20, EORPC_F_ACK_NOW);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_EQ(test, rec->pkt.type, EORPC_PKT_ERROR);
	KUNIT_EXPECT_EQ(test, rec->pkt.code, EORPC_WERR_TOO_BIG);
	KUNIT_EXPECT_EQ(test, rec->pkt.request_id, 1ULL);
	KUNIT_EXPECT_NULL(test, big_fragment(h, sid, 1, 21, EORPC_F_RETRANS));
	rec = big_fragment(h, sid, 1, 74, EORPC_F_RETRANS);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_EQ(test, rec->pkt.code, EORPC_WERR_TOO_BIG);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_RX_DROP_TOO_BIG), 4ULL);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
}

/* A session the server does not know: told at a round's end too. */
static void server__unknown_session_told_at_round_end(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_tx_record *rec;

	listening(test);
	KUNIT_EXPECT_NULL(test, big_fragment(h, 99, 1, 3, 0));
	rec = big_fragment(h, 99, 1, 63, EORPC_F_ACK_NOW);
	KUNIT_ASSERT_NOT_NULL(test, rec);
	KUNIT_EXPECT_EQ(test, rec->pkt.type, EORPC_PKT_ERROR);
	KUNIT_EXPECT_EQ(test, rec->pkt.code, EORPC_WERR_SESSION_UNKNOWN);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
}

static void server__max_sessions_refuses_while_sessions_active(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct sockaddr_eorpc b;

	listening(test);
	sm_addr(&b, SM_PEER_IP, SM_PEER_PORT + 1);
	WRITE_ONCE(sm_net(h)->max_sessions, h->sessions + 1);
	handshake(test, &h->peer, EPOCH_A);
	hello(h, &b, EPOCH_B, NULL);
	hello(h, &b, EPOCH_B, (void *)expect_sent(test, EORPC_PKT_COOKIE)->data);
	expect_error(test, EORPC_WERR_REFUSED);
	KUNIT_EXPECT_EQ(test, h->ep->ss_count, 1U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_SESSIONS_REFUSED), 1ULL);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_SESSIONS_EVICTED), 0ULL);
}

static void server__max_sessions_evicts_quiet_session(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_server_session *ss;
	struct sockaddr_eorpc b;
	u64 sid;

	listening(test);
	sm_addr(&b, SM_PEER_IP, SM_PEER_PORT + 1);
	WRITE_ONCE(sm_net(h)->max_sessions, h->sessions + 1);
	sid = handshake(test, &h->peer, EPOCH_A);
	/* Quiet for two retransmission caps: no client waits on it. */
	ss = list_first_entry(&h->ep->server_sessions,
			      struct eorpc_server_session, lru);
	ss->last_active = ktime_sub_ms(ktime_get(),
				       2 * sm_net(h)->rto_max_ms + 1);
	hello(h, &b, EPOCH_B, NULL);
	hello(h, &b, EPOCH_B, (void *)expect_sent(test, EORPC_PKT_COOKIE)->data);
	expect_sent(test, EORPC_PKT_WELCOME);
	KUNIT_EXPECT_EQ(test, h->ep->ss_count, 1U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_SESSIONS_EVICTED), 1ULL);
	/* The evicted client learns it; nothing runs twice. */
	request(h, &h->peer, EPOCH_A, sid, 1, 0, 0);
	expect_error(test, EORPC_WERR_SESSION_UNKNOWN);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
}

static void server__busy_when_session_reply_cache_full(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	u64 sid;

	listening(test);
	WRITE_ONCE(sm_net(h)->session_max_reply_bytes, 4);
	sid = replied(test);
	request(h, &h->peer, EPOCH_A, sid, 2, 0, 0);
	KUNIT_EXPECT_EQ(test, expect_sent(test, EORPC_PKT_BUSY)->pkt.request_id,
			2ULL);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_REQUESTS_REFUSED_MEM), 1ULL);
	/* The ack frees the cached reply: the retransmission gets in. */
	request(h, &h->peer, EPOCH_A, sid, 2, 1, EORPC_F_RETRANS);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 1U);
}

static void server__idle_session_expires_on_timer(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_server_session *ss;
	ktime_t end;
	u64 sid;

	listening(test);
	sid = handshake(test, &h->peer, EPOCH_A);
	ss = list_first_entry(&h->ep->server_sessions,
			      struct eorpc_server_session, lru);
	end = ktime_add_ms(ss->last_active, sm_net(h)->session_timeout_ms);
	KUNIT_ASSERT_LE(test, h->ep->gc_at, end - 1);
	KUNIT_EXPECT_EQ(test, sm_server_timers(h, end - 1), end);
	KUNIT_EXPECT_EQ(test, h->ep->ss_count, 1U);
	sm_server_timers(h, end);
	KUNIT_EXPECT_EQ(test, h->ep->ss_count, 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_SESSIONS_EXPIRED), 1ULL);
	request(h, &h->peer, EPOCH_A, sid, 1, 0, 0);
	expect_error(test, EORPC_WERR_SESSION_UNKNOWN);
}

static void server__request_to_old_incarnation_gets_restarted(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_pkt pkt = {
		.type = EORPC_PKT_REQUEST,
		.client_epoch = EPOCH_A,
		.server_epoch = h->ep->server_epoch + 1,
		.session_id = 7,
		.request_id = 1,
		.msg_len = 4,
	};

	listening(test);
	sm_input(h, &h->peer, &pkt, "ping", 4);
	expect_error(test, EORPC_WERR_SERVER_RESTARTED);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_RX_DROP_SESSION), 1ULL);
}

static void server__hello_to_non_server_gets_not_server(struct kunit *test)
{
	struct sm_harness *h = sm(test);

	hello(h, &h->peer, EPOCH_A, NULL);
	expect_error(test, EORPC_WERR_NOT_SERVER);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_RX_DROP_NOT_CLIENT), 1ULL);
}

static void server__request_from_other_address_is_dropped(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct sockaddr_eorpc b;
	u64 sid;

	listening(test);
	sm_addr(&b, SM_PEER_IP, SM_PEER_PORT + 1);
	sid = handshake(test, &h->peer, EPOCH_A);
	request(h, &b, EPOCH_A, sid, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_RX_DROP_ADDRESS), 1ULL);
}

static void server__ack_with_close_ends_session(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	u64 sid;

	listening(test);
	sid = replied(test);
	ack(h, sid, 1, EORPC_F_CLOSE);
	KUNIT_EXPECT_EQ(test, h->ep->ss_count, 0U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_SESSIONS_CLOSED), 1ULL);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_HISTORY_FREED), 1ULL);
}

static struct kunit_case server_cases[] = {
	KUNIT_CASE(server__hello_without_cookie_gets_cookie_not_session),
	KUNIT_CASE(server__hello_with_cookie_creates_one_session),
	KUNIT_CASE(server__hello_with_forged_cookie_gets_cookie),
	KUNIT_CASE(server__request_queued_once_for_application),
	KUNIT_CASE(server__request_in_softirq_delivered_once_there),
	KUNIT_CASE(server__duplicate_of_unanswered_request_gets_busy),
	KUNIT_CASE(server__duplicate_request_answered_from_history),
	KUNIT_CASE(server__resent_reply_round_is_not_timed),
	KUNIT_CASE(server__ack_frees_history_then_duplicate_is_stale),
	KUNIT_CASE(server__ack_while_socket_owned_processed_at_release),
	KUNIT_CASE(server__request_beyond_window_gets_window_error),
	KUNIT_CASE(server__too_big_request_refused_at_each_round_end),
	KUNIT_CASE(server__unknown_session_told_at_round_end),
	KUNIT_CASE(server__max_sessions_refuses_while_sessions_active),
	KUNIT_CASE(server__max_sessions_evicts_quiet_session),
	KUNIT_CASE(server__busy_when_session_reply_cache_full),
	KUNIT_CASE(server__idle_session_expires_on_timer),
	KUNIT_CASE(server__request_to_old_incarnation_gets_restarted),
	KUNIT_CASE(server__hello_to_non_server_gets_not_server),
	KUNIT_CASE(server__request_from_other_address_is_dropped),
	KUNIT_CASE(server__ack_with_close_ends_session),
	{}
};

static struct kunit_suite server_suite = {
	.name = "eorpc_server",
	.suite_init = sm_suite_init,
	.suite_exit = sm_suite_exit,
	.init = sm_init,
	.exit = sm_exit,
	.test_cases = server_cases,
};

kunit_test_suite(server_suite);
