/* SPDX-License-Identifier: GPL-2.0 */
/* Received datagrams, in softirq or the socket's work item; the work item. */
#ifndef _EORPC_DISPATCH_H
#define _EORPC_DISPATCH_H

struct eorpc_sock;
struct work_struct;
struct sk_buff;

void eorpc_receive(struct eorpc_sock *ep, struct sk_buff *skb);
void eorpc_dispatch(struct eorpc_sock *ep, struct sk_buff *skb);
void eorpc_kick(struct eorpc_sock *ep);
void eorpc_work(struct work_struct *work);

#endif /* _EORPC_DISPATCH_H */
