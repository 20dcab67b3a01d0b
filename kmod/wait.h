/* SPDX-License-Identifier: GPL-2.0 */
/* Sleeping on the socket with its lock released, for the system calls. */
#ifndef _EORPC_WAIT_H
#define _EORPC_WAIT_H

#include <linux/types.h>

struct eorpc_sock;

int eorpc_wait(struct eorpc_sock *ep, long timeo,
	       bool (*ready)(struct eorpc_sock *ep, u32 arg), u32 arg);

#endif /* _EORPC_WAIT_H */
