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
		eorpc_cwnd_round(&c, lost);
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
	eorpc_cwnd_round(&c, false);
	KUNIT_EXPECT_EQ(test, c.frags, 2 * EORPC_CWND_INITIAL);
	/* A loss sets the threshold at half... */
	eorpc_cwnd_round(&c, true);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL);
	KUNIT_EXPECT_EQ(test, c.ssthresh, EORPC_CWND_INITIAL);
	/* ...above which growth is additive. */
	eorpc_cwnd_round(&c, false);
	KUNIT_EXPECT_EQ(test, c.frags, EORPC_CWND_INITIAL + EORPC_CWND_MIN);
	eorpc_cwnd_round(&c, false);
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

static struct kunit_case cwnd_cases[] = {
	KUNIT_CASE(cwnd__starts_with_every_64_kib_message_whole),
	KUNIT_CASE(cwnd__clean_rounds_double_then_add),
	KUNIT_CASE(cwnd__losses_halve_down_to_the_floor),
	KUNIT_CASE(cwnd__never_above_the_largest_message),
	KUNIT_CASE(cwnd__messages_of_64_kib_leave_whole_whatever_the_window),
	{}
};

static struct kunit_suite cwnd_suite = {
	.name = "eorpc_cwnd",
	.test_cases = cwnd_cases,
};

kunit_test_suite(cwnd_suite);
