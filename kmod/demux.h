/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Client sessions of sockets that share their namespace's UDP socket,
 * found by client epoch (demux.c).
 */
#ifndef _EORPC_DEMUX_H
#define _EORPC_DEMUX_H

#include <linux/types.h>

struct eorpc_client_session;
struct eorpc_net;
struct eorpc_sock;
struct net;

int eorpc_demux_init_net(struct eorpc_net *en);
void eorpc_demux_exit_net(struct eorpc_net *en);
int eorpc_demux_add(struct eorpc_sock *ep, struct eorpc_client_session *cs);
void eorpc_demux_del(struct eorpc_sock *ep, struct eorpc_client_session *cs);
struct eorpc_sock *eorpc_demux_find(struct net *net, u64 client_epoch);

#endif /* _EORPC_DEMUX_H */
