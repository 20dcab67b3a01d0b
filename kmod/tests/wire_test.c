// SPDX-License-Identifier: GPL-2.0
/* KUnit: header encode/decode round trips and every rejection reason. */
#include <kunit/test.h>
#include "../wire.h"

static struct eorpc_pkt request_pkt(u32 msg_len, u16 frag)
{
	struct eorpc_pkt p = {
		.type = EORPC_PKT_REQUEST,
		.msg_len = msg_len,
		.frag = frag,
		.client_epoch = 0x1122334455667788ULL,
		.server_epoch = 2,
		.session_id = 3,
		.request_id = 10,
		.ack = 9,
	};
	return p;
}

/* Header plus @data_len zero bytes in @buf. */
static u32 build(u8 *buf, const struct eorpc_pkt *p, u32 data_len)
{
	eorpc_wire_encode(p, (struct eorpc_wire_hdr *)buf);
	memset(buf + EORPC_WIRE_HDR_LEN, 0, data_len);
	return EORPC_WIRE_HDR_LEN + data_len;
}

static void wire__header_is_56_bytes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct eorpc_wire_hdr),
			(size_t)EORPC_WIRE_HDR_LEN);
	KUNIT_EXPECT_EQ(test, EORPC_WIRE_HDR_LEN + EORPC_FRAG_DATA, 1400);
	/* Every fragment index of the largest message fits the u16 field. */
	KUNIT_EXPECT_LE(test, EORPC_MAX_FRAGS, 65536);
	/* No amplification: a COOKIE answer is exactly its HELLO's size. */
	KUNIT_EXPECT_EQ(test, sizeof(struct eorpc_wire_cookie),
			(size_t)EORPC_COOKIE_LEN);
}

static void wire__roundtrip_keeps_every_field(struct kunit *test)
{
	u8 buf[EORPC_WIRE_HDR_LEN + 100];
	struct eorpc_pkt in = request_pkt(100, 0), out;
	u32 len = build(buf, &in, 100);

	KUNIT_ASSERT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_OK);
	KUNIT_EXPECT_EQ(test, out.type, in.type);
	KUNIT_EXPECT_EQ(test, out.msg_len, in.msg_len);
	KUNIT_EXPECT_EQ(test, out.client_epoch, in.client_epoch);
	KUNIT_EXPECT_EQ(test, out.server_epoch, in.server_epoch);
	KUNIT_EXPECT_EQ(test, out.session_id, in.session_id);
	KUNIT_EXPECT_EQ(test, out.request_id, in.request_id);
	KUNIT_EXPECT_EQ(test, out.ack, in.ack);
	KUNIT_EXPECT_EQ(test, out.data_off, (u32)EORPC_WIRE_HDR_LEN);
	KUNIT_EXPECT_EQ(test, out.data_len, 100U);
	/* Big-endian on the wire. */
	KUNIT_EXPECT_EQ(test, buf[16], 0x11);
}

static void wire__rejects_short_and_bad_version(struct kunit *test)
{
	u8 buf[EORPC_WIRE_HDR_LEN + 10];
	struct eorpc_pkt p = request_pkt(10, 0), out;
	u32 len = build(buf, &p, 10);

	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, 0, &out), EORPC_WIRE_SHORT);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, EORPC_WIRE_HDR_LEN - 1, &out),
			EORPC_WIRE_SHORT);
	buf[0] = 2;
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out),
			EORPC_WIRE_VERSION_BAD);
	buf[0] = EORPC_WIRE_VERSION;
	buf[1] = 0;
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_TYPE_BAD);
	buf[1] = EORPC_PKT_TYPE_MAX + 1;
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_TYPE_BAD);
}

static void wire__rejects_bad_fields(struct kunit *test)
{
	u8 buf[EORPC_WIRE_HDR_LEN + 10];
	struct eorpc_pkt p = request_pkt(10, 0), out;
	u32 len;

	p.flags = 0x80;
	len = build(buf, &p, 10);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_FIELD_BAD);
	p = request_pkt(10, 0);
	p.flags = EORPC_F_CLOSE;	/* only on ACK */
	len = build(buf, &p, 10);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_FIELD_BAD);
	p = request_pkt(10, 0);
	p.client_epoch = 0;
	len = build(buf, &p, 10);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_FIELD_BAD);
	p = request_pkt(10, 0);
	p.ack = p.request_id;	/* acking the request it carries */
	len = build(buf, &p, 10);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_FIELD_BAD);
	p = request_pkt(10, 0);
	p.code = 1;		/* code only on ERROR */
	len = build(buf, &p, 10);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_FIELD_BAD);
	p = request_pkt(10, 0);
	len = build(buf, &p, 10);
	buf[7] = 1;		/* reserved */
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_FIELD_BAD);
}

