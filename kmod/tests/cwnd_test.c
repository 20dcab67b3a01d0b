// SPDX-License-Identifier: GPL-2.0
/* KUnit: the per-peer congestion window, in fragments per round. */
#include <kunit/test.h>
#include "../cwnd.h"
#include "../wire.h"

/* A fresh window after @rounds reports, each lost or clean as @lost. */
static struct eorpc_cwnd after_rounds(int rounds, bool lost)
{
	struct eorpc_cwnd c;

	eorpc_cwnd_init(&c);
	while (rounds--)
		eorpc_cwnd_round(&c, lost, 0, 0);
	return c;
}

static void cwnd__starts_with_every_64_kib_message_whole(struct kunit *test)
{
	struct eorpc_cwnd c;

	eorpc_cwnd_init(&c);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL);
	KUNIT_EXPECT_GE(test, (u32)c.frags * EORPC_FRAG_DATA, 65536U);
}

static void cwnd__clean_rounds_double_then_add(struct kunit *test)
{
	struct eorpc_cwnd c;

	eorpc_cwnd_init(&c);
	eorpc_cwnd_round(&c, false, 0, 0);
	KUNIT_EXPECT_EQ(test, c.frags, 2 * EORPC_CWND_INITIAL);
	/* A loss sets the threshold at half... */
	eorpc_cwnd_round(&c, true, 0, 0);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, c.ssthresh, EORPC_CWND_INITIAL);
	/* ...above which growth is additive. */
	eorpc_cwnd_round(&c, false, 0, 0);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL + EORPC_CWND_MIN);
	eorpc_cwnd_round(&c, false, 0, 0);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL + 2 * EORPC_CWND_MIN);
}

static void cwnd__losses_halve_down_to_the_floor(struct kunit *test)
{
	struct eorpc_cwnd c = after_rounds(20, true);

	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_MIN);
	eorpc_cwnd_timeout(&c);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_MIN);
}

static void cwnd__never_above_the_largest_message(struct kunit *test)
{
	struct eorpc_cwnd c = after_rounds(200, false);

	KUNIT_EXPECT_EQ(test, c.frags, (u16)EORPC_MAX_FRAGS);
	eorpc_cwnd_timeout(&c);
	KUNIT_EXPECT_EQ(test, c.frags, (u16)(EORPC_MAX_FRAGS / 2));
}

static void cwnd__messages_of_64_kib_leave_whole_whatever_the_window(struct kunit *test)
{
	struct eorpc_cwnd c = after_rounds(4, true);

	KUNIT_EXPECT_EQ(test, eorpc_cwnd_budget(&c, 49), 49U);
	KUNIT_EXPECT_EQ(test, eorpc_cwnd_budget(&c, EORPC_CWND_INITIAL),
			(u32)EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, eorpc_cwnd_budget(&c, EORPC_CWND_INITIAL + 1),
			(u32)c.frags);
	KUNIT_EXPECT_LT(test, (u32)c.frags, (u32)EORPC_CWND_INITIAL);
}

/*
 * Clean rounds of the window's size, each taking @base_us plus @per_frag_us
 * for each of its fragments: a path of round trip @base_us that moves a
 * fragment every @per_frag_us.
 */
static void timed_rounds(struct eorpc_cwnd *c, int rounds, u32 base_us,
			 u32 per_frag_us)
{
	while (rounds--)
		eorpc_cwnd_round(c, false, c->frags,
				 base_us + c->frags * per_frag_us);
}

/* Rounds that take as long as their size (a full path) stop growing. */
static void cwnd__rounds_bound_by_the_path_rate_stop_growing(struct kunit *test)
{
	struct eorpc_cwnd c;

	eorpc_cwnd_init(&c);
	/* The first timed round has nothing to compare with: it grows. */
	timed_rounds(&c, 1, 100, 40);
	KUNIT_EXPECT_EQ(test, c.frags, 2 * EORPC_CWND_INITIAL);
	/* Twice the fragments, about twice the time: back to the smaller. */
	timed_rounds(&c, 1, 100, 40);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, c.limit, (u16)EORPC_MAX_FRAGS);
	/* The doubling tried again, as slow: that is the limit. */
	timed_rounds(&c, 1, 100, 40);
	KUNIT_EXPECT_EQ(test, c.frags, 2 * EORPC_CWND_INITIAL);
	timed_rounds(&c, 1, 100, 40);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, c.limit, EORPC_CWND_INITIAL);
	timed_rounds(&c, 50, 100, 40);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL);
	/* A loss halves it; clean rounds grow it back to the limit only. */
	eorpc_cwnd_round(&c, true, c.frags, 0);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL / 2);
	timed_rounds(&c, 50, 100, 40);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL);
}

