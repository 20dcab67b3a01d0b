// SPDX-License-Identifier: GPL-2.0
/* KUnit: the server history, the at-most-once bookkeeping. */
#include <kunit/test.h>
#include "../history.h"

struct released {
	u32 count;
	u64 last_id;
};

static void count_release(struct eorpc_hentry *e, void *arg)
{
	struct released *r = arg;

	r->count++;
	r->last_id = e->id;
}

static void insert(struct eorpc_history *h, struct eorpc_hentry *e, u64 id)
{
	e->id = id;
	e->state = EORPC_HE_RECEIVING;
	eorpc_history_insert(h, e);
}

static void history__init_rejects_bad_windows(struct kunit *test)
{
	struct eorpc_history h;

	KUNIT_EXPECT_EQ(test, eorpc_history_init(&h, 0, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, eorpc_history_init(&h, 3, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, eorpc_history_init(&h, 128, GFP_KERNEL), -EINVAL);
	KUNIT_ASSERT_EQ(test, eorpc_history_init(&h, 64, GFP_KERNEL), 0);
	eorpc_history_destroy(&h);
}

static void history__new_then_duplicate(struct kunit *test)
{
	struct eorpc_history h;
	struct eorpc_hentry e, *found;
	struct released r = {};

	KUNIT_ASSERT_EQ(test, eorpc_history_init(&h, 4, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 1, &found), EORPC_HIST_NEW);
	KUNIT_EXPECT_NULL(test, found);
	insert(&h, &e, 1);
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 1, &found),
			EORPC_HIST_KNOWN);
	KUNIT_EXPECT_PTR_EQ(test, found, &e);
	/* Another id in the window is still new. */
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 2, &found), EORPC_HIST_NEW);
	KUNIT_EXPECT_EQ(test, h.live, 1U);
	eorpc_history_drain(&h, count_release, &r);
	KUNIT_EXPECT_EQ(test, r.count, 1U);
	eorpc_history_destroy(&h);
}

static void history__window_bounds(struct kunit *test)
{
	struct eorpc_history h;
	struct eorpc_hentry *found;

	KUNIT_ASSERT_EQ(test, eorpc_history_init(&h, 4, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 4, &found), EORPC_HIST_NEW);
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 5, &found),
			EORPC_HIST_BEYOND);
	eorpc_history_destroy(&h);
}

static void history__ack_frees_exactly_the_acked(struct kunit *test)
{
	struct eorpc_history h;
	struct eorpc_hentry e[4], *found;
	struct released r = {};
	int i;

	KUNIT_ASSERT_EQ(test, eorpc_history_init(&h, 4, GFP_KERNEL), 0);
	for (i = 0; i < 4; i++)
		insert(&h, &e[i], i + 1);
	KUNIT_EXPECT_EQ(test, eorpc_history_ack(&h, 2, count_release, &r), 2U);
	KUNIT_EXPECT_EQ(test, r.count, 2U);
	KUNIT_EXPECT_EQ(test, r.last_id, 2ULL);
	KUNIT_EXPECT_EQ(test, h.live, 2U);
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 3, &found),
			EORPC_HIST_KNOWN);
	KUNIT_EXPECT_PTR_EQ(test, found, &e[2]);
	/* An old ack changes nothing. */
	KUNIT_EXPECT_EQ(test, eorpc_history_ack(&h, 1, count_release, &r), 0U);
	KUNIT_EXPECT_EQ(test, h.ack, 2ULL);
	eorpc_history_drain(&h, count_release, &r);
	KUNIT_EXPECT_EQ(test, r.count, 4U);
	KUNIT_EXPECT_EQ(test, h.live, 0U);
	eorpc_history_destroy(&h);
}

static void history__duplicate_after_ack_is_refused(struct kunit *test)
{
	struct eorpc_history h;
	struct eorpc_hentry e, *found;
	struct released r = {};

	KUNIT_ASSERT_EQ(test, eorpc_history_init(&h, 4, GFP_KERNEL), 0);
	insert(&h, &e, 1);
	eorpc_history_ack(&h, 1, count_release, &r);
	/* The freed id must never look new again: that would re-deliver. */
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 1, &found),
			EORPC_HIST_STALE);
	/* Nor may an id the client abandoned before the server saw it. */
	eorpc_history_ack(&h, 3, count_release, &r);
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 2, &found),
			EORPC_HIST_STALE);
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 4, &found), EORPC_HIST_NEW);
	eorpc_history_destroy(&h);
}

/* An abandoned partial request: its id is new again, its neighbours stay. */
static void history__remove_makes_the_id_new_again(struct kunit *test)
{
	struct eorpc_history h;
	struct eorpc_hentry a, b, *found;
	struct released r = {};

	KUNIT_ASSERT_EQ(test, eorpc_history_init(&h, 4, GFP_KERNEL), 0);
	insert(&h, &a, 1);
	insert(&h, &b, 2);
	eorpc_history_remove(&h, &a);
	KUNIT_EXPECT_EQ(test, h.live, 1U);
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 1, &found),
			EORPC_HIST_NEW);
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 2, &found),
			EORPC_HIST_KNOWN);
	KUNIT_EXPECT_PTR_EQ(test, found, &b);
	/* The ack point did not move: nothing below it became new. */
	KUNIT_EXPECT_EQ(test, h.ack, 0ULL);
	eorpc_history_drain(&h, count_release, &r);
	KUNIT_EXPECT_EQ(test, r.count, 1U);
	KUNIT_EXPECT_EQ(test, r.last_id, 2ULL);
	eorpc_history_destroy(&h);
}

static void history__ring_slots_wrap(struct kunit *test)
{
	struct eorpc_history h;
	struct eorpc_hentry a, b, *found;
	struct released r = {};

	KUNIT_ASSERT_EQ(test, eorpc_history_init(&h, 2, GFP_KERNEL), 0);
	insert(&h, &a, 1);
	insert(&h, &b, 2);
	eorpc_history_ack(&h, 1, count_release, &r);
	/* id 3 shares id 1's slot; 1 is gone, 2 stays. */
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 3, &found), EORPC_HIST_NEW);
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 2, &found),
			EORPC_HIST_KNOWN);
	KUNIT_EXPECT_PTR_EQ(test, found, &b);
	/* A jump far past the window releases everything that was live. */
	KUNIT_EXPECT_EQ(test, eorpc_history_ack(&h, 1000, count_release, &r), 1U);
	KUNIT_EXPECT_EQ(test, h.live, 0U);
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 1001, &found),
			EORPC_HIST_NEW);
	KUNIT_EXPECT_EQ(test, eorpc_history_classify(&h, 1003, &found),
			EORPC_HIST_BEYOND);
	eorpc_history_destroy(&h);
}

static struct kunit_case history_cases[] = {
	KUNIT_CASE(history__init_rejects_bad_windows),
	KUNIT_CASE(history__new_then_duplicate),
	KUNIT_CASE(history__window_bounds),
	KUNIT_CASE(history__ack_frees_exactly_the_acked),
	KUNIT_CASE(history__duplicate_after_ack_is_refused),
	KUNIT_CASE(history__remove_makes_the_id_new_again),
	KUNIT_CASE(history__ring_slots_wrap),
	{}
};

static struct kunit_suite history_suite = {
	.name = "eorpc_history",
	.test_cases = history_cases,
};

kunit_test_suite(history_suite);
