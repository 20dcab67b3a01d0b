// SPDX-License-Identifier: LGPL-2.1-or-later
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

static pthread_mutex_t tap_lock = PTHREAD_MUTEX_INITIALIZER;
static int n_pass, n_fail;

void tap_check(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&tap_lock);
	if (ok)
		n_pass++;
	else
		n_fail++;
	printf("%sok %d - ", ok ? "" : "not ", n_pass + n_fail);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok)
		printf("#   failed at %s:%d\n", file, line);
	fflush(stdout);
	pthread_mutex_unlock(&tap_lock);
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&tap_lock);
	printf("#   ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	pthread_mutex_unlock(&tap_lock);
}

int tap_failed(void)
{
	return n_fail;
}

int tap_passed(void)
{
	return n_pass;
}

char *tmpfile_with(const char *text)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	if (asprintf(&path, "%s/libeorpc-test.XXXXXX", dir) < 0)
		abort();
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

void use_family_file(const char *path)
{
	if (path)
		setenv("EORPC_FAMILY_FILE", path, 1);
	else
		unsetenv("EORPC_FAMILY_FILE");
	eorpc__family_reset();
}
