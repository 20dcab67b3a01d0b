// SPDX-License-Identifier: GPL-2.0
/*
 * EORPC_REUSEPORT (SO_REUSEPORT for AF_EORPC): server sockets bound to one
 * address and port share it the way UDP sockets do. Each member's kernel
 * UDP socket joins the UDP layer's reuseport group when it binds, and the
 * UDP layer spreads datagrams over the group by a hash of the sender's
 * address and port. That choice moves whenever a member joins or leaves,
 * but a session must stay with the member that holds its history: a
 * request reaching another member would be answered SERVER_RESTARTED at
 * best. So the receive hook looks at where a datagram belongs before
 * queueing it:
 * - REQUEST and ACK name their member: the server epoch in the header is
 *   the epoch of the member that welcomed the session. If another listening
 *   member of the group has it, the datagram is queued there. If none has
 *   (the member closed), the chosen member answers it as a server that
 *   does not know the epoch: ERROR(SERVER_RESTARTED), "may have run".
 * - HELLO belongs to no member yet. It stays where the UDP layer put it,
 *   unless that member is not listening (bound but before listen(), or
 *   shutting down): then it goes to a listening member, if there is one.
 * - Everything else is for a client, and a member makes no calls
 *   (eorpc_client_autobind() refuses them): it is left alone.
 * The members are found on a per-namespace RCU list of listening members,
 * never in the UDP layer's own array, which is compacted under its readers.
 */
#include <linux/rculist.h>
#include <net/sock.h>
#include "eorpc.h"
#include "netns.h"
#include "reuseport.h"

/**
 * eorpc_reuseport_member() - @ep is, or will be when it binds, a member of
 *	a reuseport group
 * @ep: the socket, locked
 *
 * What counts is EORPC_REUSEPORT as it was when the socket bound, as
 * SO_REUSEPORT for UDP: setting it later changes nothing.
 */
bool eorpc_reuseport_member(const struct eorpc_sock *ep)
{
	sock_owned_by_me(&ep->sk);
	return ep->udp ? ep->reuseport_group : ep->reuseport;
}

/**
 * eorpc_reuseport_listen() - a member starts serving: make it findable
 * @ep: the socket, locked, bound, just made listening
 */
void eorpc_reuseport_listen(struct eorpc_sock *ep)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));

	sock_owned_by_me(&ep->sk);
	if (!ep->udp || !ep->reuseport_group || ep->reuseport_listed)
		return;
	spin_lock(&en->reuseport_lock);
	list_add_tail_rcu(&ep->reuseport_node, &en->reuseport_servers);
	spin_unlock(&en->reuseport_lock);
	ep->reuseport_listed = true;
}

/**
 * eorpc_reuseport_leave() - a closing member: no datagram is steered to it
 *	from here on
 * @ep: the socket, locked
 *
 * Those already steered to it are in its backlog, freed with it a grace
 * period later (eorpc_release()).
 */
void eorpc_reuseport_leave(struct eorpc_sock *ep)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));

	sock_owned_by_me(&ep->sk);
	if (!ep->reuseport_listed)
		return;
	spin_lock(&en->reuseport_lock);
	list_del_rcu(&ep->reuseport_node);
	spin_unlock(&en->reuseport_lock);
	ep->reuseport_listed = false;
}

/* The listening member of @ep's group with server epoch @epoch (0: any). */
static struct eorpc_sock *find_member(struct eorpc_sock *ep, u64 epoch)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));
	struct eorpc_sock *m;

	list_for_each_entry_rcu(m, &en->reuseport_servers, reuseport_node) {
		/* One address and port: one group (the UDP layer saw to it). */
		if ((!epoch || m->server_epoch == epoch) &&
		    eorpc_addr_equal(&m->local, &ep->local))
			return m;
	}
	return NULL;
}

/**
 * eorpc_reuseport_steer() - the member a datagram belongs to
 * @ep: the member the UDP layer chose, a reuseport member
 * @skb: the datagram, at the AF_EORPC header
 *
 * Context: softirq, rcu_read_lock() held; the member returned stays valid
 * until it is dropped.
 *
 * Return: @ep or another member of its group.
 */
struct eorpc_sock *eorpc_reuseport_steer(struct eorpc_sock *ep,
					 const struct sk_buff *skb)
{
	struct eorpc_wire_hdr buf;
	const struct eorpc_wire_hdr *hdr;
	struct eorpc_sock *m = NULL;
	u64 epoch;

	/* Malformed: the chosen member drops and counts it. */
	hdr = skb_header_pointer(skb, 0, sizeof(buf), &buf);
	if (!hdr || hdr->version != EORPC_WIRE_VERSION)
		return ep;
	switch (hdr->type) {
	case EORPC_PKT_HELLO:
		if (!READ_ONCE(ep->listening))
			m = find_member(ep, 0);
		break;
	case EORPC_PKT_REQUEST:
	case EORPC_PKT_NEED_REPLY:
	case EORPC_PKT_ACK:
		/* server_epoch is set when the socket is made, never again. */
		epoch = be64_to_cpu(hdr->server_epoch);
		if (epoch && epoch != ep->server_epoch)
			m = find_member(ep, epoch);
		break;
	default:
		break;
	}
	return m ?: ep;
}
