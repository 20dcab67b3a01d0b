// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the namespace's table of client sessions by epoch (demux.c),
 * which a shared UDP socket's hooks read to find a packet's socket.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include "client_steps.h"
#include "../demux.h"

/* What the shared socket's hooks would find for @epoch. */
static struct eorpc_sock *find(struct sm_harness *h, u64 epoch)
{
	struct eorpc_sock *ep;

	rcu_read_lock();
	ep = eorpc_demux_find(sock_net(&h->ep->sk), epoch);
	rcu_read_unlock();
	return ep;
}

static void demux__sharing_socket_is_found_by_epoch_until_session_ends(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs;
	struct eorpc_pkt refused;
	u64 epoch;

	h->ep->udp_shared = true;
	KUNIT_ASSERT_EQ(test, sm_call(h, "ping", 4, 1, 0), 4);
	cs = session(h);
	KUNIT_ASSERT_NOT_NULL(test, cs);
	epoch = cs->client_epoch;
	KUNIT_EXPECT_PTR_EQ(test, find(h, epoch), h->ep);
	KUNIT_EXPECT_NULL(test, find(h, epoch + 1));

	refused = from_server(cs, EORPC_PKT_ERROR);
	refused.code = EORPC_WERR_REFUSED;
	refused.session_id = 0;	/* the session is not set up yet */
	sm_input(h, &h->peer, &refused, NULL, 0);
	KUNIT_ASSERT_NULL(test, session(h));
	KUNIT_EXPECT_NULL(test, find(h, epoch));
}

static void demux__socket_of_its_own_is_not_in_the_table(struct kunit *test)
{
	struct sm_harness *h = sm(test);

	KUNIT_ASSERT_EQ(test, sm_call(h, "ping", 4, 1, 0), 4);
	KUNIT_ASSERT_NOT_NULL(test, session(h));
	KUNIT_EXPECT_NULL(test, find(h, session(h)->client_epoch));
}

static void demux__epoch_another_session_holds_is_drawn_again(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *a, *b;
	u64 epoch = eorpc_random_epoch();

	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	a->client_epoch = epoch;
	b->client_epoch = epoch;
	lock_sock(&h->ep->sk);
	KUNIT_EXPECT_EQ(test, eorpc_demux_add(h->ep, a), 0);
	KUNIT_EXPECT_EQ(test, eorpc_demux_add(h->ep, b), 0);
	KUNIT_EXPECT_EQ(test, a->client_epoch, epoch);
	KUNIT_EXPECT_NE(test, b->client_epoch, epoch);
	KUNIT_EXPECT_PTR_EQ(test, find(h, epoch), h->ep);
	KUNIT_EXPECT_PTR_EQ(test, find(h, b->client_epoch), h->ep);
	eorpc_demux_del(h->ep, a);
	KUNIT_EXPECT_NULL(test, find(h, epoch));
	KUNIT_EXPECT_PTR_EQ(test, find(h, b->client_epoch), h->ep);
	eorpc_demux_del(h->ep, b);
	KUNIT_EXPECT_NULL(test, find(h, b->client_epoch));
	release_sock(&h->ep->sk);
}

static struct kunit_case demux_cases[] = {
	KUNIT_CASE(demux__sharing_socket_is_found_by_epoch_until_session_ends),
	KUNIT_CASE(demux__socket_of_its_own_is_not_in_the_table),
	KUNIT_CASE(demux__epoch_another_session_holds_is_drawn_again),
	{}
};

static struct kunit_suite demux_suite = {
	.name = "eorpc_demux",
	.suite_init = sm_suite_init,
	.suite_exit = sm_suite_exit,
	.init = sm_init,
	.exit = sm_exit,
	.test_cases = demux_cases,
};

kunit_test_suite(demux_suite);
