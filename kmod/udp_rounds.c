// SPDX-License-Identifier: GPL-2.0
/*
 * A message in rounds: which fragments a round sends (those the receiver
 * lacks, at most the congestion window's budget; cwnd.c), the round's
 * timing for the window when a NEED reports on it, and the NEED a
 * receiver sends. Each datagram goes out through eorpc_udp_send_frag()
 * (udp.c).
 */
#include "eorpc.h"
#include "cwnd.h"
#include "dispatch.h"
#include "netns.h"

/* Has the receiver fragment @i of @m: per its NEED @bits, else per @m. */
static bool peer_has(const struct eorpc_msg *m, const u8 *bits, u32 i)
{
	if (!bits)
		return eorpc_msg_has_frag(m, i);
	return bits[i / 8] & (1 << (i % 8));
}

/* Which fragments one round sends, in index order (a small iterator). */
struct round {
	const struct eorpc_msg	*m;
	const u8		*peer_bits;
	u32			n;
	u32			budget;
	u32			pos;
	bool			last_too;
};

/* Never sent, or sent and not reported received. */
static bool round_lacks(const struct round *r, u32 i)
{
	if (i >= r->m->sent)
		return true;
	return !peer_has(r->m, r->peer_bits, i);
}

/* The round's next fragment, or n when the round is over. */
static u32 round_next(struct round *r)
{
	u32 i;

	while (r->budget && r->pos < r->n) {
		i = r->pos++;
		if (round_lacks(r, i)) {
			r->budget--;
			if (i == r->n - 1)
				r->last_too = false;
			return i;
		}
	}
	if (r->last_too) {
		r->last_too = false;
		return r->n - 1;
	}
	return r->n;
}

/*
 * Does a round stop after @count fragments for what waits for the socket?
 * A round holds the socket while it goes out, and on a local link each
 * fragment also runs through the receiver's stack: a round of hundreds
 * held it for milliseconds, and a short call's request or reply that
 * came meanwhile waited for all of them (the mixed bench's P99). Never
 * below the smallest window, so a round stays worth its report.
 */
static bool round_cut(const struct eorpc_sock *ep, u32 count)
{
	return count >= EORPC_CWND_MIN && eorpc_sock_wanted(ep);
}

/**
 * eorpc_udp_send_round() - send one round of a message
 * @ep: the socket
 * @to: destination
 * @route: its session's kept route, or NULL
 * @pkt: header fields; frag, msg_len and the round's flags are set here
 * @m: the message; m->sent counts its fragments sent at least once
 * @peer_bits: the receiver's fragments, as in a NEED; NULL: @m's record
 *	of them (a request being sent, eorpc_msg_peer_has())
 * @cwnd: the session's window, which bounds the round
 *	(eorpc_cwnd_budget())
 * @last_too: a retransmission: once every fragment went, the last one
 *	goes again even if received, so that the receiver answers
 *
 * The fragments already sent that the receiver lacks go first (marked as
 * retransmissions), then new ones, at most the budget. A round that does not
 * end with the message's last fragment ends with one marked
 * EORPC_F_ACK_NOW, whose receiver reports at once what it has: that report
 * lets the next round go. A message within the budget leaves whole.
 * The round is timed from before its first fragment, so that its time
 * includes sending it (eorpc_udp_round_reported()); a retransmission is
 * not timed, since either copy may be the one reported (Karn), nor a
 * message of one fragment, which no report answers. A round of a message
 * larger than the initial window ends early, with the fragment sent last
 * marked EORPC_F_ACK_NOW, when a task or datagrams wait for the socket
 * (round_cut()); it is not timed either, being shorter than its window.
 *
 * Return: the number of fragments sent.
 */
