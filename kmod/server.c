// SPDX-License-Identifier: GPL-2.0
/*
 * Server side, at-most-once: sessions, history, delivery to recvmsg exactly
 * once per (session, request id), replies cached until acknowledged, BUSY for
 * duplicates of requests the application still holds.
 */
#include <linux/log2.h>
#include <linux/random.h>
#include <linux/string.h>
#include <linux/slab.h>
#include "eorpc.h"
#include "reuseport.h"
#include "server_sessions.h"
#include "timer.h"
#include "fault.h"
#include "netns.h"
#include "trace.h"

/* How often, at most, idle sessions are looked for. */
enum { EORPC_GC_PERIOD_MS = 1000 };

static void send_simple(struct eorpc_sock *ep, const struct sockaddr_eorpc *to,
			struct eorpc_route *route,
			const struct eorpc_pkt *about, u8 type, u8 code)
{
	struct eorpc_pkt pkt = {
		.type = type,
		.code = code,
		.client_epoch = about->client_epoch,
		.server_epoch = ep->server_epoch,
		.session_id = about->session_id,
		.request_id = about->request_id,
	};

	eorpc_udp_send(ep, to, route, &pkt, NULL, 0);
}

/**
 * eorpc_send_error() - answer a packet with an ERROR
 * @ep: the socket, locked
 * @to: the packet's sender
 * @about: the packet (its epochs, session and request id are echoed)
 * @code: enum eorpc_wire_error
 */
void eorpc_send_error(struct eorpc_sock *ep, const struct sockaddr_eorpc *to,
		      const struct eorpc_pkt *about, u8 code)
{
	sock_owned_by_me(&ep->sk);
	send_simple(ep, to, NULL, about, EORPC_PKT_ERROR, code);
	eorpc_inc(sock_net(&ep->sk), EORPC_STAT_ERRORS_SENT);
}

/*
 * What a history entry holding a body of @len bytes costs, as the allocator
 * rounds it.
 */
static size_t server_call_charge(u32 len)
{
	return kmalloc_size_roundup(sizeof(struct eorpc_server_call)) +
	       eorpc_msg_charge(len);
}

/*
 * What an entry costs now: eorpc_msg_free() zeroes the length, so a
 * delivered request's body no longer counts.
 */
static size_t server_call_bytes(const struct eorpc_server_call *sc)
{
	return server_call_charge(sc->msg.len);
}

/* A request stops being partial: complete, abandoned or freed. */
static void partial_done(struct eorpc_sock *ep, struct eorpc_server_call *sc)
{
	list_del(&sc->rx.link);
	eorpc_partial_end(ep, &sc->sess->partial_bytes, sc->msg.len);
}

static void server_call_free(struct eorpc_server_call *sc)
{
	eorpc_msg_free(&sc->msg);
	kfree(sc);
}

/*
 * Free one history entry without counting why. A request the application
 * holds stays valid for its reply, which is then discarded.
 */
static void drop_entry(struct eorpc_sock *ep, struct eorpc_server_call *sc)
{
	struct eorpc_server_session *ss = sc->sess;

	eorpc_server_session_charge(ep, ss, -(long)server_call_bytes(sc));
	switch (sc->he.state) {
	case EORPC_HE_DELIVERED:
		sc->sess = NULL;
		return;
	case EORPC_HE_RECEIVING:
		partial_done(ep, sc);
		eorpc_rmem_uncharge(ep, sc->msg.len);
		break;
	case EORPC_HE_QUEUED:
		list_del(&sc->rx.link);
		eorpc_rmem_uncharge(ep, sc->msg.len);
		break;
	case EORPC_HE_REPLIED:
		ss->reply_bytes -= sc->msg.len;
		break;
	}
	server_call_free(sc);
}

/* The client acknowledged the entry, or the session ends. */
static void release_entry(struct eorpc_hentry *he, void *arg)
{
	struct eorpc_sock *ep = arg;

	eorpc_inc(sock_net(&ep->sk), EORPC_STAT_HISTORY_FREED);
	drop_entry(ep, container_of(he, struct eorpc_server_call, he));
}

static void ss_free(struct eorpc_sock *ep, struct eorpc_server_session *ss)
{
	eorpc_history_drain(&ss->history, release_entry, ep);
	eorpc_history_destroy(&ss->history);
	eorpc_server_session_remove(ep, ss);
	WARN_ON_ONCE(ss->bytes || ss->reply_bytes || ss->partial_bytes);
	eorpc_route_release(&ss->route);
	kfree_rcu(ss, rcu);
}

