// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 6298 with alpha = 1/8, beta = 1/4, K = 4. Callers apply Karn's rule:
 * only calls answered without retransmission produce samples.
 */
#include <linux/kernel.h>
#include <linux/minmax.h>
#include "rto.h"

void eorpc_rto_init(struct eorpc_rto *r, u32 initial_us)
{
	r->srtt = 0;
	r->rttvar = 0;
	r->rto = initial_us;
	r->samples = 0;
}

/**
 * eorpc_rto_sample() - fold one round-trip measurement in
 * @r: the estimator
 * @rtt_us: the measurement
 * @min_us: lower clamp of the resulting timeout
 * @max_us: upper clamp of the resulting timeout
 */
void eorpc_rto_sample(struct eorpc_rto *r, u32 rtt_us, u32 min_us, u32 max_us)
{
	u64 rto;

	if (!r->samples) {
		r->srtt = rtt_us;
		r->rttvar = rtt_us / 2;
	} else {
		u32 err = r->srtt > rtt_us ? r->srtt - rtt_us : rtt_us - r->srtt;

		r->rttvar = r->rttvar - r->rttvar / 4 + err / 4;
		r->srtt = r->srtt - r->srtt / 8 + rtt_us / 8;
	}
	r->samples++;
	rto = (u64)r->srtt + 4 * (u64)max(r->rttvar, 1U);
	r->rto = clamp_t(u64, rto, min_us, max_us);
}

/* The next timeout after one more expiry: doubled, capped. */
u32 eorpc_rto_backoff(u32 rto_us, u32 max_us)
{
	return rto_us >= max_us / 2 ? max_us : rto_us * 2;
}
