// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP transport: each bound AF_EORPC socket owns one kernel UDP socket.
 * Received datagrams come through the UDP encapsulation hook in softirq
 * context; they are only queued there and processed by the socket's work
 * item, which may sleep, allocate and transmit.
 */
#include <linux/net.h>
#include <linux/udp.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>
#include "eorpc.h"
#include "netns.h"
#include "trace.h"

/* Datagrams waiting for the work item, at most; beyond: drop, count. */
enum { EORPC_BACKLOG_MAX = 4096 };

static int eorpc_encap_rcv(struct sock *udp_sk, struct sk_buff *skb)
{
	struct eorpc_sock *ep;

	rcu_read_lock();
	ep = rcu_dereference_sk_user_data(udp_sk);
	if (!ep || !pskb_pull(skb, sizeof(struct udphdr)))
		goto drop;
	if (skb_queue_len(&ep->rx_backlog) >= EORPC_BACKLOG_MAX) {
		EORPC_DROP(sock_net(&ep->sk), RX_DROP_BACKLOG);
		goto drop;
	}
	skb_orphan(skb);
	skb_queue_tail(&ep->rx_backlog, skb);
	eorpc_kick(ep);
	rcu_read_unlock();
	return 0;
drop:
	rcu_read_unlock();
	kfree_skb(skb);
	return 0;
}

/**
 * eorpc_udp_open() - create and bind the kernel UDP socket
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
	struct net *net = sock_net(&ep->sk);
	struct sockaddr_storage ss;
	struct socket *sock;
	int family = addr->seo_transport;
	int len, err;

	err = sock_create_kern(net, family, SOCK_DGRAM, IPPROTO_UDP, &sock);
	if (err)
		return err;
	len = eorpc_addr_to_udp(addr, family, &ss);
	err = kernel_bind(sock, (struct sockaddr *)&ss, len);
	if (err)
		goto err_release;

	/* What setup_udp_tunnel_sock() does, without the udp_tunnel module. */
	inet_sk(sock->sk)->mc_loop = 0;
	inet_inc_convert_csum(sock->sk);
	rcu_assign_sk_user_data(sock->sk, ep);
	udp_sk(sock->sk)->encap_type = 1;
	udp_sk(sock->sk)->encap_rcv = eorpc_encap_rcv;
	udp_tunnel_encap_enable(sock->sk);

	len = kernel_getsockname(sock, (struct sockaddr *)&ss);
	if (len < 0) {
		err = len;
		goto err_unhook;
	}
	eorpc_addr_normalize(&ep->local, addr);
	if (family == AF_INET)
		ep->local.seo_port = ((struct sockaddr_in *)&ss)->sin_port;
	else
		ep->local.seo_port = ((struct sockaddr_in6 *)&ss)->sin6_port;
	ep->udp = sock;
	return 0;

err_unhook:
	rcu_assign_sk_user_data(sock->sk, NULL);
	synchronize_net();
err_release:
	sock_release(sock);
	return err;
}

/* Stop the hook, wait until no softirq can still see @ep, release. */
void eorpc_udp_close(struct eorpc_sock *ep)
{
	struct socket *sock = ep->udp;

	if (!sock)
		return;
	rcu_assign_sk_user_data(sock->sk, NULL);
	synchronize_net();
	ep->udp = NULL;
	sock_release(sock);
	skb_queue_purge(&ep->rx_backlog);
}

/**
 * eorpc_udp_send() - transmit one datagram
 * @ep: the socket, bound
 * @to: destination
 * @pkt: header fields
 * @data: fragment data
 * @len: its length
 *
 * Never blocks: a full UDP send buffer is a lost packet, which the protocol
 * recovers from.
 *
 * Return: 0 or a negative errno.
 */
int eorpc_udp_send(struct eorpc_sock *ep, const struct sockaddr_eorpc *to,
		   const struct eorpc_pkt *pkt, const void *data, u32 len)
{
	struct eorpc_wire_hdr hdr;
	struct sockaddr_storage ss;
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov[2];
	int alen, err;

	if (!ep->udp)
		return -ENOTCONN;
	alen = eorpc_addr_to_udp(to, ep->local.seo_transport, &ss);
	if (alen < 0)
		return alen;
	trace_eorpc_tx(to, pkt);
	eorpc_wire_encode(pkt, &hdr);
	iov[0].iov_base = &hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = (void *)data;
	iov[1].iov_len = len;
	msg.msg_name = &ss;
	msg.msg_namelen = alen;
	err = kernel_sendmsg(ep->udp, &msg, iov, len ? 2 : 1, sizeof(hdr) + len);
	if (err < 0) {
		EORPC_INC(sock_net(&ep->sk), TX_ERRORS);
		return err;
	}
	return 0;
}

/**
 * eorpc_udp_send_msg() - transmit every fragment of a message
 * @ep: the socket
 * @to: destination
 * @pkt: header fields; frag and msg_len are set here
 * @m: the message
 *
 * Return: 0 or the first error.
 */
int eorpc_udp_send_msg(struct eorpc_sock *ep, const struct sockaddr_eorpc *to,
		       struct eorpc_pkt *pkt, const struct eorpc_msg *m)
{
	u32 n = eorpc_nfrags(m->len), i;
	int err, first = 0;

	pkt->msg_len = m->len;
	for (i = 0; i < n; i++) {
		pkt->frag = i;
		err = eorpc_udp_send(ep, to, pkt,
				     m->data ? m->data + i * EORPC_FRAG_DATA : NULL,
				     eorpc_frag_len(m->len, i));
		if (err && !first)
			first = err;
	}
	return first;
}