/*
 * Make room under net.eorpc.max_history_bytes or max_sessions: forget the
 * least recently active session if it has been quiet for a while. Its
 * client's next packet gets SESSION_UNKNOWN, so nothing is delivered twice.
 */
static bool evict_one(struct eorpc_sock *ep, struct eorpc_server_session *keep,
		      ktime_t now)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));
	struct eorpc_server_session *ss;

	ss = list_first_entry_or_null(&ep->server_sessions, struct eorpc_server_session,
				      lru);
	/* Quiet for two probe intervals: not a client waiting on a BUSY. */
	if (!ss || ss == keep ||
	    ktime_ms_delta(now, ss->last_active) <
	    2 * (s64)READ_ONCE(en->rto_max_ms))
		return false;
	eorpc_inc(sock_net(&ep->sk), EORPC_STAT_SESSIONS_EVICTED);
	trace_eorpc_evict(&ss->peer, ss->session_id, "memory",
			  ss->history.live, ss->bytes);
	ss_free(ep, ss);
	return true;
}

static bool make_room(struct eorpc_sock *ep, struct eorpc_server_session *keep,
		      size_t bytes, ktime_t now)
{
	while (!eorpc_server_state_room(ep, bytes))
		if (!evict_one(ep, keep, now))
			return false;
	return true;
}

static void send_welcome(struct eorpc_sock *ep, struct eorpc_server_session *ss)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));
	struct eorpc_wire_welcome w = {
		.window = cpu_to_be32(ss->history.window),
		.session_timeout_ms = cpu_to_be32(READ_ONCE(en->session_timeout_ms)),
	};
	struct eorpc_pkt pkt = {
		.type = EORPC_PKT_WELCOME,
		.client_epoch = ss->client_epoch,
		.server_epoch = ep->server_epoch,
		.session_id = ss->session_id,
	};

	eorpc_udp_send(ep, &ss->peer, &ss->route, &pkt, &w, sizeof(w));
}

static void send_cookie(struct eorpc_sock *ep, const struct eorpc_pkt *hello,
			const struct sockaddr_eorpc *from)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));
	struct eorpc_wire_cookie cookie;
	struct eorpc_pkt pkt = {
		.type = EORPC_PKT_COOKIE,
		.client_epoch = hello->client_epoch,
		.server_epoch = ep->server_epoch,
	};

	eorpc_cookie_make(&en->cookie, from, hello->client_epoch, &cookie);
	eorpc_udp_send(ep, from, NULL, &pkt, &cookie, sizeof(cookie));
	eorpc_inc(sock_net(&ep->sk), EORPC_STAT_COOKIES_SENT);
}

/* Return: true if the HELLO proves its sender receives at its address. */
static bool hello_validated(struct eorpc_sock *ep, struct sk_buff *skb,
			    const struct eorpc_pkt *pkt,
			    const struct sockaddr_eorpc *from)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));
	struct eorpc_wire_cookie cookie;

	if (skb_copy_bits(skb, pkt->data_off, &cookie, sizeof(cookie)))
		return false;
	if (!memchr_inv(cookie.bytes, 0, sizeof(cookie.bytes)))
		return false;
	if (eorpc_cookie_valid(&en->cookie, from, pkt->client_epoch, &cookie))
		return true;
	eorpc_inc(sock_net(&ep->sk), EORPC_STAT_COOKIES_INVALID);
	return false;
}

