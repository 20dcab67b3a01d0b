// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the fuzzer's seed corpus: one valid datagram of every packet type
 * and edge cases that each break exactly one documented rule. Headers come
 * from eorpc_wire_encode(), so the seeds follow the format as it is; fields
 * the encoder cannot express (reserved, version) are patched afterwards.
 * A file is named "<expected verdict>-<case>", which `replay` checks.
 *
 *   gen_seeds DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "wire_env.h"
#include "wire.h"

static const char *dir;
static int failed;

/* A datagram being built: header from the encoder, then the data. */
struct dgram {
	u8 buf[EORPC_WIRE_HDR_LEN + 2 * EORPC_FRAG_DATA];
	u32 len;
};

static void emit(const char *name, const struct dgram *d)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(d->buf, 1, d->len, f) != d->len || fclose(f)) {
		fprintf(stderr, "gen_seeds: %s: %s\n", path, strerror(errno));
		failed = 1;
	}
}

/* Header for @p and @data_len bytes of a pattern (so mutations have material). */
static struct dgram build(const struct eorpc_pkt *p, u32 data_len)
{
	struct dgram d;
	u32 i;

	if (data_len > sizeof(d.buf) - EORPC_WIRE_HDR_LEN)
		abort();
	eorpc_wire_encode(p, (struct eorpc_wire_hdr *)d.buf);
	for (i = 0; i < data_len; i++)
		d.buf[EORPC_WIRE_HDR_LEN + i] = (u8)(i * 7 + 1);
	d.len = EORPC_WIRE_HDR_LEN + data_len;
	return d;
}

static void put(const char *name, const struct eorpc_pkt *p, u32 data_len)
{
	struct dgram d = build(p, data_len);

	emit(name, &d);
}

/* Fixed, recognisable ids: the seeds must be the same on every run. */
static struct eorpc_pkt pkt(u8 type)
{
	struct eorpc_pkt p = {
		.type = type,
		.client_epoch = 0x0123456789abcdefULL,
		.server_epoch = 0x1122334455667788ULL,
		.session_id = 0x0f0e0d0c0b0a0908ULL,
	};
	return p;
}

static struct eorpc_pkt hello(void)
{
	struct eorpc_pkt p = pkt(EORPC_PKT_HELLO);

	p.server_epoch = 0;
	p.session_id = 0;
	return p;
}

static struct eorpc_pkt message(u8 type, u32 msg_len, u16 frag)
{
	struct eorpc_pkt p = pkt(type);

	p.msg_len = msg_len;
	p.frag = frag;
	p.request_id = 5;
	p.ack = 3;
	return p;
}

