// SPDX-License-Identifier: GPL-2.0
#include <linux/bits.h>
#include "ackwin.h"

void eorpc_ackwin_init(struct eorpc_ackwin *aw, u32 window)
{
	aw->ack = 0;
	aw->next_id = 1;
	aw->done = 0;
	aw->window = window;
}

/* A new call may take an id only within the window the server granted. */
bool eorpc_ackwin_can_alloc(const struct eorpc_ackwin *aw)
{
	return aw->next_id - aw->ack <= aw->window;
}

/* The caller checked eorpc_ackwin_can_alloc(). */
u64 eorpc_ackwin_alloc(struct eorpc_ackwin *aw)
{
	return aw->next_id++;
}

/* Issued and neither finished nor acknowledged. */
bool eorpc_ackwin_in_flight(const struct eorpc_ackwin *aw, u64 id)
{
	if (id <= aw->ack || id >= aw->next_id)
		return false;
	return !(aw->done & BIT_ULL(id - aw->ack - 1));
}

/**
 * eorpc_ackwin_finish() - a call ended (reply, error or abandoned)
 * @aw: the window
 * @id: its request id
 *
 * Return: true if the cumulative acknowledgment moved.
 */
bool eorpc_ackwin_finish(struct eorpc_ackwin *aw, u64 id)
{
	u64 old = aw->ack;

	if (!eorpc_ackwin_in_flight(aw, id))
		return false;
	aw->done |= BIT_ULL(id - aw->ack - 1);
	while (aw->done & 1) {
		aw->done >>= 1;
		aw->ack++;
	}
	return aw->ack != old;
}
