/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The libeorpc unit tests: TAP (selftests/lib/tap.h), suites, helpers. */
#ifndef EORPC_TAP_H
#define EORPC_TAP_H

#include <errno.h>
#include <string.h>

#include "../../selftests/lib/tap.h"

/* rc == -1 and errno == e, with the actual values on failure. */
#define CHECK_ERR(expr, e, ...) do {					\
		errno = 0;						\
		long r__ = (long)(expr);				\
		int e__ = errno;					\
		if (!TAP_OK(r__ == -1 && e__ == (e), __VA_ARGS__))	\
			tap_diag("got %ld errno %d (%s), want -1 errno %d (%s)", \
				 r__, e__, strerror(e__), (e), strerror(e)); \
	} while (0)

/* Suites (one per file). */
void suite_family(void);
void suite_addr(void);
void suite_cmsg(void);
void suite_call(void);
void suite_call_threads(void);
void suite_server(void);
void suite_errors(void);
void suite_handover(void);

/* Helpers (util.c). */
/* Write @text to a fresh temp file; returns its malloc'd path. */
char *tmpfile_with(const char *text);
/* Point EORPC_FAMILY_FILE at @path (NULL: unset) and drop the cache. */
void use_family_file(const char *path);

#endif
