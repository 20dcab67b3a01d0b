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

/* A window limited at EORPC_CWND_INITIAL by a path bound by its rate. */
static void limit_on_a_full_path(struct eorpc_cwnd *c)
{
	eorpc_cwnd_init(c);
	timed_rounds(c, 4, 100, 40);
}

/* Rounds of the window's size on a path until a probe starts; their count. */
static int rounds_to_probe(struct eorpc_cwnd *c, u32 base_us, u32 per_frag_us)
{
	u32 limit = c->limit;
	int n = 0;

	while (c->frags == limit && n <= 2 * EORPC_CWND_PROBE_ROUNDS) {
		timed_rounds(c, 1, base_us, per_frag_us);
		n++;
	}
	return n;
}

/*
 * A limit is probed once per EORPC_CWND_PROBE_ROUNDS rounds at it, with a
 * round of twice the limit; on a path still full it holds.
 */
static void cwnd__a_limit_is_probed_now_and_then_and_holds_on_a_full_path(struct kunit *test)
{
	struct eorpc_cwnd c;

	limit_on_a_full_path(&c);
	KUNIT_ASSERT_EQ(test, c.limit, EORPC_CWND_INITIAL);
	/* The round that set the limit was the first at it. */
	KUNIT_EXPECT_EQ(test, rounds_to_probe(&c, 100, 40),
			EORPC_CWND_PROBE_ROUNDS - 1);
	KUNIT_EXPECT_EQ(test, c.frags, 2 * EORPC_CWND_INITIAL);
	/* Twice the fragments, twice the time: full, back to the limit. */
	timed_rounds(&c, 1, 100, 40);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, c.limit, EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, rounds_to_probe(&c, 100, 40),
			EORPC_CWND_PROBE_ROUNDS);
}

/*
 * A limit that a busy moment set on a long path (a round trip of 50 ms that
 * moves a fragment every 10 us): the probe finds room twice and the window
 * grows to a whole message again.
 */
static void cwnd__a_probe_lifts_a_limit_the_path_no_longer_has(struct kunit *test)
{
	struct eorpc_cwnd c;

	limit_on_a_full_path(&c);
	KUNIT_EXPECT_EQ(test, rounds_to_probe(&c, 50000, 10),
			EORPC_CWND_PROBE_ROUNDS - 1);
	timed_rounds(&c, 1, 50000, 10);
	/* One probe round that found room lifts nothing yet. */
	KUNIT_EXPECT_EQ(test, c.limit, EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, c.frags, 2 * EORPC_CWND_INITIAL);
	timed_rounds(&c, 1, 50000, 10);
	KUNIT_EXPECT_EQ(test, c.limit, (u16)EORPC_MAX_FRAGS);
	KUNIT_EXPECT_EQ(test, c.frags, 4 * EORPC_CWND_INITIAL);
	timed_rounds(&c, 30, 50000, 10);
	KUNIT_EXPECT_EQ(test, c.frags, (u16)EORPC_MAX_FRAGS);
}

/*
 * One probe round that passes on a lucky moment, then a full one: the
 * limit holds. So does it after a probe that lost a fragment (and the
 * window halves), or that a message's shorter last round answered.
 */
static void cwnd__a_probe_that_finds_no_room_twice_keeps_the_limit(struct kunit *test)
{
	struct eorpc_cwnd c;

	limit_on_a_full_path(&c);
	rounds_to_probe(&c, 100, 40);
	eorpc_cwnd_round(&c, false, c.frags, 2700);
	KUNIT_EXPECT_EQ(test, c.frags, 2 * EORPC_CWND_INITIAL);
	timed_rounds(&c, 1, 100, 40);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, c.limit, EORPC_CWND_INITIAL);

	rounds_to_probe(&c, 100, 40);
	eorpc_cwnd_round(&c, true, c.frags, 0);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL / 2);
	KUNIT_EXPECT_EQ(test, c.limit, EORPC_CWND_INITIAL);

	limit_on_a_full_path(&c);
	rounds_to_probe(&c, 100, 40);
	eorpc_cwnd_round(&c, false, 13, 620);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, c.limit, EORPC_CWND_INITIAL);
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
	KUNIT_CASE(cwnd__a_limit_is_probed_now_and_then_and_holds_on_a_full_path),
	KUNIT_CASE(cwnd__a_probe_lifts_a_limit_the_path_no_longer_has),
	KUNIT_CASE(cwnd__a_probe_that_finds_no_room_twice_keeps_the_limit),
	{}
};

static struct kunit_suite cwnd_suite = {
	.name = "eorpc_cwnd",
	.test_cases = cwnd_cases,
};

kunit_test_suite(cwnd_suite);
