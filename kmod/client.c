// SPDX-License-Identifier: GPL-2.0
/*
 * Client side, at-least-once: sessions with servers, calls, retransmission,
 * reply matching and the cumulative acknowledgment.
 */
#include <linux/random.h>
#include <linux/slab.h>
#include "eorpc.h"
#include "client.h"
#include "demux.h"
#include "timer.h"
#include "wait.h"
#include "fault.h"
#include "netns.h"
#include "trace.h"

/* A round trip of @rtt_us feeds the session's estimator. */
static void rtt_sample_us(struct eorpc_sock *ep,
			  struct eorpc_client_session *cs, u32 rtt_us)
{
	struct eorpc_net *en = eorpc_ep_net(ep);

	eorpc_rto_sample(&cs->rto, rtt_us,
			 eorpc_ms_to_us(READ_ONCE(en->rto_min_ms)),
			 eorpc_ms_to_us(READ_ONCE(en->rto_max_ms)));
}

/* A round trip measured from @sent to now. */
static void rtt_sample(struct eorpc_sock *ep, struct eorpc_client_session *cs,
		       ktime_t sent)
{
	s64 rtt = ktime_us_delta(ktime_get(), sent);

	if (rtt >= 0)
		rtt_sample_us(ep, cs, rtt);
}

void eorpc_cs_send_control(struct eorpc_sock *ep,
			   struct eorpc_client_session *cs, u8 type, u8 flags)
{
	struct eorpc_pkt pkt = {
		.type = type,
		.flags = flags,
		.client_epoch = cs->client_epoch,
	};

	if (type == EORPC_PKT_HELLO) {
		/* The cookie slot is always there: COOKIE never outgrows it. */
		eorpc_udp_send(ep, &cs->peer, &cs->route, &pkt, &cs->cookie,
			       sizeof(cs->cookie));
		eorpc_inc(sock_net(&ep->sk), EORPC_STAT_HELLOS_SENT);
	} else {
		pkt.server_epoch = cs->server_epoch;
		pkt.session_id = cs->session_id;
		pkt.ack = cs->ids.ack;
		eorpc_udp_send(ep, &cs->peer, &cs->route, &pkt, NULL, 0);
		eorpc_inc(sock_net(&ep->sk), EORPC_STAT_ACKS_SENT);
	}
	cs->last_active = ktime_get();
}

void eorpc_call_transmit(struct eorpc_sock *ep, struct eorpc_client_session *cs,
			 struct eorpc_call *call, ktime_t now)
{
	struct net *net = sock_net(&ep->sk);
	struct eorpc_pkt pkt = {
		.type = EORPC_PKT_REQUEST,
		.flags = call->ntx ? EORPC_F_RETRANS : 0,
		.client_epoch = cs->client_epoch,
		.server_epoch = cs->server_epoch,
		.session_id = cs->session_id,
		.request_id = call->id,
		.ack = cs->ids.ack,
		.msg_len = call->req.len,
	};

	if (!call->ntx) {
		eorpc_udp_send_round(ep, &cs->peer, &cs->route, &pkt,
				     &call->req, NULL, &cs->cwnd, false);
		eorpc_inc(net, EORPC_STAT_REQUESTS_SENT);
	} else if (call->reply.data && !eorpc_msg_complete(&call->reply)) {
		/* The request ran: ask for the reply's missing fragments. */
		pkt.type = EORPC_PKT_NEED_REPLY;
		pkt.flags = 0;
		eorpc_udp_send_need(ep, &cs->peer, &cs->route, &pkt,
				    &call->reply);
	} else {
		/*
		 * What the server has not said it has, and the last. A round
		 * that never got its report lost it or the report; once all
		 * went, a timeout may only mean a slow server.
		 */
		if (call->req.sent < eorpc_nfrags(call->req.len))
			eorpc_cwnd_timeout(&cs->cwnd);
		trace_eorpc_retransmit(&cs->peer, &pkt);
		eorpc_udp_send_round(ep, &cs->peer, &cs->route, &pkt,
				     &call->req, NULL, &cs->cwnd, true);
		eorpc_inc(net, EORPC_STAT_REQUESTS_SENT);
	}
	if (call->ntx++) {
		eorpc_inc(net, EORPC_STAT_RETRANSMITS);
	} else {
		call->first_tx = now;
		eorpc_ack_pace_call(&cs->pace, now);
	}
	/* The request carried the ack: no separate ACK needed. */
	cs->ack_due = 0;
	cs->last_active = now;
	call->next_tx = ktime_add_us(now, call->rto);
	eorpc_timer_arm(ep, eorpc_earliest(call->next_tx, call->deadline));
}

