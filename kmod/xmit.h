/* SPDX-License-Identifier: GPL-2.0 */
/* Building a datagram and handing it to IPv4 or IPv6. */
#ifndef _EORPC_XMIT_H
#define _EORPC_XMIT_H

#include <linux/types.h>

struct socket;
struct sockaddr_eorpc;

int eorpc_xmit(struct socket *udp, const struct sockaddr_eorpc *to,
	       const void *hdr, u32 hdr_len, const void *data, u32 len);

#endif /* _EORPC_XMIT_H */
