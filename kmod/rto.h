/* SPDX-License-Identifier: GPL-2.0 */
/* Retransmission timeout estimator, in the spirit of RFC 6298. */
#ifndef _EORPC_RTO_H
#define _EORPC_RTO_H

#include <linux/types.h>

/**
 * struct eorpc_rto - round-trip estimate of one session, microseconds
 * @srtt: smoothed round-trip time
 * @rttvar: round-trip time variation
 * @rto: current timeout, clamped to [min, max] when computed
 * @samples: RTT samples taken so far
 */
struct eorpc_rto {
	u32	srtt;
	u32	rttvar;
	u32	rto;
	u32	samples;
};

void eorpc_rto_init(struct eorpc_rto *r, u32 initial_us);
void eorpc_rto_sample(struct eorpc_rto *r, u32 rtt_us, u32 min_us, u32 max_us);
u32 eorpc_rto_backoff(u32 rto_us, u32 max_us);

#endif /* _EORPC_RTO_H */
