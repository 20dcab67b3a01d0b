/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a key-value client does, and what it expects back. Pure logic: the
 * client program feeds it completions, so it is tested without a network.
 *
 * Client N owns keys "cN.k0".."cN.k<keys-1>" and shares "shared" with every
 * other client. Each call is one of: Append of a unique token "aN.S;" (S:
 * the call's number) to an own key or to "shared", Put of a unique token
 * "pN.S;" to an own key, Get of an own key. At most one call per key is in
 * flight, so the order of a key's operations is the order they were issued,
 * and a local model (a kv_store) predicts every reply and every final value
 * of the own keys exactly. "shared" is only appended to; the other clients'
 * tokens interleave with ours in an order nobody can predict, so it is
 * checked by counting tokens (kv_token_check()).
 *
 * A second execution of an Append would show as a token twice in a value,
 * and as a reply or final value that differs from the model.
 */
#ifndef EXAMPLES_KV_WORKLOAD_H
#define EXAMPLES_KV_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "kv_msg.h"
#include "kv_store.h"

enum { KV_WL_MAX_KEYS = 1000, KV_WL_MAX_SLOTS = 64, KV_TOKEN_MAX = 32 };

#define KV_SHARED_KEY "shared"

struct kv_wl_slot {
	int key;		/* index; nkeys is the shared key */
	enum kv_op op;
	char token[KV_TOKEN_MAX];
	size_t token_len;
};

struct kv_workload {
	unsigned int id, nkeys;
	uint64_t rng, seq;
	struct kv_store model;
	unsigned char busy[KV_WL_MAX_KEYS + 1];
	unsigned char unknown[KV_WL_MAX_KEYS + 1]; /* a call on it failed */
	struct kv_wl_slot slot[KV_WL_MAX_SLOTS];
	/* Outcomes. */
	uint64_t get, put, append, shared_appends;
	uint64_t refused;	/* statuses other than ok (and Get's not found) */
	uint64_t failed;	/* calls that ended without a reply */
	uint64_t mismatches;	/* replies or final values unlike the model */
	uint64_t doubles;	/* tokens found more than once */
};

/*
 * @keys: own keys, more than the calls kept in flight so a free key always
 * exists (1..KV_WL_MAX_KEYS). Return: 0, or -1 with errno.
 */
int kv_workload_init(struct kv_workload *w, unsigned int id, unsigned int keys,
		     uint64_t seed);
void kv_workload_free(struct kv_workload *w);

/* Key name of index @k (nkeys: the shared key) into @buf; its length. */
size_t kv_workload_key(const struct kv_workload *w, unsigned int k, char *buf,
		       size_t cap);

/*
 * The next call, for pipeline slot @slot: its encoded request in @buf.
 * Return: its length, or -1 if every key is busy.
 */
ssize_t kv_workload_next(struct kv_workload *w, unsigned int slot, void *buf,
			 size_t cap);

/* The call in @slot ended: @err 0 and its reply, or the call's errno. */
void kv_workload_done(struct kv_workload *w, unsigned int slot,
		      const void *reply, size_t len, int err);

/*
 * Check the final value of own key @k, as a Get just returned it (@reply,
 * @len bytes) against the model; counts mismatches and doubles.
 * Return: 0 if it matches, -1 if not.
 */
int kv_workload_verify(struct kv_workload *w, unsigned int k,
		       const void *reply, size_t len);

/*
 * Count the tokens ("...;") of a value. Return: the number of tokens that
 * occur more than once (each extra occurrence counts), or -1 if @val does
 * not split into tokens (an empty token or no final ';'). *@ntokens, if not
 * NULL, is set to the number of tokens.
 */
long kv_token_check(const char *val, size_t len, size_t *ntokens);

#endif