/* Give waiting calls request ids while the window allows, and send them. */
void eorpc_cs_pump(struct eorpc_sock *ep, struct eorpc_client_session *cs)
{
	struct eorpc_call *call, *tmp;
	ktime_t now = ktime_get();

	if (cs->state != EORPC_CS_ESTABLISHED)
		return;
	list_for_each_entry_safe(call, tmp, &cs->waiting, link) {
		if (!eorpc_ackwin_can_alloc(&cs->ids))
			break;
		call->id = eorpc_ackwin_alloc(&cs->ids);
		call->rto = cs->rto.rto;
		list_move_tail(&call->link, &cs->calls);
		eorpc_call_transmit(ep, cs, call, now);
	}
}

static int errno_stat(int err)
{
	switch (err) {
	case ETIMEDOUT:
		return EORPC_STAT_ERR_TIMEDOUT;
	case ECANCELED:
		return EORPC_STAT_ERR_CANCELED;
	case ECONNRESET:
		return EORPC_STAT_ERR_CONNRESET;
	case ESTALE:
		return EORPC_STAT_ERR_STALE;
	case ESHUTDOWN:
		return EORPC_STAT_ERR_SHUTDOWN;
	case ECONNREFUSED:
		return EORPC_STAT_ERR_REFUSED;
	case EPROTO:
		return EORPC_STAT_ERR_PROTO;
	case EMSGSIZE:
		return EORPC_STAT_ERR_MSGSIZE;
	default:
		return EORPC_STAT_ERR_ABORTED;
	}
}

/*
 * Free a reply still being reassembled: the call failed, or the reply was
 * abandoned and the next retransmission brings it again.
 */
void eorpc_reply_drop(struct eorpc_sock *ep, struct eorpc_client_session *cs,
		      struct eorpc_call *call)
{
	if (!call->reply.data)
		return;
	eorpc_rmem_uncharge(ep, call->reply.len);
	if (!eorpc_msg_complete(&call->reply))
		eorpc_partial_end(ep, &cs->partial_bytes, call->reply.len);
	eorpc_msg_free(&call->reply);
}

/*
 * When an idle session is forgotten: well before the server forgets it, so
 * the next call starts a fresh session instead of hitting a forgotten one.
 */
ktime_t eorpc_cs_idle_end(const struct eorpc_client_session *cs)
{
	return ktime_add_ms(cs->last_active, cs->server_timeout_ms / 2);
}

/*
 * A call ends: with its reply (@err 0) or an error. It leaves its session,
 * frees its window slot and goes to the receive queue.
 */
void eorpc_call_finish(struct eorpc_sock *ep, struct eorpc_call *call, int err)
{
	struct eorpc_client_session *cs = call->sess;
	struct net *net = sock_net(&ep->sk);
	ktime_t now = ktime_get();

	list_del_init(&call->link);
	call->sess = NULL;
	call->error = err;
	/* Its retransmission may be what the timer is set for (dispatch.c). */
	if (!--ep->calls_unfinished)
		ep->timer_stale = true;
	if (list_empty(&cs->calls) && list_empty(&cs->waiting))
		eorpc_ack_pace_idle(&cs->pace, now);
	if (call->id && eorpc_ackwin_finish(&cs->ids, call->id) && !cs->ack_due) {
		u32 rto_min_ms = READ_ONCE(eorpc_ep_net(ep)->rto_min_ms);
		bool one_datagram = !err && eorpc_nfrags(call->reply.len) == 1;

		cs->ack_due = eorpc_ack_pace_due(&cs->pace, now, rto_min_ms,
						 eorpc_cs_idle_end(cs),
						 one_datagram);
	}
	if (err) {
		eorpc_inc(net, EORPC_STAT_CALLS_FAILED);
		this_cpu_inc(eorpc_net(net)->stats->v[errno_stat(err)]);
		eorpc_reply_drop(ep, cs, call);
	} else {
		eorpc_inc(net, EORPC_STAT_CALLS_COMPLETED);
	}
	/* The request is no longer needed: give back its send budget. */
	eorpc_msg_free(&call->req);
	WRITE_ONCE(ep->tx_charged, ep->tx_charged - call->charge);
	call->charge = 0;
	list_add_tail(&call->rx.link, &ep->recvq);
	ep->sk.sk_data_ready(&ep->sk);
	eorpc_write_space(&ep->sk);
	if (cs->ack_due)
		eorpc_timer_arm(ep, cs->ack_due);
}

