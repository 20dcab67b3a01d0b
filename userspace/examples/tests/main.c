// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests of the example applications' logic and message codecs, on the
 * host, without a kernel module: the parts that know nothing of the network.
 */
#include <stdarg.h>
#include <stdio.h>

#include "tap.h"

static int n_run, n_failed;

void tap_ok(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	n_run++;
	if (!ok)
		n_failed++;
	printf("%sok %d - ", ok ? "" : "not ", n_run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		printf("#   failed at %s:%d\n", file, line);
	fflush(stdout);
}

int tap_failures(void)
{
	return n_failed;
}

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
	printf("1..%d\n# examples: %d passed, %d failed\n", n_run,
	       n_run - n_failed, n_failed);
	return n_failed ? 1 : 0;
}
