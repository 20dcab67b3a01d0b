/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The key-value protocol's messages (all integers big-endian):
 *
 *   request: u8 version (1) | u8 op | u16 key_len | u32 value_len
 *            | key | value
 *   reply:   u8 version (1) | u8 status | u16 0 | u32 size | u32 data_len
 *            | data
 *
 * op: 1 Get, 2 Put, 3 Append. A Get carries no value. The key is 1..64
 * printable ASCII bytes (so a key can always be shown). A message's length
 * is exactly its header plus the lengths it announces.
 *
 * status is enum kv_status. size: the key's value length after the
 * operation (0 unless the status is ok). data: the value for a Get that
 * succeeded, else empty.
 */
#ifndef EXAMPLES_KV_MSG_H
#define EXAMPLES_KV_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "kv_store.h"

enum {
	KV_VERSION = 1,
	KV_REQ_HDR = 8,
	KV_REP_HDR = 12,
	KV_REQ_MAX = KV_REQ_HDR + KV_KEY_MAX + KV_VALUE_MAX,
	KV_REP_MAX = KV_REP_HDR + KV_VALUE_MAX,
};

enum kv_op { KV_GET = 1, KV_PUT = 2, KV_APPEND = 3 };

/* Decoded messages point into the buffer they came from. */
struct kv_request {
	enum kv_op op;
	const char *key;
	size_t key_len;
	const char *value;
	size_t value_len;
};

struct kv_reply {
	enum kv_status status;
	uint32_t size;
	const char *data;
	size_t data_len;
};

/*
 * Encode into @buf (@cap bytes). Return: the length, or -1 with errno
 * EINVAL (a field the decoder would reject) or ENOBUFS (@cap too small).
 */
ssize_t kv_request_encode(const struct kv_request *rq, void *buf, size_t cap);
ssize_t kv_reply_encode(const struct kv_reply *rp, void *buf, size_t cap);

/*
 * Decode @len bytes. Return: 0, or -1 with errno EBADMSG (malformed) or
 * EPROTONOSUPPORT (another version).
 */
int kv_request_decode(struct kv_request *rq, const void *buf, size_t len);
int kv_reply_decode(struct kv_reply *rp, const void *buf, size_t len);

const char *kv_op_name(enum kv_op op);

#endif
