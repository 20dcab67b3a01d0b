/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The key-value server's application: decode a request, apply it to the
 * store, encode the reply. Called once per request the kernel delivers;
 * whether the network duplicated or lost anything is invisible here.
 */
#ifndef EXAMPLES_KV_SERVICE_H
#define EXAMPLES_KV_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "kv_store.h"

struct kv_counters {
	uint64_t get, put, append;	/* executed, whatever the status */
	uint64_t bad;			/* malformed requests */
	uint64_t refused;		/* too big, full, out of memory */
};

/*
 * Serve one request: @req (@len bytes) into @rep (@cap bytes, at least
 * KV_REP_MAX). Malformed input gets a KV_BAD_REQUEST reply.
 *
 * Return: the reply's length (always a valid reply).
 */
size_t kv_serve(struct kv_store *s, struct kv_counters *c, const void *req,
		size_t len, void *rep, size_t cap);

#endif
