// SPDX-License-Identifier: GPL-2.0
/* KUnit: a client session's pace of calls and its standalone ACK's delay. */
#include <kunit/test.h>
#include "../ackpace.h"

enum { RTO_MIN_MS = 100 };

/* Far enough that @latest never decides unless a case says so. */
static ktime_t far(ktime_t now)
{
	return ktime_add_ms(now, 3600 * 1000);
}

/* @n calls, each @gap_ms after the previous one ended; returns the time. */
static ktime_t paced_calls(struct eorpc_ack_pace *ap, ktime_t now, int n,
			   u32 gap_ms)
{
	while (n--) {
		eorpc_ack_pace_idle(ap, now);
		now = ktime_add_ms(now, gap_ms);
		eorpc_ack_pace_call(ap, now);
		now = ktime_add_ms(now, 1);	/* the call's round trip */
	}
	return now;
}

static void ackpace__without_a_pace_ack_after_rto_min(struct kunit *test)
{
	struct eorpc_ack_pace ap = {};
	ktime_t now = ms_to_ktime(1000);

	KUNIT_EXPECT_EQ(test, eorpc_ack_pace_due(&ap, now, RTO_MIN_MS, far(now), true),
			ktime_add_ms(now, RTO_MIN_MS));
}

static void ackpace__steady_pace_waits_half_a_gap_past_the_next_call(struct kunit *test)
{
	struct eorpc_ack_pace ap = {};
	ktime_t now = paced_calls(&ap, ms_to_ktime(1000), 5, 2000);

	KUNIT_EXPECT_EQ(test, ap.gap_us, 2000000U);
	KUNIT_EXPECT_EQ(test, eorpc_ack_pace_due(&ap, now, RTO_MIN_MS, far(now), true),
			ktime_add_ms(now, 3000));
}

static void ackpace__larger_reply_is_acknowledged_after_rto_min(struct kunit *test)
{
	struct eorpc_ack_pace ap = {};
	ktime_t now = paced_calls(&ap, ms_to_ktime(1000), 5, 2000);

	KUNIT_EXPECT_EQ(test, eorpc_ack_pace_due(&ap, now, RTO_MIN_MS, far(now), false),
			ktime_add_ms(now, RTO_MIN_MS));
}

static void ackpace__due_within_rto_min_and_latest(struct kunit *test)
{
	struct eorpc_ack_pace ap = {};
	ktime_t now = paced_calls(&ap, ms_to_ktime(1000), 3, 10);

	/* A pace quicker than rto_min: rto_min, as before. */
	KUNIT_EXPECT_EQ(test, eorpc_ack_pace_due(&ap, now, RTO_MIN_MS, far(now), true),
			ktime_add_ms(now, RTO_MIN_MS));
	/* A slow one: no later than the idle session would be closed. */
	now = paced_calls(&ap, now, 8, 100000);
	KUNIT_EXPECT_EQ(test, eorpc_ack_pace_due(&ap, now, RTO_MIN_MS,
						 ktime_add_ms(now, 60000), true),
			ktime_add_ms(now, 60000));
	/* ...and never sooner than rto_min, even if the close is. */
	KUNIT_EXPECT_EQ(test, eorpc_ack_pace_due(&ap, now, RTO_MIN_MS, now, true),
			ktime_add_ms(now, RTO_MIN_MS));
}

static void ackpace__calls_that_overlap_take_no_sample(struct kunit *test)
{
	struct eorpc_ack_pace ap = {};
	ktime_t now = ms_to_ktime(1000);

	/* Pipelined: each call starts while others run; none found it idle. */
	for (int i = 0; i < 8; i++) {
		now = ktime_add_ms(now, 500);
		eorpc_ack_pace_call(&ap, now);
	}
	KUNIT_EXPECT_EQ(test, ap.gap_us, 0U);
	/* A gap counts once: the second call of a burst is no sample. */
	eorpc_ack_pace_idle(&ap, now);
	eorpc_ack_pace_call(&ap, ktime_add_ms(now, 40));
	eorpc_ack_pace_call(&ap, ktime_add_ms(now, 5000));
	KUNIT_EXPECT_EQ(test, ap.gap_us, 40000U);
}

static void ackpace__pace_follows_a_change(struct kunit *test)
{
	struct eorpc_ack_pace ap = {};
	ktime_t now = paced_calls(&ap, ms_to_ktime(1000), 4, 4000);

	/* From every 4 s to every 200 ms: a quarter of the way per call. */
	now = paced_calls(&ap, now, 1, 200);
	KUNIT_EXPECT_EQ(test, ap.gap_us, 3050000U);
	now = paced_calls(&ap, now, 15, 200);
	KUNIT_EXPECT_LT(test, ap.gap_us, 300000U);
	KUNIT_EXPECT_GE(test, ap.gap_us, 200000U);
}

static struct kunit_case ackpace_cases[] = {
	KUNIT_CASE(ackpace__without_a_pace_ack_after_rto_min),
	KUNIT_CASE(ackpace__steady_pace_waits_half_a_gap_past_the_next_call),
	KUNIT_CASE(ackpace__larger_reply_is_acknowledged_after_rto_min),
	KUNIT_CASE(ackpace__due_within_rto_min_and_latest),
	KUNIT_CASE(ackpace__calls_that_overlap_take_no_sample),
	KUNIT_CASE(ackpace__pace_follows_a_change),
	{}
};

static struct kunit_suite ackpace_suite = {
	.name = "eorpc_ackpace",
	.test_cases = ackpace_cases,
};

kunit_test_suite(ackpace_suite);
