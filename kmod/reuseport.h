/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SO_REUSEPORT groups: several server sockets on one address and port, each
 * client session served by one of them for its life (reuseport.c).
 */
#ifndef _EORPC_REUSEPORT_H
#define _EORPC_REUSEPORT_H

#include <linux/types.h>

struct eorpc_sock;
struct sk_buff;
struct sock;

bool eorpc_reuseport_member(const struct eorpc_sock *ep);
void eorpc_reuseport_listen(struct eorpc_sock *ep);
void eorpc_reuseport_leave(struct eorpc_sock *ep);
struct eorpc_sock *eorpc_reuseport_steer(struct eorpc_sock *ep,
					 const struct sk_buff *skb);

#endif /* _EORPC_REUSEPORT_H */
