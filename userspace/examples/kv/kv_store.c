// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kv_store.h"

struct kv_entry {
	struct kv_entry *next;
	size_t klen, len, cap;
	char key[KV_KEY_MAX];
	char *val;
};

enum { BUCKETS = 1024 };

int kv_store_init(struct kv_store *s, size_t max_keys)
{
	memset(s, 0, sizeof(*s));
	if (!max_keys) {
		errno = EINVAL;
		return -1;
	}
	s->buckets = calloc(BUCKETS, sizeof(*s->buckets));
	if (!s->buckets)
		return -1;
	s->nbuckets = BUCKETS;
	s->max_keys = max_keys;
	return 0;
}

void kv_store_free(struct kv_store *s)
{
	struct kv_entry *e, *next;
	size_t i;

	for (i = 0; i < s->nbuckets; i++) {
		for (e = s->buckets[i]; e; e = next) {
			next = e->next;
			free(e->val);
			free(e);
		}
	}
	free(s->buckets);
	memset(s, 0, sizeof(*s));
}

/* FNV-1a: keys come from clients, but a slow chain only costs this client. */
static size_t bucket(const struct kv_store *s, const char *key, size_t klen)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < klen; i++)
		h = (h ^ (unsigned char)key[i]) * 16777619u;
	return h % s->nbuckets;
}

static struct kv_entry *find(const struct kv_store *s, const char *key,
			     size_t klen)
{
	struct kv_entry *e;

	for (e = s->buckets[bucket(s, key, klen)]; e; e = e->next)
		if (e->klen == klen && !memcmp(e->key, key, klen))
			return e;
	return NULL;
}

static int key_ok(const char *key, size_t klen)
{
	return key && klen >= 1 && klen <= KV_KEY_MAX;
}

enum kv_status kv_get(const struct kv_store *s, const char *key, size_t klen,
		      const char **val, size_t *len)
{
	struct kv_entry *e;

	if (!key_ok(key, klen))
		return KV_BAD_REQUEST;
	e = find(s, key, klen);
	if (!e)
		return KV_NOT_FOUND;
	*val = e->val ? e->val : "";	/* never NULL, even when empty */
	*len = e->len;
	return KV_OK;
}

/* Make room for @need bytes; doubling keeps a run of appends linear. */
static int reserve(struct kv_entry *e, size_t need)
{
	size_t cap = e->cap ? e->cap : 16;
	char *p;

	if (need <= e->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	if (cap > KV_VALUE_MAX)
		cap = KV_VALUE_MAX;
	p = realloc(e->val, cap);
	if (!p)
		return -1;
	e->val = p;
	e->cap = cap;
	return 0;
}

/* A new, unlinked entry for @key. */
static struct kv_entry *entry_new(const char *key, size_t klen)
{
	struct kv_entry *e = calloc(1, sizeof(*e));

	if (e) {
		memcpy(e->key, key, klen);
		e->klen = klen;
	}
	return e;
}

static void entry_link(struct kv_store *s, struct kv_entry *e)
{
	size_t b = bucket(s, e->key, e->klen);

	e->next = s->buckets[b];
	s->buckets[b] = e;
	s->count++;
}

static enum kv_status store(struct kv_store *s, const char *key, size_t klen,
			    const char *val, size_t vlen, size_t *len,
			    int append)
{
	struct kv_entry *e, *fresh = NULL;
	size_t at;

	if (!key_ok(key, klen) || (!val && vlen))
		return KV_BAD_REQUEST;
	if (vlen > KV_VALUE_MAX)
		return KV_TOO_BIG;
	/* Every check and allocation before any change: failure changes nothing. */
	e = find(s, key, klen);
	at = append && e ? e->len : 0;
	if (at + vlen > KV_VALUE_MAX)
		return KV_TOO_BIG;
	if (!e) {
		if (s->count >= s->max_keys)
			return KV_FULL;
		e = fresh = entry_new(key, klen);
		if (!e)
			return KV_NO_MEMORY;
	}
	if (reserve(e, at + vlen)) {
		free(fresh);
		return KV_NO_MEMORY;
	}
	if (fresh)
		entry_link(s, fresh);
	if (vlen)
		memcpy(e->val + at, val, vlen);
	e->len = at + vlen;
	*len = e->len;
	return KV_OK;
}

enum kv_status kv_put(struct kv_store *s, const char *key, size_t klen,
		      const char *val, size_t vlen, size_t *len)
{
	return store(s, key, klen, val, vlen, len, 0);
}

enum kv_status kv_append(struct kv_store *s, const char *key, size_t klen,
			 const char *val, size_t vlen, size_t *len)
{
	return store(s, key, klen, val, vlen, len, 1);
}

const char *kv_status_name(enum kv_status st)
{
	static const char *const names[] = {
		[KV_OK] = "ok",
		[KV_NOT_FOUND] = "not found",
		[KV_BAD_REQUEST] = "bad request",
		[KV_TOO_BIG] = "value too big",
		[KV_FULL] = "store full",
		[KV_NO_MEMORY] = "out of memory",
	};

	if ((unsigned int)st > KV_STATUS_MAX)
		return "unknown status";
	return names[st];
}

enum { REC_HDR = 5 };	/* key length (1) + value length (4) */

int kv_store_save(const struct kv_store *s, void **buf, size_t *len)
{
	const struct kv_entry *e;
	unsigned char *p, *out;
	size_t i, total = 0;

	for (i = 0; i < s->nbuckets; i++)
		for (e = s->buckets[i]; e; e = e->next)
			total += REC_HDR + e->klen + e->len;
	*buf = NULL;
	*len = total;
	if (!total)
		return 0;
	out = p = malloc(total);
	if (!out)
		return -1;
	for (i = 0; i < s->nbuckets; i++) {
		for (e = s->buckets[i]; e; e = e->next) {
			*p++ = (unsigned char)e->klen;
			p[0] = e->len & 0xff;
			p[1] = (e->len >> 8) & 0xff;
			p[2] = (e->len >> 16) & 0xff;
			p[3] = (e->len >> 24) & 0xff;
			p += 4;
			memcpy(p, e->key, e->klen);
			p += e->klen;
			if (e->len)
				memcpy(p, e->val, e->len);
			p += e->len;
		}
	}
	*buf = out;
	return 0;
}

int kv_store_load(struct kv_store *s, const void *buf, size_t len)
{
	const unsigned char *p = buf, *end = p + len;
	size_t klen, vlen, got;

	while (p < end) {
		if ((size_t)(end - p) < REC_HDR) {
			errno = EINVAL;
			return -1;
		}
		klen = p[0];
		vlen = p[1] | (size_t)p[2] << 8 | (size_t)p[3] << 16 |
		       (size_t)p[4] << 24;
		p += REC_HDR;
		if ((size_t)(end - p) < klen + vlen) {
			errno = EINVAL;
			return -1;
		}
		switch (kv_put(s, (const char *)p, klen, (const char *)p + klen,
			       vlen, &got)) {
		case KV_OK:
			break;
		case KV_FULL:
			errno = ENOSPC;
			return -1;
		case KV_NO_MEMORY:
			errno = ENOMEM;
			return -1;
		default:	/* bad key or value length */
			errno = EINVAL;
			return -1;
		}
		p += klen + vlen;
	}
	return 0;
}
