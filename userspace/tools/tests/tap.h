/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* TAP for the eorpc tool's unit tests: "ok N name" / "not ok N name". */
#ifndef EORPC_TOOL_TAP_H
#define EORPC_TOOL_TAP_H

#include <stdio.h>

void tap_ok(int cond, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int tap_failures(void);
int tap_count(void);

#define T_OK(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Text a function printed to a FILE *, captured in memory. */
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
