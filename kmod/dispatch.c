// SPDX-License-Identifier: GPL-2.0
/*
 * Where a received datagram is processed, and the socket's work item.
 *
 * The datagrams of a call (REQUEST, REPLY, ACK and BUSY of a message small
 * enough to allocate in softirq) are processed in softirq, as TCP processes
 * a segment, if no task owns the socket. Everything else, and these too
 * while a task owns the socket (but for an ACK, which waits in the socket's
 * backlog for that task's release_sock()), goes to the work item, which
 * may sleep: it takes the socket lock, hands queued datagrams to the client
 * or server side by packet type, then ICMP reports, then the timers, and
 * rearms the socket's hrtimer (timer.c) for the earliest thing still
 * pending. Every path holds the socket lock, so datagrams stay serialised
 * per socket.
 *
 * The work item never holds the lock against a task: it takes at most a
 * budget of what was queued when it started, stops early when a task
 * waits for the lock, and
 * when a task owns or wants the socket it leaves it to that task, whose
 * release_sock() queues the work again (as TCP defers its timers to the
 * owner). It used to run until it found its queue empty; under a flood of
 * retransmissions that was never, and the server's own thread waited for
 * the lock while the clients retransmitted more (the 2-vCPU debug soak:
 * 190 of 3000 calls, then nothing for minutes, beside a loaded host).
 *
 * The timer scans run in softirq too when they cannot retransmit: no task
 * owns the socket and it has no unfinished call (what is left is delayed
 * ACKs, idle sessions, server expiry). With calls in flight they stay in
 * the work item, whose delay batches a socket's retransmissions; run at
 * each exact expiry, they collapsed the overloaded debug soak.
 */
#include <linux/sched/mm.h>
#include "eorpc.h"
#include "dispatch.h"
#include "fault.h"
#include "netns.h"
#include "timer.h"
#include "trace.h"

/* Datagrams waiting for the work item, at most; beyond: drop, count. */
enum { EORPC_BACKLOG_MAX = 4096 };

/*
 * Datagrams one run of the work item takes, at most, as NAPI polls a
 * budget: the rest waits behind the other sockets' work on this CPU's
 * worker pool, which runs one item at a time while it does not sleep.
 */
enum { EORPC_WORK_BUDGET = 64 };

/*
 * The largest message softirq reassembles: its body is allocated there
 * without sleeping, and up to an order-2 allocation that nearly always
 * succeeds. A failure is a dropped fragment, which the peer sends again.
 */
enum { EORPC_RX_SOFTIRQ_MAX = 16384 };

/* Called from softirq (UDP hook, hrtimer) and process context. */
void eorpc_kick(struct eorpc_sock *ep)
{
	if (!READ_ONCE(ep->dead))
		queue_work(eorpc_wq, &ep->work);
}

static const u8 verdict_stat[EORPC_WIRE_VERDICT_MAX] = {
	[EORPC_WIRE_SHORT] = EORPC_STAT_RX_DROP_SHORT,
	[EORPC_WIRE_VERSION_BAD] = EORPC_STAT_RX_DROP_VERSION,
	[EORPC_WIRE_TYPE_BAD] = EORPC_STAT_RX_DROP_TYPE,
	[EORPC_WIRE_FIELD_BAD] = EORPC_STAT_RX_DROP_FIELD,
	[EORPC_WIRE_LEN_BAD] = EORPC_STAT_RX_DROP_LEN,
};

/* One received datagram, socket locked: decoded, then to its side. */
void eorpc_dispatch(struct eorpc_sock *ep, struct sk_buff *skb)
{
	struct net *net = sock_net(&ep->sk);
	struct sockaddr_eorpc from;
	enum eorpc_wire_verdict v;
	struct eorpc_pkt pkt;
	u32 hdr_len = min_t(u32, skb->len, EORPC_WIRE_HDR_LEN);

	if (eorpc_should_fail_alloc() || !pskb_may_pull(skb, hdr_len)) {
		eorpc_drop(net, EORPC_STAT_RX_DROP_NOMEM);
		return;
	}
	v = eorpc_wire_decode(skb->data, skb->len, &pkt);
	if (v != EORPC_WIRE_OK) {
		eorpc_drop(net, verdict_stat[v]);
		return;
	}
	if (eorpc_addr_from_skb(skb, &from)) {
		eorpc_drop(net, EORPC_STAT_RX_DROP_FIELD);
		return;
	}
	trace_eorpc_rx(&from, &pkt);
	switch (pkt.type) {
	case EORPC_PKT_HELLO:
	case EORPC_PKT_REQUEST:
	case EORPC_PKT_NEED_REPLY:
	case EORPC_PKT_ACK:
		eorpc_server_input(ep, skb, &pkt, &from);
		break;
	default:
		eorpc_client_input(ep, skb, &pkt, &from);
		break;
	}
}

