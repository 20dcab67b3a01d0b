// SPDX-License-Identifier: GPL-2.0
/* KUnit harness for the client and server state machines (sm_harness.h). */
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/udp.h>
#include <linux/uio.h>
#include "../dispatch.h"
#include "sm_harness.h"

/* The suite set up the module's state itself (sm_suite_init()). */
static bool sm_own_netns;

/**
 * sm_suite_init() - a suite's .suite_init: the module's namespace state
 * @suite: the suite
 *
 * Some kernels (6.1) run a module's suites while it is still coming, before
 * eorpc_init(): then the suite registers the per-namespace state (tunables,
 * counters, cookie keys) and the workqueue for itself, and removes them
 * after.
 *
 * Return: 0 or a negative errno.
 */
int sm_suite_init(struct kunit_suite *suite)
{
	int err;

	if (THIS_MODULE->state != MODULE_STATE_COMING)
		return 0;
	/* The receive path kicks work items (an inert one in a test). */
	eorpc_wq = alloc_workqueue("eorpc-kunit", WQ_PERCPU, 0);
	if (!eorpc_wq)
		return -ENOMEM;
	err = eorpc_netns_init();
	sm_own_netns = !err;
	if (err) {
		destroy_workqueue(eorpc_wq);
		eorpc_wq = NULL;
	}
	return err;
}

void sm_suite_exit(struct kunit_suite *suite)
{
	if (sm_own_netns) {
		eorpc_netns_exit();
		destroy_workqueue(eorpc_wq);
		eorpc_wq = NULL;
	}
	sm_own_netns = false;
}

static atomic_t sm_work_queued;

/*
 * Nothing runs behind a test's back: no timer fires into the module, and
 * the work item only counts that it was queued (sm_work_runs()).
 */
static void sm_work_inert(struct work_struct *work)
{
	atomic_inc(&sm_work_queued);
}

/**
 * sm_work_runs() - how often the socket's work item was queued and ran
 * @h: the harness
 *
 * Return: the count so far, once a queued run has finished.
 */
int sm_work_runs(struct sm_harness *h)
{
	flush_work(&h->ep->work);
	return atomic_read(&sm_work_queued);
}

static enum hrtimer_restart sm_timer_inert(struct hrtimer *t)
{
	return HRTIMER_NORESTART;
}

void sm_addr(struct sockaddr_eorpc *a, u32 ip, u16 port)
{
	memset(a, 0, sizeof(*a));
	a->seo_family = eorpc_family;
	a->seo_transport = AF_INET;
	a->seo_port = htons(port);
	a->seo_addr4 = htonl(ip);
}

static void tunables_save(struct sm_tunables *t, const struct eorpc_net *en)
{
	t->rto_min_ms = en->rto_min_ms;
	t->rto_max_ms = en->rto_max_ms;
	t->rto_initial_ms = en->rto_initial_ms;
	t->window = en->window;
	t->session_timeout_ms = en->session_timeout_ms;
	t->max_sessions = en->max_sessions;
	t->max_history_bytes = en->max_history_bytes;
	t->session_max_reply_bytes = en->session_max_reply_bytes;
	t->max_msg_bytes = en->max_msg_bytes;
}

static void tunables_restore(struct eorpc_net *en, const struct sm_tunables *t)
{
	WRITE_ONCE(en->rto_min_ms, t->rto_min_ms);
	WRITE_ONCE(en->rto_max_ms, t->rto_max_ms);
	WRITE_ONCE(en->rto_initial_ms, t->rto_initial_ms);
	WRITE_ONCE(en->window, t->window);
	WRITE_ONCE(en->session_timeout_ms, t->session_timeout_ms);
	WRITE_ONCE(en->max_sessions, t->max_sessions);
	WRITE_ONCE(en->max_history_bytes, t->max_history_bytes);
	WRITE_ONCE(en->session_max_reply_bytes, t->session_max_reply_bytes);
	WRITE_ONCE(en->max_msg_bytes, t->max_msg_bytes);
}

