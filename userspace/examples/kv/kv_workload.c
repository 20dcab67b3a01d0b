// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/rng.h"
#include "kv_workload.h"

int kv_workload_init(struct kv_workload *w, unsigned int id, unsigned int keys,
		     uint64_t seed)
{
	memset(w, 0, sizeof(*w));
	if (!keys || keys > KV_WL_MAX_KEYS) {
		errno = EINVAL;
		return -1;
	}
	w->id = id;
	w->nkeys = keys;
	/* Distinct streams for clients started with the same seed. */
	w->rng = seed ^ ((uint64_t)id * UINT64_C(0x9e3779b97f4a7c15));
	return kv_store_init(&w->model, keys + 1);
}

void kv_workload_free(struct kv_workload *w)
{
	kv_store_free(&w->model);
}

size_t kv_workload_key(const struct kv_workload *w, unsigned int k, char *buf,
		       size_t cap)
{
	int n;

	if (k >= w->nkeys)
		n = snprintf(buf, cap, "%s", KV_SHARED_KEY);
	else
		n = snprintf(buf, cap, "c%u.k%u", w->id, k);
	return n < 0 ? 0 : (size_t)n;
}

/* A free own key, starting the search at a random one; -1 if none. */
static int free_key(struct kv_workload *w)
{
	unsigned int start = (unsigned int)rng_below(&w->rng, w->nkeys), i, k;

	for (i = 0; i < w->nkeys; i++) {
		k = (start + i) % w->nkeys;
		if (!w->busy[k])
			return (int)k;
	}
	return -1;
}

ssize_t kv_workload_next(struct kv_workload *w, unsigned int slot, void *buf,
			 size_t cap)
{
	struct kv_wl_slot *s = &w->slot[slot];
	unsigned int dice = (unsigned int)rng_below(&w->rng, 100);
	char key[KV_KEY_MAX + 1];
	struct kv_request rq;
	int k = -1;
	ssize_t n;

	if (slot >= KV_WL_MAX_SLOTS) {
		errno = EINVAL;
		return -1;
	}
	/* A quarter of the calls append to the key every client shares. */
	if (dice < 25 && !w->busy[w->nkeys]) {
		k = (int)w->nkeys;
		s->op = KV_APPEND;
	} else {
		k = free_key(w);
		s->op = dice < 35 ? KV_PUT : dice < 50 ? KV_GET : KV_APPEND;
	}
	if (k < 0) {
		errno = EAGAIN;
		return -1;
	}
	s->key = k;
	s->token_len = (size_t)snprintf(s->token, sizeof(s->token), "%c%u.%llu;",
					s->op == KV_PUT ? 'p' : 'a', w->id,
					(unsigned long long)w->seq);
	rq.op = s->op;
	rq.key = key;
	rq.key_len = kv_workload_key(w, (unsigned int)k, key, sizeof(key));
	rq.value = s->token;
	rq.value_len = s->op == KV_GET ? 0 : s->token_len;
	n = kv_request_encode(&rq, buf, cap);
	if (n < 0)
		return -1;
	w->busy[k] = 1;
	w->seq++;
	return n;
}

/* What the model says the reply to @s must be, applying it to the model. */
static enum kv_status model_apply(struct kv_workload *w,
				  const struct kv_wl_slot *s, const char **val,
				  size_t *size)
{
	char key[KV_KEY_MAX + 1];
	size_t klen = kv_workload_key(w, (unsigned int)s->key, key, sizeof(key));

	*val = NULL;
	*size = 0;
	switch (s->op) {
	case KV_GET:
		return kv_get(&w->model, key, klen, val, size);
	case KV_PUT:
		return kv_put(&w->model, key, klen, s->token, s->token_len,
			      size);
	case KV_APPEND:
		break;
	}
	return kv_append(&w->model, key, klen, s->token, s->token_len, size);
}

static void count_status(struct kv_workload *w, enum kv_op op,
			 enum kv_status st)
{
	if (st != KV_OK && !(op == KV_GET && st == KV_NOT_FOUND))
		w->refused++;
}

void kv_workload_done(struct kv_workload *w, unsigned int slot,
		      const void *reply, size_t len, int err)
{
	struct kv_wl_slot *s = &w->slot[slot];
	enum kv_status want;
	struct kv_reply rp;
	const char *val;
	size_t size;

	w->busy[s->key] = 0;
	if (err) {
		/* It may or may not have run: the model cannot follow. */
		w->failed++;
		w->unknown[s->key] = 1;
		return;
	}
	if (kv_reply_decode(&rp, reply, len)) {
		w->mismatches++;
		w->unknown[s->key] = 1;
		return;
	}
	if (s->op == KV_GET)
		w->get++;
	else if (s->op == KV_PUT)
		w->put++;
	else
		w->append++;
	count_status(w, s->op, rp.status);
	if (s->key == (int)w->nkeys) {
		/* Others append too: only our own success is predictable. */
		if (rp.status == KV_OK)
			w->shared_appends++;
		return;
	}
	if (w->unknown[s->key])
		return;
	want = model_apply(w, s, &val, &size);
	if (rp.status != want || (want == KV_OK && rp.size != size) ||
	    (s->op == KV_GET && want == KV_OK &&
	     (rp.data_len != size || memcmp(rp.data, val, size))))
		w->mismatches++;
}

int kv_workload_verify(struct kv_workload *w, unsigned int k,
		       const void *reply, size_t len)
{
	char key[KV_KEY_MAX + 1];
	size_t klen = kv_workload_key(w, k, key, sizeof(key)), size = 0;
	const char *val = NULL;
	enum kv_status want;
	struct kv_reply rp;
	long dups;

	if (k >= w->nkeys || kv_reply_decode(&rp, reply, len))
		goto mismatch;
	if (rp.status == KV_OK) {
		dups = kv_token_check(rp.data, rp.data_len, NULL);
		if (dups > 0)
			w->doubles += (uint64_t)dups;
		if (dups)	/* doubled, or not made of our tokens */
			goto mismatch;
	}
	if (w->unknown[k])	/* nothing to compare with */
		return 0;
	want = kv_get(&w->model, key, klen, &val, &size);
	if (rp.status != want || (want == KV_OK && (rp.data_len != size ||
						    memcmp(rp.data, val, size))))
		goto mismatch;
	return 0;
mismatch:
	w->mismatches++;
	return -1;
}

struct token {
	const char *p;
	size_t len;
};

static int token_cmp(const void *a, const void *b)
{
	const struct token *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->p, y->p, n);

	if (c)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

long kv_token_check(const char *val, size_t len, size_t *ntokens)
{
	struct token *t;
	size_t n = 0, i, start = 0;
	long dups = 0;

	if (ntokens)
		*ntokens = 0;
	if (!len)
		return 0;
	if (val[len - 1] != ';')
		return -1;
	/* At most one token per ';'; value sizes are bounded (KV_VALUE_MAX). */
	t = malloc(len * sizeof(*t));
	if (!t)
		return -1;
	for (i = 0; i < len; i++) {
		if (val[i] != ';')
			continue;
		if (i == start) {	/* an empty token */
			free(t);
			return -1;
		}
		t[n].p = val + start;
		t[n].len = i - start;
		n++;
		start = i + 1;
	}
	qsort(t, n, sizeof(*t), token_cmp);
	for (i = 1; i < n; i++)
		if (!token_cmp(&t[i - 1], &t[i]))
			dups++;
	free(t);
	if (ntokens)
		*ntokens = n;
	return dups;
}