u32 eorpc_udp_send_round(struct eorpc_sock *ep,
			 const struct sockaddr_eorpc *to,
			 struct eorpc_route *route, struct eorpc_pkt *pkt,
			 struct eorpc_msg *m, const u8 *peer_bits,
			 const struct eorpc_cwnd *cwnd, bool last_too)
{
	u32 n = eorpc_nfrags(m->len), i, next, count = 0, sent_before = m->sent;
	struct round r = {
		.m = m,
		.peer_bits = peer_bits,
		.n = n,
		.budget = eorpc_cwnd_budget(cwnd, n),
		.last_too = last_too && m->sent == n,
	};
	u8 flags = pkt->flags & ~(EORPC_F_RETRANS | EORPC_F_ACK_NOW);
	/* A message within the initial window always leaves whole. */
	bool may_cut = n > EORPC_CWND_INITIAL, cut = false;

	/* A message of one fragment is whole on arrival: never reported on. */
	m->round_tx = last_too || n == 1 ? 0 : ktime_get();
	pkt->msg_len = m->len;
	for (i = round_next(&r); i < n; i = next) {
		next = round_next(&r);
		if (may_cut && next < n && round_cut(ep, count + 1)) {
			eorpc_inc(sock_net(&ep->sk), EORPC_STAT_ROUNDS_CUT);
			cut = true;
			next = n;
		}
		pkt->frag = i;
		pkt->flags = flags;
		if (i < sent_before) {
			pkt->flags |= EORPC_F_RETRANS;
			eorpc_inc(sock_net(&ep->sk), EORPC_STAT_FRAGMENTS_RESENT);
		} else {
			m->sent = i + 1;
		}
		if (next >= n && i != n - 1)
			pkt->flags |= EORPC_F_ACK_NOW;
		eorpc_udp_send_frag(ep, to, route, pkt, m);
		count++;
	}
	m->round_frags = count;
	m->round_cut = cut;
	if (cut)
		m->round_tx = 0;
	return count;
}

/*
 * A report answers the end of a round, so a fragment sent before and
 * still missing there was lost (or is very late).
 */
static bool round_lost(const struct eorpc_msg *m, const u8 *peer_bits)
{
	u32 i;

	for (i = 0; i < m->sent; i++)
		if (!peer_has(m, peer_bits, i))
			return true;
	return false;
}

/**
 * eorpc_udp_round_reported() - a receiver reported on @m's last round
 * @m: a message being sent
 * @peer_bits: the report, as in a NEED; NULL: @m's record of it
 * @cwnd: the session's window, which the round's loss and time adjust
 *
 * Return: how long the round took, in microseconds, from before its
 * first fragment went to now; 0 if it was not timed (a retransmission,
 * or a second report on it).
 */
u32 eorpc_udp_round_reported(struct eorpc_msg *m, const u8 *peer_bits,
			     struct eorpc_cwnd *cwnd)
{
	s64 us = m->round_tx ? ktime_us_delta(ktime_get(), m->round_tx) : 0;
	bool lost = round_lost(m, peer_bits);

	if (us <= 0 || us > U32_MAX)
		us = 0;
	m->round_tx = 0;
	/*
	 * A round cut short did not use its window: a loss in it still
	 * shrinks the window, but a clean one tells nothing of the path and
	 * does not grow it (as RFC 7661 keeps an application-limited one).
	 */
	if (!m->round_cut || lost)
		eorpc_cwnd_round(cwnd, lost, m->round_frags, us);
	m->round_cut = false;
	return us;
}

/**
 * eorpc_udp_send_need() - tell a sender which fragments of @m are here
 * @ep: the socket
 * @to: the sender
 * @route: its session's kept route, or NULL
 * @pkt: header fields (type, epochs, session, request id, ack); msg_len
 *	and frag are set here
 * @m: the partial message
 *
 * Return: 0 or a negative errno.
 */
int eorpc_udp_send_need(struct eorpc_sock *ep, const struct sockaddr_eorpc *to,
			struct eorpc_route *route, struct eorpc_pkt *pkt,
			const struct eorpc_msg *m)
{
	u8 bits[(EORPC_MAX_FRAGS + 7) / 8];

	pkt->msg_len = m->len;
	pkt->frag = 0;
	eorpc_msg_need_bits(m, bits);
	eorpc_inc(sock_net(&ep->sk), EORPC_STAT_NEEDS_SENT);
	return eorpc_udp_send(ep, to, route, pkt, bits,
			      eorpc_need_len(m->len));
}
