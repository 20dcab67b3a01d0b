// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <string.h>

#include "../common/wire.h"
#include "kv_msg.h"

static int key_valid(const char *key, size_t len)
{
	size_t i;

	if (!key || len < 1 || len > KV_KEY_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (key[i] < 0x21 || key[i] > 0x7e)
			return 0;
	return 1;
}

/* The checks a decoded request passes; the encoder refuses the rest. */
static int request_valid(const struct kv_request *rq)
{
	if (rq->op != KV_GET && rq->op != KV_PUT && rq->op != KV_APPEND)
		return 0;
	if (!key_valid(rq->key, rq->key_len))
		return 0;
	if (rq->value_len > KV_VALUE_MAX || (!rq->value && rq->value_len))
		return 0;
	return rq->op != KV_GET || !rq->value_len;
}

static int reply_valid(const struct kv_reply *rp)
{
	if ((unsigned int)rp->status > KV_STATUS_MAX)
		return 0;
	if (rp->size > KV_VALUE_MAX || rp->data_len > rp->size)
		return 0;
	if (!rp->data && rp->data_len)
		return 0;
	return rp->status == KV_OK || !rp->size;
}

ssize_t kv_request_encode(const struct kv_request *rq, void *buf, size_t cap)
{
	unsigned char *p = buf;
	size_t len;

	if (!request_valid(rq)) {
		errno = EINVAL;
		return -1;
	}
	len = KV_REQ_HDR + rq->key_len + rq->value_len;
	if (len > cap) {
		errno = ENOBUFS;
		return -1;
	}
	p[0] = KV_VERSION;
	p[1] = (unsigned char)rq->op;
	put_u16(p + 2, (uint16_t)rq->key_len);
	put_u32(p + 4, (uint32_t)rq->value_len);
	memcpy(p + KV_REQ_HDR, rq->key, rq->key_len);
	if (rq->value_len)
		memcpy(p + KV_REQ_HDR + rq->key_len, rq->value, rq->value_len);
	return (ssize_t)len;
}

int kv_request_decode(struct kv_request *rq, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	struct kv_request r;

	if (len < KV_REQ_HDR)
		goto bad;
	if (p[0] != KV_VERSION) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	r.op = (enum kv_op)p[1];
	r.key_len = get_u16(p + 2);
	r.value_len = get_u32(p + 4);
	/* Compared one at a time: the sum could wrap on a 32-bit size_t. */
	if (r.key_len > len - KV_REQ_HDR ||
	    r.value_len != len - KV_REQ_HDR - r.key_len)
		goto bad;
	r.key = (const char *)p + KV_REQ_HDR;
	r.value = r.key + r.key_len;
	if (!request_valid(&r))
		goto bad;
	*rq = r;
	return 0;
bad:
	errno = EBADMSG;
	return -1;
}

ssize_t kv_reply_encode(const struct kv_reply *rp, void *buf, size_t cap)
{
	unsigned char *p = buf;
	size_t len;

	if (!reply_valid(rp)) {
		errno = EINVAL;
		return -1;
	}
	len = KV_REP_HDR + rp->data_len;
	if (len > cap) {
		errno = ENOBUFS;
		return -1;
	}
	p[0] = KV_VERSION;
	p[1] = (unsigned char)rp->status;
	put_u16(p + 2, 0);
	put_u32(p + 4, rp->size);
	put_u32(p + 8, (uint32_t)rp->data_len);
	if (rp->data_len)
		memcpy(p + KV_REP_HDR, rp->data, rp->data_len);
	return (ssize_t)len;
}

int kv_reply_decode(struct kv_reply *rp, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	struct kv_reply r;

	if (len < KV_REP_HDR)
		goto bad;
	if (p[0] != KV_VERSION) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	if (get_u16(p + 2))
		goto bad;
	r.status = (enum kv_status)p[1];
	r.size = get_u32(p + 4);
	r.data_len = get_u32(p + 8);
	r.data = (const char *)p + KV_REP_HDR;
	if (r.data_len != len - KV_REP_HDR || !reply_valid(&r))
		goto bad;
	*rp = r;
	return 0;
bad:
	errno = EBADMSG;
	return -1;
}

const char *kv_op_name(enum kv_op op)
{
	switch (op) {
	case KV_GET:
		return "get";
	case KV_PUT:
		return "put";
	case KV_APPEND:
		return "append";
	}
	return "unknown";
}
