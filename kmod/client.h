/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the client's two files share: client.c runs sessions and calls,
 * client_send.c starts calls on them.
 */
#ifndef _EORPC_CLIENT_H
#define _EORPC_CLIENT_H

#include "eorpc.h"

struct eorpc_client_session *
eorpc_cs_find(struct eorpc_sock *ep, const struct sockaddr_eorpc *peer);
struct eorpc_client_session *
eorpc_cs_create(struct eorpc_sock *ep, const struct sockaddr_eorpc *peer);
void eorpc_cs_pump(struct eorpc_sock *ep, struct eorpc_client_session *cs);

#endif /* _EORPC_CLIENT_H */
