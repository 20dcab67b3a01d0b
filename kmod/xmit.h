/* SPDX-License-Identifier: GPL-2.0 */
/* Building a datagram and handing it to IPv4 or IPv6. */
#ifndef _EORPC_XMIT_H
#define _EORPC_XMIT_H

#include <linux/in6.h>
#include <linux/types.h>

struct dst_entry;
struct sk_buff;
struct socket;
struct sockaddr_eorpc;

/**
 * struct eorpc_route - the route to a session's peer, kept between
 *	datagrams so that only the first one looks it up
 * @dst: held, or NULL
 * @saddr4: the IPv4 source the lookup chose
 * @saddr6: the IPv6 source the lookup chose
 * @cookie: the IPv6 route's validity cookie
 *
 * Protected by the socket lock, which every transmit holds.
 */
struct eorpc_route {
	struct dst_entry	*dst;
	__be32			saddr4;
	struct in6_addr		saddr6;
	u32			cookie;
};

int eorpc_xmit(struct socket *udp, struct eorpc_route *route,
	       const struct sockaddr_eorpc *to,
	       const void *hdr, u32 hdr_len, const void *data, u32 len,
	       bool ref_pages);
int eorpc_skb_add_data(struct sk_buff *skb, const void *data, u32 len,
		       bool ref_pages);
void eorpc_route_release(struct eorpc_route *route);

#endif /* _EORPC_XMIT_H */