static void valid(void)
{
	struct eorpc_pkt p;
	struct dgram d;
	int code;

	p = hello();
	d = build(&p, EORPC_COOKIE_LEN);
	memset(d.buf + EORPC_WIRE_HDR_LEN, 0, EORPC_COOKIE_LEN); /* no cookie yet */
	emit("ok-hello", &d);
	put("ok-hello-with-cookie", &p, EORPC_COOKIE_LEN);
	p.flags = EORPC_F_RETRANS;
	put("ok-hello-retransmitted", &p, EORPC_COOKIE_LEN);

	p = pkt(EORPC_PKT_COOKIE);
	p.session_id = 0;
	put("ok-cookie", &p, EORPC_COOKIE_LEN);

	p = pkt(EORPC_PKT_WELCOME);
	d = build(&p, sizeof(struct eorpc_wire_welcome));
	((struct eorpc_wire_welcome *)(d.buf + EORPC_WIRE_HDR_LEN))->window =
		cpu_to_be32(EORPC_MAX_WINDOW);
	((struct eorpc_wire_welcome *)(d.buf + EORPC_WIRE_HDR_LEN))->session_timeout_ms =
		cpu_to_be32(30000);
	emit("ok-welcome", &d);

	p = message(EORPC_PKT_REQUEST, 0, 0);
	put("ok-request-empty", &p, 0);
	p = message(EORPC_PKT_REQUEST, 100, 0);
	put("ok-request-small", &p, 100);
	p.flags = EORPC_F_RETRANS;
	put("ok-request-retransmitted", &p, 100);
	p = message(EORPC_PKT_REQUEST, EORPC_FRAG_DATA, 0);
	put("ok-request-one-full-fragment", &p, EORPC_FRAG_DATA);
	p = message(EORPC_PKT_REQUEST, EORPC_FRAG_DATA + 1, 1);
	put("ok-request-second-fragment-1-byte", &p, 1);
	p = message(EORPC_PKT_REQUEST, EORPC_WIRE_MAX_MSG, 0);
	put("ok-request-largest-first-fragment", &p, EORPC_FRAG_DATA);
	p.frag = EORPC_MAX_FRAGS - 1;
	put("ok-request-largest-last-fragment", &p,
	    eorpc_frag_len(EORPC_WIRE_MAX_MSG, EORPC_MAX_FRAGS - 1));
	p = message(EORPC_PKT_REQUEST, 10, 0);
	p.request_id = ~0ULL;
	p.ack = ~0ULL - 1;
	put("ok-request-largest-ids", &p, 10);

	p = message(EORPC_PKT_REPLY, 10, 0);
	put("ok-reply", &p, 10);
	p = message(EORPC_PKT_REPLY, 3 * EORPC_FRAG_DATA, 2);
	put("ok-reply-third-fragment", &p, EORPC_FRAG_DATA);

	/* The end of a round of a message sent in rounds. */
	p = message(EORPC_PKT_REQUEST, EORPC_WIRE_MAX_MSG, 63);
	p.flags = EORPC_F_ACK_NOW;
	put("ok-request-round-end", &p, EORPC_FRAG_DATA);
	p = message(EORPC_PKT_REPLY, EORPC_WIRE_MAX_MSG, 5);
	p.flags = EORPC_F_ACK_NOW | EORPC_F_RETRANS;
	put("ok-reply-resent-round-end", &p, EORPC_FRAG_DATA);

	p = message(EORPC_PKT_BUSY, 0, 0);
	put("ok-busy", &p, 0);

	/* What a receiver of a partial message has: 2 and 781 fragments. */
	p = message(EORPC_PKT_NEED_REQUEST, EORPC_FRAG_DATA + 1, 0);
	put("ok-need-request-2-fragments", &p, 1);
	p = message(EORPC_PKT_NEED_REPLY, EORPC_WIRE_MAX_MSG, 0);
	put("ok-need-reply-1mib", &p, eorpc_need_len(EORPC_WIRE_MAX_MSG));

	p = pkt(EORPC_PKT_ACK);
	p.ack = 7;
	put("ok-ack", &p, 0);
	p.flags = EORPC_F_CLOSE;
	put("ok-ack-close", &p, 0);

	for (code = 1; code <= EORPC_WERR_MAX; code++) {
		char name[64];

		/* An ERROR answering a HELLO: no session, no request. */
		p = pkt(EORPC_PKT_ERROR);
		p.session_id = 0;
		p.code = code;
		snprintf(name, sizeof(name), "ok-error-%d-to-hello", code);
		put(name, &p, 0);
	}
	p = message(EORPC_PKT_ERROR, 0, 0);
	p.code = EORPC_WERR_SESSION_UNKNOWN;
	put("ok-error-about-a-request", &p, 0);
}

static void short_or_unknown(void)
{
	struct eorpc_pkt p = message(EORPC_PKT_REQUEST, 0, 0);
	struct dgram d = build(&p, 0);

	d.len = 0;
	emit("short-empty", &d);
	d.len = EORPC_WIRE_HDR_LEN - 1;
	emit("short-header-less-1", &d);

	d = build(&p, 0);
	d.buf[0] = 0;
	emit("version_bad-0", &d);
	d.buf[0] = EORPC_WIRE_VERSION + 1;
	emit("version_bad-next", &d);

	d = build(&p, 0);
	d.buf[1] = 0;
	emit("type_bad-0", &d);
	d.buf[1] = EORPC_PKT_TYPE_MAX + 1;
	emit("type_bad-max-plus-1", &d);
	d.buf[1] = 0xff;
	emit("type_bad-255", &d);
}

