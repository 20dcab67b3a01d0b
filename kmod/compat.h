/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel APIs that differ between the kernels the module supports
 * (Debian 12's 6.1, Debian 13's 6.12, the newest Debian ships). Each entry
 * names the upstream release that changed it. Everything else in kmod/ is
 * written once: against the newest form where older kernels can be given
 * it here, else through the eorpc_ helper defined here.
 */
#ifndef EORPC_COMPAT_H
#define EORPC_COMPAT_H

#include <linux/version.h>
#include <linux/hrtimer.h>
#include <linux/net.h>
#include <linux/udp.h>
#include <linux/workqueue.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>

/* 6.5 removed proto_ops.sendpage (splice goes through sendmsg). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#define EORPC_OPS_SENDPAGE	.sendpage = sock_no_sendpage,
#else
#define EORPC_OPS_SENDPAGE
#endif

/* 6.10: __assign_str() takes the source from the __string() field. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
#define eorpc_assign_str(field, src)	__assign_str(field, src)
#else
#define eorpc_assign_str(field, src)	__assign_str(field)
#endif

/* 6.6: inet_sock's mc_loop became a bit of inet_flags. */
static inline void eorpc_no_mc_loop(struct sock *sk)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
	inet_sk(sk)->mc_loop = 0;
#else
	inet_clear_bit(MC_LOOP, sk);
#endif
}

/*
 * 6.6: register_net_sysctl_sz() takes the table's size, and the empty
 * terminating entry is no longer wanted (newer kernels refuse it).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#define EORPC_SYSCTL_END		{}
#define EORPC_SYSCTL_ENDS		1
#define register_net_sysctl_sz(net, path, table, n) \
	register_net_sysctl(net, path, table)
#else
#define EORPC_SYSCTL_END
#define EORPC_SYSCTL_ENDS		0
#endif

/*
 * 6.2 gave encap_err_rcv the parsed error (errno, port, ICMP info and the
 * quoted UDP payload) instead of the UDP header's offset. The module reads
 * the quote itself, from the offset: give it that on either form.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define EORPC_DEFINE_ENCAP_ERR_RCV(name, fn)				\
static void name(struct sock *sk, struct sk_buff *skb,		\
		 unsigned int udp_offset)				\
{									\
	fn(sk, skb, udp_offset);					\
}
#else
#define EORPC_DEFINE_ENCAP_ERR_RCV(name, fn)				\
static void name(struct sock *sk, struct sk_buff *skb, int err,	\
		 __be16 port, u32 info, u8 *payload)			\
{									\
	fn(sk, skb, payload - sizeof(struct udphdr) - skb->data);	\
}
#endif

/*
 * 6.19: proto_ops.bind and .connect, and kernel_bind(), take a struct
 * sockaddr_unsized (same leading sa_family) instead of a struct sockaddr.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 19, 0)
#define sockaddr_unsized sockaddr
#endif

/* 6.17: sock_i_uid() gave way to sk_uid(), which needs no lock. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
#define sk_uid(sk)	sock_i_uid(sk)
#endif

/*
 * 6.17: a workqueue says whether it is per-CPU (WQ_PERCPU, which was the
 * default) or unbound; newer kernels warn when it says neither.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
#define WQ_PERCPU	0
#endif

/* 6.13 added hrtimer_setup(); 6.15 removed hrtimer_init(). */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*function)(struct hrtimer *),
				 clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

/*
 * The memory cgroup a socket's memory is charged to (NULL: none). 6.17
 * added mem_cgroup_from_sk(), the accessor code is meant to use (7.2 has
 * it, and so has Debian's 6.12.117 by a stable backport; patches under
 * discussion keep flags in sk_memcg's low bits).
 */
static inline struct mem_cgroup *eorpc_sk_memcg(const struct sock *sk)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 17, 0)
	return sk->sk_memcg;
#else
	return mem_cgroup_from_sk(sk);
#endif
}

#endif /* EORPC_COMPAT_H */