/* Forget a session whose calls have all ended. */
void eorpc_cs_free(struct eorpc_sock *ep, struct eorpc_client_session *cs)
{
	if (ep->udp_shared)
		eorpc_demux_del(ep, cs);
	list_del(&cs->link);
	eorpc_route_release(&cs->route);
	kfree_rcu(cs, rcu);
}

/*
 * Fail every call of a session and forget the session. @err_sent is for calls
 * whose request went out; the others certainly did not run: ECONNABORTED,
 * or ECONNREFUSED when the server refused the session itself.
 */
static void cs_fail(struct eorpc_sock *ep, struct eorpc_client_session *cs,
		    int err_sent)
{
	int err_unsent = err_sent == ECONNREFUSED ? ECONNREFUSED : ECONNABORTED;
	struct eorpc_call *call, *tmp;

	list_for_each_entry_safe(call, tmp, &cs->calls, link)
		eorpc_call_finish(ep, call, err_sent);
	list_for_each_entry_safe(call, tmp, &cs->waiting, link)
		eorpc_call_finish(ep, call, err_unsent);
	eorpc_cs_free(ep, cs);
}

struct eorpc_client_session *
eorpc_cs_find(struct eorpc_sock *ep, const struct sockaddr_eorpc *peer)
{
	struct eorpc_client_session *cs;

	list_for_each_entry(cs, &ep->client_sessions, link)
		if (eorpc_addr_equal(&cs->peer, peer))
			return cs;
	return NULL;
}

struct eorpc_client_session *
eorpc_cs_create(struct eorpc_sock *ep, const struct sockaddr_eorpc *peer)
{
	struct eorpc_net *en = eorpc_ep_net(ep);
	struct eorpc_client_session *cs;
	ktime_t now = ktime_get();

	if (eorpc_should_fail_alloc())
		return NULL;
	cs = kzalloc(sizeof(*cs), GFP_KERNEL_ACCOUNT);
	if (!cs)
		return NULL;
	eorpc_addr_normalize(&cs->peer, peer);
	cs->client_epoch = eorpc_random_epoch();
	if (ep->udp_shared && eorpc_demux_add(ep, cs)) {
		kfree(cs);
		return NULL;
	}
	cs->state = EORPC_CS_HELLO;
	INIT_LIST_HEAD(&cs->calls);
	INIT_LIST_HEAD(&cs->waiting);
	eorpc_rto_init(&cs->rto, eorpc_ms_to_us(READ_ONCE(en->rto_initial_ms)));
	eorpc_cwnd_init(&cs->cwnd);
	cs->hello_rto = cs->rto.rto;
	list_add_tail(&cs->link, &ep->client_sessions);
	eorpc_cs_send_control(ep, cs, EORPC_PKT_HELLO, 0);
	cs->hello_next = ktime_add_us(now, cs->hello_rto);
	eorpc_timer_arm(ep, cs->hello_next);
	return cs;
}

static struct eorpc_call *cs_call(struct eorpc_client_session *cs, u64 id)
{
	struct eorpc_call *call;

	list_for_each_entry(call, &cs->calls, link)
		if (call->id == id)
			return call;
	return NULL;
}

static void on_welcome(struct eorpc_sock *ep, struct eorpc_client_session *cs,
		       struct sk_buff *skb, const struct eorpc_pkt *pkt)
{
	struct eorpc_net *en = eorpc_ep_net(ep);
	struct eorpc_wire_welcome w;
	u32 window;

