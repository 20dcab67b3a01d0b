// SPDX-License-Identifier: GPL-2.0
/*
 * Slow start, congestion avoidance and multiplicative decrease in the
 * spirit of RFC 5681, with a round (one window sent, one NEED back) in
 * place of an ACK: a round that lost nothing grows the window, one that
 * lost a fragment halves it. Growth stops where the rounds' times show,
 * twice, that the path is full (in the spirit of TCP Vegas and HyStart's
 * delay check): there a bigger round moves no more per round trip, it
 * only makes a long message's train longer for whatever queues behind it.
 * A limit is probed now and then, as BBR probes for bandwidth: a stall
 * that set it passes, a path that changed is found again.
 */
#include <linux/minmax.h>
#include "cwnd.h"
#include "wire.h"

void eorpc_cwnd_init(struct eorpc_cwnd *c)
{
	c->frags = EORPC_CWND_INITIAL;
	c->ssthresh = EORPC_MAX_FRAGS;
	c->limit = EORPC_MAX_FRAGS;
	c->timed_frags = 0;
	c->timed_us = 0;
	c->full_once = false;
	c->probe_wait = 0;
	c->probe_passes = 0;
	c->probing = false;
}

/* How many fragments of a message of @nfrags a round may send. */
u32 eorpc_cwnd_budget(const struct eorpc_cwnd *c, u32 nfrags)
{
	return nfrags <= EORPC_CWND_INITIAL ? nfrags : c->frags;
}

/*
 * A round of @frags took @us against the last timed round's
 * timed_frags in timed_us. Bound by the round trip, a bigger round
 * takes about as long as a smaller one; bound by the path's rate, it
 * takes proportionally longer. Full: the extra fragments cost at least
 * half their share of the smaller round's time (a doubled round at
 * least 1.5 times as long). Only doublings are compared: the small
 * steps of congestion avoidance are within the noise of a round's time.
 */
static bool doubled(const struct eorpc_cwnd *c, u32 frags)
{
	return c->timed_frags && frags >= 2 * c->timed_frags;
}

static bool path_full(const struct eorpc_cwnd *c, u32 frags, u32 us)
{
	u64 n0 = c->timed_frags, d0 = c->timed_us;

	return doubled(c, frags) && 2 * n0 * us >= (n0 + frags) * d0;
}

/* The probe is over; the next one, if a limit is set, waits its rounds. */
static void probe_end(struct eorpc_cwnd *c)
{
	c->probing = false;
	c->probe_passes = 0;
	c->probe_wait = EORPC_CWND_PROBE_ROUNDS;
}

/*
 * A report while rounds of twice the limit are tried. Only a timed
 * doubling of the last round at the limit tells anything; full, or
 * nothing told (a message's shorter last round, a retransmitted one), and
 * the probe ends with the limit as it was. Room, EORPC_CWND_PROBE_PASSES
 * times in a row, and the limit is lifted: the window grows again as from
 * the start, and may find a new one.
 *
 * Return: true if the report goes on to the usual rules (limit lifted).
 */
static bool probe_report(struct eorpc_cwnd *c, u32 frags, u32 round_us)
{
	if (!round_us || !doubled(c, frags) ||
	    path_full(c, frags, round_us)) {
		probe_end(c);
		c->frags = c->limit;
		return false;
	}
	if (++c->probe_passes < EORPC_CWND_PROBE_PASSES)
		return false;
	probe_end(c);
	c->limit = EORPC_MAX_FRAGS;
	c->ssthresh = EORPC_MAX_FRAGS;
	c->full_once = false;
	return true;
}

/* A clean timed round at the limit: one fewer before the next probe. */
static void probe_count(struct eorpc_cwnd *c, u32 frags, u32 round_us)
{
	/* Twice a limit this high is about a whole message: never probed. */
	if (2 * c->limit > EORPC_MAX_FRAGS || !round_us || frags < c->limit)
		return;
	if (--c->probe_wait)
		return;
	c->probing = true;
	c->frags = min_t(u32, 2 * c->limit, EORPC_MAX_FRAGS);
}

/**
 * eorpc_cwnd_round() - a receiver reported on one round
 * @c: the window
 * @lost: whether a fragment the round sent is still missing there
 * @frags: fragments the round sent
 * @round_us: from the round's first fragment out to this report; 0 if
 *	not known (a retransmitted round may be answered by either copy)
 */
void eorpc_cwnd_round(struct eorpc_cwnd *c, bool lost, u32 frags,
		      u32 round_us)
{
	u32 next;

	if (lost) {
		/* A probe that lost: the limit holds, and the window halves. */
		if (c->probing) {
			probe_end(c);
			c->frags = c->limit;
		}
		c->ssthresh = max_t(u32, c->frags / 2, EORPC_CWND_MIN);
		c->frags = c->ssthresh;
		return;
	}
	if (c->probing && !probe_report(c, frags, round_us))
		return;
	if (frags && round_us) {
		bool full = path_full(c, frags, round_us);

		if (full && !c->full_once) {
			/*
			 * A limit holds until a probe lifts it, hundreds of
			 * rounds later, and one slow round may be a stall of
			 * the sender or the receiver (a descheduled guest lost
			 * 100 ms in one): back to the smaller round, and the
			 * doubling is tried again.
			 */
			c->full_once = true;
			c->frags = c->timed_frags;
			return;
		}
		if (full) {
			/*
			 * The smaller round moved as much, twice: stay there,
			 * but never below what any 64 KiB message sends at
			 * once.
			 */
			c->limit = max_t(u32, c->timed_frags,
					 EORPC_CWND_INITIAL);
			c->ssthresh = c->limit;
			c->probe_wait = EORPC_CWND_PROBE_ROUNDS;
		}
		if (doubled(c, frags))
			c->full_once = false;
		c->timed_frags = min_t(u32, frags, EORPC_MAX_FRAGS);
		c->timed_us = round_us;
	}
	next = c->frags < c->ssthresh ? 2 * c->frags :
					c->frags + EORPC_CWND_MIN;
	/* @limit is at most a whole message of the largest size. */
	c->frags = min_t(u32, next, c->limit);
	probe_count(c, frags, round_us);
}

/*
 * No report for a whole retransmission timeout: the round, or its NEED,
 * was lost. Halved as for a loss; not to the minimum, since a timeout
 * also fires while a server is merely slow to answer.
 */
void eorpc_cwnd_timeout(struct eorpc_cwnd *c)
{
	eorpc_cwnd_round(c, true, 0, 0);
}
