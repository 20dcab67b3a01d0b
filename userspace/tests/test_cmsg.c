// SPDX-License-Identifier: LGPL-2.1-or-later
/* Control-message building and parsing, as pure functions. */
#include <stdlib.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "fake.h"
#include "internal.h"
#include "tap.h"

union cbuf {
	unsigned char b[512];
	struct cmsghdr align;
};

static void build(void)
{
	union cbuf c;
	struct eorpc_cmsg_info info;
	struct msghdr msg;
	struct cmsghdr *h;
	size_t len;
	uint64_t v;

	len = eorpc__cmsg_build_call(c.b, sizeof(c.b), 0x1122334455667788ull,
				     1, 1500);
	TAP_OK(len == CMSG_SPACE(8) + CMSG_SPACE(4),
	       "cmsg: call with deadline is TAG + DEADLINE (%zu bytes)", len);
	/* Read back with the libc macros, as the kernel would. */
	memset(&msg, 0, sizeof(msg));
	msg.msg_control = c.b;
	msg.msg_controllen = len;
	h = CMSG_FIRSTHDR(&msg);
	TAP_OK(h && h->cmsg_level == SOL_EORPC &&
	       h->cmsg_type == EORPC_CMSG_USER_TAG && h->cmsg_len == CMSG_LEN(8),
	       "cmsg: first is SOL_EORPC/USER_TAG of CMSG_LEN(8)");
	if (h) {
		memcpy(&v, CMSG_DATA(h), 8);
		TAP_OK(v == 0x1122334455667788ull, "cmsg: tag value in host order");
		h = CMSG_NXTHDR(&msg, h);
	}
	TAP_OK(h && h->cmsg_level == SOL_EORPC &&
	       h->cmsg_type == EORPC_CMSG_DEADLINE_MS &&
	       h->cmsg_len == CMSG_LEN(4) && *(uint32_t *)CMSG_DATA(h) == 1500,
	       "cmsg: second is DEADLINE_MS = 1500 (__u32)");
	TAP_OK(h && !CMSG_NXTHDR(&msg, h), "cmsg: nothing after the deadline");

	TAP_OK(eorpc__cmsg_parse(c.b, len, 0, &info) == 0 &&
	       info.have == (EORPC_CMSG_HAVE(EORPC_CMSG_USER_TAG) |
			     EORPC_CMSG_HAVE(EORPC_CMSG_DEADLINE_MS)) &&
	       info.tag == 0x1122334455667788ull && info.deadline_ms == 1500 &&
	       !info.ctrunc,
	       "cmsg: built call parses back");

	len = eorpc__cmsg_build_call(c.b, sizeof(c.b), 5, 0, 99);
	TAP_OK(len == CMSG_SPACE(8) && eorpc__cmsg_parse(c.b, len, 0, &info) == 0 &&
	       info.have == EORPC_CMSG_HAVE(EORPC_CMSG_USER_TAG) && info.tag == 5,
	       "cmsg: call without deadline has only the tag");

	len = eorpc__cmsg_build_call(c.b, sizeof(c.b), 5, 1, 0);
	TAP_OK(eorpc__cmsg_parse(c.b, len, 0, &info) == 0 &&
	       (info.have & EORPC_CMSG_HAVE(EORPC_CMSG_DEADLINE_MS)) &&
	       info.deadline_ms == 0,
	       "cmsg: deadline 0 (none) is sent explicitly");

	len = eorpc__cmsg_build_reply(c.b, sizeof(c.b), 0xfeedfacecafebeefull);
	TAP_OK(len == CMSG_SPACE(8) && eorpc__cmsg_parse(c.b, len, 0, &info) == 0 &&
	       info.have == EORPC_CMSG_HAVE(EORPC_CMSG_CALL_ID) &&
	       info.call_id == 0xfeedfacecafebeefull,
	       "cmsg: built reply is one CALL_ID");

	TAP_OK(eorpc__cmsg_build_call(c.b, CMSG_SPACE(8) + CMSG_SPACE(4) - 1,
				      1, 1, 1) == 0,
	       "cmsg: call build into a short buffer fails");
	TAP_OK(eorpc__cmsg_build_call(c.b, CMSG_SPACE(8), 1, 0, 0) == CMSG_SPACE(8),
	       "cmsg: call build into an exact buffer works");
	TAP_OK(eorpc__cmsg_build_reply(c.b, CMSG_SPACE(8) - 1, 1) == 0,
	       "cmsg: reply build into a short buffer fails");
	TAP_OK(CMSG_SPACE(8) * 5 <= EORPC_CMSG_BUFSZ,
	       "cmsg: EORPC_CMSG_BUFSZ holds every type");

	/* Padding between messages is zeroed (no stack garbage to the kernel). */
	memset(c.b, 0xee, sizeof(c.b));
	len = eorpc__cmsg_build_call(c.b, sizeof(c.b), 1, 1, 1);
	TAP_OK(c.b[CMSG_SPACE(8) + CMSG_LEN(4)] == 0 && c.b[len] == 0,
	       "cmsg: padding zeroed");
}

