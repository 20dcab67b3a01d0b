// SPDX-License-Identifier: GPL-2.0
/* Init fails with -ENODEV: selftests/vm/run must report the failed insmod. */
#include <linux/errno.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init vm_fail_init(void)
{
	return -ENODEV;
}

module_init(vm_fail_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("selftests/vm: init fails");
