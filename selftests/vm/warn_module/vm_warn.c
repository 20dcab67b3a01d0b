// SPDX-License-Identifier: GPL-2.0
/* Plants a WARN_ON(1) at init: selftests/vm/run must fail a run that loads it. */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init vm_warn_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit vm_warn_exit(void)
{
}

module_init(vm_warn_init);
module_exit(vm_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("selftests/vm: planted WARN_ON(1)");
