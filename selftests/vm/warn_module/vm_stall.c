// SPDX-License-Identifier: GPL-2.0
/*
 * Init sleeps 60 s without printing: to selftests/vm/run this looks like a
 * boot that stalled before the command started.
 */
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/module.h>

static int __init vm_stall_init(void)
{
	msleep(60 * 1000);
	return 0;
}

module_init(vm_stall_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("selftests/vm: init stalls silently");
