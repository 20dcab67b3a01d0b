// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: a datagram's data, copied from a small body and referenced in a
 * large one's pages, and those pages outliving the message they came from
 * (KASAN in the debug guest reports a read of freed pages; newer kernels
 * warn at get_page() on kmalloc memory).
 */
#include <kunit/test.h>
#include <linux/skbuff.h>
#include "../eorpc.h"

enum { HDR_LEN = 24 };

static struct sk_buff *hdr_skb(struct kunit *test, u32 room)
{
	struct sk_buff *skb = alloc_skb(HDR_LEN + room, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	memset(skb_put(skb, HDR_LEN), 0xee, HDR_LEN);
	return skb;
}

static void fill(u8 *data, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		data[i] = i * 7 + i / 251;
}

/* The skb's bytes after the header are @len bytes of @fill() from @from. */
static void expect_data(struct kunit *test, const struct sk_buff *skb,
			u32 from, u32 len)
{
	u8 *got = kunit_kmalloc(test, len, GFP_KERNEL);
	u8 *want = kunit_kmalloc(test, from + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_NOT_NULL(test, want);
	fill(want, from + len);
	KUNIT_ASSERT_EQ(test, skb->len, HDR_LEN + len);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, HDR_LEN, got, len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got, want + from, len), 0);
}

/* A slab object shares its page: its bytes are copied into the head. */
static void xmit__small_body_is_copied(struct kunit *test)
{
	struct eorpc_msg m;
	struct sk_buff *skb;

	KUNIT_ASSERT_EQ(test, eorpc_msg_alloc(&m, 1000), 0);
	KUNIT_EXPECT_FALSE(test, m.own_pages);
	fill(m.data, m.len);
	skb = hdr_skb(test, m.len);
	KUNIT_ASSERT_EQ(test, eorpc_skb_add_data(skb, m.data, m.len,
						 m.own_pages), 0);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 0);
	eorpc_msg_free(&m);
	expect_data(test, skb, 0, 1000);
	kfree_skb(skb);
}

/*
 * A 1 MiB body has pages of its own: a fragment that straddles two of
 * them is two page references and no bytes in the head, and they still
 * hold its bytes after the message is freed (KASAN in the debug guest
 * would report a read of freed pages).
 */
static void xmit__large_body_is_referenced(struct kunit *test)
{
	u32 frag = 3, off = frag * EORPC_FRAG_DATA;
	struct eorpc_msg m;
	struct sk_buff *skb;

	/* Fragment 3 covers bytes 4032-5375: it crosses a page boundary. */
	KUNIT_ASSERT_LT(test, off % PAGE_SIZE + EORPC_FRAG_DATA, 2 * PAGE_SIZE);
	KUNIT_ASSERT_GT(test, off % PAGE_SIZE + EORPC_FRAG_DATA, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, eorpc_msg_alloc(&m, EORPC_MAX_MSG_LEN), 0);
	KUNIT_EXPECT_TRUE(test, m.own_pages);
	fill(m.data, m.len);
	skb = hdr_skb(test, 0);
	KUNIT_ASSERT_EQ(test, eorpc_skb_add_data(skb, m.data + off,
						 EORPC_FRAG_DATA,
						 m.own_pages), 0);
	KUNIT_EXPECT_EQ(test, skb_shinfo(skb)->nr_frags, 2);
	KUNIT_EXPECT_EQ(test, skb_headlen(skb), (unsigned int)HDR_LEN);
	KUNIT_EXPECT_TRUE(test, skb_has_shared_frag(skb));
	eorpc_msg_free(&m);
	expect_data(test, skb, off, EORPC_FRAG_DATA);
	kfree_skb(skb);
}

static struct kunit_case xmit_cases[] = {
	KUNIT_CASE(xmit__small_body_is_copied),
	KUNIT_CASE(xmit__large_body_is_referenced),
	{}
};

static struct kunit_suite xmit_suite = {
	.name = "eorpc_xmit",
	.test_cases = xmit_cases,
};

kunit_test_suite(xmit_suite);