static size_t put(union cbuf *c, size_t off, int level, int type,
		  const void *data, size_t len)
{
	return cm_put(c->b, sizeof(c->b), off, level, type, data, len);
}

static void parse(void)
{
	struct eorpc_cmsg_info info;
	union cbuf c;
	uint64_t tag = 42, cid = 7, rid = 9;
	uint32_t u32 = 1;
	int32_t err = ETIMEDOUT, neg = -5, zero = 0;
	struct cmsghdr h;
	size_t off;

	memset(&c, 0, sizeof(c));
	TAP_OK(eorpc__cmsg_parse(NULL, 0, 0, &info) == 0 && info.have == 0,
	       "parse: no control buffer");
	TAP_OK(eorpc__cmsg_parse(c.b, sizeof(struct cmsghdr) - 1, 0, &info) == 0 &&
	       info.have == 0,
	       "parse: fewer bytes than a header are ignored");

	off = put(&c, 0, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 8);
	off = put(&c, off, SOL_EORPC, EORPC_CMSG_REQUEST_ID, &rid, 8);
	off = put(&c, off, SOL_EORPC, EORPC_CMSG_ERROR, &err, 4);
	off = put(&c, off, SOL_EORPC, EORPC_CMSG_CALL_ID, &cid, 8);
	TAP_OK(eorpc__cmsg_parse(c.b, off, 0, &info) == 0 &&
	       info.tag == 42 && info.request_id == 9 &&
	       info.error == ETIMEDOUT && info.call_id == 7 &&
	       info.have == (EORPC_CMSG_HAVE(1) | EORPC_CMSG_HAVE(3) |
			     EORPC_CMSG_HAVE(4) | EORPC_CMSG_HAVE(5)),
	       "parse: four messages, all values");

	/* Other levels and unknown SOL_EORPC types are skipped. */
	off = put(&c, 0, SOL_SOCKET, SO_TIMESTAMP, &tag, 8);
	off = put(&c, off, SOL_EORPC, 99, &tag, 3);
	off = put(&c, off, SOL_EORPC, 0, &tag, 8);
	off = put(&c, off, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 8);
	TAP_OK(eorpc__cmsg_parse(c.b, off, 0, &info) == 0 &&
	       info.have == EORPC_CMSG_HAVE(EORPC_CMSG_USER_TAG) && info.tag == 42,
	       "parse: foreign levels and unknown types skipped");

	/* USER_TAG at another level is not ours. */
	off = put(&c, 0, SOL_IP, EORPC_CMSG_USER_TAG, &tag, 8);
	TAP_OK(eorpc__cmsg_parse(c.b, off, 0, &info) == 0 && info.have == 0,
	       "parse: type 1 at SOL_IP is not a tag");

	/* Malformed: wrong payload size. */
	off = put(&c, 0, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 4);
	TAP_OK(eorpc__cmsg_parse(c.b, off, 0, &info) == -EPROTO,
	       "parse: 4-byte USER_TAG -> EPROTO");
	off = put(&c, 0, SOL_EORPC, EORPC_CMSG_ERROR, &tag, 8);
	TAP_OK(eorpc__cmsg_parse(c.b, off, 0, &info) == -EPROTO,
	       "parse: 8-byte ERROR -> EPROTO");
	off = put(&c, 0, SOL_EORPC, EORPC_CMSG_CALL_ID, &tag, 0);
	TAP_OK(eorpc__cmsg_parse(c.b, off, 0, &info) == -EPROTO,
	       "parse: empty CALL_ID -> EPROTO");
	/* Duplicates. */
	off = put(&c, 0, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 8);
	off = put(&c, off, SOL_EORPC, EORPC_CMSG_USER_TAG, &cid, 8);
	TAP_OK(eorpc__cmsg_parse(c.b, off, 0, &info) == -EPROTO,
	       "parse: two USER_TAGs -> EPROTO");
	/* Error values must be positive errnos. */
	off = put(&c, 0, SOL_EORPC, EORPC_CMSG_ERROR, &neg, 4);
	TAP_OK(eorpc__cmsg_parse(c.b, off, 0, &info) == -EPROTO,
	       "parse: negative ERROR -> EPROTO");
	off = put(&c, 0, SOL_EORPC, EORPC_CMSG_ERROR, &zero, 4);
	TAP_OK(eorpc__cmsg_parse(c.b, off, 0, &info) == -EPROTO,
	       "parse: zero ERROR -> EPROTO");
	(void)u32;

	/* cmsg_len smaller than a header. */
	memset(&h, 0, sizeof(h));
	h.cmsg_len = sizeof(h) - 1;
	h.cmsg_level = SOL_EORPC;
	h.cmsg_type = EORPC_CMSG_USER_TAG;
	memcpy(c.b, &h, sizeof(h));
	TAP_OK(eorpc__cmsg_parse(c.b, 64, 0, &info) == -EPROTO,
	       "parse: cmsg_len < header -> EPROTO");
	h.cmsg_len = 0;
	memcpy(c.b, &h, sizeof(h));
	TAP_OK(eorpc__cmsg_parse(c.b, 64, 0, &info) == -EPROTO,
	       "parse: cmsg_len 0 -> EPROTO (no endless loop)");
	/* cmsg_len past the end of the buffer. */
	off = put(&c, 0, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 8);
	TAP_OK(eorpc__cmsg_parse(c.b, CMSG_LEN(8) - 1, 0, &info) == -EPROTO,
	       "parse: message cut short without MSG_CTRUNC -> EPROTO");
	h.cmsg_len = 1u << 30;
	memcpy(c.b, &h, sizeof(h));
	TAP_OK(eorpc__cmsg_parse(c.b, 64, 0, &info) == -EPROTO,
	       "parse: huge cmsg_len -> EPROTO");

	/* Truncation reported by the kernel: damaged tail skipped. */
	off = put(&c, 0, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 8);
	off = put(&c, off, SOL_EORPC, EORPC_CMSG_REQUEST_ID, &rid, 8);
	TAP_OK(eorpc__cmsg_parse(c.b, off - 4, MSG_CTRUNC, &info) == 0 &&
	       info.have == EORPC_CMSG_HAVE(EORPC_CMSG_USER_TAG) &&
	       info.tag == 42 && info.ctrunc,
	       "parse: MSG_CTRUNC, last message cut: first kept, ctrunc set");
	/* The kernel's put_cmsg shrinks cmsg_len to what fit. */
	h.cmsg_len = CMSG_LEN(4);
	h.cmsg_level = SOL_EORPC;
	h.cmsg_type = EORPC_CMSG_REQUEST_ID;
	memcpy(c.b + CMSG_SPACE(8), &h, sizeof(h));
	TAP_OK(eorpc__cmsg_parse(c.b, CMSG_SPACE(8) + CMSG_LEN(4), MSG_CTRUNC,
				 &info) == 0 &&
	       info.have == EORPC_CMSG_HAVE(EORPC_CMSG_USER_TAG) && info.ctrunc,
	       "parse: MSG_CTRUNC with a shrunk cmsg_len: skipped");
	TAP_OK(eorpc__cmsg_parse(c.b, CMSG_SPACE(8) + CMSG_LEN(4), 0, &info) ==
	       -EPROTO,
	       "parse: same shrunk message without MSG_CTRUNC -> EPROTO");

	/* A misaligned copy of a valid buffer parses the same (memcpy reads). */
	{
		unsigned char *odd = malloc(off + 1);

		off = put(&c, 0, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 8);
		memcpy(odd + 1, c.b, off);
		TAP_OK(eorpc__cmsg_parse(odd + 1, off, 0, &info) == 0 &&
		       info.tag == 42,
		       "parse: misaligned buffer (UBSan would flag direct loads)");
		free(odd);
	}

	/* Every prefix of a valid buffer: never a crash, never a wrong value. */
	{
		size_t len, bad = 0;

		off = put(&c, 0, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 8);
		off = put(&c, off, SOL_EORPC, EORPC_CMSG_ERROR, &err, 4);
		off = put(&c, off, SOL_EORPC, EORPC_CMSG_REQUEST_ID, &rid, 8);
		for (len = 0; len <= off; len++) {
			unsigned char *cut = malloc(len ? len : 1);
			int rc;

			memcpy(cut, c.b, len);
			rc = eorpc__cmsg_parse(cut, len, MSG_CTRUNC, &info);
			if (rc != 0 ||
			    ((info.have & EORPC_CMSG_HAVE(1)) && info.tag != 42) ||
			    ((info.have & EORPC_CMSG_HAVE(5)) && info.error != ETIMEDOUT) ||
			    ((info.have & EORPC_CMSG_HAVE(4)) && info.request_id != 9))
				bad++;
			free(cut);
		}
		TAP_OK(bad == 0, "parse: all %zu truncations with MSG_CTRUNC sane",
		       off + 1);
	}
}

void suite_cmsg(void)
{
	build();
	parse();
}
