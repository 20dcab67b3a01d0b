// SPDX-License-Identifier: GPL-2.0
/* A module that loads and unloads cleanly: the runner's positive control. */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

static int __init vm_ok_init(void)
{
	pr_info("vm_ok: loaded\n");
	return 0;
}

static void __exit vm_ok_exit(void)
{
	pr_info("vm_ok: unloaded\n");
}

module_init(vm_ok_init);
module_exit(vm_ok_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("selftests/vm: clean load and unload");
