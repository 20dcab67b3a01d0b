// SPDX-License-Identifier: LGPL-2.1-or-later
/* Text a function printed, captured for the eorpc tool's unit tests. */
#include <stdlib.h>

#include "tap.h"

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
