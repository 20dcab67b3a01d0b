/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The examples' unit tests: TAP (selftests/lib/tap.h) and the suites. */
#ifndef EXAMPLES_TAP_H
#define EXAMPLES_TAP_H

#include "../../../selftests/lib/tap.h"

void suite_kv_store(void);
void suite_kv_msg(void);
void suite_kv_service(void);
void suite_kv_workload(void);
void suite_bank(void);
void suite_bank_msg(void);
void suite_bank_workload(void);
void suite_opts(void);

#endif
