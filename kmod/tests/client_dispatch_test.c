// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: where a client socket's datagrams and timer are processed
 * (dispatch.c): in softirq, by the task that owns the socket in
 * release_sock(), or by the work item, which yields to tasks and takes a
 * budget per run.
 */
#include <kunit/test.h>
#include "../dispatch.h"
#include "client_steps.h"

/* A reply as the UDP hook hands it over, in softirq. */
static void reply_in_softirq(struct sm_harness *h,
			     struct eorpc_client_session *cs, u64 id,
			     const char *data, u32 len)
{
	struct eorpc_pkt pkt = reply_pkt(cs, id, len);

	sm_receive(h, &h->peer, &pkt, data, len);
}

/* The fast path: no work item between a reply and its waiting caller. */
static void client__reply_in_softirq_completes_call_there(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 7, 0);
	struct eorpc_call *call;

	reply_in_softirq(h, cs, 1, "pong", 4);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&h->ep->rx_backlog), 0U);
	KUNIT_ASSERT_EQ(test, sm_recvq_len(h), 1U);
	call = sm_completion(h, 7);
	KUNIT_ASSERT_NOT_NULL(test, call);
	KUNIT_EXPECT_EQ(test, call->error, 0);
	KUNIT_ASSERT_EQ(test, call->reply.len, 4U);
	KUNIT_EXPECT_EQ(test, memcmp(call->reply.data, "pong", 4), 0);
	/* A duplicate in softirq completes nothing (G6). */
	reply_in_softirq(h, cs, 1, "pong", 4);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 1U);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_STALE_REPLIES), 1ULL);
}

/* The reply waits for the work item, unprocessed. */
static void expect_reply_queued(struct kunit *test, struct sm_harness *h)
{
	KUNIT_EXPECT_EQ(test, skb_queue_len(&h->ep->rx_backlog), 1U);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
}

/* A run of the work item completes the call with the queued reply. */
static void work_completes_call(struct kunit *test, struct sm_harness *h)
{
	eorpc_work(&h->ep->work);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&h->ep->rx_backlog), 0U);
	KUNIT_ASSERT_EQ(test, sm_recvq_len(h), 1U);
}

/*
 * While a task owns the socket (a system call), softirq leaves the reply to
 * the work item.
 */
static void client__reply_while_socket_owned_goes_to_work_item(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 7, 0);
	struct eorpc_call *call;

	lock_sock(&h->ep->sk);
	reply_in_softirq(h, cs, 1, "pong", 4);
	expect_reply_queued(test, h);
	release_sock(&h->ep->sk);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
	work_completes_call(test, h);
	call = sm_completion(h, 7);
	KUNIT_ASSERT_NOT_NULL(test, call);
	KUNIT_EXPECT_EQ(test, call->error, 0);
	KUNIT_EXPECT_EQ(test, memcmp(call->reply.data, "pong", 4), 0);
}

/*
 * A task waiting for the socket lock goes before the work item, which
 * leaves the reply queued; the task's release_sock() queues the work again.
 * (The work item used to hold the lock as long as datagrams kept coming:
 * a flood locked the application out.)
 */
static void client__work_item_yields_to_waiting_task(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 7, 0);
	int runs;

	lock_sock(&h->ep->sk);
	reply_in_softirq(h, cs, 1, "pong", 4);
	release_sock(&h->ep->sk);
	KUNIT_ASSERT_EQ(test, skb_queue_len(&h->ep->rx_backlog), 1U);
	runs = sm_work_runs(h);
	/* A task inside eorpc_lock_sock(), not yet owning the socket. */
	atomic_inc(&h->ep->tasks_waiting);
	eorpc_work(&h->ep->work);
	expect_reply_queued(test, h);
	lock_sock(&h->ep->sk);
	atomic_dec(&h->ep->tasks_waiting);
	KUNIT_EXPECT_EQ(test, sm_work_runs(h), runs);
	release_sock(&h->ep->sk);
	KUNIT_EXPECT_EQ(test, sm_work_runs(h), runs + 1);
	work_completes_call(test, h);
}

