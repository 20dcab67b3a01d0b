// SPDX-License-Identifier: GPL-2.0
/*
 * Properties of the decoder and encoder that can fail:
 * - a verdict is one of enum eorpc_wire_verdict, the same on every call,
 *   and depends only on the header and the length, never on data bytes;
 * - the decoder agrees with the documented rules (spec.c) both ways: it
 *   accepts exactly the valid datagrams, and a refusal names a rule that
 *   the datagram really breaks;
 * - an accepted datagram decodes to its header's values, its data is the
 *   rest of the datagram, and encode(decode(x)) gives back x's header bytes;
 * - the decoder never writes to its input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "wire_env.h"
#include "wire.h"
#include "props.h"
#include "spec.h"

static const char *const verdict_names[] = {
	[EORPC_WIRE_OK] = "OK",
	[EORPC_WIRE_SHORT] = "SHORT",
	[EORPC_WIRE_VERSION_BAD] = "VERSION_BAD",
	[EORPC_WIRE_TYPE_BAD] = "TYPE_BAD",
	[EORPC_WIRE_FIELD_BAD] = "FIELD_BAD",
	[EORPC_WIRE_LEN_BAD] = "LEN_BAD",
};

static const char *verdict_name(int v)
{
	if (v < 0 || v >= EORPC_WIRE_VERDICT_MAX ||
	    (size_t)v >= sizeof(verdict_names) / sizeof(verdict_names[0]) ||
	    !verdict_names[v])
		return "(not a verdict)";
	return verdict_names[v];
}

/* The input that broke a property, for the report; then a crash. */
static void __attribute__((noreturn, format(printf, 3, 4)))
fail(const uint8_t *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	size_t i;

	fprintf(stderr, "wire property failed: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\ndatagram of %zu bytes, header:", len);
	for (i = 0; i < len && i < EORPC_WIRE_HDR_LEN; i++)
		fprintf(stderr, "%s%02x", i % 8 ? " " : "\n  ", buf[i]);
	fprintf(stderr, "\n");
	abort();
}

static uint64_t be(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | *p++;
	return v;
}

/* Field by field: struct eorpc_pkt has padding that memcmp would see. */
static bool same_pkt(const struct eorpc_pkt *a, const struct eorpc_pkt *b)
{
	return a->type == b->type && a->flags == b->flags && a->code == b->code &&
	       a->frag == b->frag && a->msg_len == b->msg_len &&
	       a->client_epoch == b->client_epoch &&
	       a->server_epoch == b->server_epoch &&
	       a->session_id == b->session_id && a->request_id == b->request_id &&
	       a->ack == b->ack && a->data_off == b->data_off &&
	       a->data_len == b->data_len;
}

static void check_fields(const uint8_t *buf, size_t len, const struct eorpc_pkt *p)
{
	static const struct { const char *name; int off, bytes; } f[] = {
		{ "type", 1, 1 }, { "flags", 2, 1 }, { "code", 3, 1 },
		{ "frag", 4, 2 }, { "msg_len", 8, 4 }, { "client_epoch", 16, 8 },
		{ "server_epoch", 24, 8 }, { "session_id", 32, 8 },
		{ "request_id", 40, 8 }, { "ack", 48, 8 },
	};
	const uint64_t got[] = {
		p->type, p->flags, p->code, p->frag, p->msg_len, p->client_epoch,
		p->server_epoch, p->session_id, p->request_id, p->ack,
	};
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (got[i] != be(buf + f[i].off, f[i].bytes))
			fail(buf, len, "decoded %s is %#llx, the header says %#llx",
			     f[i].name, (unsigned long long)got[i],
			     (unsigned long long)be(buf + f[i].off, f[i].bytes));
	if (p->data_off != EORPC_WIRE_HDR_LEN || p->data_len != len - p->data_off)
		fail(buf, len, "data at %u+%u, not the rest of the datagram",
		     p->data_off, p->data_len);
	if (p->type < 1 || p->type > EORPC_PKT_TYPE_MAX)
		fail(buf, len, "accepted unknown type %u", p->type);
	if (p->msg_len > EORPC_WIRE_MAX_MSG || p->frag >= eorpc_nfrags(p->msg_len) ||
	    p->data_len > EORPC_FRAG_DATA)
		fail(buf, len, "accepted fragment %u of a %u-byte message with %u bytes",
		     p->frag, p->msg_len, p->data_len);
	/* A NEED carries a bitmap of a message of several fragments. */
	if (p->type == EORPC_PKT_NEED_REQUEST || p->type == EORPC_PKT_NEED_REPLY) {
		if (p->frag || eorpc_nfrags(p->msg_len) < 2 ||
		    p->data_len != eorpc_need_len(p->msg_len))
			fail(buf, len, "accepted a NEED about %u bytes, frag %u, with %u bytes",
			     p->msg_len, p->frag, p->data_len);
		return;
	}
	if (p->msg_len && p->data_len != eorpc_frag_len(p->msg_len, p->frag))
		fail(buf, len, "fragment %u of %u bytes carries %u bytes",
		     p->frag, p->msg_len, p->data_len);
}