static void on_hello(struct eorpc_sock *ep, struct sk_buff *skb,
		     const struct eorpc_pkt *pkt,
		     const struct sockaddr_eorpc *from)
{
	struct net *net = sock_net(&ep->sk);
	struct eorpc_net *en = eorpc_net(net);
	struct eorpc_server_session *ss = eorpc_server_session_by_client(ep, from,
						       pkt->client_epoch);
	ktime_t now = ktime_get();
	u32 window;

	if (ss) {
		send_welcome(ep, ss);
		return;
	}
	/* No state for a sender until it shows it can receive: a cookie. */
	if (!hello_validated(ep, skb, pkt, from)) {
		send_cookie(ep, pkt, from);
		return;
	}
	window = rounddown_pow_of_two(READ_ONCE(en->window));
	if (atomic_read(&en->sessions) >= READ_ONCE(en->max_sessions) &&
	    !evict_one(ep, NULL, now))
		goto refuse;
	if (!make_room(ep, NULL, eorpc_server_session_cost(window), now))
		goto refuse;
	if (eorpc_should_fail_alloc())
		goto nomem;
	ss = kzalloc(sizeof(*ss), GFP_KERNEL_ACCOUNT);
	if (!ss)
		goto nomem;
	if (eorpc_should_fail_alloc() ||
	    eorpc_history_init(&ss->history, window, GFP_KERNEL_ACCOUNT))
		goto nomem_free;
	eorpc_addr_normalize(&ss->peer, from);
	ss->client_epoch = pkt->client_epoch;
	/* Never 0 and never one in use: a session id is never reused. */
	do {
		ss->session_id = get_random_u64();
	} while (!ss->session_id || eorpc_server_session_by_id(ep, ss->session_id));
	ss->last_active = now;
	eorpc_cwnd_init(&ss->cwnd);
	if (eorpc_server_session_insert(ep, ss)) {
		eorpc_history_destroy(&ss->history);
		goto nomem_free;
	}
	if (!ep->gc_at) {
		ep->gc_at = ktime_add_ms(now, min(READ_ONCE(en->session_timeout_ms),
						  EORPC_GC_PERIOD_MS));
		eorpc_timer_arm(ep, ep->gc_at);
	}
	eorpc_inc(net, EORPC_STAT_SESSIONS_CREATED);
	send_welcome(ep, ss);
	return;
nomem_free:
	kfree(ss);
nomem:
	eorpc_drop(net, EORPC_STAT_RX_DROP_NOMEM);
	eorpc_send_error(ep, from, pkt, EORPC_WERR_REFUSED);
	return;
refuse:
	eorpc_inc(net, EORPC_STAT_SESSIONS_REFUSED);
	eorpc_send_error(ep, from, pkt, EORPC_WERR_REFUSED);
}

/*
 * The reply's first round: the client holds none of it (one that holds
 * part asks with NEED_REPLY instead of sending its request again).
 */
static void send_reply(struct eorpc_sock *ep, struct eorpc_server_session *ss,
		       struct eorpc_server_call *sc)
{
	struct eorpc_pkt pkt = {
		.type = EORPC_PKT_REPLY,
		.client_epoch = ss->client_epoch,
		.server_epoch = ep->server_epoch,
		.session_id = ss->session_id,
		.request_id = sc->he.id,
	};
	/* Sent before: this answers a retransmitted request. */
	bool again = sc->msg.sent;

	/* A round that never ended, or whose report was lost. */
	if (again && sc->msg.sent < eorpc_nfrags(sc->msg.len))
		eorpc_cwnd_timeout(&ss->cwnd);
	sc->msg.sent = 0;
	eorpc_udp_send_round(ep, &ss->peer, &ss->route, &pkt, &sc->msg, NULL,
			     &ss->cwnd, false);
	/* A report may answer either copy of the round: not timed (Karn). */
	if (again)
		sc->msg.round_tx = 0;
}

/* Tell the client which fragments of its partial request are here. */
static void send_need(struct eorpc_sock *ep, struct eorpc_server_session *ss,
		      struct eorpc_server_call *sc)
{
	struct eorpc_pkt pkt = {
		.type = EORPC_PKT_NEED_REQUEST,
		.client_epoch = ss->client_epoch,
		.server_epoch = ep->server_epoch,
		.session_id = ss->session_id,
		.request_id = sc->he.id,
	};

	eorpc_udp_send_need(ep, &ss->peer, &ss->route, &pkt, &sc->msg);
}

static void queue_request(struct eorpc_sock *ep, struct eorpc_server_call *sc)
{
	sc->he.state = EORPC_HE_QUEUED;
	list_add_tail(&sc->rx.link, &ep->recvq);
	ep->sk.sk_data_ready(&ep->sk);
}

static void new_request(struct eorpc_sock *ep, struct eorpc_server_session *ss,
			struct sk_buff *skb, const struct eorpc_pkt *pkt)
{
	struct net *net = sock_net(&ep->sk);
	struct eorpc_net *en = eorpc_net(net);
	size_t need = server_call_charge(pkt->msg_len);
	struct eorpc_server_call *sc;

