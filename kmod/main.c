// SPDX-License-Identifier: GPL-2.0
/*
 * AF_EORPC: exactly-once RPC over UDP. Module init and exit only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/net.h>
#include <linux/workqueue.h>
#include <net/sock.h>
#include "eorpc.h"
#include "fault.h"
#include "netns.h"

int eorpc_family = EORPC_FAMILY_DEFAULT;
module_param_named(family, eorpc_family, int, 0444);
MODULE_PARM_DESC(family, "address family number to register (default 25)");

struct workqueue_struct *eorpc_wq;

static int __init eorpc_init(void)
{
	int err;

	if (eorpc_family <= AF_UNSPEC || eorpc_family >= NPROTO) {
		pr_err("family %d out of range 1..%d\n", eorpc_family,
		       NPROTO - 1);
		return -EINVAL;
	}
	eorpc_wq = alloc_workqueue("eorpc", WQ_MEM_RECLAIM | WQ_PERCPU, 0);
	if (!eorpc_wq)
		return -ENOMEM;
	err = eorpc_netns_init();
	if (err)
		goto err_wq;
	err = eorpc_proto_init();
	if (err) {
		pr_err("cannot register family %d: %d\n", eorpc_family, err);
		goto err_netns;
	}
	eorpc_fault_init();
	pr_info("AF_EORPC registered as family %d\n", eorpc_family);
	return 0;

err_netns:
	eorpc_netns_exit();
err_wq:
	destroy_workqueue(eorpc_wq);
	return err;
}

static void __exit eorpc_exit(void)
{
	eorpc_fault_exit();
	eorpc_proto_exit();
	eorpc_netns_exit();
	destroy_workqueue(eorpc_wq);
	/* UDP sockets we released are freed after a grace period. */
	rcu_barrier();
}

module_init(eorpc_init);
module_exit(eorpc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("AF_EORPC: exactly-once RPC over UDP");
MODULE_AUTHOR("AF_EORPC developers");
