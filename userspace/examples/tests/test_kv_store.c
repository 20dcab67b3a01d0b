// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kv/kv_store.h"
#include "tap.h"

static char big[KV_VALUE_MAX + 1];

static int value_is(struct kv_store *s, const char *key, const char *want)
{
	const char *v;
	size_t len;

	return kv_get(s, key, strlen(key), &v, &len) == KV_OK &&
	       len == strlen(want) && !memcmp(v, want, len);
}

/* Every key of @a is in @b with the same value, and they count the same. */
static int same_store(struct kv_store *a, struct kv_store *b)
{
	char key[16];
	const char *va, *vb;
	size_t la, lb;
	int i;

	if (a->count != b->count)
		return 0;
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		if (kv_get(a, key, strlen(key), &va, &la) != KV_OK ||
		    kv_get(b, key, strlen(key), &vb, &lb) != KV_OK ||
		    la != lb || memcmp(va, vb, la))
			return 0;
	}
	return kv_get(b, "x", 1, &vb, &lb) == KV_OK && lb == KV_VALUE_MAX - 1 &&
	       kv_get(b, "a\0b", 3, &vb, &lb) == KV_OK && lb == 1 && *vb == '1';
}

/* The image a server hands its successor (zero-downtime restart). */
static void save_load(struct kv_store *s)
{
	struct kv_store t, small;
	void *buf = NULL;
	size_t len = 0;

	TAP_OK(kv_store_save(s, &buf, &len) == 0 && buf && len > 0,
	       "save: the store as one buffer");
	TAP_OK(kv_store_init(&t, 100000) == 0 && kv_store_load(&t, buf, len) == 0 &&
	       same_store(s, &t), "load: the same keys and values, byte for byte");
	kv_store_free(&t);
	kv_store_init(&t, 100000);
	errno = 0;
	TAP_OK(kv_store_load(&t, buf, len - 1) == -1 && errno == EINVAL,
	       "load: a cut image is EINVAL");
	kv_store_free(&t);
	kv_store_init(&small, 10);
	errno = 0;
	TAP_OK(kv_store_load(&small, buf, len) == -1 && errno == ENOSPC,
	       "load: more keys than the store allows is ENOSPC");
	kv_store_free(&small);
	free(buf);
	kv_store_init(&t, 1);
	TAP_OK(kv_store_save(&t, &buf, &len) == 0 && !buf && len == 0 &&
	       kv_store_load(&t, NULL, 0) == 0 && t.count == 0,
	       "save and load of an empty store");
	kv_store_free(&t);
}

void suite_kv_store(void)
{
	struct kv_store s;
	char key[KV_KEY_MAX + 2];
	const char *v;
	size_t len = 99;
	int i, all;

	printf("# suite kv_store\n");
	errno = 0;
	TAP_OK(kv_store_init(&s, 0) == -1 && errno == EINVAL,
	       "init with room for no key is EINVAL");
	TAP_OK(kv_store_init(&s, 3) == 0, "init");
	TAP_OK(kv_get(&s, "a", 1, &v, &len) == KV_NOT_FOUND,
	       "get of a missing key is not found");
	TAP_OK(kv_put(&s, "a", 1, "xy", 2, &len) == KV_OK && len == 2,
	       "put returns the new length");
	TAP_OK(value_is(&s, "a", "xy"), "get returns what put stored");
	TAP_OK(kv_append(&s, "a", 1, "z", 1, &len) == KV_OK && len == 3 &&
	       value_is(&s, "a", "xyz"), "append adds at the end");
	TAP_OK(kv_put(&s, "a", 1, "q", 1, &len) == KV_OK && len == 1 &&
	       value_is(&s, "a", "q"), "put replaces the value");
	TAP_OK(kv_append(&s, "b", 1, "new", 3, &len) == KV_OK && len == 3 &&
	       value_is(&s, "b", "new"), "append to a missing key creates it");
	TAP_OK(kv_put(&s, "c", 1, "", 0, &len) == KV_OK && len == 0 &&
	       value_is(&s, "c", ""), "an empty value is a value");
	TAP_OK(kv_put(&s, "d", 1, "v", 1, &len) == KV_FULL,
	       "a key beyond max_keys is refused (full)");
	TAP_OK(kv_get(&s, "d", 1, &v, &len) == KV_NOT_FOUND,
	       "the refused key was not created");
	TAP_OK(kv_append(&s, "a", 1, "r", 1, &len) == KV_OK,
	       "existing keys still change when full");

	TAP_OK(kv_get(&s, "", 0, &v, &len) == KV_BAD_REQUEST,
	       "an empty key is a bad request");
	memset(key, 'k', sizeof(key));
	TAP_OK(kv_put(&s, key, KV_KEY_MAX + 1, "v", 1, &len) == KV_BAD_REQUEST,
	       "a key over KV_KEY_MAX is a bad request");
	TAP_OK(kv_put(&s, "a", 1, NULL, 5, &len) == KV_BAD_REQUEST,
	       "a NULL value with a length is a bad request");
	kv_store_free(&s);

	TAP_OK(kv_store_init(&s, 100000) == 0, "init a large store");
	memset(big, 'v', sizeof(big));
	TAP_OK(kv_put(&s, key, KV_KEY_MAX, big, KV_VALUE_MAX, &len) == KV_OK &&
	       len == KV_VALUE_MAX, "a KV_KEY_MAX key with a KV_VALUE_MAX value");
	TAP_OK(kv_put(&s, "x", 1, big, KV_VALUE_MAX + 1, &len) == KV_TOO_BIG,
	       "a value over KV_VALUE_MAX is too big");
	TAP_OK(kv_put(&s, "x", 1, big, KV_VALUE_MAX - 1, &len) == KV_OK &&
	       kv_append(&s, "x", 1, "ab", 2, &len) == KV_TOO_BIG,
	       "an append past KV_VALUE_MAX is too big");
	TAP_OK(kv_get(&s, "x", 1, &v, &len) == KV_OK && len == KV_VALUE_MAX - 1,
	       "a refused append leaves the value as it was");
	TAP_OK(kv_put(&s, "a\0b", 3, "1", 1, &len) == KV_OK &&
	       kv_put(&s, "a\0c", 3, "2", 1, &len) == KV_OK &&
	       kv_get(&s, "a\0b", 3, &v, &len) == KV_OK && len == 1 && *v == '1',
	       "keys are compared as bytes, past a NUL");
	all = 1;
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		if (kv_append(&s, key, strlen(key), key, strlen(key), &len))
			all = 0;
	}
	for (i = 0; i < 5000 && all; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		all = value_is(&s, key, key);
	}
	TAP_OK(all, "5000 keys (chains longer than the buckets) all found");
	TAP_OK(s.count == 5000 + 4, "the store counts its keys");
	save_load(&s);
	kv_store_free(&s);

	TAP_OK(strcmp(kv_status_name(KV_TOO_BIG), "value too big") == 0 &&
	       strcmp(kv_status_name((enum kv_status)77), "unknown status") == 0,
	       "status names, and a name for an unknown status");
}
