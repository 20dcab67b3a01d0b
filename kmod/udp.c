// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP transport: each AF_EORPC socket bound with bind() owns one kernel
 * UDP socket; client sockets bound by their first call or connect() share
 * their namespace's (one per transport). Received datagrams come through
 * the UDP encapsulation hook in softirq, which finds their socket (from the
 * UDP socket, or for a shared one from the packet's client epoch: demux.c)
 * and hands them to eorpc_receive() (dispatch.c:
 * processed there, or by the socket's work item). ICMP errors about
 * datagrams we sent come through the encapsulation error hook, also in
 * softirq; the few that may matter are copied into a small array under
 * @icmp_lock, and the work item takes them from there
 * (eorpc_udp_icmp_next()).
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/net.h>
#include <linux/udp.h>
#include <net/ipv6.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>
#include "eorpc.h"
#include "demux.h"
#include "dispatch.h"
#include "fault.h"
#include "netns.h"
#include "reuseport.h"
#include "trace.h"
#include "xmit.h"
#include "tx_seam.h"

/* Hand @skb, its UDP header pulled, to @ep; none: dropped. Under RCU. */
static void rcv_deliver(struct eorpc_sock *ep, struct sk_buff *skb)
{
	if (!ep) {
		kfree_skb(skb);
		return;
	}
	skb_orphan(skb);
	eorpc_receive(ep, skb);
}

static int eorpc_encap_rcv(struct sock *udp_sk, struct sk_buff *skb)
{
	struct eorpc_sock *ep;

	rcu_read_lock();
	ep = rcu_dereference_sk_user_data(udp_sk);
	if (ep && !pskb_pull(skb, sizeof(struct udphdr)))
		ep = NULL;
	if (ep && udp_sk->sk_reuseport)
		ep = eorpc_reuseport_steer(ep, skb);
	rcv_deliver(ep, skb);
	rcu_read_unlock();
	return 0;
}

/*
 * At a namespace's shared UDP socket (eorpc_udp_share()) the client
 * epoch, which every packet to a client carries, names the socket. The
 * header is validated in full later, as for any socket.
 */
static struct eorpc_sock *shared_rcv_owner(struct net *net,
					   struct sk_buff *skb)
{
	const struct eorpc_wire_hdr *hdr;
	struct eorpc_wire_hdr hdr_buf;
	struct eorpc_sock *ep;

	if (!pskb_pull(skb, sizeof(struct udphdr)))
		return NULL;
	hdr = skb_header_pointer(skb, 0, sizeof(hdr_buf), &hdr_buf);
	if (!hdr) {
		eorpc_drop(net, EORPC_STAT_RX_DROP_SHORT);
		return NULL;
	}
	if (hdr->version != EORPC_WIRE_VERSION) {
		eorpc_drop(net, EORPC_STAT_RX_DROP_VERSION);
		return NULL;
	}
	ep = eorpc_demux_find(net, be64_to_cpu(hdr->client_epoch));
	if (!ep)
		eorpc_drop(net, EORPC_STAT_RX_DROP_SESSION);
	return ep;
}

static int eorpc_shared_encap_rcv(struct sock *udp_sk, struct sk_buff *skb)
{
	rcu_read_lock();
	rcv_deliver(shared_rcv_owner(sock_net(udp_sk), skb), skb);
	rcu_read_unlock();
	return 0;
}

/*
 * ICMP errors. For a socket with encap_type set, __udp4_lib_err() and
 * __udp6_lib_err() give every ICMP error about a datagram it sent (except
 * redirects and source quench) to encap_err_rcv instead of the socket's
 * error queue: skb->data is at the quoted IP header, @udp_offset at the
 * quoted UDP header, the transport header at the ICMP header. Only a "port
 * unreachable" can end anything, and only for a client session still in
 * HELLO (eorpc_client_icmp() decides, in the work item); everything else is
 * counted here and ignored.
 */

static bool icmp_port_unreachable(const struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		return icmp_hdr(skb)->type == ICMP_DEST_UNREACH &&
		       icmp_hdr(skb)->code == ICMP_PORT_UNREACH;
	return skb->protocol == htons(ETH_P_IPV6) &&
	       icmp6_hdr(skb)->icmp6_type == ICMPV6_DEST_UNREACH &&
	       icmp6_hdr(skb)->icmp6_code == ICMPV6_PORT_UNREACH;
}

/*
 * The destination of the quoted datagram, as eorpc_addr_from_skb() would
 * name it. The UDP layer pulled the quoted IP header before calling us.
 */
static bool icmp_quoted_peer(const struct sk_buff *skb,
			     const struct udphdr *uh,
			     struct sockaddr_eorpc *peer)
{
	const struct ipv6hdr *ip6 = (const struct ipv6hdr *)skb->data;
	const struct iphdr *iph = (const struct iphdr *)skb->data;

	if (skb->protocol == htons(ETH_P_IP)) {
		if (iph->version != 4)
			return false;
		eorpc_addr_from_ip4(peer, iph->daddr, uh->dest);
		return true;
	}
	if (ip6->version != 6)
		return false;
	eorpc_addr_from_ip6(peer, &ip6->daddr, uh->dest, skb);
	return true;
}

/*
 * Read the report a quote holds; false (counted) for one that can change
 * nothing.
 */
static bool icmp_report(struct net *net, const struct sk_buff *skb,
			unsigned int udp_offset, struct eorpc_icmp_report *r)
{
	const struct eorpc_wire_hdr *hdr;
	struct eorpc_wire_hdr hdr_buf;
	const struct udphdr *uh;
	struct udphdr uh_buf;

	/* Host or net unreachable, too big, time exceeded...: transient. */
	if (!icmp_port_unreachable(skb)) {
		eorpc_drop(net, EORPC_STAT_ICMP_IGNORED);
		return false;
	}
	/* The quote must hold our whole header: its epoch proves the source. */
	uh = skb_header_pointer(skb, udp_offset, sizeof(uh_buf), &uh_buf);
	hdr = skb_header_pointer(skb, udp_offset + sizeof(uh_buf),
				 sizeof(hdr_buf), &hdr_buf);
	if (!uh || !hdr ||
	    ntohs(uh->len) < sizeof(*uh) + sizeof(*hdr) ||
	    hdr->version != EORPC_WIRE_VERSION || !hdr->client_epoch ||
	    !hdr->type || hdr->type > EORPC_PKT_TYPE_MAX ||
	    !icmp_quoted_peer(skb, uh, &r->peer)) {
		eorpc_drop(net, EORPC_STAT_ICMP_DROPPED);
		return false;
	}
	if (hdr->type != EORPC_PKT_HELLO && hdr->type != EORPC_PKT_REQUEST &&
	    hdr->type != EORPC_PKT_ACK && hdr->type != EORPC_PKT_NEED_REPLY) {
		/* About a server's answer: a server acts on no ICMP error. */
		eorpc_drop(net, EORPC_STAT_ICMP_IGNORED);
		return false;
	}
	r->client_epoch = be64_to_cpu(hdr->client_epoch);
	r->type = hdr->type;
	return true;
}

/* Hand @r to @ep's work item (eorpc_udp_icmp_next()). */
static void icmp_queue(struct eorpc_sock *ep, const struct eorpc_icmp_report *r)
{
	bool queued;

	spin_lock_bh(&ep->icmp_lock);
	queued = ep->icmp_count < EORPC_ICMP_QUEUE;
	if (queued) {
		ep->icmp[ep->icmp_count] = *r;
		WRITE_ONCE(ep->icmp_count, ep->icmp_count + 1);
	}
	spin_unlock_bh(&ep->icmp_lock);
	if (queued)
		eorpc_kick(ep);
	else
		eorpc_drop(sock_net(&ep->sk), EORPC_STAT_ICMP_DROPPED);
}

static void eorpc_icmp_error(struct sock *udp_sk, struct sk_buff *skb,
			     unsigned int udp_offset)
{
	struct eorpc_icmp_report r;
	struct eorpc_sock *ep;

	rcu_read_lock();
	ep = rcu_dereference_sk_user_data(udp_sk);
	if (ep && icmp_report(sock_net(&ep->sk), skb, udp_offset, &r))
		icmp_queue(ep, &r);
	rcu_read_unlock();
}

EORPC_DEFINE_ENCAP_ERR_RCV(eorpc_encap_err_rcv, eorpc_icmp_error)

/* The shared socket's: the quoted epoch names the socket, as on receive. */
static void eorpc_shared_icmp_error(struct sock *udp_sk, struct sk_buff *skb,
				    unsigned int udp_offset)
{
	struct net *net = sock_net(udp_sk);
	struct eorpc_icmp_report r;
	struct eorpc_sock *ep;

	rcu_read_lock();
	if (icmp_report(net, skb, udp_offset, &r)) {
		ep = eorpc_demux_find(net, r.client_epoch);
		if (ep)
			icmp_queue(ep, &r);
		else
			eorpc_drop(net, EORPC_STAT_ICMP_DROPPED);
	}
	rcu_read_unlock();
}

EORPC_DEFINE_ENCAP_ERR_RCV(eorpc_shared_encap_err_rcv, eorpc_shared_icmp_error)

/**
 * eorpc_udp_icmp_next() - take one ICMP report queued by the error hook,
 *	newest first: each report is about its own session, so their order
 *	does not matter
 * @ep: the socket, locked, not dead
 * @r: filled in
 *
 * Return: false when none is left.
 */
bool eorpc_udp_icmp_next(struct eorpc_sock *ep, struct eorpc_icmp_report *r)
{
	bool got;

	sock_owned_by_me(&ep->sk);
	/*
	 * The work item runs for every received batch; ICMP errors are rare.
	 * A report added after this read kicks the work item again.
	 */
	if (!READ_ONCE(ep->icmp_count))
		return false;
	spin_lock_bh(&ep->icmp_lock);
	got = ep->icmp_count > 0;
	if (got) {
		WRITE_ONCE(ep->icmp_count, ep->icmp_count - 1);
		*r = ep->icmp[ep->icmp_count];
	}
	spin_unlock_bh(&ep->icmp_lock);
	return got;
}

/*
 * A kernel UDP socket bound to @addr, with @owner's hooks, or with a shared
 * socket's (eorpc_udp_share()) if @owner is NULL. Its port in *@port.
 */
static int udp_sock_open(struct net *net, const struct sockaddr_eorpc *addr,
			 struct eorpc_sock *owner, struct socket **sockp,
			 __be16 *port)
{
	int family = addr->seo_transport;
	union eorpc_udp_addr ss;
	struct socket *sock;
	int len, err;

	err = eorpc_should_fail_alloc() ? -ENOMEM :
	      sock_create_kern(net, family, SOCK_DGRAM, IPPROTO_UDP, &sock);
	if (err)
		return err;
	len = eorpc_addr_to_udp(addr, family, &ss);
	sock->sk->sk_reuseport = owner && owner->reuseport;
	err = kernel_bind(sock, (struct sockaddr_unsized *)&ss, len);
	if (err)
		goto err_release;

	/* What setup_udp_tunnel_sock() does, without the udp_tunnel module. */
	eorpc_no_mc_loop(sock->sk);
	inet_inc_convert_csum(sock->sk);
	rcu_assign_sk_user_data(sock->sk, owner);
	udp_sk(sock->sk)->encap_type = 1;
	udp_sk(sock->sk)->encap_rcv = owner ? eorpc_encap_rcv :
					      eorpc_shared_encap_rcv;
	udp_sk(sock->sk)->encap_err_rcv = owner ? eorpc_encap_err_rcv :
						  eorpc_shared_encap_err_rcv;
	udp_tunnel_encap_enable(sock->sk);

	len = kernel_getsockname(sock, (struct sockaddr *)&ss);
	if (len < 0) {
		err = len;
		goto err_unhook;
	}
	if (family == AF_INET)
		*port = ((struct sockaddr_in *)&ss)->sin_port;
	else
		*port = ((struct sockaddr_in6 *)&ss)->sin6_port;
	*sockp = sock;
	return 0;

err_unhook:
	rcu_assign_sk_user_data(sock->sk, NULL);
	synchronize_net();
err_release:
	sock_release(sock);
	return err;
}

/**
 * eorpc_udp_open() - create and bind the socket's own kernel UDP socket
 * @ep: the AF_EORPC socket, locked, without one yet
 * @addr: local address (port 0: ephemeral)
 *
 * Runs in the binding process's context, so binding a privileged port is
 * checked against that process's capabilities, as for a UDP socket.
 *
 * Return: 0 or a negative errno (EADDRINUSE, EACCES, EADDRNOTAVAIL, ...).
 */
int eorpc_udp_open(struct eorpc_sock *ep, const struct sockaddr_eorpc *addr)
{
	__be16 port;
	int err;

	sock_owned_by_me(&ep->sk);
	/* EORPC_REUSEPORT as it is now decides the group, as for UDP. */
	ep->reuseport_group = ep->reuseport;
	err = udp_sock_open(sock_net(&ep->sk), addr, ep, &ep->udp, &port);
	if (err)
		return err;
	eorpc_addr_normalize(&ep->local, addr);
	ep->local.seo_port = port;
	return 0;
}

static struct eorpc_shared_udp *shared_udp(struct eorpc_net *en, int transport)
{
	return &en->shared[transport == AF_INET ? EORPC_SHARED_IP4 :
						  EORPC_SHARED_IP6];
}

/**
 * eorpc_udp_share() - bind an unbound client socket to its namespace's
 *	UDP socket for @transport, opened by the first socket that needs it
 * @ep: the AF_EORPC socket, locked, without a UDP socket yet
 * @transport: AF_INET or AF_INET6
 *
 * Its sessions' client epochs tell its packets from the other sockets'
 * (demux.c), so no port is taken per socket: a socket of its own took
 * one, and one address has ~28,000 ephemeral ports.
 *
 * Return: 0 or a negative errno from creating the shared socket.
 */
int eorpc_udp_share(struct eorpc_sock *ep, int transport)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));
	struct eorpc_shared_udp *su = shared_udp(en, transport);
	struct sockaddr_eorpc any = {
		.seo_family = eorpc_family,
		.seo_transport = transport,
	};
	int err = 0;

	sock_owned_by_me(&ep->sk);
	mutex_lock(&en->shared_lock);
	if (!su->sock)
		err = udp_sock_open(sock_net(&ep->sk), &any, NULL, &su->sock,
				    &su->port);
	if (!err) {
		su->users++;
		ep->udp = su->sock;
		ep->udp_shared = true;
		eorpc_addr_normalize(&ep->local, &any);
		ep->local.seo_port = su->port;
	}
	mutex_unlock(&en->shared_lock);
	return err;
}