	if (cs->state != EORPC_CS_HELLO)
		return;	/* a duplicate WELCOME */
	if (skb_copy_bits(skb, pkt->data_off, &w, sizeof(w)))
		return;
	window = be32_to_cpu(w.window);
	if (!window || window > EORPC_MAX_WINDOW || (window & (window - 1))) {
		eorpc_drop(sock_net(&ep->sk), EORPC_STAT_RX_DROP_FIELD);
		return;
	}
	cs->server_epoch = pkt->server_epoch;
	cs->session_id = pkt->session_id;
	cs->server_timeout_ms = be32_to_cpu(w.session_timeout_ms);
	eorpc_ackwin_init(&cs->ids, window);
	/* Karn: the handshake is a sample only if HELLO went out once. */
	if (cs->hello_rto == eorpc_ms_to_us(READ_ONCE(en->rto_initial_ms)))
		rtt_sample(ep, cs, cs->last_active);
	cs->state = EORPC_CS_ESTABLISHED;
	eorpc_cs_pump(ep, cs);
}

/* The server wants proof we receive at our address: HELLO again with it. */
static void on_cookie(struct eorpc_sock *ep, struct eorpc_client_session *cs,
		      struct sk_buff *skb, const struct eorpc_pkt *pkt)
{
	struct eorpc_wire_cookie cookie;

	if (cs->state != EORPC_CS_HELLO)
		return;	/* late or duplicated */
	if (skb_copy_bits(skb, pkt->data_off, &cookie, sizeof(cookie)))
		return;
	if (!memcmp(&cookie, &cs->cookie, sizeof(cookie)))
		return;	/* a duplicate COOKIE: the HELLO it asks for went */
	cs->cookie = cookie;
	eorpc_cs_send_control(ep, cs, EORPC_PKT_HELLO, 0);
	cs->hello_next = ktime_add_us(ktime_get(), cs->hello_rto);
	eorpc_timer_arm(ep, cs->hello_next);
}

/*
 * A round was reported and the next one goes: the timer waits for its
 * report, and its backoff ends, as TCP's does on a new ACK (else each
 * lost round or report on a lossy link would cost a doubled timeout).
 */
static void round_progress(struct eorpc_client_session *cs,
			   struct eorpc_call *call)
{
	call->rto = cs->rto.rto;
	call->next_tx = ktime_add_us(ktime_get(), call->rto);
}

/* Tell the server which fragments of a partial reply are here. */
static void send_need_reply(struct eorpc_sock *ep,
			    struct eorpc_client_session *cs,
			    struct eorpc_call *call)
{
	struct eorpc_pkt pkt = {
		.type = EORPC_PKT_NEED_REPLY,
		.client_epoch = cs->client_epoch,
		.server_epoch = cs->server_epoch,
		.session_id = cs->session_id,
		.request_id = call->id,
		.ack = cs->ids.ack,
	};

	eorpc_udp_send_need(ep, &cs->peer, &cs->route, &pkt, &call->reply);
	cs->ack_due = 0;
	round_progress(cs, call);
}

static void on_reply(struct eorpc_sock *ep, struct eorpc_client_session *cs,
		     struct sk_buff *skb, const struct eorpc_pkt *pkt)
{
	struct net *net = sock_net(&ep->sk);
	struct eorpc_call *call = cs_call(cs, pkt->request_id);