/* The module's defaults, whatever the guest's sysctls say. */
static const struct sm_tunables sm_defaults = {
	.rto_min_ms = 100,
	.rto_max_ms = 2000,
	.rto_initial_ms = 300,
	.window = 4,
	.session_timeout_ms = 120000,
	.max_sessions = 65536,
	.max_history_bytes = 64 << 20,
	.session_max_reply_bytes = 1 << 20,
	.max_msg_bytes = EORPC_MAX_MSG_LEN,
};

/**
 * sm_init() - a suite's .init: a fresh socket, recorder and counters
 * @test: the test
 *
 * Return: 0, or -ENOMEM.
 */
int sm_init(struct kunit *test)
{
	struct eorpc_net *en = eorpc_net(&init_net);
	struct sm_harness *h;
	int i;

	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->test = test;
	h->ep = eorpc_sock_alloc(&init_net, NULL, 1);
	if (!h->ep)
		return -ENOMEM;
	hrtimer_setup(&h->ep->timer, sm_timer_inert, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS_SOFT);
	/* What goes to the work item stays on rx_backlog, for the test. */
	INIT_WORK(&h->ep->work, sm_work_inert);
	/* sendmsg() checks its budget on the socket's wait queue. */
	init_waitqueue_head(&h->wq.wait);
	RCU_INIT_POINTER(h->ep->sk.sk_wq, &h->wq);
	sm_addr(&h->ep->local, SM_LOCAL_IP, SM_LOCAL_PORT);
	h->ep->udp = &h->udp_stand_in;
	sm_addr(&h->peer, SM_PEER_IP, SM_PEER_PORT);
	test->priv = h;
	if (eorpc_tx_record_start(test, &h->tx, h->ep))
		return -ENOMEM;

	tunables_save(&h->tunables, en);
	tunables_restore(en, &sm_defaults);
	h->sessions = atomic_read(&en->sessions);
	for (i = 0; i < EORPC_STAT_MAX; i++)
		h->stats[i] = eorpc_stat_read(&init_net, i);
	return 0;
}

/*
 * A suite's .exit, also after a failed assertion: free the socket the way
 * close() does, and check that nothing stayed charged.
 */
void sm_exit(struct kunit *test)
{
	struct eorpc_net *en = eorpc_net(&init_net);
	struct sm_harness *h = test->priv;
	struct eorpc_rxitem *item, *tmp;
	struct eorpc_sock *ep;

	if (!h || !h->ep)
		return;
	ep = h->ep;
	/* Sends from here on fail (-ENOTCONN) instead of using the stand-in. */
	ep->udp = NULL;
	lock_sock(&ep->sk);
	ep->dead = true;
	eorpc_client_shutdown(ep);
	eorpc_server_stop(ep);
	release_sock(&ep->sk);
	hrtimer_cancel(&ep->timer);
	cancel_work_sync(&ep->work);
	skb_queue_purge(&ep->rx_backlog);
	list_for_each_entry_safe(item, tmp, &ep->recvq, link) {
		list_del(&item->link);
		if (item->kind == EORPC_RX_COMPLETION)
			eorpc_call_free(ep, container_of(item, struct eorpc_call,
							 rx));
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&ep->sk.sk_rmem_alloc), 0);
	KUNIT_EXPECT_EQ(test, ep->tx_charged, 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&en->sessions), h->sessions);
	RCU_INIT_POINTER(ep->sk.sk_wq, NULL);
	sock_put(&ep->sk);
	h->ep = NULL;
	tunables_restore(en, &h->tunables);
}

/* How much a counter grew since the test started. */
u64 sm_stat(struct sm_harness *h, enum eorpc_stat stat)
{
	return eorpc_stat_read(&init_net, stat) - h->stats[stat];
}

/* The oldest datagram sent and not yet looked at, or NULL. */
struct eorpc_tx_record *sm_sent(struct sm_harness *h)
{
	return eorpc_tx_record_next(&h->tx);
}

