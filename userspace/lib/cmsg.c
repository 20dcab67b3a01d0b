// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * SOL_EORPC control messages: building them for sendmsg and parsing what
 * recvmsg returned. Pure functions over byte buffers; no system calls.
 *
 * The parser does not trust the buffer: it walks it with explicit bounds
 * (CMSG_NXTHDR alone does not check that a header's cmsg_len fits) and
 * reads every field with memcpy, so a misaligned or cut-off buffer is safe.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

/* Append one control message at @off; returns the new offset or 0. */
static size_t cmsg_put(unsigned char *buf, size_t cap, size_t off, int type,
		       const void *data, size_t len)
{
	struct cmsghdr h;

	if (off > cap || cap - off < CMSG_SPACE(len))
		return 0;
	memset(&h, 0, sizeof(h));
	h.cmsg_len = CMSG_LEN(len);
	h.cmsg_level = SOL_EORPC;
	h.cmsg_type = type;
	memcpy(buf + off, &h, sizeof(h));
	memcpy(buf + off + CMSG_LEN(0), data, len);
	return off + CMSG_SPACE(len);
}

size_t eorpc__cmsg_build_call(void *buf, size_t cap, uint64_t tag,
			      int with_deadline, uint32_t deadline_ms)
{
	size_t off;

	if (!buf)
		return 0;
	memset(buf, 0, cap);
	off = cmsg_put(buf, cap, 0, EORPC_CMSG_USER_TAG, &tag, sizeof(tag));
	if (off && with_deadline)
		off = cmsg_put(buf, cap, off, EORPC_CMSG_DEADLINE_MS,
			       &deadline_ms, sizeof(deadline_ms));
	return off;
}

size_t eorpc__cmsg_build_reply(void *buf, size_t cap, uint64_t call_id)
{
	if (!buf)
		return 0;
	memset(buf, 0, cap);
	return cmsg_put(buf, cap, 0, EORPC_CMSG_CALL_ID, &call_id,
			sizeof(call_id));
}

/* Payload size each known type must carry. */
static size_t type_size(int type)
{
	switch (type) {
	case EORPC_CMSG_USER_TAG:
	case EORPC_CMSG_CALL_ID:
	case EORPC_CMSG_REQUEST_ID:
		return sizeof(uint64_t);
	case EORPC_CMSG_DEADLINE_MS:
		return sizeof(uint32_t);
	case EORPC_CMSG_ERROR:
		return sizeof(int32_t);
	default:
		return 0;
	}
}

int eorpc__cmsg_parse(const void *control, size_t controllen, int msg_flags,
		      struct eorpc_cmsg_info *out)
{
	const unsigned char *p = control;
	int ctrunc = !!(msg_flags & MSG_CTRUNC);
	size_t off = 0;

	memset(out, 0, sizeof(*out));
	out->ctrunc = ctrunc;
	if (!p)
		controllen = 0;

	/* Fewer bytes than a header left over: padding, nothing to read. */
	while (controllen - off >= sizeof(struct cmsghdr)) {
		struct cmsghdr h;
		size_t want, dlen;
		const unsigned char *data;

		memcpy(&h, p + off, sizeof(h));
		if (h.cmsg_len < sizeof(struct cmsghdr)) {
			if (ctrunc)
				break;
			return -EPROTO;
		}
		if (h.cmsg_len > controllen - off) {
			if (ctrunc)	/* the kernel cut the last one off */
				break;
			return -EPROTO;
		}
		data = p + off + CMSG_LEN(0);
		dlen = h.cmsg_len - CMSG_LEN(0);

		if (h.cmsg_level == SOL_EORPC &&
		    (want = type_size(h.cmsg_type)) != 0) {
			unsigned int bit = EORPC_CMSG_HAVE(h.cmsg_type);

			if (dlen != want) {
				if (!ctrunc)
					return -EPROTO;
				out->ctrunc = 1;
				goto next;
			}
			if (out->have & bit)
				return -EPROTO;	/* duplicate */
			switch (h.cmsg_type) {
			case EORPC_CMSG_USER_TAG:
				memcpy(&out->tag, data, want);
				break;
			case EORPC_CMSG_DEADLINE_MS:
				memcpy(&out->deadline_ms, data, want);
				break;
			case EORPC_CMSG_CALL_ID:
				memcpy(&out->call_id, data, want);
				break;
			case EORPC_CMSG_REQUEST_ID:
				memcpy(&out->request_id, data, want);
				break;
			case EORPC_CMSG_ERROR:
				memcpy(&out->error, data, want);
				if (out->error <= 0)
					return -EPROTO;
				break;
			}
			out->have |= bit;
		}
next:
		/* CMSG_ALIGN(cmsg_len) may run past the end: then we stop. */
		if (CMSG_ALIGN(h.cmsg_len) > controllen - off)
			break;
		off += CMSG_ALIGN(h.cmsg_len);
	}
	return 0;
}
