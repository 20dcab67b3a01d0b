/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stateless address validation: a server commits a session only for a HELLO
 * that returns a cookie it handed to that address, so a sender that forges
 * its source address cannot create sessions or history (see PROTOCOL.md).
 */
#ifndef _EORPC_COOKIE_H
#define _EORPC_COOKIE_H

#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/eorpc.h>
#include "wire.h"

/* Keys change this often; a cookie stays valid for one to two periods. */
enum { EORPC_COOKIE_ROTATE_S = 120 };

/**
 * struct eorpc_cookie_secret - per-namespace cookie keys
 * @lock: protects the other fields
 * @slot: the rotation period @cur belongs to
 * @cur: key of the current period
 * @prev: key of the previous period, valid if @have_prev
 * @have_prev: @prev is the key of period @slot - 1
 */
struct eorpc_cookie_secret {
	spinlock_t	lock;	/* protects the fields below */
	u64		slot;
	siphash_key_t	cur;
	siphash_key_t	prev;
	bool		have_prev;
};

void eorpc_cookie_init(struct eorpc_cookie_secret *secret);
void eorpc_cookie_make(struct eorpc_cookie_secret *secret,
		       const struct sockaddr_eorpc *peer, u64 client_epoch,
		       struct eorpc_wire_cookie *cookie);
bool eorpc_cookie_valid(struct eorpc_cookie_secret *secret,
			const struct sockaddr_eorpc *peer, u64 client_epoch,
			const struct eorpc_wire_cookie *cookie);

#endif /* _EORPC_COOKIE_H */