unsigned int sm_sent_count(struct sm_harness *h)
{
	return eorpc_tx_record_count(&h->tx);
}

void sm_sent_clear(struct sm_harness *h)
{
	while (eorpc_tx_record_next(&h->tx))
		;
}

/*
 * The datagram as the UDP hook queues it: data at the AF_EORPC header,
 * network and transport headers set, so eorpc_addr_from_skb() names the
 * sender.
 */
static struct sk_buff *datagram(struct sm_harness *h,
				const struct sockaddr_eorpc *from,
				const struct eorpc_pkt *pkt,
				const void *data, u32 len)
{
	u32 size = sizeof(struct iphdr) + sizeof(struct udphdr) +
		   sizeof(struct eorpc_wire_hdr) + len;
	struct eorpc_wire_hdr hdr;
	struct sk_buff *skb;
	struct udphdr *uh;
	struct iphdr *iph;

	skb = alloc_skb(size, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb->protocol = htons(ETH_P_IP);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->protocol = IPPROTO_UDP;
	iph->tot_len = htons(size);
	iph->saddr = from->seo_addr4;
	iph->daddr = h->ep->local.seo_addr4;
	skb_set_transport_header(skb, sizeof(*iph));
	uh = skb_put_zero(skb, sizeof(*uh));
	uh->source = from->seo_port;
	uh->dest = h->ep->local.seo_port;
	uh->len = htons(size - sizeof(*iph));
	eorpc_wire_encode(pkt, &hdr);
	skb_put_data(skb, &hdr, sizeof(hdr));
	if (len)
		skb_put_data(skb, data, len);
	skb_pull(skb, sizeof(*iph) + sizeof(*uh));
	return skb;
}

/**
 * sm_input() - a datagram arrives, handled as the work item does
 * @h: the harness
 * @from: its sender
 * @pkt: its header fields (data_off and data_len are computed)
 * @data: what follows the header
 * @len: its length
 *
 * The datagram must be valid on the wire: the test fails otherwise.
 */
void sm_input(struct sm_harness *h, const struct sockaddr_eorpc *from,
	      const struct eorpc_pkt *pkt, const void *data, u32 len)
{
	struct eorpc_sock *ep = h->ep;
	enum eorpc_wire_verdict v;
	struct sockaddr_eorpc src;
	struct eorpc_pkt dec;
	struct sk_buff *skb;
	int err;

	skb = datagram(h, from, pkt, data, len);
	KUNIT_ASSERT_NOT_NULL(h->test, skb);
	v = eorpc_wire_decode(skb->data, skb->len, &dec);
	err = eorpc_addr_from_skb(skb, &src);
	if (v != EORPC_WIRE_OK || err)
		kfree_skb(skb);
	KUNIT_ASSERT_EQ_MSG(h->test, v, EORPC_WIRE_OK,
			    "crafted datagram of type %u", pkt->type);
	KUNIT_ASSERT_EQ(h->test, err, 0);
	/* As the work item does: the same dispatch, under the socket lock. */
	lock_sock(&ep->sk);
	eorpc_dispatch(ep, skb);
	release_sock(&ep->sk);
	kfree_skb(skb);
}

/**
 * sm_receive() - a datagram arrives as the UDP hook hands it over
 * @h: the harness
 * @from: its sender
 * @pkt: its header fields
 * @data: what follows the header
 * @len: its length
 *
 * In softirq context, as eorpc_receive() runs: processed there, or queued
 * for the (inert) work item, which a test may run itself.
 */
void sm_receive(struct sm_harness *h, const struct sockaddr_eorpc *from,
		const struct eorpc_pkt *pkt, const void *data, u32 len)
{
	struct sk_buff *skb = datagram(h, from, pkt, data, len);

	KUNIT_ASSERT_NOT_NULL(h->test, skb);
	rcu_read_lock();
	local_bh_disable();
	eorpc_receive(h->ep, skb);
	local_bh_enable();
	rcu_read_unlock();
}

/* The socket's hrtimer fires now: its callback, in softirq as the hrtimer's. */
void sm_timer_fires(struct sm_harness *h)
{
	local_bh_disable();
	eorpc_timer_fired(&h->ep->timer);
	local_bh_enable();
}

/* The client's timer scan at @now. Return: when it wants to run next. */
ktime_t sm_client_timers(struct sm_harness *h, ktime_t now)
{
	ktime_t next = 0;

	lock_sock(&h->ep->sk);
	eorpc_client_timers(h->ep, now, &next);
	release_sock(&h->ep->sk);
	return next;
}

/* The server's timer scan at @now. Return: when it wants to run next. */
ktime_t sm_server_timers(struct sm_harness *h, ktime_t now)
{
	ktime_t next = 0;

	lock_sock(&h->ep->sk);
	eorpc_server_timers(h->ep, now, &next);
	release_sock(&h->ep->sk);
	return next;
}

/**
 * sm_call() - start a call to the default peer, as sendmsg() does
 * @h: the harness
 * @req: the request
 * @len: its length
 * @tag: its EORPC_CMSG_USER_TAG
 * @deadline_ms: relative deadline, 0 for none
 *
 * Return: @len, or a negative errno.
 */
int sm_call(struct sm_harness *h, const void *req, u32 len, u64 tag,
	    s64 deadline_ms)
{
	struct kvec kv = { .iov_base = (void *)req, .iov_len = len };
	struct msghdr msg = {
		.msg_name = &h->peer,
		.msg_namelen = sizeof(h->peer),
		.msg_flags = MSG_DONTWAIT,
	};
	int ret;

	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &kv, 1, len);
	lock_sock(&h->ep->sk);
	ret = eorpc_client_sendmsg(h->ep, &msg, len, tag, deadline_ms);
	release_sock(&h->ep->sk);
	return ret;
}

