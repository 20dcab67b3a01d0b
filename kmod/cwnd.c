// SPDX-License-Identifier: GPL-2.0
/*
 * Slow start, congestion avoidance and multiplicative decrease in the
 * spirit of RFC 5681, with a round (one window sent, one NEED back) in
 * place of an ACK: a round that lost nothing grows the window, one that
 * lost a fragment halves it.
 */
#include <linux/minmax.h>
#include "cwnd.h"
#include "wire.h"

void eorpc_cwnd_init(struct eorpc_cwnd *c)
{
	c->frags = EORPC_CWND_INITIAL;
	c->ssthresh = EORPC_MAX_FRAGS;
}

/* How many fragments of a message of @nfrags a round may send. */
u32 eorpc_cwnd_budget(const struct eorpc_cwnd *c, u32 nfrags)
{
	return nfrags <= EORPC_CWND_INITIAL ? nfrags : c->frags;
}

/**
 * eorpc_cwnd_round() - a receiver reported on one round
 * @c: the window
 * @lost: whether a fragment the round sent is still missing there
 */
void eorpc_cwnd_round(struct eorpc_cwnd *c, bool lost)
{
	u32 next;

	if (lost) {
		c->ssthresh = max_t(u32, c->frags / 2, EORPC_CWND_MIN);
		c->frags = c->ssthresh;
		return;
	}
	next = c->frags < c->ssthresh ? 2 * c->frags :
					c->frags + EORPC_CWND_MIN;
	/* A window of a whole message of the largest size is enough. */
	c->frags = min_t(u32, next, EORPC_MAX_FRAGS);
}

/*
 * No report for a whole retransmission timeout: the round, or its NEED,
 * was lost. Halved as for a loss; not to the minimum, since a timeout
 * also fires while a server is merely slow to answer.
 */
void eorpc_cwnd_timeout(struct eorpc_cwnd *c)
{
	eorpc_cwnd_round(c, true);
}