	/*
	 * More than this namespace takes: never delivered. The client is
	 * told once per round, at its end.
	 */
	if (pkt->msg_len > eorpc_max_msg(ep)) {
		eorpc_drop(net, EORPC_STAT_RX_DROP_TOO_BIG);
		if (eorpc_pkt_round_end(pkt))
			eorpc_send_error(ep, &ss->peer, pkt,
					 EORPC_WERR_TOO_BIG);
		return;
	}
	/* No room: keep no state; the retransmission starts over. */
	if (!eorpc_rmem_room(ep)) {
		eorpc_drop(net, EORPC_STAT_RX_DROP_RCVBUF);
		return;
	}
	if (!eorpc_partial_room(ep, ss->partial_bytes, pkt->msg_len)) {
		eorpc_drop(net, EORPC_STAT_RX_DROP_PARTIAL);
		return;
	}
	/*
	 * Over a memory cap: not delivered, and the client is told to slow
	 * down (BUSY) until acks free cached replies or idle sessions go.
	 */
	if (ss->reply_bytes >= READ_ONCE(en->session_max_reply_bytes) ||
	    !make_room(ep, ss, need, ktime_get())) {
		eorpc_inc(net, EORPC_STAT_REQUESTS_REFUSED_MEM);
		trace_eorpc_busy(&ss->peer, pkt);
		send_simple(ep, &ss->peer, &ss->route, pkt, EORPC_PKT_BUSY, 0);
		return;
	}
	sc = eorpc_should_fail_alloc() ? NULL :
	     kzalloc(sizeof(*sc), eorpc_rx_gfp());
	if (!sc || eorpc_msg_alloc(&sc->msg, pkt->msg_len)) {
		kfree(sc);
		eorpc_drop(net, EORPC_STAT_RX_DROP_NOMEM);
		return;
	}
	sc->he.id = pkt->request_id;
	sc->he.state = EORPC_HE_RECEIVING;
	sc->rx.kind = EORPC_RX_REQUEST;
	sc->sess = ss;
	sc->peer = ss->peer;
	eorpc_server_session_charge(ep, ss, need);
	eorpc_rmem_charge(ep, pkt->msg_len);
	eorpc_history_insert(&ss->history, &sc->he);
	eorpc_msg_add_frag(&sc->msg, skb, pkt);
	if (eorpc_msg_complete(&sc->msg)) {
		queue_request(ep, sc);
		return;
	}
	list_add_tail(&sc->rx.link, &ep->partial);
	eorpc_partial_start(ep, &ss->partial_bytes, pkt->msg_len);
	if (eorpc_msg_wants_need(&sc->msg, pkt))
		send_need(ep, ss, sc);
}

static void on_request(struct eorpc_sock *ep, struct eorpc_server_session *ss,
		       struct sk_buff *skb, const struct eorpc_pkt *pkt)
{
	struct net *net = sock_net(&ep->sk);
	struct eorpc_hentry *he;
	struct eorpc_server_call *sc;

	switch (eorpc_history_classify(&ss->history, pkt->request_id, &he)) {
	case EORPC_HIST_STALE:
		eorpc_drop(net, EORPC_STAT_STALE_REQUESTS);
		return;
	case EORPC_HIST_BEYOND:
		eorpc_send_error(ep, &ss->peer, pkt, EORPC_WERR_WINDOW);
		return;
	case EORPC_HIST_NEW:
		new_request(ep, ss, skb, pkt);
		return;
	case EORPC_HIST_KNOWN:
		break;
	}
	sc = container_of(he, struct eorpc_server_call, he);
	if (sc->he.state == EORPC_HE_RECEIVING) {
		if (pkt->msg_len != sc->msg.len) {
			eorpc_drop(net, EORPC_STAT_RX_DROP_FIELD);
			return;
		}
		if (!eorpc_msg_add_frag(&sc->msg, skb, pkt)) {
			eorpc_drop(net, EORPC_STAT_DUP_FRAGMENTS);
			if (eorpc_msg_dup_wants_need(&sc->msg, pkt))
				send_need(ep, ss, sc);
			return;
		}
		if (eorpc_msg_complete(&sc->msg)) {
			partial_done(ep, sc);
			queue_request(ep, sc);
			return;
		}
		/* Progress: to the back of the abandonment line. */
		list_move_tail(&sc->rx.link, &ep->partial);
		if (eorpc_msg_wants_need(&sc->msg, pkt))
			send_need(ep, ss, sc);
		return;
	}
	/* A retransmission: answer it once per round, at its end. */
	if (!eorpc_pkt_round_end(pkt))
		return;
	if (sc->he.state == EORPC_HE_REPLIED) {
		eorpc_inc(net, EORPC_STAT_DUP_FROM_HISTORY);
		trace_eorpc_history_hit(&ss->peer, pkt);
		send_reply(ep, ss, sc);
	} else {
		eorpc_inc(net, EORPC_STAT_DUP_BUSY);
		trace_eorpc_busy(&ss->peer, pkt);
		send_simple(ep, &ss->peer, &ss->route, pkt, EORPC_PKT_BUSY, 0);
	}
}

