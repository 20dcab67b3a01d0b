// SPDX-License-Identifier: GPL-2.0
/*
 * Leaks one allocation at init: on the debug kernel, selftests/vm/run's
 * kmemleak scan must report it and fail the run.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

static int __init vm_leak_init(void)
{
	char *p = kmalloc(128, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	memset(p, 0x5a, 128);
	/* Lose the only reference. */
	WRITE_ONCE(p, NULL);
	return 0;
}

static void __exit vm_leak_exit(void)
{
}

module_init(vm_leak_init);
module_exit(vm_leak_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("selftests/vm: leaks 128 bytes for kmemleak to find");
