// SPDX-License-Identifier: GPL-2.0
/* The AF_EORPC socket interface: proto_ops and the system calls. */
#include <linux/net.h>
#include <linux/poll.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/ip.h>
#include <net/sock.h>
#include "eorpc.h"
#include "dispatch.h"
#include "timer.h"
#include "wait.h"
#include "fault.h"
#include "netns.h"
#include "reuseport.h"

static const struct proto_ops eorpc_ops;

static struct proto eorpc_proto = {
	.name		= "EORPC",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct eorpc_sock),
	.release_cb	= eorpc_release_cb,
};

/* A random incarnation number; 0 means "none" on the wire. */
u64 eorpc_random_epoch(void)
{
	u64 v;

	do {
		v = get_random_u64();
	} while (!v);
	return v;
}

static int eorpc_bind(struct socket *sock, struct sockaddr_unsized *uaddr,
		      int len)
{
	struct eorpc_sock *ep = eorpc_sk(sock->sk);
	struct sockaddr_eorpc addr;
	int err;

	err = eorpc_addr_check(uaddr, len);
	if (err)
		return err;
	eorpc_addr_normalize(&addr, (struct sockaddr_eorpc *)uaddr);
	/* The rule udp(7) follows, for both IPv4 and IPv6 transports. */
	if (inet_port_requires_bind_service(sock_net(&ep->sk),
					    ntohs(addr.seo_port)) &&
	    !ns_capable(sock_net(&ep->sk)->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;
	eorpc_lock_sock(ep);
	err = ep->udp ? -EINVAL : eorpc_udp_open(ep, &addr);
	release_sock(&ep->sk);
	return err;
}

static int eorpc_connect(struct socket *sock, struct sockaddr_unsized *uaddr,
			 int len, int flags)
{
	struct eorpc_sock *ep = eorpc_sk(sock->sk);
	struct sockaddr_eorpc addr;
	int err;

	if (len >= (int)sizeof(uaddr->sa_family) &&
	    uaddr->sa_family == AF_UNSPEC) {
		eorpc_lock_sock(ep);
		memset(&ep->dest, 0, sizeof(ep->dest));
		release_sock(&ep->sk);
		return 0;
	}
	err = eorpc_client_dest(uaddr, len, &addr);
	if (err)
		return err;
	eorpc_lock_sock(ep);
	err = eorpc_client_autobind(ep, &addr);
	if (!err)
		ep->dest = addr;
	release_sock(&ep->sk);
	return err;
}

static int eorpc_listen(struct socket *sock, int backlog)
{
	struct eorpc_sock *ep = eorpc_sk(sock->sk);
	int err;

	eorpc_lock_sock(ep);
	/*
	 * A server must be bound to a known address: no autobind here, and
	 * none by an earlier call either (its port is shared by clients).
	 */
	err = ep->udp && !ep->udp_shared ? eorpc_server_start(ep) :
					   -EDESTADDRREQ;
	release_sock(&ep->sk);
	return err;
}

static int eorpc_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	struct eorpc_sock *ep = eorpc_sk(sock->sk);
	struct sockaddr_eorpc *out = (struct sockaddr_eorpc *)uaddr;
	int err = sizeof(*out);

	eorpc_lock_sock(ep);
	if (peer) {
		if (ep->dest.seo_family)
			*out = ep->dest;
		else
			err = -ENOTCONN;
	} else if (ep->udp) {
		*out = ep->local;
	} else {
		memset(out, 0, sizeof(*out));
		out->seo_family = eorpc_family;
	}
	release_sock(&ep->sk);
	return err;
}

static __poll_t eorpc_poll(struct file *file, struct socket *sock,
			   poll_table *wait)
{
	struct eorpc_sock *ep = eorpc_sk(sock->sk);
	struct sock *sk = &ep->sk;
	u8 shutdown;
	__poll_t mask = 0;

	sock_poll_wait(file, sock, wait);
	shutdown = READ_ONCE(sk->sk_shutdown);
	if (!list_empty_careful(&ep->recvq))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (shutdown == SHUTDOWN_MASK)
		mask |= EPOLLHUP;
	if (shutdown & SEND_SHUTDOWN)
		return mask;
	if (READ_ONCE(ep->tx_charged) < READ_ONCE(sk->sk_sndbuf)) {
		mask |= EPOLLOUT | EPOLLWRNORM;
	} else {
		/* Ask the next completion for a wakeup, then look again. */
		eorpc_note_nospace(sk);
		if (READ_ONCE(ep->tx_charged) < READ_ONCE(sk->sk_sndbuf))
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	return mask;
}

/**
 * struct eorpc_send_args - what the control messages of a sendmsg say
 * @tag: EORPC_CMSG_USER_TAG
 * @deadline_ms: EORPC_CMSG_DEADLINE_MS, -1 if absent
 * @call_id: EORPC_CMSG_CALL_ID
 * @has_call_id: this sendmsg answers a call
 */
struct eorpc_send_args {
	u64	tag;
	s64	deadline_ms;
	u64	call_id;
	bool	has_call_id;
};

static int parse_cmsgs(struct msghdr *msg, struct eorpc_send_args *args)
{
	struct cmsghdr *cmsg;
	u32 deadline;

	args->tag = 0;
	args->deadline_ms = -1;
	args->has_call_id = false;
	for_each_cmsghdr(cmsg, msg) {
		if (!CMSG_OK(msg, cmsg) || cmsg->cmsg_level != SOL_EORPC)
			return -EINVAL;
		switch (cmsg->cmsg_type) {
		case EORPC_CMSG_USER_TAG:
			if (cmsg->cmsg_len != CMSG_LEN(sizeof(u64)))
				return -EINVAL;
			memcpy(&args->tag, CMSG_DATA(cmsg), sizeof(u64));
			break;
		case EORPC_CMSG_DEADLINE_MS:
			if (cmsg->cmsg_len != CMSG_LEN(sizeof(u32)))
				return -EINVAL;
			memcpy(&deadline, CMSG_DATA(cmsg), sizeof(u32));
			args->deadline_ms = deadline;
			break;
		case EORPC_CMSG_CALL_ID:
			if (cmsg->cmsg_len != CMSG_LEN(sizeof(u64)))
				return -EINVAL;
			memcpy(&args->call_id, CMSG_DATA(cmsg), sizeof(u64));
			args->has_call_id = true;
			break;
		default:
			return -EINVAL;
		}
	}
	/* A reply has no tag or deadline of its own. */
	if (args->has_call_id && (args->tag || args->deadline_ms >= 0))
		return -EINVAL;
	return 0;
}

static int eorpc_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	struct eorpc_sock *ep = eorpc_sk(sock->sk);
	struct eorpc_send_args args;
	int err;

	/* MSG_BATCH: sendmmsg()'s "more follow"; each call starts at once. */
	if (msg->msg_flags & ~(MSG_DONTWAIT | MSG_NOSIGNAL | MSG_EOR |
			       MSG_BATCH | MSG_CMSG_COMPAT))
		return -EOPNOTSUPP;
	if (len > eorpc_max_msg(ep))
		return -EMSGSIZE;
	err = parse_cmsgs(msg, &args);
	if (err)
		return err;

	eorpc_lock_sock(ep);
	if (args.has_call_id) {
		err = eorpc_server_reply(ep, args.call_id, msg, len);
	} else {
		if (args.deadline_ms < 0)
			args.deadline_ms = ep->default_deadline_ms;
		err = eorpc_client_sendmsg(ep, msg, len, args.tag,
					   args.deadline_ms);
	}
	release_sock(&ep->sk);
	return err;
}

static bool recv_ready(struct eorpc_sock *ep, u32 unused)
{
	return !list_empty(&ep->recvq) ||
	       (ep->sk.sk_shutdown & RCV_SHUTDOWN);
}

static int put_u64_cmsg(struct msghdr *msg, int type, u64 v)
{
	return put_cmsg(msg, SOL_EORPC, type, sizeof(v), &v);
}

static void put_name(struct msghdr *msg, const struct sockaddr_eorpc *peer)
{
	if (msg->msg_name) {
		memcpy(msg->msg_name, peer, sizeof(*peer));
		msg->msg_namelen = sizeof(*peer);
	}
}

static int copy_body(struct msghdr *msg, const struct eorpc_msg *m,
		     size_t size, int flags)
{
	size_t copied = min_t(size_t, size, m->len);

	if (copied && copy_to_iter(m->data, copied, &msg->msg_iter) != copied)
		return -EFAULT;
	if (copied < m->len)
		msg->msg_flags |= MSG_TRUNC;
	return (flags & MSG_TRUNC) ? m->len : copied;
}

static int recv_completion(struct eorpc_sock *ep, struct eorpc_call *call,
			   struct msghdr *msg, size_t size, int flags)
{
	int ret = copy_body(msg, &call->reply, size, flags), err;

	if (ret < 0)
		return ret;
	put_name(msg, &call->peer);
	/*
	 * A fault writing these (the control buffer's page could not be
	 * had) would hand out a completion the application cannot match,
	 * or an error it cannot see: it stays queued instead.
	 */
	err = put_u64_cmsg(msg, EORPC_CMSG_USER_TAG, call->user_tag);
	if (!err && call->id)
		err = put_u64_cmsg(msg, EORPC_CMSG_REQUEST_ID, call->id);
	if (!err && call->error)
		err = put_cmsg(msg, SOL_EORPC, EORPC_CMSG_ERROR, sizeof(int),
			       &call->error);
	if (err)
		return err;
	if (!(flags & MSG_PEEK)) {
		list_del(&call->rx.link);
		eorpc_call_free(ep, call);
	}
	return ret;
}

static int recv_request(struct eorpc_sock *ep, struct eorpc_server_call *sc,
			struct msghdr *msg, size_t size, int flags)
{
	int ret, err;

	/* Without room for the call id the request could never be answered. */
	if (msg->msg_controllen < CMSG_SPACE(sizeof(u64)))
		return -EINVAL;
	if (flags & MSG_PEEK) {
		ret = copy_body(msg, &sc->msg, size, flags);
		if (ret >= 0)
			put_name(msg, &sc->peer);
		return ret;
	}
	err = eorpc_server_call_id_reserve(ep, sc);
	if (err)
		return err;
	ret = copy_body(msg, &sc->msg, size, flags);
	if (ret < 0) {
		/* Nothing reached the application: it stays queued. */
		eorpc_server_call_id_unreserve(ep, sc);
		return ret;
	}
	put_name(msg, &sc->peer);
	/* Without its call id the request could not be answered: queued. */
	err = put_u64_cmsg(msg, EORPC_CMSG_CALL_ID, sc->call_id);
	if (!err)
		err = put_u64_cmsg(msg, EORPC_CMSG_REQUEST_ID, sc->he.id);
	if (err) {
		eorpc_server_call_id_unreserve(ep, sc);
		return err;
	}
	eorpc_server_delivered(ep, sc);
	return ret;
}

static int eorpc_recvmsg(struct socket *sock, struct msghdr *msg, size_t size,
			 int flags)
{
	struct eorpc_sock *ep = eorpc_sk(sock->sk);
	struct eorpc_rxitem *item;
	int err;

	if (flags & ~(MSG_DONTWAIT | MSG_PEEK | MSG_TRUNC | MSG_WAITALL |
		      MSG_CMSG_COMPAT | MSG_NOSIGNAL))
		return -EOPNOTSUPP;
	eorpc_lock_sock(ep);
	err = eorpc_wait(ep, sock_rcvtimeo(&ep->sk, flags & MSG_DONTWAIT),
			 recv_ready, 0);
	if (err)
		goto out;
	if (list_empty(&ep->recvq)) {
		err = 0;	/* shut down for reading: end of file */
		goto out;
	}
	item = list_first_entry(&ep->recvq, struct eorpc_rxitem, link);
	if (item->kind == EORPC_RX_COMPLETION)
		err = recv_completion(ep, container_of(item, struct eorpc_call,
						       rx), msg, size, flags);
	else
		err = recv_request(ep, container_of(item, struct eorpc_server_call,
						    rx), msg, size, flags);
out:
	release_sock(&ep->sk);
	return err;
}

static int eorpc_setsockopt(struct socket *sock, int level, int optname,
			    sockptr_t optval, unsigned int optlen)
{
	struct eorpc_sock *ep = eorpc_sk(sock->sk);
	u64 tag;
	u32 val;
	int err;

	if (level != SOL_EORPC)
		return -ENOPROTOOPT;
	switch (optname) {
	case EORPC_CANCEL:
		if (optlen != sizeof(tag))
			return -EINVAL;
		if (copy_from_sockptr(&tag, optval, sizeof(tag)))
			return -EFAULT;
		eorpc_lock_sock(ep);
		err = eorpc_client_cancel(ep, tag);
		release_sock(&ep->sk);
		return err;
	case EORPC_DEFAULT_DEADLINE_MS:
		if (optlen != sizeof(val))
			return -EINVAL;
		if (copy_from_sockptr(&val, optval, sizeof(val)))
			return -EFAULT;
		WRITE_ONCE(ep->default_deadline_ms, val);
		return 0;
	case EORPC_WINDOW:
		return -EPERM;	/* read-only: net.eorpc.window on the server */
	case EORPC_MAX_MSG:
		return -EPERM;	/* read-only: net.eorpc.max_msg_bytes */
	case EORPC_REUSEPORT:
		/*
		 * SO_REUSEPORT's meaning at our level: the core takes that
		 * option only from AF_INET and AF_INET6 sockets. Read when
		 * the socket binds, as UDP reads SO_REUSEPORT.
		 */
		if (optlen < sizeof(int))
			return -EINVAL;
		if (copy_from_sockptr(&val, optval, sizeof(val)))
			return -EFAULT;
		eorpc_lock_sock(ep);
		ep->reuseport = !!val;
		release_sock(&ep->sk);
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

static int eorpc_getsockopt(struct socket *sock, int level, int optname,
			    char __user *optval, int __user *optlen)
{
	struct eorpc_sock *ep = eorpc_sk(sock->sk);
	int len;
	u32 val;

	if (level != SOL_EORPC)
		return -ENOPROTOOPT;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < (int)sizeof(val))
		return -EINVAL;
	switch (optname) {
	case EORPC_DEFAULT_DEADLINE_MS:
		val = READ_ONCE(ep->default_deadline_ms);
		break;
	case EORPC_WINDOW:
		val = rounddown_pow_of_two(READ_ONCE(eorpc_net(sock_net(&ep->sk))->window));
		break;
	case EORPC_REUSEPORT:
		val = READ_ONCE(ep->reuseport);
		break;
	case EORPC_MAX_MSG:
		val = eorpc_max_msg(ep);
		break;
	default:
		return -ENOPROTOOPT;
	}
	len = sizeof(val);
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

static int eorpc_shutdown(struct socket *sock, int how)
{
	struct eorpc_sock *ep = eorpc_sk(sock->sk);
	struct sock *sk = &ep->sk;

	/* SHUT_RD..SHUT_RDWR are 0..2; the bits are one more. */
	how++;
	if (how <= 0 || how > SHUTDOWN_MASK)
		return -EINVAL;
	eorpc_lock_sock(ep);
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
	if (how & SEND_SHUTDOWN)
		eorpc_client_shutdown(ep);
	sk->sk_state_change(sk);
	release_sock(sk);
	return 0;
}

/*
 * The rest of close(), a grace period after the UDP hooks were unhooked: no
 * hook can reach the socket any more, so what they queued is final.
 */
static void eorpc_release_rcu(struct work_struct *work)
{
	struct eorpc_sock *ep = container_of(to_rcu_work(work),
					     struct eorpc_sock, release_work);
	struct eorpc_rxitem *item, *tmp;
	struct sock *sk = &ep->sk;

	/* Nothing may run after this: no timer, no work. */
	hrtimer_cancel(&ep->timer);
	cancel_work_sync(&ep->work);
	skb_queue_purge(&ep->rx_backlog);

	list_for_each_entry_safe(item, tmp, &ep->recvq, link) {
		list_del(&item->link);
		if (item->kind == EORPC_RX_COMPLETION)
			eorpc_call_free(ep, container_of(item, struct eorpc_call,
							 rx));
	}
	WARN_ON_ONCE(atomic_read(&sk->sk_rmem_alloc));
	WARN_ON_ONCE(ep->tx_charged);
	WARN_ON_ONCE(ep->partial_bytes);
	sock_put(sk);
}

static int eorpc_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct eorpc_sock *ep;
	struct eorpc_net *en;

	if (!sk)
		return 0;
	ep = eorpc_sk(sk);
	en = eorpc_net(sock_net(sk));
	mutex_lock(&en->lock);
	list_del(&ep->node);
	mutex_unlock(&en->lock);

	eorpc_lock_sock(ep);
	eorpc_reuseport_leave(ep);
	WRITE_ONCE(ep->dead, true);
	eorpc_client_shutdown(ep);
	eorpc_server_stop(ep);
	sock_orphan(sk);
	release_sock(sk);

	/* The port is free from here, as a UDP socket's is after close(). */
	eorpc_udp_close(ep);
	sock->sk = NULL;
	queue_rcu_work(eorpc_wq, &ep->release_work);
	return 0;
}

/**
 * eorpc_sock_alloc() - a socket with its protocol state set up
 * @net: its namespace
 * @sock: its struct socket; NULL for a KUnit test's socket
 * @kern: made by the kernel (no namespace reference)
 *
 * Without its work item, timer and place in the namespace's list: those
 * are eorpc_create()'s, and a test gives its socket inert ones.
 *
 * Return: the socket, or NULL.
 */
struct eorpc_sock *eorpc_sock_alloc(struct net *net, struct socket *sock,
				    int kern)
{
	struct eorpc_sock *ep;
	struct sock *sk;

	sk = eorpc_should_fail_alloc() ? NULL :
	     sk_alloc(net, eorpc_family, GFP_KERNEL, &eorpc_proto, kern);
	if (!sk)
		return NULL;
	sock_init_data(sock, sk);
	sk->sk_backlog_rcv = eorpc_backlog_rcv;

	ep = eorpc_sk(sk);
	ep->server_epoch = eorpc_random_epoch();
	INIT_LIST_HEAD(&ep->client_sessions);
	INIT_LIST_HEAD(&ep->server_sessions);
	eorpc_server_init(ep);
	INIT_LIST_HEAD(&ep->recvq);
	skb_queue_head_init(&ep->rx_backlog);
	spin_lock_init(&ep->icmp_lock);
	INIT_LIST_HEAD(&ep->partial);
	INIT_LIST_HEAD(&ep->reuseport_node);
	return ep;
}

static int eorpc_create(struct net *net, struct socket *sock, int protocol,
			int kern)
{
	struct eorpc_net *en = eorpc_net(net);
	struct eorpc_sock *ep;

	if (sock->type != SOCK_DGRAM)
		return -ESOCKTNOSUPPORT;
	if (protocol)
		return -EPROTONOSUPPORT;
	ep = eorpc_sock_alloc(net, sock, kern);
	if (!ep)
		return -ENOMEM;
	sock->ops = &eorpc_ops;
	INIT_WORK(&ep->work, eorpc_work);
	INIT_RCU_WORK(&ep->release_work, eorpc_release_rcu);
	hrtimer_setup(&ep->timer, eorpc_timer_fired, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS_SOFT);

	mutex_lock(&en->lock);
	list_add_tail(&ep->node, &en->sockets);
	mutex_unlock(&en->lock);
	return 0;
}

static const struct proto_ops eorpc_ops = {
	/*
	 * The family number is a module parameter, unknown at compile time;
	 * the core reads this field only to tell PF_UNIX sockets apart.
	 */
	.family		= PF_UNSPEC,
	.owner		= THIS_MODULE,
	.release	= eorpc_release,
	.bind		= eorpc_bind,
	.connect	= eorpc_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.getname	= eorpc_getname,
	.poll		= eorpc_poll,
	.ioctl		= sock_no_ioctl,
	.listen		= eorpc_listen,
	.shutdown	= eorpc_shutdown,
	.setsockopt	= eorpc_setsockopt,
	.getsockopt	= eorpc_getsockopt,
	.sendmsg	= eorpc_sendmsg,
	.recvmsg	= eorpc_recvmsg,
	.mmap		= sock_no_mmap,
	EORPC_OPS_SENDPAGE
};

static struct net_proto_family eorpc_family_ops = {
	.create	= eorpc_create,
	.owner	= THIS_MODULE,
};

int eorpc_proto_init(void)
{
	int err;

	err = proto_register(&eorpc_proto, 1);
	if (err)
		return err;
	eorpc_family_ops.family = eorpc_family;
	err = sock_register(&eorpc_family_ops);
	if (err)
		proto_unregister(&eorpc_proto);
	return err;
}

void eorpc_proto_exit(void)
{
	sock_unregister(eorpc_family);
	proto_unregister(&eorpc_proto);
}
