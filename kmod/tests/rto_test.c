// SPDX-License-Identifier: GPL-2.0
/* KUnit: the RFC 6298 estimator and backoff. */
#include <kunit/test.h>
#include "../rto.h"

enum { MIN_US = 20000, MAX_US = 2000000 };

static void rto__initial_until_first_sample(struct kunit *test)
{
	struct eorpc_rto r;

	eorpc_rto_init(&r, 200000);
	KUNIT_EXPECT_EQ(test, r.rto, 200000U);
	KUNIT_EXPECT_EQ(test, r.samples, 0U);
}

static void rto__first_sample_sets_srtt_and_var(struct kunit *test)
{
	struct eorpc_rto r;

	eorpc_rto_init(&r, 200000);
	eorpc_rto_sample(&r, 40000, MIN_US, MAX_US);
	KUNIT_EXPECT_EQ(test, r.srtt, 40000U);
	KUNIT_EXPECT_EQ(test, r.rttvar, 20000U);
	/* SRTT + 4 * RTTVAR */
	KUNIT_EXPECT_EQ(test, r.rto, 120000U);
}

static void rto__converges_and_clamps(struct kunit *test)
{
	struct eorpc_rto r;
	int i;

	eorpc_rto_init(&r, 200000);
	for (i = 0; i < 200; i++)
		eorpc_rto_sample(&r, 1000, MIN_US, MAX_US);
	KUNIT_EXPECT_LE(test, r.srtt, 1100U);
	KUNIT_EXPECT_GE(test, r.srtt, 1000U);
	/* A steady 1 ms path still gets the minimum. */
	KUNIT_EXPECT_EQ(test, r.rto, (u32)MIN_US);
	eorpc_rto_sample(&r, 100000000, MIN_US, MAX_US);
	KUNIT_EXPECT_EQ(test, r.rto, (u32)MAX_US);
}

static void rto__variance_follows_jitter(struct kunit *test)
{
	struct eorpc_rto steady, jittery;
	int i;

	eorpc_rto_init(&steady, 200000);
	eorpc_rto_init(&jittery, 200000);
	for (i = 0; i < 50; i++) {
		eorpc_rto_sample(&steady, 50000, 1, MAX_US);
		eorpc_rto_sample(&jittery, i % 2 ? 20000 : 80000, 1, MAX_US);
	}
	KUNIT_EXPECT_GT(test, jittery.rto, steady.rto);
}

static void rto__backoff_doubles_to_cap(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, eorpc_rto_backoff(20000, MAX_US), 40000U);
	KUNIT_EXPECT_EQ(test, eorpc_rto_backoff(1500000, MAX_US), (u32)MAX_US);
	KUNIT_EXPECT_EQ(test, eorpc_rto_backoff(MAX_US, MAX_US), (u32)MAX_US);
	/* No overflow near the top of u32. */
	KUNIT_EXPECT_EQ(test, eorpc_rto_backoff(0xF0000000U, 0xFFFFFFFFU),
			0xFFFFFFFFU);
}

static struct kunit_case rto_cases[] = {
	KUNIT_CASE(rto__initial_until_first_sample),
	KUNIT_CASE(rto__first_sample_sets_srtt_and_var),
	KUNIT_CASE(rto__converges_and_clamps),
	KUNIT_CASE(rto__variance_follows_jitter),
	KUNIT_CASE(rto__backoff_doubles_to_cap),
	{}
};

static struct kunit_suite rto_suite = {
	.name = "eorpc_rto",
	.test_cases = rto_cases,
};

kunit_test_suite(rto_suite);