/* Rounds that take one round trip whatever their size grow to the most. */
static void cwnd__rounds_bound_by_the_round_trip_grow_to_a_message(struct kunit *test)
{
	struct eorpc_cwnd c;

	eorpc_cwnd_init(&c);
	/* 50 ms of round trip, 10 us per fragment: a long, fast path. */
	timed_rounds(&c, 30, 50000, 10);
	KUNIT_EXPECT_EQ(test, c.frags, (u16)EORPC_MAX_FRAGS);
	KUNIT_EXPECT_EQ(test, c.limit, (u16)EORPC_MAX_FRAGS);
}

/* The line: a doubled round may take up to 1.5 times as long. */
static void cwnd__a_doubled_round_may_take_less_than_half_again(struct kunit *test)
{
	struct eorpc_cwnd c;

	eorpc_cwnd_init(&c);
	eorpc_cwnd_round(&c, false, 64, 1000);
	eorpc_cwnd_round(&c, false, 128, 1499);
	KUNIT_EXPECT_EQ(test, c.frags, 4 * EORPC_CWND_INITIAL);
	eorpc_cwnd_round(&c, false, 256, 2248);
	KUNIT_EXPECT_EQ(test, c.frags, 8 * EORPC_CWND_INITIAL);
	eorpc_cwnd_round(&c, false, 512, 3374);
	KUNIT_EXPECT_EQ(test, c.frags, 4 * EORPC_CWND_INITIAL);
	eorpc_cwnd_round(&c, false, 256, 2248);
	eorpc_cwnd_round(&c, false, 512, 3374);
	KUNIT_EXPECT_EQ(test, c.frags, 4 * EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, c.limit, 4 * EORPC_CWND_INITIAL);
}

/*
 * One slow doubling (a stall: a descheduled guest) sets no limit; the
 * doubling is tried again, and one that passes clears the strike.
 */
static void cwnd__one_slow_doubling_sets_no_limit(struct kunit *test)
{
	struct eorpc_cwnd c;

	eorpc_cwnd_init(&c);
	eorpc_cwnd_round(&c, false, 64, 1000);
	eorpc_cwnd_round(&c, false, 128, 5000);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, c.limit, (u16)EORPC_MAX_FRAGS);
	eorpc_cwnd_round(&c, false, 64, 1000);
	eorpc_cwnd_round(&c, false, 128, 1100);
	KUNIT_EXPECT_EQ(test, c.frags, 4 * EORPC_CWND_INITIAL);
	eorpc_cwnd_round(&c, false, 256, 1200);
	eorpc_cwnd_round(&c, false, 512, 10000);
	KUNIT_EXPECT_EQ(test, c.frags, 4 * EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, c.limit, (u16)EORPC_MAX_FRAGS);
	eorpc_cwnd_round(&c, false, 256, 1200);
	eorpc_cwnd_round(&c, false, 512, 1300);
	KUNIT_EXPECT_EQ(test, c.frags, (u16)EORPC_MAX_FRAGS);
	KUNIT_EXPECT_EQ(test, c.limit, (u16)EORPC_MAX_FRAGS);
}

/* Untimed reports (retransmitted rounds) grow the window as before. */
static void cwnd__untimed_rounds_do_not_set_a_limit(struct kunit *test)
{
	struct eorpc_cwnd c;

	eorpc_cwnd_init(&c);
	eorpc_cwnd_round(&c, false, 64, 1000);
	eorpc_cwnd_round(&c, false, 128, 0);
	eorpc_cwnd_round(&c, false, 256, 0);
	KUNIT_EXPECT_EQ(test, c.frags, 8 * EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, c.limit, (u16)EORPC_MAX_FRAGS);
}

static struct kunit_case cwnd_cases[] = {
	KUNIT_CASE(cwnd__starts_with_every_64_kib_message_whole),
	KUNIT_CASE(cwnd__clean_rounds_double_then_add),
	KUNIT_CASE(cwnd__losses_halve_down_to_the_floor),
	KUNIT_CASE(cwnd__never_above_the_largest_message),
	KUNIT_CASE(cwnd__messages_of_64_kib_leave_whole_whatever_the_window),
	KUNIT_CASE(cwnd__rounds_bound_by_the_path_rate_stop_growing),
	KUNIT_CASE(cwnd__rounds_bound_by_the_round_trip_grow_to_a_message),
	KUNIT_CASE(cwnd__a_doubled_round_may_take_less_than_half_again),
	KUNIT_CASE(cwnd__one_slow_doubling_sets_no_limit),
	KUNIT_CASE(cwnd__untimed_rounds_do_not_set_a_limit),
	{}
};

static struct kunit_suite cwnd_suite = {
	.name = "eorpc_cwnd",
	.test_cases = cwnd_cases,
};

kunit_test_suite(cwnd_suite);
