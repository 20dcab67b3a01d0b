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
	BUILD_BUG_ON(sizeof(union eorpc_udp_addr) !=
		     sizeof(struct sockaddr_in6));
	eorpc_addr_to_udp(peer, peer->seo_transport,
			  (union eorpc_udp_addr *)buf);
}

void eorpc_drop(struct net *net, enum eorpc_stat stat)
{
	this_cpu_inc(eorpc_net(net)->stats->v[stat]);
	trace_eorpc_drop(eorpc_stat_names[stat]);
}
