// SPDX-License-Identifier: GPL-2.0
/*
 * The socket's single hrtimer, armed for the earliest pending event (a
 * retransmission, a deadline, a delayed ACK, an expiry). What runs when it
 * fires is dispatch.c's: it needs both sides.
 */
#include "eorpc.h"
#include "timer.h"

/*
 * Arm the timer for @at unless it fires earlier already. A set @timer_at
 * whose hrtimer already fired has its scans queued, and they look at
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

/*
 * Set the timer for exactly @at, later than before if need be; 0 stops it.
 * Only for the earliest event of a complete scan: the queued work of a timer
 * that fired meanwhile finds nothing due and does nothing.
 */
void eorpc_timer_set(struct eorpc_sock *ep, ktime_t at)
{
	sock_owned_by_me(&ep->sk);
	if (ep->dead)
		return;
	ep->timer_at = at;
	if (at)
		hrtimer_start(&ep->timer, at, HRTIMER_MODE_ABS_SOFT);
	else
		hrtimer_try_to_cancel(&ep->timer);
}