unsigned int sm_recvq_len(struct sm_harness *h)
{
	return list_count_nodes(&h->ep->recvq);
}

/* The completion of the call tagged @tag on the receive queue, or NULL. */
struct eorpc_call *sm_completion(struct sm_harness *h, u64 tag)
{
	struct eorpc_rxitem *item;
	struct eorpc_call *call;

	list_for_each_entry(item, &h->ep->recvq, link) {
		if (item->kind != EORPC_RX_COMPLETION)
			continue;
		call = container_of(item, struct eorpc_call, rx);
		if (call->user_tag == tag)
			return call;
	}
	return NULL;
}

/* listen(): serve requests. */
int sm_listen(struct sm_harness *h)
{
	int err;

	lock_sock(&h->ep->sk);
	err = eorpc_server_start(h->ep);
	release_sock(&h->ep->sk);
	return err;
}

/*
 * The application reads the first queued request, as recvmsg() does.
 * Return: its call id, 0 if none is queued.
 */
u64 sm_deliver(struct sm_harness *h)
{
	struct eorpc_sock *ep = h->ep;
	struct eorpc_server_call *sc;
	struct eorpc_rxitem *item;
	u64 call_id = 0;

	lock_sock(&ep->sk);
	list_for_each_entry(item, &ep->recvq, link) {
		if (item->kind != EORPC_RX_REQUEST)
			continue;
		sc = container_of(item, struct eorpc_server_call, rx);
		if (!eorpc_server_call_id_reserve(ep, sc)) {
			call_id = sc->call_id;
			eorpc_server_delivered(ep, sc);
		}
		break;
	}
	release_sock(&ep->sk);
	return call_id;
}

/* The application answers @call_id, as sendmsg() does. */
int sm_reply(struct sm_harness *h, u64 call_id, const void *data, u32 len)
{
	struct kvec kv = { .iov_base = (void *)data, .iov_len = len };
	struct msghdr msg = {};
	int ret;

	iov_iter_kvec(&msg.msg_iter, ITER_SOURCE, &kv, 1, len);
	lock_sock(&h->ep->sk);
	ret = eorpc_server_reply(h->ep, call_id, &msg, len);
	release_sock(&h->ep->sk);
	return ret;
}
