/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The key-value store itself: a hash table of byte-string keys to
 * byte-string values. Pure application logic; it has never heard of a
 * network, a retry or a duplicate. The client uses the same store as its
 * local model of what the server must hold.
 */
#ifndef EXAMPLES_KV_STORE_H
#define EXAMPLES_KV_STORE_H

#include <stddef.h>

enum {
	KV_KEY_MAX = 64,	/* bytes in a key */
	KV_VALUE_MAX = 60000,	/* bytes in a value: a Get reply fits in
				 * one EORPC_MAX_PAYLOAD message */
	KV_KEYS_DEFAULT = 65536,
};

/* Outcomes; also the status byte of a reply on the wire. */
enum kv_status {
	KV_OK = 0,
	KV_NOT_FOUND = 1,
	KV_BAD_REQUEST = 2,	/* malformed request */
	KV_TOO_BIG = 3,		/* the value would exceed KV_VALUE_MAX */
	KV_FULL = 4,		/* no room for another key */
	KV_NO_MEMORY = 5,
	KV_STATUS_MAX = KV_NO_MEMORY,
};

struct kv_entry;

struct kv_store {
	struct kv_entry **buckets;
	size_t nbuckets;
	size_t count;
	size_t max_keys;
};

/* Return: 0, or -1 with errno ENOMEM (EINVAL if @max_keys is 0). */
int kv_store_init(struct kv_store *s, size_t max_keys);
void kv_store_free(struct kv_store *s);

/*
 * Keys are 1..KV_KEY_MAX bytes, values 0..KV_VALUE_MAX; other lengths give
 * KV_BAD_REQUEST (key) or KV_TOO_BIG (value). On success *@len is the
 * key's value length afterwards; on failure the store is unchanged.
 */
enum kv_status kv_get(const struct kv_store *s, const char *key, size_t klen,
		      const char **val, size_t *len);
enum kv_status kv_put(struct kv_store *s, const char *key, size_t klen,
		      const char *val, size_t vlen, size_t *len);
/* Append to a missing key creates it, as Put would. */
enum kv_status kv_append(struct kv_store *s, const char *key, size_t klen,
			 const char *val, size_t vlen, size_t *len);

const char *kv_status_name(enum kv_status st);

/*
 * The whole store as bytes, for a successor process (zero-downtime
 * restart): per key, its length (1 byte), its value's length (4 bytes,
 * little endian), the key, the value. Return: a malloc'd buffer in *@buf
 * (NULL for an empty store) and its length in *@len; 0, or -1 with ENOMEM.
 */
int kv_store_save(const struct kv_store *s, void **buf, size_t *len);

/*
 * Put every key of a kv_store_save() image into @s (normally empty).
 * Return: 0, or -1 with errno EINVAL (malformed image), ENOSPC (more keys
 * than @s allows) or ENOMEM; @s may then hold part of the image.
 */
int kv_store_load(struct kv_store *s, const void *buf, size_t len);

#endif
