/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A server socket's sessions: found by session id or by (client address,
 * epoch), kept least recently active first, and charged to the namespace.
 */
#ifndef _EORPC_SERVER_SESSIONS_H
#define _EORPC_SERVER_SESSIONS_H

#include <linux/ktime.h>
#include <linux/types.h>

struct eorpc_sock;
struct eorpc_server_session;
struct sockaddr_eorpc;

int eorpc_server_sessions_init(struct eorpc_sock *ep);
void eorpc_server_sessions_destroy(struct eorpc_sock *ep);
struct eorpc_server_session *
eorpc_server_session_by_id(struct eorpc_sock *ep, u64 session_id);
struct eorpc_server_session *
eorpc_server_session_by_client(struct eorpc_sock *ep,
			       const struct sockaddr_eorpc *peer,
			       u64 client_epoch);
int eorpc_server_session_insert(struct eorpc_sock *ep,
				struct eorpc_server_session *ss);
void eorpc_server_session_remove(struct eorpc_sock *ep,
				 struct eorpc_server_session *ss);
void eorpc_server_session_touch(struct eorpc_sock *ep,
				struct eorpc_server_session *ss, ktime_t now);
void eorpc_server_session_charge(struct eorpc_sock *ep,
				 struct eorpc_server_session *ss, long delta);
size_t eorpc_server_session_cost(u32 window);
bool eorpc_server_state_room(struct eorpc_sock *ep, size_t bytes);

#endif /* _EORPC_SERVER_SESSIONS_H */
