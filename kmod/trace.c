// SPDX-License-Identifier: GPL-2.0
/* The tracepoints' bodies live in this one file (CREATE_TRACE_POINTS). */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/string.h>
#include "eorpc.h"
#include "netns.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

/* A sockaddr_in/in6 for %pISpc, in a buffer of sizeof(sockaddr_in6). */
void eorpc_trace_peer(u8 *buf, const struct sockaddr_eorpc *peer)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)buf;
	struct sockaddr_in *sin = (struct sockaddr_in *)buf;

	memset(buf, 0, sizeof(*sin6));
	if (peer->seo_transport == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = peer->seo_port;
		sin->sin_addr.s_addr = peer->seo_addr4;
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = peer->seo_port;
		memcpy(&sin6->sin6_addr, peer->seo_addr6, sizeof(sin6->sin6_addr));
		sin6->sin6_scope_id = peer->seo_scope_id;
	}
}

void eorpc_drop(struct net *net, enum eorpc_stat stat)
{
	this_cpu_inc(eorpc_net(net)->stats->v[stat]);
	trace_eorpc_drop(eorpc_stat_names[stat]);
}