/*
 * The client lacks fragments of a reply: a round of those, then of the
 * fragments not sent yet.
 */
static void on_need_reply(struct eorpc_sock *ep, struct eorpc_server_session *ss,
			  struct sk_buff *skb, const struct eorpc_pkt *pkt)
{
	u8 bits[(EORPC_MAX_FRAGS + 7) / 8];
	struct eorpc_server_call *sc;
	struct eorpc_hentry *he;
	struct eorpc_pkt rep;

	eorpc_inc(sock_net(&ep->sk), EORPC_STAT_NEEDS_RECEIVED);
	if (eorpc_history_classify(&ss->history, pkt->request_id, &he) !=
	    EORPC_HIST_KNOWN)
		return;
	sc = container_of(he, struct eorpc_server_call, he);
	if (sc->he.state != EORPC_HE_REPLIED || sc->msg.len != pkt->msg_len ||
	    skb_copy_bits(skb, pkt->data_off, bits, pkt->data_len))
		return;
	rep = (struct eorpc_pkt){
		.type = EORPC_PKT_REPLY,
		.flags = EORPC_F_RETRANS,
		.client_epoch = ss->client_epoch,
		.server_epoch = ep->server_epoch,
		.session_id = ss->session_id,
		.request_id = sc->he.id,
	};
	eorpc_udp_round_reported(&sc->msg, bits, &ss->cwnd);
	eorpc_udp_send_round(ep, &ss->peer, &ss->route, &rep, &sc->msg, bits,
			     &ss->cwnd, false);
}

/**
 * eorpc_server_input() - a HELLO, REQUEST, NEED_REPLY or ACK arrived
 * @ep: the socket, locked
 * @skb: the datagram
 * @pkt: its validated header
 * @from: its sender
 */
void eorpc_server_input(struct eorpc_sock *ep, struct sk_buff *skb,
			const struct eorpc_pkt *pkt,
			const struct sockaddr_eorpc *from)
{
	struct net *net = sock_net(&ep->sk);
	struct eorpc_server_session *ss;

	sock_owned_by_me(&ep->sk);
	if (!ep->listening) {
		/* Tell a misdirected client (its call fails ECONNREFUSED). */
		if (pkt->type != EORPC_PKT_ACK)
			eorpc_send_error(ep, from, pkt, EORPC_WERR_NOT_SERVER);
		eorpc_drop(net, EORPC_STAT_RX_DROP_NOT_CLIENT);
		return;
	}
	if (pkt->type == EORPC_PKT_HELLO) {
		on_hello(ep, skb, pkt, from);
		return;
	}
	if (pkt->server_epoch != ep->server_epoch) {
		if (pkt->type == EORPC_PKT_REQUEST && eorpc_pkt_round_end(pkt))
			eorpc_send_error(ep, from, pkt,
					 EORPC_WERR_SERVER_RESTARTED);
		eorpc_drop(net, EORPC_STAT_RX_DROP_SESSION);
		return;
	}
	ss = eorpc_server_session_by_id(ep, pkt->session_id);
	if (!ss) {
		if (pkt->type == EORPC_PKT_REQUEST && eorpc_pkt_round_end(pkt))
			eorpc_send_error(ep, from, pkt,
					 EORPC_WERR_SESSION_UNKNOWN);
		/* An ACK for ids this server never saw: nothing to answer. */
		if (pkt->type == EORPC_PKT_ACK)
			eorpc_drop(net, EORPC_STAT_RX_DROP_ACK);
		else
			eorpc_drop(net, EORPC_STAT_RX_DROP_SESSION);
		return;
	}
	if (ss->client_epoch != pkt->client_epoch ||
	    !eorpc_addr_equal(&ss->peer, from)) {
		eorpc_drop(net, EORPC_STAT_RX_DROP_ADDRESS);
		return;
	}
	eorpc_server_session_touch(ep, ss, ktime_get());
	eorpc_history_ack(&ss->history, pkt->ack, release_entry, ep);
	if (pkt->type == EORPC_PKT_ACK) {
		if (pkt->flags & EORPC_F_CLOSE) {
			eorpc_inc(net, EORPC_STAT_SESSIONS_CLOSED);
			ss_free(ep, ss);
		}
		return;
	}
	if (pkt->type == EORPC_PKT_NEED_REPLY) {
		on_need_reply(ep, ss, skb, pkt);
		return;
	}
	on_request(ep, ss, skb, pkt);
}

