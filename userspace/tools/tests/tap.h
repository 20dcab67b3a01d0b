/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The eorpc tool's unit tests: TAP (selftests/lib/tap.h), capture, suites. */
#ifndef EORPC_TOOL_TAP_H
#define EORPC_TOOL_TAP_H

#include <stdio.h>

#include "../../../selftests/lib/tap.h"

/* capture.c: text a function printed to a FILE *, captured in memory. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
};
void capture_start(struct capture *c);
char *capture_end(struct capture *c);	/* caller frees */

void suite_status(void);
void suite_args(void);
void suite_procfmt(void);
void suite_samples(void);
void suite_util(void);

#endif
