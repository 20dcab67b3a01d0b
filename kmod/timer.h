/* SPDX-License-Identifier: GPL-2.0 */
/* The socket's one hrtimer: when the timer scans must next run. */
#ifndef _EORPC_TIMER_H
#define _EORPC_TIMER_H

#include <linux/hrtimer.h>

struct eorpc_sock;

/* The sooner of two event times, where 0 means no event. */
static inline ktime_t eorpc_earliest(ktime_t a, ktime_t b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return min(a, b);
}

void eorpc_timer_arm(struct eorpc_sock *ep, ktime_t at);
void eorpc_timer_set(struct eorpc_sock *ep, ktime_t at);

#endif /* _EORPC_TIMER_H */
