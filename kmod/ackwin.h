/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Client-side request ids of one session: which are in flight, which are
 * finished, and the cumulative acknowledgment that tells the server what it
 * may forget. Ids are 64-bit and start at 1: they never wrap.
 */
#ifndef _EORPC_ACKWIN_H
#define _EORPC_ACKWIN_H

#include <linux/types.h>

/**
 * struct eorpc_ackwin - request ids of a session as the client sees them
 * @ack: every id <= @ack is finished
 * @next_id: the id the next call gets
 * @done: bit i set: id @ack + 1 + i is finished (only ids < @next_id)
 * @window: ids may run at most this far past @ack (<= 64)
 */
struct eorpc_ackwin {
	u64	ack;
	u64	next_id;
	u64	done;
	u32	window;
};

void eorpc_ackwin_init(struct eorpc_ackwin *aw, u32 window);
bool eorpc_ackwin_can_alloc(const struct eorpc_ackwin *aw);
u64 eorpc_ackwin_alloc(struct eorpc_ackwin *aw);
bool eorpc_ackwin_finish(struct eorpc_ackwin *aw, u64 id);
bool eorpc_ackwin_in_flight(const struct eorpc_ackwin *aw, u64 id);

#endif /* _EORPC_ACKWIN_H */