/* encode(decode(x)) is x's header, and decoding that again changes nothing. */
static void check_reencode(const uint8_t *buf, size_t len, const struct eorpc_pkt *p)
{
	uint8_t *copy = malloc(len);
	struct eorpc_pkt again;

	if (!copy)
		abort();
	memcpy(copy, buf, len);
	memset(copy, 0xa5, EORPC_WIRE_HDR_LEN);
	eorpc_wire_encode(p, (struct eorpc_wire_hdr *)copy);
	if (memcmp(copy, buf, EORPC_WIRE_HDR_LEN))
		fail(buf, len, "encode(decode(x)) differs from x's header");
	memset(&again, 0x5a, sizeof(again));
	if (eorpc_wire_decode(copy, len, &again) != EORPC_WIRE_OK ||
	    !same_pkt(&again, p))
		fail(buf, len, "decode(encode(decode(x))) differs from decode(x)");
	free(copy);
}

/* Data bytes carry no meaning for the decoder: inverting them changes nothing. */
static void check_data_ignored(const uint8_t *buf, size_t len, int verdict,
			       const struct eorpc_pkt *p)
{
	uint8_t *copy;
	struct eorpc_pkt q;
	size_t i;

	if (len <= EORPC_WIRE_HDR_LEN)
		return;
	copy = malloc(len);
	if (!copy)
		abort();
	memcpy(copy, buf, len);
	for (i = EORPC_WIRE_HDR_LEN; i < len; i++)
		copy[i] = (uint8_t)~copy[i];
	memcpy(&q, p, sizeof(q));
	if ((int)eorpc_wire_decode(copy, len, &q) != verdict ||
	    (verdict == EORPC_WIRE_OK && !same_pkt(&q, p)))
		fail(buf, len, "the verdict or fields depend on data bytes");
	free(copy);
}

int fuzz_check_datagram(const uint8_t *buf, size_t len)
{
	uint8_t *orig = malloc(len ? len : 1);
	struct eorpc_pkt p, p2;
	unsigned int why;
	int v, v2;

	if (!orig)
		abort();
	memcpy(orig, buf, len);
	/* A pattern, so a field the decoder forgets to fill cannot pass. */
	memset(&p, 0xa5, sizeof(p));
	memset(&p2, 0x5a, sizeof(p2));
	v = eorpc_wire_decode(buf, len, &p);
	v2 = eorpc_wire_decode(buf, len, &p2);
	if (memcmp(orig, buf, len))
		fail(orig, len, "the decoder wrote to its input");
	free(orig);

	if (v < EORPC_WIRE_OK || v >= EORPC_WIRE_VERDICT_MAX)
		fail(buf, len, "verdict %d is not an enum eorpc_wire_verdict", v);
	if (v2 != v || (v == EORPC_WIRE_OK && !same_pkt(&p, &p2)))
		fail(buf, len, "two decodes disagree: %s then %s",
		     verdict_name(v), verdict_name(v2));

	why = spec_reasons(buf, len);
	if (v == EORPC_WIRE_OK && why) {
		if (spec_type_unknown_to_harness(buf[1]))
			fail(buf, len, "type %u has no rules in selftests/fuzz/spec.c",
			     buf[1]);
		fail(buf, len, "accepted, but the rules say %#x (bit = verdict)", why);
	}
	if (v != EORPC_WIRE_OK && !why)
		fail(buf, len, "refused %s, but no documented rule is broken",
		     verdict_name(v));
	if (v != EORPC_WIRE_OK && !(why & 1u << v))
		fail(buf, len, "refused %s, but the broken rules are %#x (bit = verdict)",
		     verdict_name(v), why);

	if (v == EORPC_WIRE_OK) {
		check_fields(buf, len, &p);
		check_reencode(buf, len, &p);
	}
	check_data_ignored(buf, len, v, &p);
	return v;
}

const char *fuzz_verdict_name(int v)
{
	return verdict_name(v);
}

int fuzz_verdict_from_name(const char *name)
{
	int v;

	for (v = 0; v < EORPC_WIRE_VERDICT_MAX; v++)
		if (!strcasecmp(name, verdict_name(v)))
			return v;
	return -1;
}
