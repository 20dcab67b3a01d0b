// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Address family discovery: the module publishes the number it registered
 * in EORPC_FAMILY_SYSFS; the library never hard-codes it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

/* Largest family number accepted (the kernel's AF_MAX is far below). */
#define EORPC_FAMILY_MAX	255

/* 0: not known yet. Only successes are cached. */
static int cached_family;

int eorpc__family_parse(const char *text, size_t len)
{
	size_t i = 0;
	long val = 0;

	while (i < len && text[i] >= '0' && text[i] <= '9') {
		val = val * 10 + (text[i] - '0');
		if (val > EORPC_FAMILY_MAX)
			goto bad;
		i++;
	}
	if (i == 0 || val == 0)
		goto bad;
	for (; i < len; i++)	/* sysfs ends the value with a newline */
		if (text[i] != '\n' && text[i] != ' ' && text[i] != '\t')
			goto bad;
	return (int)val;
bad:
	errno = EINVAL;
	return -1;
}

void eorpc__family_reset(void)
{
	__atomic_store_n(&cached_family, 0, __ATOMIC_RELEASE);
}

int eorpc_family(void)
{
	int family = __atomic_load_n(&cached_family, __ATOMIC_ACQUIRE);
	const char *path;
	char buf[32];
	size_t len = 0;
	ssize_t n;
	int fd;

	if (family > 0)
		return family;

	path = secure_getenv("EORPC_FAMILY_FILE");
	if (!path || !*path)
		path = EORPC_FAMILY_SYSFS;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			errno = EAFNOSUPPORT;	/* module not loaded */
		return -1;
	}
	for (;;) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf))
			break;
	}
	if (n < 0) {
		EORPC_SAVE_ERRNO(close(fd));
		return -1;
	}
	close(fd);
	if (len == sizeof(buf)) {	/* far longer than any number */
		errno = EINVAL;
		return -1;
	}

	family = eorpc__family_parse(buf, len);
	if (family < 0)
		return -1;
	/* Racing readers all store the same number. */
	__atomic_store_n(&cached_family, family, __ATOMIC_RELEASE);
	return family;
}
