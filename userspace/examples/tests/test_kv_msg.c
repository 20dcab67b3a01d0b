// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kv/kv_msg.h"
#include "tap.h"

static unsigned char buf[KV_REQ_MAX + 16], out[KV_REQ_MAX + 16];

static int req_fails(const void *p, size_t len, int err)
{
	struct kv_request rq;

	errno = 0;
	return kv_request_decode(&rq, p, len) == -1 && errno == err;
}

static int rep_fails(const void *p, size_t len, int err)
{
	struct kv_reply rp;

	errno = 0;
	return kv_reply_decode(&rp, p, len) == -1 && errno == err;
}

static int encode_fails(struct kv_request rq, size_t cap, int err)
{
	errno = 0;
	return kv_request_encode(&rq, buf, cap) == -1 && errno == err;
}

/* Every prefix of a valid message, and one byte more, is malformed. */
static int every_truncation_fails(int (*fails)(const void *, size_t, int),
				  size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!fails(buf, i, EBADMSG))
			return 0;
	return fails(buf, len + 1, EBADMSG);
}

/* Decoding random bytes never crashes; what decodes re-encodes the same. */
static void random_input(void)
{
	struct kv_request rq;
	struct kv_reply rp;
	int i, accepted = 0, same = 1;
	size_t len, j;
	ssize_t n;

	srand(5);
	for (i = 0; i < 20000; i++) {
		len = (size_t)rand() % 40;
		for (j = 0; j < len; j++)
			buf[j] = (unsigned char)rand();
		/* Half the time, a plausible header so decoding goes deeper. */
		if (len >= 12 && (i & 1)) {
			buf[0] = KV_VERSION;
			buf[1] = (unsigned char)(rand() % 5);
			buf[2] = buf[3] = buf[4] = buf[5] = buf[6] = 0;
			buf[3] = (unsigned char)(rand() % 6);
			buf[7] = (unsigned char)(len - 8 - buf[3]);
		}
		if (!kv_request_decode(&rq, buf, len)) {
			accepted++;
			n = kv_request_encode(&rq, out, sizeof(out));
			same &= n == (ssize_t)len && !memcmp(out, buf, len);
		}
		if (!kv_reply_decode(&rp, buf, len)) {
			n = kv_reply_encode(&rp, out, sizeof(out));
			same &= n == (ssize_t)len && !memcmp(out, buf, len);
		}
	}
	TAP_OK(accepted > 0 && same,
	       "random input: no crash; %d accepted requests re-encode identically",
	       accepted);
}

