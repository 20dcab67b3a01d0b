// SPDX-License-Identifier: GPL-2.0
/* KUnit: client request ids, window and cumulative acknowledgment. */
#include <kunit/test.h>
#include "../ackwin.h"

static void ackwin__ids_start_at_one(struct kunit *test)
{
	struct eorpc_ackwin aw;

	eorpc_ackwin_init(&aw, 4);
	KUNIT_EXPECT_EQ(test, eorpc_ackwin_alloc(&aw), 1ULL);
	KUNIT_EXPECT_EQ(test, eorpc_ackwin_alloc(&aw), 2ULL);
	KUNIT_EXPECT_EQ(test, aw.ack, 0ULL);
}

static void ackwin__window_limits_ids(struct kunit *test)
{
	struct eorpc_ackwin aw;
	int i;

	eorpc_ackwin_init(&aw, 4);
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_TRUE(test, eorpc_ackwin_can_alloc(&aw));
		eorpc_ackwin_alloc(&aw);
	}
	KUNIT_EXPECT_FALSE(test, eorpc_ackwin_can_alloc(&aw));
	/* Finishing a later id does not open the window... */
	eorpc_ackwin_finish(&aw, 2);
	KUNIT_EXPECT_FALSE(test, eorpc_ackwin_can_alloc(&aw));
	/* ...finishing the oldest does. */
	eorpc_ackwin_finish(&aw, 1);
	KUNIT_EXPECT_TRUE(test, eorpc_ackwin_can_alloc(&aw));
}

static void ackwin__out_of_order_completion(struct kunit *test)
{
	struct eorpc_ackwin aw;
	int i;

	eorpc_ackwin_init(&aw, 8);
	for (i = 0; i < 5; i++)
		eorpc_ackwin_alloc(&aw);
	KUNIT_EXPECT_FALSE(test, eorpc_ackwin_finish(&aw, 3));
	KUNIT_EXPECT_FALSE(test, eorpc_ackwin_finish(&aw, 2));
	KUNIT_EXPECT_EQ(test, aw.ack, 0ULL);
	KUNIT_EXPECT_TRUE(test, eorpc_ackwin_finish(&aw, 1));
	KUNIT_EXPECT_EQ(test, aw.ack, 3ULL);
	KUNIT_EXPECT_TRUE(test, eorpc_ackwin_in_flight(&aw, 4));
	KUNIT_EXPECT_FALSE(test, eorpc_ackwin_in_flight(&aw, 3));
}

static void ackwin__finish_twice_or_unknown_is_ignored(struct kunit *test)
{
	struct eorpc_ackwin aw;

	eorpc_ackwin_init(&aw, 4);
	eorpc_ackwin_alloc(&aw);
	eorpc_ackwin_alloc(&aw);
	KUNIT_EXPECT_FALSE(test, eorpc_ackwin_finish(&aw, 2));
	KUNIT_EXPECT_FALSE(test, eorpc_ackwin_finish(&aw, 2));
	KUNIT_EXPECT_FALSE(test, eorpc_ackwin_finish(&aw, 7));	/* never issued */
	KUNIT_EXPECT_FALSE(test, eorpc_ackwin_finish(&aw, 0));
	KUNIT_EXPECT_EQ(test, aw.ack, 0ULL);
	KUNIT_EXPECT_TRUE(test, eorpc_ackwin_finish(&aw, 1));
	KUNIT_EXPECT_EQ(test, aw.ack, 2ULL);
}

static void ackwin__full_64_bit_window(struct kunit *test)
{
	struct eorpc_ackwin aw;
	int i;

	eorpc_ackwin_init(&aw, 64);
	for (i = 0; i < 64; i++)
		eorpc_ackwin_alloc(&aw);
	KUNIT_EXPECT_FALSE(test, eorpc_ackwin_can_alloc(&aw));
	for (i = 64; i >= 2; i--)
		eorpc_ackwin_finish(&aw, i);	/* bit 63 included */
	KUNIT_EXPECT_EQ(test, aw.ack, 0ULL);
	KUNIT_EXPECT_TRUE(test, eorpc_ackwin_finish(&aw, 1));
	KUNIT_EXPECT_EQ(test, aw.ack, 64ULL);
	KUNIT_EXPECT_EQ(test, aw.done, 0ULL);
}

static void ackwin__long_run_wraps_the_bitmap(struct kunit *test)
{
	struct eorpc_ackwin aw;
	u64 id;

	/* Thousands of ids through a 4-wide window, finished in pairs. */
	eorpc_ackwin_init(&aw, 4);
	for (id = 1; id <= 10000; id += 2) {
		KUNIT_ASSERT_EQ(test, eorpc_ackwin_alloc(&aw), id);
		KUNIT_ASSERT_EQ(test, eorpc_ackwin_alloc(&aw), id + 1);
		eorpc_ackwin_finish(&aw, id + 1);
		eorpc_ackwin_finish(&aw, id);
		KUNIT_ASSERT_EQ(test, aw.ack, id + 1);
	}
}

static struct kunit_case ackwin_cases[] = {
	KUNIT_CASE(ackwin__ids_start_at_one),
	KUNIT_CASE(ackwin__window_limits_ids),
	KUNIT_CASE(ackwin__out_of_order_completion),
	KUNIT_CASE(ackwin__finish_twice_or_unknown_is_ignored),
	KUNIT_CASE(ackwin__full_64_bit_window),
	KUNIT_CASE(ackwin__long_run_wraps_the_bitmap),
	{}
};

static struct kunit_suite ackwin_suite = {
	.name = "eorpc_ackwin",
	.test_cases = ackwin_cases,
};

kunit_test_suite(ackwin_suite);
