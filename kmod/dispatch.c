// SPDX-License-Identifier: GPL-2.0
/*
 * The socket's work item: the one place, besides system calls, that touches
 * protocol state. It takes the socket lock, hands queued datagrams to the
 * client or server side by packet type, then ICMP reports, then the timers,
 * and rearms the socket's hrtimer (timer.c) for the earliest thing still
 * pending.
 */
#include <linux/sched/mm.h>
#include "eorpc.h"
#include "dispatch.h"
#include "fault.h"
#include "netns.h"
#include "timer.h"
#include "trace.h"

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

void eorpc_work(struct work_struct *work)
{
	struct eorpc_sock *ep = container_of(work, struct eorpc_sock, work);
	struct eorpc_icmp_report icmp;
	struct mem_cgroup *old_memcg;
	struct sock *sk = &ep->sk;
	struct sk_buff *skb;
	ktime_t now, next = 0;

	lock_sock(sk);
	/*
	 * What the protocol allocates here (server sessions, their history,
	 * request and reply bodies) is the socket owner's: charge it to the
	 * owner's memory cgroup, as the system calls' allocations are, not to
	 * the kworker's (the root, which is never charged).
	 */
	old_memcg = set_active_memcg(eorpc_sk_memcg(sk));
	while ((skb = skb_dequeue(&ep->rx_backlog))) {
		if (!ep->dead)
			eorpc_dispatch(ep, skb);
		kfree_skb(skb);
	}
	/* ICMP errors the UDP error hook queued (udp.c); nothing to free. */
	while (!ep->dead && eorpc_udp_icmp_next(ep, &icmp))
		eorpc_client_icmp(ep, &icmp);
	/*
	 * @timer_at is never later than the earliest pending event (every
	 * event arms it), so the scans run only when something is due, not
	 * once per received batch.
	 */
	now = ktime_get();
	if (!ep->dead && ep->timer_at && ep->timer_at <= now) {
		ep->timer_at = 0;
		eorpc_client_timers(ep, now, &next);
		eorpc_server_timers(ep, now, &next);
		eorpc_timer_arm(ep, next);
	}
	set_active_memcg(old_memcg);
	release_sock(sk);
}