void suite_kv_msg(void)
{
	struct kv_request rq = { KV_PUT, "key", 3, "value", 5 }, d;
	struct kv_reply rp = { KV_OK, 9, "abc", 3 }, e;
	static char big[KV_VALUE_MAX + 1];
	ssize_t n;

	printf("# suite kv_msg\n");
	n = kv_request_encode(&rq, buf, sizeof(buf));
	TAP_OK(n == KV_REQ_HDR + 8 && buf[0] == KV_VERSION && buf[1] == KV_PUT &&
	       buf[3] == 3 && buf[7] == 5 && !memcmp(buf + 8, "keyvalue", 8),
	       "request layout: version, op, key_len, value_len, key, value");
	TAP_OK(!kv_request_decode(&d, buf, (size_t)n) && d.op == KV_PUT &&
	       d.key_len == 3 && !memcmp(d.key, "key", 3) && d.value_len == 5 &&
	       !memcmp(d.value, "value", 5), "request round trip");
	TAP_OK(every_truncation_fails(req_fails, (size_t)n),
	       "a request cut short or with a byte too many is EBADMSG");
	buf[0] = 2;
	TAP_OK(req_fails(buf, (size_t)n, EPROTONOSUPPORT),
	       "another version is EPROTONOSUPPORT");
	buf[0] = KV_VERSION;
	buf[1] = 0;
	TAP_OK(req_fails(buf, (size_t)n, EBADMSG), "op 0 is EBADMSG");
	buf[1] = 4;
	TAP_OK(req_fails(buf, (size_t)n, EBADMSG), "op 4 is EBADMSG");
	buf[1] = KV_GET;
	TAP_OK(req_fails(buf, (size_t)n, EBADMSG), "a Get with a value is EBADMSG");
	buf[1] = KV_PUT;
	buf[2] = buf[3] = 0xff;
	TAP_OK(req_fails(buf, (size_t)n, EBADMSG),
	       "a key_len past the end is EBADMSG");
	buf[2] = 0;
	buf[3] = 3;
	buf[4] = 0xff;
	TAP_OK(req_fails(buf, (size_t)n, EBADMSG),
	       "a huge value_len is EBADMSG (no wrap)");
	buf[4] = 0;
	buf[9] = ' ';
	TAP_OK(req_fails(buf, (size_t)n, EBADMSG), "a key with a space is EBADMSG");
	buf[9] = '\n';
	TAP_OK(req_fails(buf, (size_t)n, EBADMSG),
	       "a key with a control character is EBADMSG");

	rq.value = big;
	rq.value_len = KV_VALUE_MAX;
	memset(big, 'b', sizeof(big));
	n = kv_request_encode(&rq, buf, sizeof(buf));
	TAP_OK(n == KV_REQ_HDR + 3 + KV_VALUE_MAX && !kv_request_decode(&d, buf, (size_t)n),
	       "a KV_VALUE_MAX value encodes and decodes");
	buf[6] = (KV_VALUE_MAX + 1) >> 8;
	buf[7] = (KV_VALUE_MAX + 1) & 0xff;
	TAP_OK(req_fails(buf, (size_t)n + 1, EBADMSG),
	       "a value over KV_VALUE_MAX is EBADMSG");

	rq = (struct kv_request){ KV_GET, "k", 1, NULL, 0 };
	TAP_OK(kv_request_encode(&rq, buf, KV_REQ_HDR + 1) == KV_REQ_HDR + 1,
	       "a Get fits in exactly its length");
	TAP_OK(encode_fails(rq, KV_REQ_HDR, ENOBUFS),
	       "encoding into too small a buffer is ENOBUFS");
	rq.value = "v";
	rq.value_len = 1;
	TAP_OK(encode_fails(rq, sizeof(buf), EINVAL),
	       "encoding a Get with a value is EINVAL");
	rq = (struct kv_request){ KV_PUT, "", 0, "v", 1 };
	TAP_OK(encode_fails(rq, sizeof(buf), EINVAL), "encoding an empty key is EINVAL");
	rq = (struct kv_request){ (enum kv_op)9, "k", 1, "v", 1 };
	TAP_OK(encode_fails(rq, sizeof(buf), EINVAL), "encoding op 9 is EINVAL");
	rq = (struct kv_request){ KV_PUT, "k", 1, big, KV_VALUE_MAX + 1 };
	TAP_OK(encode_fails(rq, sizeof(buf), EINVAL),
	       "encoding a value over KV_VALUE_MAX is EINVAL");

	n = kv_reply_encode(&rp, buf, sizeof(buf));
	TAP_OK(n == KV_REP_HDR + 3 && !kv_reply_decode(&e, buf, (size_t)n) &&
	       e.status == KV_OK && e.size == 9 && e.data_len == 3 &&
	       !memcmp(e.data, "abc", 3), "reply round trip");
	TAP_OK(every_truncation_fails(rep_fails, (size_t)n),
	       "a reply cut short or with a byte too many is EBADMSG");
	buf[2] = 1;
	TAP_OK(rep_fails(buf, (size_t)n, EBADMSG), "reserved bits set is EBADMSG");
	buf[2] = 0;
	buf[1] = KV_STATUS_MAX + 1;
	TAP_OK(rep_fails(buf, (size_t)n, EBADMSG), "an unknown status is EBADMSG");
	buf[1] = KV_NOT_FOUND;
	TAP_OK(rep_fails(buf, (size_t)n, EBADMSG),
	       "a failure carrying a value is EBADMSG");
	buf[1] = KV_OK;
	buf[7] = 2;
	TAP_OK(rep_fails(buf, (size_t)n, EBADMSG),
	       "data longer than the value's size is EBADMSG");
	buf[0] = 0;
	TAP_OK(rep_fails(buf, (size_t)n, EPROTONOSUPPORT),
	       "a reply of another version is EPROTONOSUPPORT");
	rp = (struct kv_reply){ KV_TOO_BIG, 5, NULL, 0 };
	errno = 0;
	TAP_OK(kv_reply_encode(&rp, buf, sizeof(buf)) == -1 && errno == EINVAL,
	       "encoding a failure with a size is EINVAL");

	random_input();
	TAP_OK(!strcmp(kv_op_name(KV_APPEND), "append") &&
	       !strcmp(kv_op_name((enum kv_op)0), "unknown"), "op names");
}