/*
 * While a task owns the socket the work item does not wait for the lock:
 * the owner's release_sock() queues it, as TCP defers a timer to the owner.
 */
static void client__work_item_leaves_owned_socket_to_owner(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 7, 0);
	int runs;

	lock_sock(&h->ep->sk);
	reply_in_softirq(h, cs, 1, "pong", 4);
	runs = sm_work_runs(h);
	/* Runs here, in the owner's context: waiting would never end. */
	eorpc_work(&h->ep->work);
	expect_reply_queued(test, h);
	release_sock(&h->ep->sk);
	KUNIT_EXPECT_EQ(test, sm_work_runs(h), runs + 1);
	work_completes_call(test, h);
}

/*
 * One run of the work item takes a budget of datagrams and queues itself
 * again for the rest, behind other sockets' work on the CPU.
 */
static void client__work_item_takes_a_budget_then_requeues(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 7, 0);
	u32 i, queued = 64 + 3;
	int runs;

	lock_sock(&h->ep->sk);
	for (i = 0; i < queued; i++)
		reply_in_softirq(h, cs, 1, "pong", 4);
	release_sock(&h->ep->sk);
	KUNIT_ASSERT_EQ(test, skb_queue_len(&h->ep->rx_backlog), queued);
	runs = sm_work_runs(h);
	eorpc_work(&h->ep->work);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&h->ep->rx_backlog), 3U);
	KUNIT_EXPECT_EQ(test, sm_work_runs(h), runs + 1);
	/* The first completed the call; the others were duplicates. */
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 1U);
	eorpc_work(&h->ep->work);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&h->ep->rx_backlog), 0U);
	KUNIT_EXPECT_EQ(test, sm_work_runs(h), runs + 1);
	KUNIT_EXPECT_EQ(test, sm_stat(h, EORPC_STAT_STALE_REPLIES), queued - 1ULL);
}

/*
 * A reply too large to allocate without sleeping, and every datagram but
 * REQUEST, REPLY, ACK and BUSY, is the work item's: softirq only queues it.
 */
static void client__large_reply_goes_to_work_item(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 7, 0);
	struct eorpc_pkt pkt = from_server(cs, EORPC_PKT_REPLY);
	struct eorpc_call *call = in_flight(cs, 1);
	char *frag;

	frag = kunit_kzalloc(test, EORPC_FRAG_DATA, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, frag);
	KUNIT_ASSERT_NOT_NULL(test, call);
	pkt.request_id = 1;
	pkt.msg_len = 16 * EORPC_FRAG_DATA;
	sm_receive(h, &h->peer, &pkt, frag, EORPC_FRAG_DATA);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&h->ep->rx_backlog), 1U);
	KUNIT_EXPECT_NULL(test, call->reply.data);
	pkt = from_server(cs, EORPC_PKT_WELCOME);
	sm_receive(h, &h->peer, &pkt, NULL, 0);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&h->ep->rx_backlog), 2U);
	KUNIT_EXPECT_EQ(test, sm_recvq_len(h), 0U);
}

/* Where the last reply is processed: under lock_sock(), or in softirq. */
static const bool reply_paths[] = { false, true };

