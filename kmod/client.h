/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the client's files share: client.c runs sessions and calls,
 * client_send.c starts calls on them, client_timers.c retransmits and
 * expires them.
 */
#ifndef _EORPC_CLIENT_H
#define _EORPC_CLIENT_H

#include "eorpc.h"
#include "netns.h"

static inline struct eorpc_net *eorpc_ep_net(struct eorpc_sock *ep)
{
	return eorpc_net(sock_net(&ep->sk));
}

static inline u32 eorpc_ms_to_us(unsigned int ms)
{
	return ms * USEC_PER_MSEC;
}

struct eorpc_client_session *
eorpc_cs_find(struct eorpc_sock *ep, const struct sockaddr_eorpc *peer);
struct eorpc_client_session *
eorpc_cs_create(struct eorpc_sock *ep, const struct sockaddr_eorpc *peer);
void eorpc_cs_pump(struct eorpc_sock *ep, struct eorpc_client_session *cs);
void eorpc_cs_free(struct eorpc_sock *ep, struct eorpc_client_session *cs);
void eorpc_cs_send_control(struct eorpc_sock *ep,
			   struct eorpc_client_session *cs, u8 type, u8 flags);
ktime_t eorpc_cs_idle_end(const struct eorpc_client_session *cs);
void eorpc_call_transmit(struct eorpc_sock *ep, struct eorpc_client_session *cs,
			 struct eorpc_call *call, ktime_t now);
void eorpc_call_finish(struct eorpc_sock *ep, struct eorpc_call *call, int err);
void eorpc_reply_drop(struct eorpc_sock *ep, struct eorpc_client_session *cs,
		      struct eorpc_call *call);

#endif /* _EORPC_CLIENT_H */
