/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Server-side history of one client session: which request ids were seen and
 * what became of them. Pure bookkeeping, no locking: the owner serialises.
 */
#ifndef _EORPC_HISTORY_H
#define _EORPC_HISTORY_H

#include <linux/types.h>

struct eorpc_hentry;

/*
 * What the server does with a request id (PROTOCOL.md, "Server side").
 * STALE: the client finished it (id <= ack): drop. BEYOND: outside the
 * window the client was granted: refuse. NEW: never seen: start receiving.
 * Otherwise the id has a live entry and the caller looks at its state.
 */
enum eorpc_hist_verdict {
	EORPC_HIST_STALE,
	EORPC_HIST_BEYOND,
	EORPC_HIST_NEW,
	EORPC_HIST_KNOWN,
};

/**
 * struct eorpc_history - a session's live entries, ids in (ack, ack + window]
 * @ack: highest cumulative acknowledgment received; never decreases
 * @window: ring size, a power of two <= EORPC_MAX_WINDOW
 * @live: entries in the ring
 * @slots: entry for id i is at slots[i & (window - 1)]
 */
struct eorpc_history {
	u64			ack;
	u32			window;
	u32			live;
	struct eorpc_hentry	**slots;
};

/**
 * struct eorpc_hentry - the history of one request id
 * @id: the request id
 * @state: enum eorpc_hentry_state
 */
struct eorpc_hentry {
	u64	id;
	u8	state;
};

enum eorpc_hentry_state {
	EORPC_HE_RECEIVING,	/* fragments arriving, not delivered */
	EORPC_HE_QUEUED,	/* on the socket's receive queue */
	EORPC_HE_DELIVERED,	/* read by the application, no reply yet */
	EORPC_HE_REPLIED,	/* reply cached until the client acks it */
};

int eorpc_history_init(struct eorpc_history *h, u32 window, gfp_t gfp);
void eorpc_history_destroy(struct eorpc_history *h);
enum eorpc_hist_verdict eorpc_history_classify(const struct eorpc_history *h,
					       u64 id,
					       struct eorpc_hentry **entry);
void eorpc_history_insert(struct eorpc_history *h, struct eorpc_hentry *e);
void eorpc_history_remove(struct eorpc_history *h, struct eorpc_hentry *e);
u32 eorpc_history_ack(struct eorpc_history *h, u64 ack,
		      void (*release)(struct eorpc_hentry *e, void *arg),
		      void *arg);
void eorpc_history_drain(struct eorpc_history *h,
			 void (*release)(struct eorpc_hentry *e, void *arg),
			 void *arg);

#endif /* _EORPC_HISTORY_H */