/*
 * One datagram, socket locked, consumed. What the protocol allocates for it
 * (server sessions, their history, request and reply bodies) is the socket
 * owner's: charged to the owner's memory cgroup, as the system calls'
 * allocations are, not to the kworker's or the interrupted task's.
 */
static void dispatch_charged(struct eorpc_sock *ep, struct sk_buff *skb)
{
	struct mem_cgroup *old_memcg;

	if (!ep->dead) {
		old_memcg = set_active_memcg(eorpc_sk_memcg(&ep->sk));
		eorpc_dispatch(ep, skb);
		set_active_memcg(old_memcg);
	}
	kfree_skb(skb);
}

/*
 * Socket locked: run what is due at @now and set the hrtimer for exactly
 * the earliest event left, which may be later than it was set for. Charged
 * as the datagrams are: retransmissions and expiries are the owner's.
 */
static void timers_run(struct eorpc_sock *ep, ktime_t now)
{
	struct mem_cgroup *old_memcg;
	ktime_t next = 0;

	if (ep->dead)
		return;
	ep->timer_at = 0;
	old_memcg = set_active_memcg(eorpc_sk_memcg(&ep->sk));
	eorpc_client_timers(ep, now, &next);
	eorpc_server_timers(ep, now, &next);
	set_active_memcg(old_memcg);
	/* Calls the scans ended are in @next already. */
	ep->timer_stale = false;
	eorpc_timer_set(ep, next);
}

/*
 * Socket locked, about to be unlocked: the last unfinished call ended, so
 * the timer may be set for its retransmission. Rescan now rather than let
 * it fire for nothing (once a session's calls are sparse, that was a timer
 * expiry and a work item per call).
 */
static void timers_settle(struct eorpc_sock *ep)
{
	if (!ep->timer_stale)
		return;
	ep->timer_stale = false;
	/* A call started since: its timer is armed, and scans may retransmit. */
	if (!ep->calls_unfinished)
		timers_run(ep, ktime_get());
}

/*
 * proto.release_cb: release_sock() runs it, the socket still owned, under
 * the socket's spinlock.
 */
void eorpc_release_cb(struct sock *sk)
{
	struct eorpc_sock *ep = eorpc_sk(sk);

	if (ep->work_yielded) {
		ep->work_yielded = false;
		eorpc_kick(ep);
	}
	timers_settle(ep);
}

/**
 * eorpc_lock_sock() - lock_sock() for a task, ahead of the work item
 * @ep: the socket
 *
 * The work item does not take the lock while a task waits here; if it
 * holds it, the task waits for one batch at most (EORPC_WORK_BUDGET).
 */
void eorpc_lock_sock(struct eorpc_sock *ep)
{
	atomic_inc(&ep->tasks_waiting);
	lock_sock(&ep->sk);
	atomic_dec(&ep->tasks_waiting);
}

/*
 * Socket locked: does something wait for it, a task for the lock or
 * datagrams for the work item? A long round stops early for them
 * (udp_rounds.c).
 */
bool eorpc_sock_wanted(const struct eorpc_sock *ep)
{
	return atomic_read(&ep->tasks_waiting) ||
	       !skb_queue_empty_lockless(&ep->rx_backlog);
}

/*
 * The work item, not holding the socket lock: leave the socket to a task
 * that owns it or waits for it. Checked under the socket's spinlock, as
 * release_cb runs: either that task's release_sock() sees @work_yielded
 * and queues the work, or its ownership ended before this looked.
 *
 * Return: true if the work item must stop.
 */
static bool work_yield(struct eorpc_sock *ep)
{
	struct sock *sk = &ep->sk;
	bool yield;

	spin_lock_bh(&sk->sk_lock.slock);
	yield = sock_owned_by_user(sk) || atomic_read(&ep->tasks_waiting);
	if (yield)
		ep->work_yielded = true;
	spin_unlock_bh(&sk->sk_lock.slock);
	return yield;
}

/* The socket's hrtimer, in softirq: the scans here or in the work item. */
enum hrtimer_restart eorpc_timer_fired(struct hrtimer *t)
{
	struct eorpc_sock *ep = container_of(t, struct eorpc_sock, timer);
	struct sock *sk = &ep->sk;

	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk) && !ep->calls_unfinished) {
		timers_run(ep, ktime_get());
		bh_unlock_sock(sk);
		return HRTIMER_NORESTART;
	}
	bh_unlock_sock(sk);
	eorpc_kick(ep);
	return HRTIMER_NORESTART;
}

/*
 * The type of a datagram of a call that softirq can take without sleeping,
 * or 0 for one that only the work item takes.
 */
