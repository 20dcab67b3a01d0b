// SPDX-License-Identifier: LGPL-2.1-or-later
#include <stdio.h>
#include <string.h>

#include "../kv/kv_msg.h"
#include "../kv/kv_service.h"
#include "tap.h"

static struct kv_store store;
static struct kv_counters count;
static unsigned char req[KV_REQ_MAX], rep[KV_REP_MAX];

/* Serve one operation; the decoded reply in *@rp. Return: 0 if it decodes. */
static int op(enum kv_op o, const char *key, const char *val,
	      struct kv_reply *rp)
{
	struct kv_request rq = { o, key, strlen(key), val,
				 val ? strlen(val) : 0 };
	ssize_t n = kv_request_encode(&rq, req, sizeof(req));
	size_t len;

	if (n < 0)
		return -1;
	len = kv_serve(&store, &count, req, (size_t)n, rep, sizeof(rep));
	return kv_reply_decode(rp, rep, len);
}

void suite_kv_service(void)
{
	struct kv_reply rp;
	size_t len;

	printf("# suite kv_service\n");
	kv_store_init(&store, 10);
	TAP_OK(!op(KV_GET, "k", NULL, &rp) && rp.status == KV_NOT_FOUND &&
	       !rp.size && !rp.data_len, "Get of a missing key: not found");
	TAP_OK(!op(KV_PUT, "k", "v1", &rp) && rp.status == KV_OK && rp.size == 2 &&
	       !rp.data_len, "Put: ok, the new size, no data");
	TAP_OK(!op(KV_APPEND, "k", "x", &rp) && rp.status == KV_OK && rp.size == 3,
	       "Append: ok, the new size");
	TAP_OK(!op(KV_GET, "k", NULL, &rp) && rp.status == KV_OK && rp.size == 3 &&
	       rp.data_len == 3 && !memcmp(rp.data, "v1x", 3),
	       "Get: the value");
	TAP_OK(count.get == 2 && count.put == 1 && count.append == 1 &&
	       !count.bad && !count.refused, "each operation counted once");

	len = kv_serve(&store, &count, "\x01\x09", 2, rep, sizeof(rep));
	TAP_OK(!kv_reply_decode(&rp, rep, len) && rp.status == KV_BAD_REQUEST &&
	       count.bad == 1, "a malformed request gets a bad-request reply");
	len = kv_serve(&store, &count, NULL, 0, rep, sizeof(rep));
	TAP_OK(!kv_reply_decode(&rp, rep, len) && rp.status == KV_BAD_REQUEST &&
	       count.bad == 2, "an empty request gets a bad-request reply");
	TAP_OK(!op(KV_GET, "k", NULL, &rp) && rp.data_len == 3,
	       "bad requests leave the store alone");
	kv_store_free(&store);

	kv_store_init(&store, 1);
	TAP_OK(!op(KV_PUT, "a", "1", &rp) && !op(KV_PUT, "b", "2", &rp) &&
	       rp.status == KV_FULL && count.refused == 1,
	       "a full store refuses a new key, counted as refused");
	kv_store_free(&store);
}
