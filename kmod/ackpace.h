/* SPDX-License-Identifier: GPL-2.0 */
/*
 * When a client session acknowledges on its own. The cumulative ack rides
 * free on the session's next request; sent alone it is a datagram and a
 * timer expiry per call. A session calling at a steady pace waits a little
 * past its next expected call, as TCP fits its delayed-ACK timeout to the
 * gaps between segments. The server holds the reply until then, so only a
 * reply of one datagram waits; a larger one, or a session with no pace yet,
 * is acknowledged after rto_min.
 */
#ifndef _EORPC_ACKPACE_H
#define _EORPC_ACKPACE_H

#include <linux/ktime.h>
#include <linux/types.h>

/**
 * struct eorpc_ack_pace - a client session's pace of calls
 * @idle_since: when its last call ended; 0 while it has calls
 * @gap_us: smoothed quiet time between a call's end and the next; 0 if
 *	none seen
 */
struct eorpc_ack_pace {
	ktime_t	idle_since;
	u32	gap_us;
};

void eorpc_ack_pace_idle(struct eorpc_ack_pace *ap, ktime_t now);
void eorpc_ack_pace_call(struct eorpc_ack_pace *ap, ktime_t now);
ktime_t eorpc_ack_pace_due(const struct eorpc_ack_pace *ap, ktime_t now,
			   u32 rto_min_ms, ktime_t latest, bool one_datagram);

#endif /* _EORPC_ACKPACE_H */
