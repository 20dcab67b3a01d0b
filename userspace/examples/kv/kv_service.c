// SPDX-License-Identifier: LGPL-2.1-or-later
#include <stdlib.h>

#include "kv_msg.h"
#include "kv_service.h"

static size_t encode(const struct kv_reply *rp, void *rep, size_t cap)
{
	ssize_t n = kv_reply_encode(rp, rep, cap);

	/* Only a buffer under KV_REP_MAX fails: a caller bug, not input. */
	if (n < 0)
		abort();
	return (size_t)n;
}

size_t kv_serve(struct kv_store *s, struct kv_counters *c, const void *req,
		size_t len, void *rep, size_t cap)
{
	struct kv_reply rp = { .status = KV_OK };
	struct kv_request rq;
	size_t size = 0;

	if (kv_request_decode(&rq, req, len)) {
		c->bad++;
		rp.status = KV_BAD_REQUEST;
		return encode(&rp, rep, cap);
	}
	switch (rq.op) {
	case KV_GET:
		c->get++;
		rp.status = kv_get(s, rq.key, rq.key_len, &rp.data, &size);
		if (rp.status == KV_OK)
			rp.data_len = size;
		break;
	case KV_PUT:
		c->put++;
		rp.status = kv_put(s, rq.key, rq.key_len, rq.value,
				   rq.value_len, &size);
		break;
	case KV_APPEND:
		c->append++;
		rp.status = kv_append(s, rq.key, rq.key_len, rq.value,
				      rq.value_len, &size);
		break;
	}
	if (rp.status == KV_OK)
		rp.size = (uint32_t)size;
	else if (rp.status != KV_NOT_FOUND)
		c->refused++;
	return encode(&rp, rep, cap);
}
