// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting for socket state the way TCP does: the condition is checked with
 * the socket lock held, which sk_wait_event() drops while asleep.
 */
#include <linux/sched/signal.h>
#include <net/sock.h>
#include "eorpc.h"
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
		sk_wait_event(sk, &timeo, ready(ep, arg), &wait);
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return err;
}