/* The last socket of a shared UDP socket releases it, and its port. */
static void udp_unshare(struct eorpc_sock *ep, struct socket *sock)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));
	struct eorpc_shared_udp *su = shared_udp(en, ep->local.seo_transport);

	mutex_lock(&en->shared_lock);
	WARN_ON_ONCE(su->sock != sock || !su->users);
	if (!--su->users) {
		su->sock = NULL;
		sock_release(sock);
	}
	mutex_unlock(&en->shared_lock);
}

/*
 * Unhook and release the UDP socket (a shared one when its last user
 * leaves): its port is free when this returns. A UDP hook that found @ep
 * just before may still be using it; the caller keeps @ep for an RCU grace
 * period (eorpc_release()), instead of waiting for one here: a grace period
 * per close() made closing a socket cost 16 ms. The UDP socket itself is
 * freed after a grace period too (SOCK_RCU_FREE, set by UDP when it binds).
 */
void eorpc_udp_close(struct eorpc_sock *ep)
{
	struct socket *sock = ep->udp;

	if (!sock)
		return;
	ep->udp = NULL;
	if (ep->udp_shared) {
		udp_unshare(ep, sock);
		return;
	}
	rcu_assign_sk_user_data(sock->sk, NULL);
	sock_release(sock);
}

static int udp_send(struct eorpc_sock *ep, const struct sockaddr_eorpc *to,
		    struct eorpc_route *route, const struct eorpc_pkt *pkt,
		    const void *data, u32 len, bool ref_pages)
{
	struct eorpc_wire_hdr hdr;
	int err;

	sock_owned_by_me(&ep->sk);
	/* A KUnit test's socket: recorded, never sent (tx_seam.h). */
	if (eorpc_tx_seam(ep, to, pkt, data, len))
		return 0;
	if (!ep->udp)
		return -ENOTCONN;
	if (ep->local.seo_transport == AF_INET && to->seo_transport != AF_INET)
		return -EAFNOSUPPORT;
	trace_eorpc_tx(to, pkt);
	eorpc_wire_encode(pkt, &hdr);
	/* An injected failure looks like a full device queue. */
	err = eorpc_should_fail_xmit() ? -ENOBUFS :
	      eorpc_xmit(ep->udp, route, to, &hdr, sizeof(hdr), data, len,
			 ref_pages);
	if (err) {
		eorpc_inc(sock_net(&ep->sk), EORPC_STAT_TX_ERRORS);
		return err;
	}
	return 0;
}

