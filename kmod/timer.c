// SPDX-License-Identifier: GPL-2.0
/*
 * The socket's single hrtimer, armed for the earliest pending event (a
 * retransmission, a deadline, a delayed ACK, an expiry). It runs in softirq,
 * so it only kicks the work item, which scans the timers under the socket
 * lock (dispatch.c).
 */
#include "eorpc.h"
#include "dispatch.h"
#include "timer.h"

enum hrtimer_restart eorpc_timer_fired(struct hrtimer *t)
{
	struct eorpc_sock *ep = container_of(t, struct eorpc_sock, timer);

	eorpc_kick(ep);
	return HRTIMER_NORESTART;
}

/*
 * Arm the timer for @at unless it fires earlier already. A set @timer_at
 * whose hrtimer already fired has the work queued, and that work rescans
 * everything: @timer_at never moves later here.
 */
void eorpc_timer_arm(struct eorpc_sock *ep, ktime_t at)
{
	sock_owned_by_me(&ep->sk);
	if (ep->dead || !at)
		return;
	if (ep->timer_at && ep->timer_at <= at)
		return;
	ep->timer_at = at;
	hrtimer_start(&ep->timer, at, HRTIMER_MODE_ABS_SOFT);
}
