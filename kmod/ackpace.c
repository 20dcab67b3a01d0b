// SPDX-License-Identifier: GPL-2.0
/*
 * The pace of a client session's calls, and when its standalone ACK is
 * due (ackpace.h says why).
 */
#include <linux/minmax.h>
#include "ackpace.h"

/* The session's last call ended at @now. */
void eorpc_ack_pace_idle(struct eorpc_ack_pace *ap, ktime_t now)
{
	ap->idle_since = now;
}

/*
 * A new call goes out at @now. If the session was idle, the quiet time is
 * a sample of its pace, weighted 1/4 like RFC 6298's smoothed RTT.
 */
void eorpc_ack_pace_call(struct eorpc_ack_pace *ap, ktime_t now)
{
	u32 gap;

	if (!ap->idle_since)
		return;
	gap = min_t(s64, max_t(s64, ktime_us_delta(now, ap->idle_since), 1), U32_MAX);
	ap->gap_us = ap->gap_us ? ap->gap_us - ap->gap_us / 4 + gap / 4 : gap;
	ap->idle_since = 0;
}

/**
 * eorpc_ack_pace_due() - when a call that finished at @now is acknowledged
 * @ap: the session's pace
 * @now: the call's end
 * @rto_min_ms: the earliest delay, and the delay without a pace
 * @latest: no later than this (when the idle session would be closed)
 * @one_datagram: the reply the server holds until then fits one datagram
 *
 * Return: half a gap past the next call the pace expects, within
 * [@now + @rto_min_ms, @latest]; @now + @rto_min_ms without a pace or for
 * a larger reply.
 */
ktime_t eorpc_ack_pace_due(const struct eorpc_ack_pace *ap, ktime_t now,
			   u32 rto_min_ms, ktime_t latest, bool one_datagram)
{
	ktime_t soonest = ktime_add_ms(now, rto_min_ms);
	ktime_t paced;

	if (!one_datagram || !ap->gap_us)
		return soonest;
	paced = ktime_add_us(now, (u64)ap->gap_us + ap->gap_us / 2);
	return max(soonest, min(paced, latest));
}
