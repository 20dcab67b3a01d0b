// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting for socket state the way TCP does: the condition is checked with
 * the socket lock held, which sk_wait_event() drops while asleep.
 */
#include <linux/sched/signal.h>
#include <net/sock.h>
#include "eorpc.h"
#include "dispatch.h"
#include "wait.h"

/**
 * eorpc_wait() - sleep, socket lock released, until a condition holds
 * @ep: the socket, locked
 * @timeo: how long; 0 for a non-blocking socket
 * @ready: the condition, evaluated with the socket locked
 * @arg: passed to @ready
 *
 * Return: 0 once @ready is true, -EAGAIN on timeout, -EINTR or
 * -ERESTARTSYS on a signal.
 */
int eorpc_wait(struct eorpc_sock *ep, long timeo,
	       bool (*ready)(struct eorpc_sock *ep, u32 arg), u32 arg)
{
	struct sock *sk = &ep->sk;
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int err = 0;

	sock_owned_by_me(sk);
	/* The condition changes only under the socket lock: check it first. */
	if (ready(ep, arg))
		return 0;
	add_wait_queue(sk_sleep(sk), &wait);
	while (!ready(ep, arg)) {
		if (!timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = sock_intr_errno(timeo);
			break;
		}
		/*
		 * sk_wait_event(), but the lock is taken back ahead of the
		 * work item: it may be what made @ready true.
		 */
		release_sock(sk);
		if (!ready(ep, arg))
			timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
		sched_annotate_sleep();
		eorpc_lock_sock(ep);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}

/*
 * A writer found no send budget and may wait for it (in sendmsg or in
 * poll): the next completion must wake it (eorpc_write_space()).
 */
void eorpc_note_nospace(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;

	if (!sock)
		return;
	sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
	set_bit(SOCK_NOSPACE, &sock->flags);
	/* The flag before the budget's re-check; pairs with write_space. */
	smp_mb__after_atomic();
}

/*
 * Send budget came back: wake writers only if one may be waiting, as TCP
 * does, instead of a wakeup per completed call.
 */
void eorpc_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;

	/* The budget's store before the flag's load; pairs with the above. */
	smp_mb();
	if (sock && test_and_clear_bit(SOCK_NOSPACE, &sock->flags))
		sk->sk_write_space(sk);
}
