// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Helpers every subcommand uses: error messages that name the step and the
 * cause, strict number parsing, whole-file reads and writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

const char *cli_prog = "eorpc";

/* "eorpc call: sending the request: Connection refused" */
void cli_err(int err, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
}

void cli_usage_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try '%s --help')\n", cli_prog);
}

/* A decimal number in [min, max]; no sign, no junk, no overflow. */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Bytes, with an optional K/KiB or M/MiB suffix (binary: 1K = 1024). */
int parse_size(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t mult = 1, v;
	size_t n = s ? strlen(s) : 0;
	char num[32];

	if (!n || n >= sizeof(num))
		return -1;
	memcpy(num, s, n + 1);
	if (n > 3 && !strcasecmp(num + n - 3, "kib"))
		mult = 1024, num[n - 3] = 0;
	else if (n > 3 && !strcasecmp(num + n - 3, "mib"))
		mult = 1024 * 1024, num[n - 3] = 0;
	else if (n > 1 && (num[n - 1] == 'k' || num[n - 1] == 'K'))
		mult = 1024, num[n - 1] = 0;
	else if (n > 1 && (num[n - 1] == 'm' || num[n - 1] == 'M'))
		mult = 1024 * 1024, num[n - 1] = 0;
	if (parse_u64(num, 0, max / mult, &v))
		return -1;
	*out = v * mult;
	return 0;
}

/* Seconds, fractional allowed ("2", "0.5"), positive and at most a day. */
int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !(v > 0) || v > 86400)
		return -1;
	*out = v;
	return 0;
}

/*
 * Everything from @fd, at most @max bytes (EMSGSIZE beyond), NUL-terminated
 * for the text readers. Returns 0 or -1 with errno.
 */
int read_all(int fd, char **buf, size_t *len, size_t max)
{
	size_t cap = 4096, n = 0;
	char *b = malloc(cap + 1), *nb;
	ssize_t r;

	if (!b)
		return -1;
	for (;;) {
		if (n == cap) {
			if (cap > max)
				break;
			cap *= 2;
			nb = realloc(b, cap + 1);
			if (!nb) {
				free(b);
				return -1;
			}
			b = nb;
		}
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(b);
			errno = e;
			return -1;
		}
		if (!r)
			break;
		n += r;
	}
	if (n > max) {
		free(b);
		errno = EMSGSIZE;
		return -1;
	}
	b[n] = 0;
	*buf = b;
	*len = n;
	return 0;
}

int read_file(const char *path, char **buf, size_t max)
{
	size_t len;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc, e;

	if (fd < 0)
		return -1;
	rc = read_all(fd, buf, &len, max);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t w;

	while (len) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		len -= w;
	}
	return 0;
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}