	if (!call) {
		eorpc_drop(net, EORPC_STAT_STALE_REPLIES);
		return;
	}
	if (!call->reply.have && !call->reply.data) {
		/* The request ran, but its reply is more than we take. */
		if (pkt->msg_len > eorpc_max_msg(ep)) {
			eorpc_drop(net, EORPC_STAT_RX_DROP_TOO_BIG);
			eorpc_call_finish(ep, call, EMSGSIZE);
			eorpc_cs_pump(ep, cs);
			return;
		}
		if (!eorpc_rmem_room(ep)) {
			eorpc_drop(net, EORPC_STAT_RX_DROP_RCVBUF);
			return;
		}
		if (!eorpc_partial_room(ep, cs->partial_bytes, pkt->msg_len)) {
			eorpc_drop(net, EORPC_STAT_RX_DROP_PARTIAL);
			return;
		}
		if (eorpc_msg_alloc(&call->reply, pkt->msg_len)) {
			eorpc_drop(net, EORPC_STAT_RX_DROP_NOMEM);
			return;
		}
		eorpc_rmem_charge(ep, pkt->msg_len);
		eorpc_partial_start(ep, &cs->partial_bytes, pkt->msg_len);
	} else if (call->reply.len != pkt->msg_len) {
		eorpc_drop(net, EORPC_STAT_RX_DROP_FIELD);
		return;
	}
	if (!eorpc_msg_add_frag(&call->reply, skb, pkt)) {
		eorpc_drop(net, EORPC_STAT_DUP_FRAGMENTS);
		if (eorpc_msg_dup_wants_need(&call->reply, pkt))
			send_need_reply(ep, cs, call);
		return;
	}
	if (!eorpc_msg_complete(&call->reply)) {
		if (eorpc_msg_wants_need(&call->reply, pkt))
			send_need_reply(ep, cs, call);
		return;
	}
	eorpc_partial_end(ep, &cs->partial_bytes, call->reply.len);
	eorpc_inc(net, EORPC_STAT_REPLIES_RECEIVED);
	/*
	 * Karn: a retransmitted call's reply may answer either copy. A
	 * request larger than one round was sampled per round instead.
	 */
	if (call->ntx == 1 && eorpc_nfrags(call->req.len) <= EORPC_CWND_INITIAL)
		rtt_sample(ep, cs, call->first_tx);
	eorpc_call_finish(ep, call, 0);
	eorpc_cs_pump(ep, cs);
}

/*
 * The server reports a round of a request: a round of what it lacks, then
 * of fragments not sent yet.
 */
static void on_need_request(struct eorpc_sock *ep,
			    struct eorpc_client_session *cs,
			    struct sk_buff *skb, const struct eorpc_pkt *pkt)
{
	struct eorpc_call *call = cs_call(cs, pkt->request_id);
	u8 bits[(EORPC_MAX_FRAGS + 7) / 8];
	struct eorpc_pkt req;
	u32 rtt_us;

	eorpc_inc(sock_net(&ep->sk), EORPC_STAT_NEEDS_RECEIVED);
	/* A reply under way: the request is whole there. */
	if (!call || call->req.len != pkt->msg_len || call->reply.data ||
	    skb_copy_bits(skb, pkt->data_off, bits, pkt->data_len))
		return;
	/*
	 * Only a report that changes what is known sends any: a duplicated
	 * NEED changes nothing, and the timer covers a lost batch.
	 */
	if (!eorpc_msg_peer_has(&call->req, bits))
		return;
	req = (struct eorpc_pkt){
		.type = EORPC_PKT_REQUEST,
		.flags = EORPC_F_RETRANS,
		.client_epoch = cs->client_epoch,
		.server_epoch = cs->server_epoch,
		.session_id = cs->session_id,
		.request_id = call->id,
		.ack = cs->ids.ack,
	};
	/*
	 * Rounds are round trips: without these samples a 1 MiB request
	 * would time the whole transfer, and a lost round or report would
	 * wait for the initial timeout (no call of the session ever went
	 * without a retransmission on a lossy link).
	 */
	rtt_us = eorpc_udp_round_reported(&call->req, NULL, &cs->cwnd);
	if (rtt_us)
		rtt_sample_us(ep, cs, rtt_us);
	eorpc_udp_send_round(ep, &cs->peer, &cs->route, &req, &call->req, NULL,
			     &cs->cwnd, false);
	cs->ack_due = 0;
	round_progress(cs, call);
}

static void on_busy(struct eorpc_sock *ep, struct eorpc_client_session *cs,
		    const struct eorpc_pkt *pkt)
{
	struct eorpc_call *call = cs_call(cs, pkt->request_id);

	eorpc_inc(sock_net(&ep->sk), EORPC_STAT_BUSY_RECEIVED);
	if (!call)
		return;
	/* The server has it: probe slowly, only to keep the session alive. */
	call->rto = eorpc_ms_to_us(READ_ONCE(eorpc_ep_net(ep)->rto_max_ms));
	call->next_tx = ktime_add_us(ktime_get(), call->rto);
	eorpc_timer_arm(ep, eorpc_earliest(call->next_tx, call->deadline));
}