/* One header field broken at a time; lengths right for the type. */
static void bad_fields(void)
{
	struct eorpc_pkt p;
	struct dgram d;

	p = message(EORPC_PKT_REQUEST, 4, 0);
	d = build(&p, 4);
	d.buf[7] = 1;		/* reserved */
	emit("field_bad-reserved", &d);
	d = build(&p, 4);
	d.buf[12] = 0x80;	/* reserved2 */
	emit("field_bad-reserved2", &d);

	p.flags = 0x08;
	put("field_bad-unknown-flag", &p, 4);
	p.flags = EORPC_F_CLOSE;
	put("field_bad-close-on-request", &p, 4);
	p = message(EORPC_PKT_NEED_REQUEST, EORPC_FRAG_DATA + 1, 0);
	p.flags = EORPC_F_ACK_NOW;
	put("field_bad-ack-now-on-need", &p, 1);
	p = pkt(EORPC_PKT_ACK);
	p.flags = EORPC_F_ACK_NOW;
	put("field_bad-ack-now-on-ack", &p, 0);
	p = message(EORPC_PKT_REQUEST, 4, 0);
	p.flags = 0;
	p.code = EORPC_WERR_WINDOW;
	put("field_bad-code-on-request", &p, 4);
	p.code = 0;
	p.client_epoch = 0;
	put("field_bad-client-epoch-0", &p, 4);
	p = message(EORPC_PKT_REQUEST, 4, 0);
	p.server_epoch = 0;
	put("field_bad-request-server-epoch-0", &p, 4);
	p = message(EORPC_PKT_REQUEST, 4, 0);
	p.session_id = 0;
	put("field_bad-request-session-0", &p, 4);
	p = message(EORPC_PKT_REQUEST, 4, 0);
	p.request_id = 0;
	p.ack = 0;
	put("field_bad-request-id-0", &p, 4);
	p = message(EORPC_PKT_REPLY, 4, 0);
	p.ack = p.request_id;
	put("field_bad-reply-ack-not-below-id", &p, 4);

	p = message(EORPC_PKT_ERROR, 0, 0);
	put("field_bad-error-code-0", &p, 0);
	p.code = EORPC_WERR_MAX + 1;
	put("field_bad-error-code-max-plus-1", &p, 0);

	p = hello();
	p.server_epoch = 1;
	put("field_bad-hello-server-epoch", &p, EORPC_COOKIE_LEN);
	p = hello();
	p.ack = 1;
	put("field_bad-hello-ack", &p, EORPC_COOKIE_LEN);
	p = pkt(EORPC_PKT_COOKIE);
	put("field_bad-cookie-session", &p, EORPC_COOKIE_LEN);
	p.session_id = 0;
	p.server_epoch = 0;
	put("field_bad-cookie-server-epoch-0", &p, EORPC_COOKIE_LEN);
	p = pkt(EORPC_PKT_WELCOME);
	p.session_id = 0;
	put("field_bad-welcome-session-0", &p, sizeof(struct eorpc_wire_welcome));
	p = pkt(EORPC_PKT_WELCOME);
	p.request_id = 1;
	put("field_bad-welcome-request-id", &p, sizeof(struct eorpc_wire_welcome));
	p = pkt(EORPC_PKT_ACK);
	p.request_id = 1;
	put("field_bad-ack-with-request-id", &p, 0);
}

/* One length broken at a time; header fields right for the type. */
static void bad_lengths(void)
{
	struct eorpc_pkt p;

	p = hello();
	put("len_bad-hello-without-cookie", &p, 0);
	put("len_bad-hello-cookie-too-long", &p, EORPC_COOKIE_LEN + 1);
	p = pkt(EORPC_PKT_COOKIE);
	p.session_id = 0;
	put("len_bad-cookie-short", &p, EORPC_COOKIE_LEN - 1);
	p = pkt(EORPC_PKT_WELCOME);
	put("len_bad-welcome-short", &p, sizeof(struct eorpc_wire_welcome) - 1);
	p = pkt(EORPC_PKT_ACK);
	put("len_bad-ack-with-data", &p, 1);
	p.frag = 1;
	put("len_bad-ack-with-frag", &p, 0);
	p = message(EORPC_PKT_BUSY, 1, 0);
	put("len_bad-busy-with-msg-len", &p, 0);

	p = message(EORPC_PKT_REQUEST, 100, 1);
	put("len_bad-frag-past-end", &p, 0);
	p = message(EORPC_PKT_REQUEST, 0, 1);
	put("len_bad-frag-1-of-empty", &p, 0);
	p = message(EORPC_PKT_REQUEST, 100, 0);
	put("len_bad-data-short", &p, 99);
	put("len_bad-data-long", &p, 101);
	p = message(EORPC_PKT_REQUEST, EORPC_WIRE_MAX_MSG, 0);
	put("len_bad-fragment-over-1344", &p, EORPC_FRAG_DATA + 1);
	p = message(EORPC_PKT_REQUEST, EORPC_WIRE_MAX_MSG + 1, 0);
	put("len_bad-message-over-max", &p, EORPC_FRAG_DATA);
	p.msg_len = ~0U;
	put("len_bad-message-4g", &p, EORPC_FRAG_DATA);
	p = message(EORPC_PKT_REPLY, EORPC_WIRE_MAX_MSG, 0xffff);
	put("len_bad-frag-65535", &p, 0);
	/* A NEED: never about one fragment, exactly its bitmap, frag 0. */
	p = message(EORPC_PKT_NEED_REPLY, EORPC_FRAG_DATA, 0);
	put("len_bad-need-single-fragment", &p, 1);
	p = message(EORPC_PKT_NEED_REQUEST, 3 * EORPC_FRAG_DATA, 0);
	put("len_bad-need-bitmap-long", &p, 2);
	p = message(EORPC_PKT_NEED_REQUEST, 3 * EORPC_FRAG_DATA, 1);
	put("len_bad-need-frag-1", &p, 1);
	p = message(EORPC_PKT_NEED_REPLY, EORPC_WIRE_MAX_MSG + 1, 0);
	put("len_bad-need-over-max", &p, eorpc_need_len(EORPC_WIRE_MAX_MSG + 1));
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	valid();
	short_or_unknown();
	bad_fields();
	bad_lengths();
	return failed;
}