/* recvmsg handed a queued request to the application. */
/*
 * The call table is a slot table: a delivered call takes the lowest free
 * slot, so the table stays as small as the number of calls the application
 * holds and, once warm, allocates nothing per call (an id-indexed table
 * whose ids only grow allocated and freed a node per call). A call id is
 * (delivery sequence << 32 | slot + 1): a reused slot gets a new id, and
 * an old id is refused.
 */
void eorpc_server_init(struct eorpc_sock *ep)
{
	xa_init_flags(&ep->server_calls, XA_FLAGS_ALLOC);
}

static u32 call_slot(u64 call_id)
{
	return lower_32_bits(call_id) - 1;
}

/*
 * Give @sc a call id before its request is copied out, so a request the
 * application has seen can always be answered (no allocation after).
 */
int eorpc_server_call_id_reserve(struct eorpc_sock *ep,
				 struct eorpc_server_call *sc)
{
	u32 slot;
	int err;

	sock_owned_by_me(&ep->sk);
	err = eorpc_should_fail_alloc() ? -ENOMEM :
	      xa_alloc(&ep->server_calls, &slot, sc,
		       XA_LIMIT(0, U32_MAX - 1), GFP_KERNEL);
	if (err)
		return err == -EBUSY ? -ENOMEM : err;
	sc->call_id = (u64)(ep->call_seq + 1) << 32 | (slot + 1);
	return 0;
}

/* The copy to the application failed: the request stays queued, no id. */
void eorpc_server_call_id_unreserve(struct eorpc_sock *ep,
				    struct eorpc_server_call *sc)
{
	xa_erase(&ep->server_calls, call_slot(sc->call_id));
	sc->call_id = 0;
}

void eorpc_server_delivered(struct eorpc_sock *ep, struct eorpc_server_call *sc)
{
	sock_owned_by_me(&ep->sk);
	ep->call_seq++;
	list_del(&sc->rx.link);
	sc->he.state = EORPC_HE_DELIVERED;
	eorpc_rmem_uncharge(ep, sc->msg.len);
	eorpc_server_session_charge(ep, sc->sess, -(long)eorpc_msg_charge(sc->msg.len));
	eorpc_msg_free(&sc->msg);
	eorpc_inc(sock_net(&ep->sk), EORPC_STAT_REQUESTS_DELIVERED);
}

/**
 * eorpc_server_reply() - the application answers a call
 * @ep: the socket, locked
 * @call_id: EORPC_CMSG_CALL_ID from recvmsg
 * @msg: the reply in msg_iter
 * @len: its length
 *
 * Return: @len, -ENOENT for a call that does not exist or was answered,
 * -EMSGSIZE, -ENOMEM, -EFAULT.
 */
int eorpc_server_reply(struct eorpc_sock *ep, u64 call_id, struct msghdr *msg,
		       size_t len)
{
	struct net *net = sock_net(&ep->sk);
	struct eorpc_server_call *sc;
	int err;

	sock_owned_by_me(&ep->sk);
	if (len > eorpc_max_msg(ep))
		return -EMSGSIZE;
	if (!lower_32_bits(call_id))
		return -ENOENT;
	sc = xa_load(&ep->server_calls, call_slot(call_id));
	if (!sc || sc->call_id != call_id)
		return -ENOENT;
	err = eorpc_msg_from_iter(&sc->msg, &msg->msg_iter, len);
	if (err)
		return err;
	xa_erase(&ep->server_calls, call_slot(call_id));
	if (!sc->sess) {
		/* The client gave up on it and the session let go of it. */
		eorpc_inc(net, EORPC_STAT_REPLIES_ORPHANED);
		server_call_free(sc);
		return len;
	}
	/* Kept even over the caps: the request was admitted under them. */
	sc->he.state = EORPC_HE_REPLIED;
	sc->sess->reply_bytes += len;
	eorpc_server_session_charge(ep, sc->sess, eorpc_msg_charge(len));
	send_reply(ep, sc->sess, sc);
	eorpc_inc(net, EORPC_STAT_REPLIES_SENT);
	return len;
}

