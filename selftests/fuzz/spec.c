// SPDX-License-Identifier: GPL-2.0
/*
 * The documented wire rules as a table, read straight from the datagram's
 * bytes at the offsets PROTOCOL.md gives (not through struct eorpc_wire_hdr),
 * so a layout mistake in wire.h shows up as a disagreement too.
 */
#include <assert.h>
#include <stdbool.h>

#include <linux/eorpc.h>

#include "wire_env.h"
#include "wire.h"
#include "spec.h"

/* Numbers PROTOCOL.md states; the header must agree with the document. */
enum {
	HDR_LEN = 56,
	FRAG_DATA = 1344,
	MAX_MSG = 1 << 20,
	WELCOME_LEN = 8,	/* window, session_timeout_ms: two be32 */
	COOKIE_LEN = 16,	/* the cookie of HELLO and COOKIE */
};
static_assert((int)EORPC_WIRE_HDR_LEN == HDR_LEN, "header length");
static_assert(sizeof(struct eorpc_wire_hdr) == HDR_LEN, "header layout");
static_assert((int)EORPC_FRAG_DATA == FRAG_DATA, "fragment size");
static_assert((int)EORPC_WIRE_MAX_MSG == MAX_MSG, "message size");
/* What a user may send (uapi) must be what a receiver accepts. */
static_assert((int)EORPC_WIRE_MAX_MSG == EORPC_MAX_MSG_LEN, "uapi message size");
static_assert(sizeof(struct eorpc_wire_welcome) == WELCOME_LEN, "WELCOME data");
static_assert(sizeof(struct eorpc_wire_cookie) == COOKIE_LEN, "cookie data");

/* What a header field must be, per packet type. */
enum need { ANY, ZERO, NONZERO, BELOW_ID };

struct rule {
	bool known;
	enum need server_epoch;
	enum need session_id;
	enum need request_id;
	enum need ack;
	int data_len;		/* exact data bytes; -1: a message fragment;
				 * -2: a bitmap of a message's fragments */
	bool close_ok;		/* EORPC_F_CLOSE allowed */
	bool ack_now_ok;	/* EORPC_F_ACK_NOW allowed: message fragments */
};

/*
 * One row per type. "0 in HELLO", "0 only in HELLO" (server_epoch,
 * session_id), "request_id ... 0 in HELLO/WELCOME/ACK" come from the header
 * table; an ERROR may answer a HELLO, so its session and request are free;
 * a request cannot be one the client already calls finished (ack < id);
 * COOKIE echoes HELLO's fields under the server's epoch (issue 4 contract).
 */
static const struct rule rules[] = {
	[EORPC_PKT_HELLO] = { true, ZERO, ZERO, ZERO, ZERO, COOKIE_LEN, false, false },
	[EORPC_PKT_WELCOME] = { true, NONZERO, NONZERO, ZERO, ANY, WELCOME_LEN, false, false },
	[EORPC_PKT_REQUEST] = { true, NONZERO, NONZERO, NONZERO, BELOW_ID, -1, false, true },
	[EORPC_PKT_REPLY] = { true, NONZERO, NONZERO, NONZERO, BELOW_ID, -1, false, true },
	[EORPC_PKT_BUSY] = { true, NONZERO, NONZERO, NONZERO, BELOW_ID, 0, false, false },
	[EORPC_PKT_ACK] = { true, NONZERO, NONZERO, ZERO, ANY, 0, true, false },
	[EORPC_PKT_ERROR] = { true, NONZERO, ANY, ANY, ANY, 0, false, false },
	[EORPC_PKT_COOKIE] = { true, NONZERO, ZERO, ZERO, ZERO, COOKIE_LEN, false, false },
	/* NEED names a request of a session, as BUSY does. */
	[EORPC_PKT_NEED_REQUEST] = { true, NONZERO, NONZERO, NONZERO, BELOW_ID, -2, false, false },
	[EORPC_PKT_NEED_REPLY] = { true, NONZERO, NONZERO, NONZERO, BELOW_ID, -2, false, false },
};
static const size_t n_rules = sizeof(rules) / sizeof(rules[0]);

