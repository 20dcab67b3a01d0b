/* SPDX-License-Identifier: GPL-2.0 */
/* The socket's one hrtimer: when the work item must next look at timers. */
#ifndef _EORPC_TIMER_H
#define _EORPC_TIMER_H

#include <linux/hrtimer.h>

struct eorpc_sock;

void eorpc_timer_arm(struct eorpc_sock *ep, ktime_t at);
enum hrtimer_restart eorpc_timer_fired(struct hrtimer *t);

#endif /* _EORPC_TIMER_H */
