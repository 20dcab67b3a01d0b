// SPDX-License-Identifier: LGPL-2.1-or-later
/* TAP for the C test programs: see tap.h. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "tap.h"

static pthread_mutex_t tap_lock = PTHREAD_MUTEX_INITIALIZER;
static int count, failures;

int tap_result(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&tap_lock);
	count++;
	if (!ok)
		failures++;
	printf("%sok %d ", ok ? "" : "not ", count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		printf("# failed at %s:%d\n", file, line);
	fflush(stdout);
	pthread_mutex_unlock(&tap_lock);
	return ok;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&tap_lock);
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	pthread_mutex_unlock(&tap_lock);
}

static int read_locked(const int *n)
{
	int v;

	pthread_mutex_lock(&tap_lock);
	v = *n;
	pthread_mutex_unlock(&tap_lock);
	return v;
}

int tap_count(void)
{
	return read_locked(&count);
}

int tap_failures(void)
{
	return read_locked(&failures);
}
