/* SPDX-License-Identifier: GPL-2.0 */
/* Sleeping on the socket with its lock released, and waking sleepers. */
#ifndef _EORPC_WAIT_H
#define _EORPC_WAIT_H

#include <linux/types.h>

struct eorpc_sock;

struct sock;

int eorpc_wait(struct eorpc_sock *ep, long timeo,
	       bool (*ready)(struct eorpc_sock *ep, u32 arg), u32 arg);
void eorpc_note_nospace(struct sock *sk);
void eorpc_write_space(struct sock *sk);

#endif /* _EORPC_WAIT_H */
