/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * TAP for the C test programs (libeorpc's, the eorpc tool's and the
 * examples' unit tests, the soak, sysfuzz, man7_claims), as
 * selftests/lib/tap.sh is for the shell scripts:
 *
 *   ok N name
 *   not ok N name
 *   # failed at file:line
 *
 * Thread-safe; each line is flushed at once, so a process that forks
 * leaves none of it in its children's buffers. The plan ("1..N") and any
 * summary are the program's own.
 */
#ifndef EORPC_SELFTESTS_TAP_H
#define EORPC_SELFTESTS_TAP_H

/* One numbered result; the name is a printf format. Returns @ok. */
int tap_result(int ok, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A "# " line. */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Results so far, and how many of them failed. */
int tap_count(void);
int tap_failures(void);

#define TAP_OK(cond, ...) tap_result(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#endif
