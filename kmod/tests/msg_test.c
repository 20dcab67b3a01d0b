// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: message bodies: fragment tracking for small and 1 MiB messages,
 * and what a failed allocation leaves. The module's fault point is made to
 * fire with the task's fail-nth count, so the failure is the very next
 * allocation, not a random one.
 */
#include <kunit/test.h>
#include <linux/sched.h>
#include <linux/skbuff.h>
#include "../eorpc.h"

/* A datagram holding fragment @frag of a @len-byte message, data = @fill. */
static struct sk_buff *frag_skb(struct kunit *test, struct eorpc_pkt *pkt,
				u32 len, u32 frag, u8 fill)
{
	struct sk_buff *skb;

	pkt->frag = frag;
	pkt->msg_len = len;
	pkt->data_off = 0;
	pkt->data_len = eorpc_frag_len(len, frag);
	skb = alloc_skb(pkt->data_len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	memset(skb_put(skb, pkt->data_len), fill, pkt->data_len);
	return skb;
}

static void add(struct kunit *test, struct eorpc_msg *m, u32 frag,
		bool expect_new)
{
	struct eorpc_pkt pkt = {};
	struct sk_buff *skb = frag_skb(test, &pkt, m->len, frag, frag & 0xff);

	KUNIT_EXPECT_EQ(test, eorpc_msg_add_frag(m, skb, &pkt), expect_new);
	kfree_skb(skb);
}

static void msg__alloc_sets_length_and_buffer(struct kunit *test)
{
	struct eorpc_msg m;

	KUNIT_ASSERT_EQ(test, eorpc_msg_alloc(&m, 3000), 0);
	KUNIT_EXPECT_EQ(test, m.len, 3000U);
	KUNIT_EXPECT_NOT_NULL(test, m.data);
	KUNIT_EXPECT_EQ(test, m.have, 0U);
	eorpc_msg_free(&m);
}

/*
 * A 1 MiB message has 781 fragments, more than a word of bits: each is
 * counted once, in any order, and the message completes with the last
 * one missing, whichever it is.
 */
static void msg__tracks_every_fragment_of_1mib(struct kunit *test)
{
	u32 len = EORPC_MAX_MSG_LEN, n = eorpc_nfrags(len), i;
	struct eorpc_msg m;

	KUNIT_ASSERT_EQ(test, n, 781U);
	KUNIT_ASSERT_EQ(test, eorpc_msg_alloc(&m, len), 0);
	/* Odd fragments downwards, then even ones upwards, but for 500. */
	for (i = n; i-- > 0;)
		if (i % 2)
			add(test, &m, i, true);
	for (i = 0; i < n; i += 2)
		if (i != 500)
			add(test, &m, i, true);
	KUNIT_EXPECT_EQ(test, m.have, n - 1);
	KUNIT_EXPECT_FALSE(test, eorpc_msg_complete(&m));
	KUNIT_EXPECT_FALSE(test, eorpc_msg_has_frag(&m, 500));
	KUNIT_EXPECT_TRUE(test, eorpc_msg_has_frag(&m, 780));
	add(test, &m, 780, false);	/* a duplicate changes nothing */
	add(test, &m, 64, false);
	KUNIT_EXPECT_EQ(test, m.have, n - 1);
	add(test, &m, 500, true);
	KUNIT_EXPECT_TRUE(test, eorpc_msg_complete(&m));
	/* Each fragment's bytes landed at its own offset. */
	KUNIT_EXPECT_EQ(test, m.data[500 * EORPC_FRAG_DATA], 500 & 0xff);
	KUNIT_EXPECT_EQ(test, m.data[len - 1], 780 & 0xff);
	KUNIT_EXPECT_EQ(test, m.data[64 * EORPC_FRAG_DATA + 7], 64);
	eorpc_msg_free(&m);
}

/* The map a large message needs is part of what it is charged. */
static void msg__charge_counts_the_fragment_map(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, eorpc_msg_charge(0), (size_t)0);
	KUNIT_EXPECT_EQ(test, eorpc_msg_charge(3000), kmalloc_size_roundup(3000));
	KUNIT_EXPECT_GT(test, eorpc_msg_charge(EORPC_MAX_MSG_LEN),
			kmalloc_size_roundup(EORPC_MAX_MSG_LEN));
}

/*
 * A body up to EORPC_MSG_INLINE bytes lives in the message: no allocation
 * (none to fail), nothing charged beyond the message's owner, and freeing
 * it frees nothing (KASAN would report an invalid free).
 */
static void msg__small_body_is_inline(struct kunit *test)
{
	struct eorpc_msg m;

	current->fail_nth = 1;
	KUNIT_EXPECT_EQ(test, eorpc_msg_alloc(&m, EORPC_MSG_INLINE), 0);
	current->fail_nth = 0;
	KUNIT_EXPECT_PTR_EQ(test, m.data, &m.inline_data[0]);
	KUNIT_EXPECT_FALSE(test, m.own_pages);
	KUNIT_EXPECT_EQ(test, eorpc_msg_charge(EORPC_MSG_INLINE), (size_t)0);
	memset(m.data, 0x5a, m.len);
	eorpc_msg_free(&m);
	KUNIT_EXPECT_NULL(test, m.data);

	KUNIT_ASSERT_EQ(test, eorpc_msg_alloc(&m, EORPC_MSG_INLINE + 1), 0);
	KUNIT_EXPECT_PTR_NE(test, m.data, &m.inline_data[0]);
	KUNIT_EXPECT_EQ(test, eorpc_msg_charge(EORPC_MSG_INLINE + 1),
			kmalloc_size_roundup(EORPC_MSG_INLINE + 1));
	eorpc_msg_free(&m);
}

static void msg__failed_alloc_leaves_message_empty(struct kunit *test)
{
	struct eorpc_msg m = { .len = 7, .have = 1, .frags.word = 1 };

	current->fail_nth = 1;
	KUNIT_EXPECT_EQ(test, eorpc_msg_alloc(&m, 3000), -ENOMEM);
	current->fail_nth = 0;
	KUNIT_EXPECT_EQ(test, m.len, 0U);
	KUNIT_EXPECT_NULL(test, m.data);
	KUNIT_EXPECT_EQ(test, m.have, 0U);
	/* Freeing it, as a failed call's cleanup does, is harmless. */
	eorpc_msg_free(&m);
}

static struct kunit_case msg_cases[] = {
	KUNIT_CASE(msg__alloc_sets_length_and_buffer),
	KUNIT_CASE(msg__small_body_is_inline),
	KUNIT_CASE(msg__failed_alloc_leaves_message_empty),
	KUNIT_CASE(msg__tracks_every_fragment_of_1mib),
	KUNIT_CASE(msg__charge_counts_the_fragment_map),
	{}
};

static struct kunit_suite msg_suite = {
	.name = "eorpc_msg",
	.test_cases = msg_cases,
};

kunit_test_suite(msg_suite);
