// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: message bodies when their allocation fails. The module's fault
 * point is made to fire with the task's fail-nth count, so the failure is
 * the very next allocation, not a random one.
 */
#include <kunit/test.h>
#include <linux/sched.h>
#include "../eorpc.h"

static void msg__alloc_sets_length_and_buffer(struct kunit *test)
{
	struct eorpc_msg m;

	KUNIT_ASSERT_EQ(test, eorpc_msg_alloc(&m, 3000), 0);
	KUNIT_EXPECT_EQ(test, m.len, 3000U);
	KUNIT_EXPECT_NOT_NULL(test, m.data);
	KUNIT_EXPECT_EQ(test, m.have, 0ULL);
	eorpc_msg_free(&m);
}

static void msg__failed_alloc_leaves_message_empty(struct kunit *test)
{
	struct eorpc_msg m = { .len = 7, .have = 1 };

	current->fail_nth = 1;
	KUNIT_EXPECT_EQ(test, eorpc_msg_alloc(&m, 3000), -ENOMEM);
	current->fail_nth = 0;
	KUNIT_EXPECT_EQ(test, m.len, 0U);
	KUNIT_EXPECT_NULL(test, m.data);
	KUNIT_EXPECT_EQ(test, m.have, 0ULL);
	/* Freeing it, as a failed call's cleanup does, is harmless. */
	eorpc_msg_free(&m);
}

static struct kunit_case msg_cases[] = {
	KUNIT_CASE(msg__alloc_sets_length_and_buffer),
	KUNIT_CASE(msg__failed_alloc_leaves_message_empty),
	{}
};

static struct kunit_suite msg_suite = {
	.name = "eorpc_msg",
	.test_cases = msg_cases,
};

kunit_test_suite(msg_suite);