static void reply_path_desc(const bool *in_softirq, char *desc)
{
	strscpy(desc, *in_softirq ? "softirq" : "lock_sock",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(reply_path, reply_paths, reply_path_desc);

/*
 * The timer follows the events that exist: once the last call ends, it is
 * set for the delayed ACK, not left at an earlier event that no longer
 * exists (the HELLO's or the finished call's retransmission, which comes
 * first when the timeout is rto_min, the usual case). Under lock_sock()
 * release_sock() settles it; in softirq, the receive path.
 */
static void client__timer_moves_to_ack_when_last_call_ends(struct kunit *test)
{
	const bool *in_softirq = test->param_value;
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs;
	struct eorpc_call *call;

	sm_net(h)->rto_initial_ms = sm_net(h)->rto_min_ms;
	cs = established(test, 4, 7, 0);
	call = in_flight(cs, 1);
	KUNIT_ASSERT_NOT_NULL(test, call);
	/* Set for the HELLO's retransmission still, or the request's. */
	KUNIT_EXPECT_LE(test, h->ep->timer_at, call->next_tx);
	if (*in_softirq)
		reply_in_softirq(h, cs, 1, "pong", 4);
	else
		reply(h, cs, 1, "pong", 4);
	KUNIT_ASSERT_EQ(test, sm_recvq_len(h), 1U);
	KUNIT_ASSERT_NE(test, cs->ack_due, 0);
	KUNIT_EXPECT_EQ(test, h->ep->timer_at, cs->ack_due);
	KUNIT_EXPECT_FALSE(test, h->ep->timer_stale);
}

/*
 * With no call unfinished the timer cannot retransmit, so it runs in
 * softirq, without the work item: the delayed ACK goes out there.
 */
static void client__timer_sends_ack_in_softirq_when_idle(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 7, 0);
	struct eorpc_tx_record *rec;

	reply(h, cs, 1, "pong", 4);
	KUNIT_ASSERT_NE(test, cs->ack_due, 0);
	cs->ack_due = ktime_get();	/* as if rto_min had passed */
	sm_timer_fires(h);
	rec = expect_sent(test, EORPC_PKT_ACK);
	KUNIT_EXPECT_EQ(test, rec->pkt.ack, 1ULL);
	KUNIT_EXPECT_EQ(test, cs->ack_due, 0);
	/* Next: the idle session's close, half the server's timeout away. */
	KUNIT_EXPECT_GT(test, h->ep->timer_at, ktime_get());
}

/*
 * A call in flight keeps the scans in the work item, whose delay batches a
 * socket's retransmissions; the hrtimer only queues it.
 */
static void client__timer_leaves_retransmission_to_work_item(struct kunit *test)
{
	struct sm_harness *h = sm(test);
	struct eorpc_client_session *cs = established(test, 4, 7, 0);
	struct eorpc_call *call = in_flight(cs, 1);
	struct eorpc_tx_record *rec;

	KUNIT_ASSERT_NOT_NULL(test, call);
	call->next_tx = ktime_get();	/* as if its timeout had passed */
	h->ep->timer_at = call->next_tx;
	sm_timer_fires(h);
	KUNIT_EXPECT_EQ(test, sm_sent_count(h), 0U);
	eorpc_work(&h->ep->work);
	rec = expect_sent(test, EORPC_PKT_REQUEST);
	KUNIT_EXPECT_EQ(test, rec->pkt.flags, EORPC_F_RETRANS);
}

static struct kunit_case client_dispatch_cases[] = {
	KUNIT_CASE(client__reply_in_softirq_completes_call_there),
	KUNIT_CASE(client__reply_while_socket_owned_goes_to_work_item),
	KUNIT_CASE(client__work_item_yields_to_waiting_task),
	KUNIT_CASE(client__work_item_leaves_owned_socket_to_owner),
	KUNIT_CASE(client__work_item_takes_a_budget_then_requeues),
	KUNIT_CASE(client__large_reply_goes_to_work_item),
	KUNIT_CASE_PARAM(client__timer_moves_to_ack_when_last_call_ends,
			 reply_path_gen_params),
	KUNIT_CASE(client__timer_sends_ack_in_softirq_when_idle),
	KUNIT_CASE(client__timer_leaves_retransmission_to_work_item),
	{}
};

static struct kunit_suite client_dispatch_suite = {
	.name = "eorpc_client_dispatch",
	.suite_init = sm_suite_init,
	.suite_exit = sm_suite_exit,
	.init = sm_init,
	.exit = sm_exit,
	.test_cases = client_dispatch_cases,
};

kunit_test_suite(client_dispatch_suite);