int eorpc_server_start(struct eorpc_sock *ep)
{
	int err;

	sock_owned_by_me(&ep->sk);
	err = eorpc_server_sessions_init(ep);
	if (err)
		return err;
	WRITE_ONCE(ep->listening, true);
	eorpc_reuseport_listen(ep);
	return 0;
}

/*
 * Drop partial requests whose client sent nothing new for the abandonment
 * horizon: they hold receive buffer space no other session can use. Never
 * delivered, so forgetting them cannot cause a second delivery; the
 * client's next retransmission starts the request over.
 */
static void abandon_partials(struct eorpc_sock *ep, ktime_t now)
{
	struct eorpc_server_call *sc, *tmp;

	list_for_each_entry_safe(sc, tmp, &ep->partial, rx.link) {
		if (!eorpc_msg_abandoned(ep, &sc->msg, now))
			break;	/* the rest made progress later */
		eorpc_inc(sock_net(&ep->sk), EORPC_STAT_PARTIALS_ABANDONED);
		trace_eorpc_abandon(&sc->peer, sc->he.id, sc->msg.len,
				    sc->msg.have,
				    eorpc_nfrags(sc->msg.len));
		eorpc_history_remove(&sc->sess->history, &sc->he);
		drop_entry(ep, sc);
	}
}

/*
 * Socket locked: free sessions idle for longer than the timeout and
 * abandoned partial requests.
 */
void eorpc_server_timers(struct eorpc_sock *ep, ktime_t now, ktime_t *next)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));
	u32 timeout_ms = READ_ONCE(en->session_timeout_ms);
	struct eorpc_server_session *ss, *tmp;
	ktime_t oldest = 0;

	sock_owned_by_me(&ep->sk);
	/*
	 * Scan when the earliest expiry may have come, and at least once per
	 * EORPC_GC_PERIOD_MS so a lowered session_timeout_ms takes effect.
	 */
	if (!ep->gc_at || now < ep->gc_at) {
		*next = eorpc_earliest(*next, ep->gc_at);
		return;
	}
	/* Partial requests belong to sessions, so this runs while they do. */
	abandon_partials(ep, now);
	/* Least recently active first: stop at the first one still alive. */
	list_for_each_entry_safe(ss, tmp, &ep->server_sessions, lru) {
		ktime_t end = ktime_add_ms(ss->last_active, timeout_ms);

		if (end > now) {
			oldest = min(end, ktime_add_ms(now, EORPC_GC_PERIOD_MS));
			break;
		}
		eorpc_inc(sock_net(&ep->sk), EORPC_STAT_SESSIONS_EXPIRED);
		trace_eorpc_evict(&ss->peer, ss->session_id, "idle",
				  ss->history.live, ss->bytes);
		ss_free(ep, ss);
	}
	ep->gc_at = oldest;
	*next = eorpc_earliest(*next, oldest);
}

/*
 * The server socket closes: tell clients with unacknowledged calls (they
 * report ECONNRESET instead of retrying into the void), free everything.
 */
void eorpc_server_stop(struct eorpc_sock *ep)
{
	struct eorpc_server_session *ss, *tmp;
	struct eorpc_server_call *sc;
	unsigned long id;

	sock_owned_by_me(&ep->sk);
	list_for_each_entry_safe(ss, tmp, &ep->server_sessions, lru) {
		if (ss->history.live) {
			struct eorpc_pkt about = {
				.client_epoch = ss->client_epoch,
				.session_id = ss->session_id,
			};

			eorpc_send_error(ep, &ss->peer, &about,
					 EORPC_WERR_SERVER_CLOSED);
		}
		ss_free(ep, ss);
	}
	xa_for_each(&ep->server_calls, id, sc) {
		xa_erase(&ep->server_calls, id);
		server_call_free(sc);
	}
	xa_destroy(&ep->server_calls);
	eorpc_server_sessions_destroy(ep);
}