static uint64_t be(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | *p++;
	return v;
}

static bool meets(enum need n, uint64_t v, uint64_t request_id)
{
	switch (n) {
	case ZERO:
		return v == 0;
	case NONZERO:
		return v != 0;
	case BELOW_ID:
		return v < request_id;
	default:
		return true;
	}
}

int spec_type_unknown_to_harness(uint8_t type)
{
	return type >= 1 && type <= EORPC_PKT_TYPE_MAX &&
	       (type >= n_rules || !rules[type].known);
}

/* The rules of the verdict LEN_BAD: sizes against the datagram's length. */
static bool lengths_ok(const struct rule *r, uint32_t frag, uint64_t msg_len,
		       uint64_t data_len)
{
	uint64_t nfrags, off;

	if (r->data_len >= 0)
		return frag == 0 && msg_len == 0 && data_len == (uint64_t)r->data_len;
	if (msg_len > MAX_MSG)
		return false;
	/* An empty message is one empty fragment. */
	nfrags = msg_len ? (msg_len + FRAG_DATA - 1) / FRAG_DATA : 1;
	/* One bit a fragment, of a message of two fragments or more. */
	if (r->data_len == -2)
		return frag == 0 && nfrags > 1 && data_len == (nfrags + 7) / 8;
	if (frag >= nfrags)
		return false;
	off = (uint64_t)frag * FRAG_DATA;
	return data_len == (msg_len - off < FRAG_DATA ? msg_len - off : FRAG_DATA);
}

unsigned int spec_reasons(const uint8_t *buf, size_t len)
{
	uint8_t type, flags, code;
	uint64_t request_id;
	const struct rule *r;
	unsigned int why = 0;

	if (len < HDR_LEN)
		return 1u << EORPC_WIRE_SHORT;
	/* Nothing else means anything under another version. */
	if (buf[0] != EORPC_WIRE_VERSION)
		return 1u << EORPC_WIRE_VERSION_BAD;
	type = buf[1];
	if (type >= n_rules || !rules[type].known)
		return 1u << EORPC_WIRE_TYPE_BAD;
	r = &rules[type];
	flags = buf[2];
	code = buf[3];
	request_id = be(buf + 40, 8);

	if (be(buf + 6, 2) || be(buf + 12, 4))		/* reserved fields */
		why |= 1u << EORPC_WIRE_FIELD_BAD;
	if (flags & ~(EORPC_F_RETRANS | EORPC_F_CLOSE | EORPC_F_ACK_NOW))
		why |= 1u << EORPC_WIRE_FIELD_BAD;
	if ((flags & EORPC_F_CLOSE) && !r->close_ok)
		why |= 1u << EORPC_WIRE_FIELD_BAD;
	if ((flags & EORPC_F_ACK_NOW) && !r->ack_now_ok)
		why |= 1u << EORPC_WIRE_FIELD_BAD;
	/* code: an ERROR's reason, else 0. */
	if (type == EORPC_PKT_ERROR ? code < 1 || code > EORPC_WERR_MAX : code != 0)
		why |= 1u << EORPC_WIRE_FIELD_BAD;
	if (be(buf + 16, 8) == 0)			/* client_epoch: never 0 */
		why |= 1u << EORPC_WIRE_FIELD_BAD;
	if (!meets(r->server_epoch, be(buf + 24, 8), request_id) ||
	    !meets(r->session_id, be(buf + 32, 8), request_id) ||
	    !meets(r->request_id, request_id, request_id) ||
	    !meets(r->ack, be(buf + 48, 8), request_id))
		why |= 1u << EORPC_WIRE_FIELD_BAD;

	if (!lengths_ok(r, be(buf + 4, 2), be(buf + 8, 4), len - HDR_LEN))
		why |= 1u << EORPC_WIRE_LEN_BAD;
	return why;
}
