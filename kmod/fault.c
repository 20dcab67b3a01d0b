// SPDX-License-Identifier: GPL-2.0
/*
 * Fault points (see fault.h). Built only into kernels with
 * CONFIG_FAULT_INJECTION_DEBUG_FS.
 */
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include "fault.h"

static DECLARE_FAULT_ATTR(fail_alloc);
static DECLARE_FAULT_ATTR(fail_xmit);
static struct dentry *fault_dir;

bool eorpc_should_fail_alloc(void)
{
	return should_fail(&fail_alloc, 1);
}

bool eorpc_should_fail_xmit(void)
{
	return should_fail(&fail_xmit, 1);
}

/* Without debugfs the points stay off (probability 0): not an error. */
void eorpc_fault_init(void)
{
	fault_dir = debugfs_create_dir("eorpc", NULL);
	fault_create_debugfs_attr("fail_alloc", fault_dir, &fail_alloc);
	fault_create_debugfs_attr("fail_xmit", fault_dir, &fail_xmit);
}

void eorpc_fault_exit(void)
{
	debugfs_remove_recursive(fault_dir);
}