static void on_error(struct eorpc_sock *ep, struct eorpc_client_session *cs,
		     const struct eorpc_pkt *pkt)
{
	struct eorpc_call *call;

	eorpc_inc(sock_net(&ep->sk), EORPC_STAT_ERRORS_RECEIVED);
	if (cs->state == EORPC_CS_HELLO) {
		/* Only a refusal of our HELLO can concern a session not set up. */
		if (pkt->session_id || (pkt->code != EORPC_WERR_NOT_SERVER &&
					pkt->code != EORPC_WERR_REFUSED))
			return;
		cs_fail(ep, cs, ECONNREFUSED);
		return;
	}
	if (pkt->session_id != cs->session_id)
		return;
	switch (pkt->code) {
	case EORPC_WERR_SERVER_CLOSED:
		if (pkt->server_epoch == cs->server_epoch)
			cs_fail(ep, cs, ECONNRESET);
		return;
	case EORPC_WERR_SERVER_RESTARTED:
	case EORPC_WERR_SESSION_UNKNOWN:
		/* Must answer a request of ours: proves it saw the session id. */
		if (!cs_call(cs, pkt->request_id))
			return;
		cs_fail(ep, cs, pkt->code == EORPC_WERR_SESSION_UNKNOWN ?
			ESTALE : ECONNRESET);
		return;
	case EORPC_WERR_NOT_SERVER:
	case EORPC_WERR_REFUSED:
		/*
		 * Only a HELLO is ever refused. A refusal naming a request of
		 * an established session cannot say "not executed": an earlier
		 * copy may have been delivered (spin model finding F4). Ignore
		 * it; the call goes on to its reply, an error or its deadline.
		 */
		return;
	case EORPC_WERR_TOO_BIG:
		/*
		 * Refused before delivery; but the server's limit may have
		 * been raised since, and an earlier copy delivered: the call
		 * ends, with no claim that it did not run.
		 */
		call = cs_call(cs, pkt->request_id);
		if (call && pkt->server_epoch == cs->server_epoch) {
			eorpc_call_finish(ep, call, EMSGSIZE);
			eorpc_cs_pump(ep, cs);
		}
		return;
	case EORPC_WERR_WINDOW:
		/*
		 * Never sent to an honest client. An earlier copy of the request
		 * may still be delivered once the ack catches up: not "certainly
		 * not executed".
		 */
		call = cs_call(cs, pkt->request_id);
		if (call && pkt->server_epoch == cs->server_epoch) {
			eorpc_call_finish(ep, call, EPROTO);
			eorpc_cs_pump(ep, cs);
		}
		return;
	}
}

/**
 * eorpc_client_input() - a WELCOME, REPLY, BUSY or ERROR arrived
 * @ep: the socket, locked
 * @skb: the datagram
 * @pkt: its validated header
 * @from: its sender
 */
void eorpc_client_input(struct eorpc_sock *ep, struct sk_buff *skb,
			const struct eorpc_pkt *pkt,
			const struct sockaddr_eorpc *from)
{
	struct net *net = sock_net(&ep->sk);
	struct eorpc_client_session *cs;

	sock_owned_by_me(&ep->sk);
	cs = eorpc_cs_find(ep, from);
	if (!cs) {
		/* A server socket with no call out to this peer; else a stray. */
		if (ep->listening)
			eorpc_drop(net, EORPC_STAT_RX_DROP_NOT_SERVER);
		else
			eorpc_drop(net, EORPC_STAT_RX_DROP_SESSION);
		return;
	}
	if (pkt->client_epoch != cs->client_epoch) {
		eorpc_drop(net, EORPC_STAT_RX_DROP_SESSION);
		return;
	}
	if (pkt->type == EORPC_PKT_ERROR) {
		on_error(ep, cs, pkt);
		return;
	}
	if (pkt->type == EORPC_PKT_WELCOME) {
		on_welcome(ep, cs, skb, pkt);
		return;
	}
	if (pkt->type == EORPC_PKT_COOKIE) {
		on_cookie(ep, cs, skb, pkt);
		return;
	}
	if (cs->state != EORPC_CS_ESTABLISHED ||
	    pkt->session_id != cs->session_id ||
	    pkt->server_epoch != cs->server_epoch) {
		eorpc_drop(net, EORPC_STAT_RX_DROP_SESSION);
		return;
	}
	cs->last_active = ktime_get();
	if (pkt->type == EORPC_PKT_REPLY)
		on_reply(ep, cs, skb, pkt);
	else if (pkt->type == EORPC_PKT_NEED_REQUEST)
		on_need_request(ep, cs, skb, pkt);
	else
		on_busy(ep, cs, pkt);
}