static u8 rx_fast_type(const struct sk_buff *skb)
{
	const struct eorpc_wire_hdr *hdr;
	struct eorpc_wire_hdr buf;

	hdr = skb_header_pointer(skb, 0, sizeof(buf), &buf);
	if (!hdr || be32_to_cpu(hdr->msg_len) > EORPC_RX_SOFTIRQ_MAX)
		return 0;
	switch (hdr->type) {
	case EORPC_PKT_REPLY:
	case EORPC_PKT_BUSY:
	case EORPC_PKT_REQUEST:
	case EORPC_PKT_ACK:
		return hdr->type;
	}
	return 0;
}

static void rx_to_work(struct eorpc_sock *ep, struct sk_buff *skb)
{
	if (skb_queue_len(&ep->rx_backlog) >= EORPC_BACKLOG_MAX) {
		eorpc_drop(sock_net(&ep->sk), EORPC_STAT_RX_DROP_BACKLOG);
		kfree_skb(skb);
		return;
	}
	skb_queue_tail(&ep->rx_backlog, skb);
	eorpc_kick(ep);
}

/**
 * eorpc_receive() - a datagram for @ep arrived
 * @ep: its socket, found by the UDP hook
 * @skb: the datagram, at the AF_EORPC header, orphaned; consumed
 *
 * Context: softirq, rcu_read_lock() held (the socket cannot be freed).
 */
void eorpc_receive(struct eorpc_sock *ep, struct sk_buff *skb)
{
	struct sock *sk = &ep->sk;
	u8 type;

	/* Nothing here uses the route, and the backlog outlives RCU. */
	skb_dst_drop(skb);
	type = rx_fast_type(skb);
	if (!type) {
		rx_to_work(ep, skb);
		return;
	}
	bh_lock_sock(sk);
	if (!sock_owned_by_user(sk)) {
		dispatch_charged(ep, skb);
		timers_settle(ep);
		bh_unlock_sock(sk);
		return;
	}
	/*
	 * An ACK only frees history: the task that owns the socket processes
	 * it in release_sock(), from the socket's backlog, as TCP does, which
	 * costs less than waking the work item (with calls sparse on many
	 * sessions, ACKs came alone and a quarter found the server's socket
	 * owned). Past SO_RCVBUF the work item takes them too.
	 */
	if (type == EORPC_PKT_ACK &&
	    !sk_add_backlog(sk, skb, READ_ONCE(sk->sk_rcvbuf))) {
		bh_unlock_sock(sk);
		return;
	}
	bh_unlock_sock(sk);
	/*
	 * Requests and replies go to the work item, not to that backlog. Its
	 * owner runs it until it finds it empty, so under a flood of
	 * retransmissions from many clients a server's own thread spent its
	 * time answering duplicates instead of receiving, and the backlog's
	 * bound (bytes added while owned) overflowed; each dropped request
	 * was sent again. The 2-vCPU debug soak fell to 2 calls/s every way
	 * it was tried (docs/benchmarks.md). The work item runs beside the
	 * application, and its queue holds 4096 datagrams.
	 */
	rx_to_work(ep, skb);
}

/*
 * sk_backlog_rcv: an ACK that came while a task owned the socket, run by
 * that task in release_sock().
 */
int eorpc_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	dispatch_charged(eorpc_sk(sk), skb);
	return 0;
}

void eorpc_work(struct work_struct *work)
{
	struct eorpc_sock *ep = container_of(work, struct eorpc_sock, work);
	struct eorpc_icmp_report icmp;
	struct mem_cgroup *old_memcg;
	struct sock *sk = &ep->sk;
	struct sk_buff *skb;
	u32 batch;
	bool more;
	ktime_t now;

	if (work_yield(ep))
		return;
	lock_sock(sk);
	/*
	 * What came later has queued the work again. A task that starts to
	 * wait meanwhile waits for this batch: checking for it per datagram
	 * cost a third of the debug soak's rate (docs/benchmarks.md).
	 */
	batch = min_t(u32, skb_queue_len(&ep->rx_backlog), EORPC_WORK_BUDGET);
	while (batch-- && (skb = skb_dequeue(&ep->rx_backlog)))
		dispatch_charged(ep, skb);
	/* What an ICMP report changes is the owner's too. */
	old_memcg = set_active_memcg(eorpc_sk_memcg(sk));
	/* ICMP errors the UDP error hook queued (udp.c); nothing to free. */
	while (!ep->dead && eorpc_udp_icmp_next(ep, &icmp))
		eorpc_client_icmp(ep, &icmp);
	set_active_memcg(old_memcg);
	/*
	 * @timer_at is never later than the earliest pending event (every
	 * event arms it), so the scans run only when something is due, not
	 * once per received batch.
	 */
	now = ktime_get();
	if (ep->timer_at && ep->timer_at <= now)
		timers_run(ep, now);
	more = !skb_queue_empty(&ep->rx_backlog);
	release_sock(sk);
	/*
	 * Past the budget: to the back of the pool's queue. Stopped for a
	 * task: that task's release_sock() queues it again.
	 */
	if (more && !work_yield(ep))
		eorpc_kick(ep);
}
