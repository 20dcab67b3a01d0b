// SPDX-License-Identifier: GPL-2.0
/*
 * Client side, starting a call: the server's address, autobinding, the
 * send budget a writer may wait for, and the call handed to its session.
 */
#include <linux/slab.h>
#include "eorpc.h"
#include "client.h"
#include "fault.h"
#include "netns.h"
#include "reuseport.h"
#include "timer.h"
#include "wait.h"

/**
 * eorpc_client_dest() - a server address from the application
 * @uaddr: what connect() or sendmsg() got
 * @len: its length
 * @dest: filled in, normalised
 *
 * Return: 0, or -EINVAL for a malformed address, a wildcard or port 0.
 */
int eorpc_client_dest(const void *uaddr, int len, struct sockaddr_eorpc *dest)
{
	int err = eorpc_addr_check(uaddr, len);

	if (err)
		return err;
	eorpc_addr_normalize(dest, uaddr);
	if (eorpc_addr_is_any(dest) || !dest->seo_port)
		return -EINVAL;
	return 0;
}

/**
 * eorpc_client_autobind() - make sure the socket can reach @dest, binding
 *	it to its namespace's shared UDP socket of @dest's family (a wildcard
 *	address) if it is not bound
 * @ep: the socket, locked
 * @dest: from eorpc_client_dest()
 *
 * Return: 0, an error from eorpc_udp_share(), -EAFNOSUPPORT for an
 * IPv6 server from a socket bound to IPv4, or -EOPNOTSUPP for a member of a
 * reuseport group: the UDP layer would spread its replies over the group.
 */
int eorpc_client_autobind(struct eorpc_sock *ep,
			  const struct sockaddr_eorpc *dest)
{
	sock_owned_by_me(&ep->sk);
	if (eorpc_reuseport_member(ep))
		return -EOPNOTSUPP;
	if (!ep->udp) {
		int err = eorpc_udp_share(ep, dest->seo_transport);

		if (err)
			return err;
	}
	if (ep->local.seo_transport == AF_INET &&
	    dest->seo_transport != AF_INET)
		return -EAFNOSUPPORT;
	return 0;
}

static bool send_budget_ok(struct eorpc_sock *ep, u32 charge)
{
	/* One call always fits, however large, as one datagram does in UDP. */
	return !ep->tx_charged ||
	       ep->tx_charged + charge <= READ_ONCE(ep->sk.sk_sndbuf);
}

/* Socket locked, as completions are: a writer that waits is woken. */
static bool send_possible(struct eorpc_sock *ep, u32 charge)
{
	if (send_budget_ok(ep, charge) || (ep->sk.sk_shutdown & SEND_SHUTDOWN))
		return true;
	eorpc_note_nospace(&ep->sk);
	return false;
}

static int wait_send_budget(struct eorpc_sock *ep, u32 charge, bool nonblock)
{
	int err = eorpc_wait(ep, sock_sndtimeo(&ep->sk, nonblock),
			     send_possible, charge);

	if (!err && (ep->sk.sk_shutdown & SEND_SHUTDOWN))
		err = -EPIPE;
	return err;
}

/**
 * eorpc_client_sendmsg() - start a call
 * @ep: the socket, locked
 * @msg: destination in msg_name (or the connect()ed one), request in msg_iter
 * @len: request length
 * @tag: EORPC_CMSG_USER_TAG
 * @deadline_ms: relative deadline, 0 for none
 *
 * Return: @len once the call is started, or a negative errno.
 */
int eorpc_client_sendmsg(struct eorpc_sock *ep, struct msghdr *msg,
			 size_t len, u64 tag, s64 deadline_ms)
{
	struct sockaddr_eorpc dest;
	struct eorpc_client_session *cs;
	struct eorpc_call *call;
	u32 charge;
	int err;

	sock_owned_by_me(&ep->sk);
	if (msg->msg_name) {
		err = eorpc_client_dest(msg->msg_name, msg->msg_namelen, &dest);
		if (err)
			return err;
	} else if (ep->dest.seo_family) {
		dest = ep->dest;	/* checked by connect() */
	} else {
		return -EDESTADDRREQ;
	}
	if (len > eorpc_max_msg(ep))
		return -EMSGSIZE;
	if (ep->sk.sk_shutdown & SEND_SHUTDOWN)
		return -EPIPE;
	err = eorpc_client_autobind(ep, &dest);
	if (err)
		return err;

	charge = len + sizeof(*call);
	err = wait_send_budget(ep, charge, msg->msg_flags & MSG_DONTWAIT);
	if (err)
		return err;

	if (eorpc_should_fail_alloc())
		return -ENOMEM;
	call = kzalloc(sizeof(*call), GFP_KERNEL_ACCOUNT);
	if (!call)
		return -ENOMEM;
	err = eorpc_msg_from_iter(&call->req, &msg->msg_iter, len);
	if (err) {
		kfree(call);
		return err;
	}
	call->rx.kind = EORPC_RX_COMPLETION;
	call->user_tag = tag;
	call->peer = dest;
	if (deadline_ms > 0)
		call->deadline = ktime_add_ms(ktime_get(), deadline_ms);

	cs = eorpc_cs_find(ep, &dest);
	if (!cs) {
		cs = eorpc_cs_create(ep, &dest);
		if (!cs) {
			eorpc_msg_free(&call->req);
			kfree(call);
			return -ENOMEM;
		}
	}
	call->sess = cs;
	call->charge = charge;
	WRITE_ONCE(ep->tx_charged, ep->tx_charged + charge);
	ep->calls_out++;
	ep->calls_unfinished++;
	list_add_tail(&call->link, &cs->waiting);
	eorpc_inc(sock_net(&ep->sk), EORPC_STAT_CALLS);
	if (call->deadline)
		eorpc_timer_arm(ep, call->deadline);
	eorpc_cs_pump(ep, cs);
	return len;
}
