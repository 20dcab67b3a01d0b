/* SPDX-License-Identifier: GPL-2.0 */
/* Received datagrams and timer expiries, in softirq or the work item. */
#ifndef _EORPC_DISPATCH_H
#define _EORPC_DISPATCH_H

#include <linux/hrtimer.h>

struct eorpc_sock;
struct work_struct;
struct sk_buff;
struct sock;

void eorpc_receive(struct eorpc_sock *ep, struct sk_buff *skb);
void eorpc_dispatch(struct eorpc_sock *ep, struct sk_buff *skb);
void eorpc_kick(struct eorpc_sock *ep);
void eorpc_work(struct work_struct *work);
void eorpc_lock_sock(struct eorpc_sock *ep);
bool eorpc_sock_wanted(const struct eorpc_sock *ep);
void eorpc_release_cb(struct sock *sk);
int eorpc_backlog_rcv(struct sock *sk, struct sk_buff *skb);
enum hrtimer_restart eorpc_timer_fired(struct hrtimer *t);

#endif /* _EORPC_DISPATCH_H */
