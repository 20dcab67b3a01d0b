/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault points: the module's own allocations and transmits, failed on
 * demand through the kernel's fault-injection framework. failslab and
 * fail_page_alloc can only be aimed at tasks; these fire wherever the
 * module runs (system calls, the receive work, timers, softirq), so the
 * receive path's error handling is exercised too. Configured in debugfs:
 *
 *   /sys/kernel/debug/eorpc/fail_alloc/  every allocation the module makes
 *   /sys/kernel/debug/eorpc/fail_xmit/   every datagram the module sends
 *
 * with the usual probability, interval, times, space and verbose files
 * (Documentation/fault-injection/fault-injection.rst). Kernels without
 * CONFIG_FAULT_INJECTION_DEBUG_FS (Debian's) compile them to nothing.
 */
#ifndef EORPC_FAULT_H
#define EORPC_FAULT_H

#include <linux/types.h>

#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
bool eorpc_should_fail_alloc(void);
bool eorpc_should_fail_xmit(void);
void eorpc_fault_init(void);
void eorpc_fault_exit(void);
#else
static inline bool eorpc_should_fail_alloc(void) { return false; }
static inline bool eorpc_should_fail_xmit(void) { return false; }
static inline void eorpc_fault_init(void) {}
static inline void eorpc_fault_exit(void) {}
#endif

#endif