static void wire__rejects_bad_lengths(struct kunit *test)
{
	static u8 buf[EORPC_WIRE_HDR_LEN + EORPC_FRAG_DATA + 1];
	struct eorpc_pkt p = request_pkt(10, 0), out;
	u32 len;

	len = build(buf, &p, 9);	/* says 10, carries 9 */
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_LEN_BAD);
	p = request_pkt(EORPC_WIRE_MAX_MSG + 1, 0);
	len = build(buf, &p, EORPC_FRAG_DATA);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_LEN_BAD);
	p = request_pkt(3000, 3);	/* 3000 bytes have fragments 0..2 */
	len = build(buf, &p, 0);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_LEN_BAD);
	p = request_pkt(3000, 2);	/* last fragment: 3000 - 2 * 1344 */
	len = build(buf, &p, 312);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_OK);
	len = build(buf, &p, 313);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_LEN_BAD);
	p = request_pkt(0, 0);		/* an empty message: one empty fragment */
	len = build(buf, &p, 0);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_OK);
}

static void wire__control_packets(struct kunit *test)
{
	u8 buf[EORPC_WIRE_HDR_LEN + 32];
	struct eorpc_pkt p = { .type = EORPC_PKT_HELLO, .client_epoch = 5 }, out;
	u32 len = build(buf, &p, EORPC_COOKIE_LEN);

	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_OK);
	KUNIT_EXPECT_EQ(test, out.data_len, (u32)EORPC_COOKIE_LEN);
	len = build(buf, &p, 0);	/* HELLO always carries a cookie slot */
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_LEN_BAD);
	len = build(buf, &p, EORPC_COOKIE_LEN + 1);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_LEN_BAD);
	p.session_id = 1;		/* HELLO names no session */
	len = build(buf, &p, EORPC_COOKIE_LEN);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_FIELD_BAD);

	/* COOKIE: the server's epoch, no session, exactly one cookie. */
	p = (struct eorpc_pkt){ .type = EORPC_PKT_COOKIE, .client_epoch = 5,
				.server_epoch = 6 };
	len = build(buf, &p, EORPC_COOKIE_LEN);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_OK);
	len = build(buf, &p, EORPC_COOKIE_LEN - 1);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_LEN_BAD);
	p.session_id = 7;
	len = build(buf, &p, EORPC_COOKIE_LEN);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_FIELD_BAD);

	p = (struct eorpc_pkt){ .type = EORPC_PKT_WELCOME, .client_epoch = 5,
				.server_epoch = 6, .session_id = 7 };
	len = build(buf, &p, sizeof(struct eorpc_wire_welcome));
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_OK);
	len = build(buf, &p, 0);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_LEN_BAD);

	p = (struct eorpc_pkt){ .type = EORPC_PKT_ERROR, .client_epoch = 5,
				.server_epoch = 6, .code = EORPC_WERR_MAX + 1 };
	len = build(buf, &p, 0);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_FIELD_BAD);
	p.code = EORPC_WERR_SESSION_UNKNOWN;
	len = build(buf, &p, 0);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_OK);

	p = (struct eorpc_pkt){ .type = EORPC_PKT_ACK, .flags = EORPC_F_CLOSE,
				.client_epoch = 5, .server_epoch = 6,
				.session_id = 7, .ack = 100 };
	len = build(buf, &p, 0);
	KUNIT_EXPECT_EQ(test, eorpc_wire_decode(buf, len, &out), EORPC_WIRE_OK);
}

static void wire__frag_arithmetic(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, eorpc_nfrags(0), 1U);
	KUNIT_EXPECT_EQ(test, eorpc_nfrags(1), 1U);
	KUNIT_EXPECT_EQ(test, eorpc_nfrags(EORPC_FRAG_DATA), 1U);
	KUNIT_EXPECT_EQ(test, eorpc_nfrags(EORPC_FRAG_DATA + 1), 2U);
	KUNIT_EXPECT_EQ(test, eorpc_nfrags(EORPC_WIRE_MAX_MSG), (u32)EORPC_MAX_FRAGS);
	KUNIT_EXPECT_EQ(test, eorpc_nfrags(1 << 20), 781U);
	KUNIT_EXPECT_EQ(test, eorpc_frag_len(1 << 20, 780), (1U << 20) - 780 * 1344);
	KUNIT_EXPECT_EQ(test, eorpc_frag_len(EORPC_FRAG_DATA + 1, 1), 1U);
	KUNIT_EXPECT_EQ(test, eorpc_frag_len(EORPC_FRAG_DATA + 1, 2), 0U);
}

static struct kunit_case wire_cases[] = {
	KUNIT_CASE(wire__header_is_56_bytes),
	KUNIT_CASE(wire__roundtrip_keeps_every_field),
	KUNIT_CASE(wire__rejects_short_and_bad_version),
	KUNIT_CASE(wire__rejects_bad_fields),
	KUNIT_CASE(wire__rejects_bad_lengths),
	KUNIT_CASE(wire__control_packets),
	KUNIT_CASE(wire__frag_arithmetic),
	{}
};

static struct kunit_suite wire_suite = {
	.name = "eorpc_wire",
	.test_cases = wire_cases,
};

kunit_test_suite(wire_suite);
