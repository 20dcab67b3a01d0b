// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests of the example applications' logic and message codecs, on the
 * host, without a kernel module: the parts that know nothing of the network.
 */
#include <stdio.h>

#include "tap.h"

int main(void)
{
	static void (*const suites[])(void) = {
		suite_opts, suite_kv_store, suite_kv_msg, suite_kv_service,
		suite_kv_workload, suite_bank, suite_bank_msg,
		suite_bank_workload,
	};
	size_t i;

	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
		suites[i]();
	printf("1..%d\n# examples: %d passed, %d failed\n", tap_count(),
	       tap_count() - tap_failures(), tap_failures());
	return tap_failures() ? 1 : 0;
}
