// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The system call layer. Everything the library does to a socket goes
 * through this table so the unit tests can play the kernel.
 */
#include <sys/socket.h>

#include "internal.h"

static const struct eorpc_sys_ops libc_ops = {
	.socket = socket,
	.bind = bind,
	.listen = listen,
	.setsockopt = setsockopt,
	.sendmsg = sendmsg,
	.recvmsg = recvmsg,
};

static const struct eorpc_sys_ops *cur_ops = &libc_ops;

const struct eorpc_sys_ops *eorpc__sys(void)
{
	return __atomic_load_n(&cur_ops, __ATOMIC_ACQUIRE);
}

const struct eorpc_sys_ops *eorpc__set_sys_ops(const struct eorpc_sys_ops *ops)
{
	return __atomic_exchange_n(&cur_ops, ops ? ops : &libc_ops,
				   __ATOMIC_ACQ_REL);
}