/**
 * eorpc_client_icmp() - an ICMP "port unreachable" about a client packet
 * @ep: the socket, locked
 * @r: what the UDP error hook read from the ICMP error's quote
 *
 * Acts only for a session still in HELLO, and only on a quote of its HELLO:
 * such a session has sent no request (eorpc_cs_pump() waits for WELCOME),
 * so its calls certainly did not run and end with ECONNREFUSED, as when the
 * server refuses the handshake. An established session ignores it: the
 * error may be stale or forged, and a request of the session may have run
 * (G4), so its calls go on to a reply, an error of the server or their
 * deadline.
 */
void eorpc_client_icmp(struct eorpc_sock *ep,
		       const struct eorpc_icmp_report *r)
{
	struct net *net = sock_net(&ep->sk);
	struct eorpc_client_session *cs;

	sock_owned_by_me(&ep->sk);
	cs = eorpc_cs_find(ep, &r->peer);
	/* The epoch is random per session: an off-path sender cannot know it. */
	if (!cs || cs->client_epoch != r->client_epoch) {
		eorpc_drop(net, EORPC_STAT_ICMP_DROPPED);
		return;
	}
	if (cs->state != EORPC_CS_HELLO) {
		eorpc_drop(net, EORPC_STAT_ICMP_IGNORED);
		return;
	}
	/*
	 * A session in HELLO has sent HELLOs only, and no call of it holds a
	 * request id: a quote of anything else is not ours.
	 */
	if (r->type != EORPC_PKT_HELLO || !list_empty(&cs->calls)) {
		eorpc_drop(net, EORPC_STAT_ICMP_DROPPED);
		return;
	}
	eorpc_inc(net, EORPC_STAT_ICMP_REFUSED);
	cs_fail(ep, cs, ECONNREFUSED);
}

/**
 * eorpc_client_cancel() - end the calls carrying a user tag
 * @ep: the socket, locked
 * @tag: the EORPC_CMSG_USER_TAG they were sent with
 *
 * Return: 0, or -ENOENT if no call in flight has that tag.
 */
int eorpc_client_cancel(struct eorpc_sock *ep, u64 tag)
{
	struct eorpc_client_session *cs;
	struct eorpc_call *call, *tmp;
	int found = 0;

	sock_owned_by_me(&ep->sk);
	list_for_each_entry(cs, &ep->client_sessions, link) {
		list_for_each_entry_safe(call, tmp, &cs->calls, link) {
			if (call->user_tag != tag)
				continue;
			eorpc_call_finish(ep, call,
					  call->ntx ? ECANCELED : ECONNABORTED);
			found = 1;
		}
		list_for_each_entry_safe(call, tmp, &cs->waiting, link) {
			if (call->user_tag != tag)
				continue;
			eorpc_call_finish(ep, call, ECONNABORTED);
			found = 1;
		}
		eorpc_cs_pump(ep, cs);
	}
	return found ? 0 : -ENOENT;
}

/**
 * eorpc_client_shutdown() - end every call and session: ESHUTDOWN for calls
 *	whose request went out, ECONNABORTED for the others
 * @ep: the socket, locked
 */
void eorpc_client_shutdown(struct eorpc_sock *ep)
{
	struct eorpc_client_session *cs, *tmp;

	sock_owned_by_me(&ep->sk);
	list_for_each_entry_safe(cs, tmp, &ep->client_sessions, link) {
		if (cs->state == EORPC_CS_ESTABLISHED)
			eorpc_cs_send_control(ep, cs, EORPC_PKT_ACK,
					      EORPC_F_CLOSE);
		cs_fail(ep, cs, ESHUTDOWN);
	}
}

/* The application read the completion, or the socket is going away. */
void eorpc_call_free(struct eorpc_sock *ep, struct eorpc_call *call)
{
	if (call->reply.data)
		eorpc_rmem_uncharge(ep, call->reply.len);
	eorpc_msg_free(&call->reply);
	eorpc_msg_free(&call->req);
	WRITE_ONCE(ep->tx_charged, ep->tx_charged - call->charge);
	ep->calls_out--;
	kfree(call);
}
