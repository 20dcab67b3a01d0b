// SPDX-License-Identifier: LGPL-2.1-or-later
/* Helpers of the libeorpc unit tests that are not TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

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
