// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libeorpc unit tests: no kernel module needed. The system call layer is
 * replaced by a fake kernel (fake.c) where a socket is involved.
 *
 * Usage: test_libeorpc [suite...]   (default: all)
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

static const struct {
	const char *name;
	void (*fn)(void);
} suites[] = {
	{ "family", suite_family },
	{ "addr", suite_addr },
	{ "cmsg", suite_cmsg },
	{ "call", suite_call },
	{ "call_threads", suite_call_threads },
	{ "server", suite_server },
	{ "errors", suite_errors },
	{ "handover", suite_handover },
};

/* A library bug that deadlocks must fail the run, not hang it. */
#define WATCHDOG_SECONDS 300

static void watchdog(int sig)
{
	static const char msg[] =
		"not ok 0 watchdog: tests still running after "
		"300 s (deadlock?)\n# userspace: watchdog fired\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(2);
}

int main(int argc, char **argv)
{
	size_t i;
	int j;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGALRM, watchdog);
	alarm(WATCHDOG_SECONDS);
	/* Never touch a real module's sysfs file from the tests. */
	use_family_file("/nonexistent/eorpc-family");
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		int run = argc < 2;

		for (j = 1; j < argc; j++)
			if (!strcmp(argv[j], suites[i].name))
				run = 1;
		if (!run)
			continue;
		printf("# suite %s\n", suites[i].name);
		suites[i].fn();
	}
	printf("# userspace: %d passed, %d failed\n", tap_count() - tap_failures(),
	       tap_failures());
	return tap_failures() ? 1 : 0;
}
