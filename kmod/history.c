// SPDX-License-Identifier: GPL-2.0
/*
 * The at-most-once rule lives here: an id gets an entry only if it is above
 * the acknowledged point and has none, and the acknowledged point never moves
 * back, so no id can be received as new twice in one session.
 */
#include <linux/slab.h>
#include <linux/log2.h>
#include "history.h"
#include "wire.h"

/**
 * eorpc_history_init() - an empty history
 * @h: the history
 * @window: ring size: a power of two, 1..EORPC_MAX_WINDOW
 * @gfp: allocation flags
 *
 * Return: 0, -EINVAL for a bad window, -ENOMEM.
 */
int eorpc_history_init(struct eorpc_history *h, u32 window, gfp_t gfp)
{
	if (!window || window > EORPC_MAX_WINDOW || !is_power_of_2(window))
		return -EINVAL;
	h->ack = 0;
	h->window = window;
	h->live = 0;
	h->slots = kcalloc(window, sizeof(*h->slots), gfp);
	return h->slots ? 0 : -ENOMEM;
}

/* The caller has removed every entry first. */
void eorpc_history_destroy(struct eorpc_history *h)
{
	kfree(h->slots);
	h->slots = NULL;
}

/**
 * eorpc_history_classify() - what a request id means for this session
 * @h: the history
 * @id: the request id (nonzero)
 * @entry: set to the live entry for EORPC_HIST_KNOWN, else NULL
 *
 * Return: enum eorpc_hist_verdict.
 */
enum eorpc_hist_verdict eorpc_history_classify(const struct eorpc_history *h,
					       u64 id,
					       struct eorpc_hentry **entry)
{
	struct eorpc_hentry *e;

	*entry = NULL;
	if (id <= h->ack)
		return EORPC_HIST_STALE;
	if (id - h->ack > h->window)
		return EORPC_HIST_BEYOND;
	e = h->slots[id & (h->window - 1)];
	if (!e)
		return EORPC_HIST_NEW;
	/* The window check above means a slot holds only this id. */
	*entry = e;
	return EORPC_HIST_KNOWN;
}

/* @e->id was classified EORPC_HIST_NEW and nothing changed since. */
void eorpc_history_insert(struct eorpc_history *h, struct eorpc_hentry *e)
{
	h->slots[e->id & (h->window - 1)] = e;
	h->live++;
}

/**
 * eorpc_history_remove() - forget one entry that was never delivered
 * @h: the history
 * @e: a live entry, in EORPC_HE_RECEIVING
 *
 * Its id becomes EORPC_HIST_NEW again: safe only because nothing of it
 * reached the application (an abandoned partial request).
 */
void eorpc_history_remove(struct eorpc_history *h, struct eorpc_hentry *e)
{
	struct eorpc_hentry **slot = &h->slots[e->id & (h->window - 1)];

	if (WARN_ON_ONCE(*slot != e || e->state != EORPC_HE_RECEIVING))
		return;
	*slot = NULL;
	h->live--;
}

/**
 * eorpc_history_ack() - apply a cumulative acknowledgment
 * @h: the history
 * @ack: the client finished every id <= @ack
 * @release: called for each entry the acknowledgment unlinks
 * @arg: passed to @release
 *
 * Return: how many entries were released.
 */
u32 eorpc_history_ack(struct eorpc_history *h, u64 ack,
		      void (*release)(struct eorpc_hentry *e, void *arg),
		      void *arg)
{
	u32 released = 0;
	u64 id;

	if (ack <= h->ack)
		return 0;
	/* Only ids in (old ack, old ack + window] can have entries. */
	for (id = h->ack + 1; id <= ack && id - h->ack <= h->window; id++) {
		struct eorpc_hentry **slot = &h->slots[id & (h->window - 1)];
		struct eorpc_hentry *e = *slot;

		if (!e)
			continue;
		*slot = NULL;
		h->live--;
		released++;
		release(e, arg);
	}
	h->ack = ack;
	return released;
}

/**
 * eorpc_history_drain() - unlink every entry (session teardown)
 * @h: the history
 * @release: called for each entry
 * @arg: passed to @release
 */
void eorpc_history_drain(struct eorpc_history *h,
			 void (*release)(struct eorpc_hentry *e, void *arg),
			 void *arg)
{
	u32 i;

	for (i = 0; i < h->window && h->live; i++) {
		struct eorpc_hentry *e = h->slots[i];

		if (!e)
			continue;
		h->slots[i] = NULL;
		h->live--;
		release(e, arg);
	}
}
