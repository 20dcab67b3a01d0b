/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The transmit seam: in a module built with its KUnit suites (EORPC_KUNIT),
 * a test records the datagrams a socket of its own would send
 * (tests/sm_harness.c) instead of sending them; such a socket has no UDP
 * socket. In every other build it is nothing.
 */
#ifndef _EORPC_TX_SEAM_H
#define _EORPC_TX_SEAM_H

#include <linux/types.h>

struct eorpc_pkt;
struct eorpc_sock;
struct sockaddr_eorpc;

#ifdef EORPC_KUNIT
bool eorpc_tx_seam(struct eorpc_sock *ep, const struct sockaddr_eorpc *to,
		   const struct eorpc_pkt *pkt, const void *data, u32 len);
#else
static inline bool eorpc_tx_seam(struct eorpc_sock *ep,
				 const struct sockaddr_eorpc *to,
				 const struct eorpc_pkt *pkt,
				 const void *data, u32 len)
{
	return false;
}
#endif

#endif /* _EORPC_TX_SEAM_H */
