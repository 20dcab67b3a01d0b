// SPDX-License-Identifier: GPL-2.0
/*
 * Unbound client sockets share one kernel UDP socket per namespace and
 * transport (udp.c), so a datagram's port no longer names its socket. Its
 * client epoch does: every client session draws a random one (PROTOCOL.md),
 * and every packet a server sends to a client carries it. This table maps
 * the epochs of those sessions to their socket, read under RCU by the
 * shared socket's receive and ICMP hooks in softirq.
 */
#include <linux/rhashtable.h>
#include "eorpc.h"
#include "demux.h"
#include "netns.h"

static const struct rhashtable_params demux_params = {
	.key_len		= sizeof(u64),
	.key_offset		= offsetof(struct eorpc_client_session,
					   client_epoch),
	.head_offset		= offsetof(struct eorpc_client_session,
					   by_epoch),
	.automatic_shrinking	= true,
};

int eorpc_demux_init_net(struct eorpc_net *en)
{
	return rhashtable_init(&en->by_epoch, &demux_params);
}

/* Every socket of the namespace is gone, and with them their sessions. */
void eorpc_demux_exit_net(struct eorpc_net *en)
{
	WARN_ON_ONCE(atomic_read(&en->by_epoch.nelems));
	rhashtable_destroy(&en->by_epoch);
}

/**
 * eorpc_demux_add() - make a new session's packets find its socket
 * @ep: the socket, locked, sharing its namespace's UDP socket
 * @cs: the session, its client epoch drawn, not sent yet
 *
 * An epoch another session of the namespace holds is drawn again: two
 * sessions behind one port must never match each other's packets (G6).
 *
 * Return: 0, or -ENOMEM (or -EBUSY) when the table cannot take it.
 */
int eorpc_demux_add(struct eorpc_sock *ep, struct eorpc_client_session *cs)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));
	int err;

	sock_owned_by_me(&ep->sk);
	cs->owner = ep;
	for (;;) {
		err = rhashtable_lookup_insert_fast(&en->by_epoch,
						    &cs->by_epoch,
						    demux_params);
		if (err != -EEXIST)
			return err;
		cs->client_epoch = eorpc_random_epoch();
	}
}

/*
 * A hook that found @cs just before may still read it: its session is
 * freed after a grace period (kfree_rcu), and @ep after another (close()).
 */
void eorpc_demux_del(struct eorpc_sock *ep, struct eorpc_client_session *cs)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));

	rhashtable_remove_fast(&en->by_epoch, &cs->by_epoch, demux_params);
}

/**
 * eorpc_demux_find() - the socket whose session has @client_epoch
 * @net: the namespace of the shared UDP socket the packet came to
 * @client_epoch: from the packet's header (or an ICMP error's quote)
 *
 * Context: rcu_read_lock() held; the socket is valid until it is dropped.
 * Return: the socket, or NULL.
 */
struct eorpc_sock *eorpc_demux_find(struct net *net, u64 client_epoch)
{
	struct eorpc_client_session *cs;

	cs = rhashtable_lookup(&eorpc_net(net)->by_epoch, &client_epoch,
			       demux_params);
	return cs ? cs->owner : NULL;
}
