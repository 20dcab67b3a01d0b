/* SPDX-License-Identifier: GPL-2.0 */
/* The socket's work item: datagrams, ICMP reports and timers, in order. */
#ifndef _EORPC_DISPATCH_H
#define _EORPC_DISPATCH_H

struct eorpc_sock;
struct work_struct;

struct sk_buff;

void eorpc_dispatch(struct eorpc_sock *ep, struct sk_buff *skb);
void eorpc_kick(struct eorpc_sock *ep);
void eorpc_work(struct work_struct *work);

#endif /* _EORPC_DISPATCH_H */
