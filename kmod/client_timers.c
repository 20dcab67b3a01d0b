// SPDX-License-Identifier: GPL-2.0
/*
 * The client's side of the socket's timer scan: retransmissions, call
 * deadlines, HELLOs, delayed ACKs and the idle close of sessions, each
 * run when due; the earliest left is what the timer is set for next.
 */
#include "eorpc.h"
#include "client.h"
#include "rto.h"
#include "timer.h"
#include "trace.h"

/* One session's due events. Return: false if @cs was freed. */
static bool cs_timers(struct eorpc_sock *ep, struct eorpc_client_session *cs,
		      ktime_t now, ktime_t *next)
{
	u32 rto_max = eorpc_ms_to_us(READ_ONCE(eorpc_ep_net(ep)->rto_max_ms));
	struct net *net = sock_net(&ep->sk);
	struct eorpc_call *call, *tmp;

	list_for_each_entry_safe(call, tmp, &cs->waiting, link) {
		if (call->deadline && call->deadline <= now)
			eorpc_call_finish(ep, call, ECONNABORTED);
		else
			*next = eorpc_earliest(*next, call->deadline);
	}
	if (cs->state == EORPC_CS_HELLO) {
		/* Every call gave up: stop knocking (else: state forever). */
		if (list_empty(&cs->waiting)) {
			eorpc_cs_free(ep, cs);
			return false;
		}
		if (cs->hello_next <= now) {
			cs->hello_rto = eorpc_rto_backoff(cs->hello_rto,
							  rto_max);
			eorpc_cs_send_control(ep, cs, EORPC_PKT_HELLO, 0);
			cs->hello_next = ktime_add_us(now, cs->hello_rto);
		}
		*next = eorpc_earliest(*next, cs->hello_next);
		return true;
	}
	list_for_each_entry_safe(call, tmp, &cs->calls, link) {
		if (call->deadline && call->deadline <= now) {
			eorpc_call_finish(ep, call, ETIMEDOUT);
			continue;
		}
		/* Checked at least once per rto_max: the call retransmits. */
		if (call->reply.data &&
		    eorpc_msg_abandoned(ep, &call->reply, now)) {
			eorpc_inc(net, EORPC_STAT_PARTIALS_ABANDONED);
			trace_eorpc_abandon(&cs->peer, call->id,
					    call->reply.len, call->reply.have,
					    eorpc_nfrags(call->reply.len));
			eorpc_reply_drop(ep, cs, call);
		}
		if (call->next_tx <= now) {
			call->rto = eorpc_rto_backoff(call->rto, rto_max);
			eorpc_call_transmit(ep, cs, call, now);
		}
		*next = eorpc_earliest(*next, call->next_tx);
		*next = eorpc_earliest(*next, call->deadline);
	}
	eorpc_cs_pump(ep, cs);
	if (cs->ack_due && cs->ack_due <= now) {
		eorpc_cs_send_control(ep, cs, EORPC_PKT_ACK, 0);
		cs->ack_due = 0;
	}
	*next = eorpc_earliest(*next, cs->ack_due);
	return true;
}

/* Socket locked: retransmissions, deadlines, HELLOs and delayed ACKs due. */
void eorpc_client_timers(struct eorpc_sock *ep, ktime_t now, ktime_t *next)
{
	struct eorpc_client_session *cs, *tmp;

	sock_owned_by_me(&ep->sk);
	list_for_each_entry_safe(cs, tmp, &ep->client_sessions, link) {
		if (!cs_timers(ep, cs, now, next))
			continue;	/* freed */
		/* An idle session, nothing left to acknowledge: forgotten. */
		if (cs->state == EORPC_CS_ESTABLISHED &&
		    list_empty(&cs->calls) && list_empty(&cs->waiting) &&
		    !cs->ack_due) {
			ktime_t idle_end = eorpc_cs_idle_end(cs);

			if (idle_end <= now) {
				eorpc_cs_send_control(ep, cs, EORPC_PKT_ACK,
						      EORPC_F_CLOSE);
				eorpc_cs_free(ep, cs);
				continue;
			}
			*next = eorpc_earliest(*next, idle_end);
		}
	}
}
