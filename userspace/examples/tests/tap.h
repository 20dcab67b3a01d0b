/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* TAP output for the examples' unit tests: "ok N - name" per check. */
#ifndef EXAMPLES_TAP_H
#define EXAMPLES_TAP_H

void tap_ok(int ok, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int tap_failures(void);

/* One numbered TAP line; the name is a printf format. */
#define OK(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

void suite_kv_store(void);
void suite_kv_msg(void);
void suite_kv_service(void);
void suite_kv_workload(void);
void suite_bank(void);
void suite_bank_msg(void);
void suite_bank_workload(void);
void suite_opts(void);

#endif