/**
 * eorpc_udp_send() - transmit one datagram
 * @ep: the socket, bound
 * @to: destination
 * @route: its session's kept route, or NULL
 * @pkt: header fields
 * @data: what follows the header, copied
 * @len: its length
 *
 * Never blocks and never sleeps: a full device queue or a failed
 * allocation is a lost packet, which the protocol recovers from.
 *
 * Return: 0 or a negative errno.
 */
int eorpc_udp_send(struct eorpc_sock *ep, const struct sockaddr_eorpc *to,
		   struct eorpc_route *route, const struct eorpc_pkt *pkt,
		   const void *data, u32 len)
{
	return udp_send(ep, to, route, pkt, data, len, false);
}

/**
 * eorpc_udp_send_frag() - transmit fragment @pkt->frag of message @m
 * @ep: the socket, bound
 * @to: destination
 * @route: its session's kept route, or NULL
 * @pkt: header fields
 * @m: a whole message, which nothing writes to while it is sent
 *
 * As eorpc_udp_send(); the datagram may reference @m's pages instead of
 * copying them.
 *
 * Return: 0 or a negative errno.
 */
int eorpc_udp_send_frag(struct eorpc_sock *ep, const struct sockaddr_eorpc *to,
			struct eorpc_route *route, const struct eorpc_pkt *pkt,
			const struct eorpc_msg *m)
{
	u32 off = (u32)pkt->frag * EORPC_FRAG_DATA;

	return udp_send(ep, to, route, pkt, m->data ? m->data + off : NULL,
			eorpc_frag_len(m->len, pkt->frag), m->own_pages);
}
