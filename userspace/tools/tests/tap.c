// SPDX-License-Identifier: LGPL-2.1-or-later
#include <stdarg.h>
#include <stdlib.h>

#include "tap.h"

static int count, failures;

void tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	count++;
	printf("%sok %d ", cond ? "" : "not ", count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond) {
		failures++;
		printf("# failed at %s:%d\n", file, line);
	}
	fflush(stdout);
}

int tap_failures(void)
{
	return failures;
}

int tap_count(void)
{
	return count;
}

void capture_start(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	if (!c->f) {
		perror("open_memstream");
		exit(1);
	}
}

char *capture_end(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}
