// SPDX-License-Identifier: LGPL-2.1-or-later
/* Call outcomes: may-have-executed classification and texts. */
#include <string.h>

#include "libeorpc.h"
#include "tap.h"

void suite_errors(void)
{
	static const int maybe[] = { ETIMEDOUT, ECANCELED, ECONNRESET, ESTALE,
				     ESHUTDOWN, EPROTO, EMSGSIZE };
	static const int never[] = { ECONNREFUSED, ECONNABORTED };
	static const int other[] = { 0, EINTR, EAGAIN, ENOENT,
				     -1, 100000 };
	size_t i;

	for (i = 0; i < sizeof(maybe) / sizeof(maybe[0]); i++) {
		const char *s = eorpc_strerror(maybe[i]);

		TAP_OK(eorpc_may_have_executed(maybe[i]) == 1,
		       "errors: %s may have executed", strerrorname_np(maybe[i]));
		TAP_OK(s && strstr(s, "may have executed") &&
		       !strstr(s, "certainly"),
		       "errors: text for %s says \"may have executed\"",
		       strerrorname_np(maybe[i]));
	}
	for (i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		const char *s = eorpc_strerror(never[i]);

		TAP_OK(eorpc_may_have_executed(never[i]) == 0,
		       "errors: %s certainly not executed",
		       strerrorname_np(never[i]));
		TAP_OK(s && strstr(s, "certainly did not execute") &&
		       !strstr(s, "may have"),
		       "errors: text for %s says \"certainly did not execute\"",
		       strerrorname_np(never[i]));
	}
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		TAP_OK(eorpc_may_have_executed(other[i]) == -1,
		       "errors: %d is no call outcome", other[i]);
	TAP_OK(strstr(eorpc_strerror(0), "exactly once") != NULL,
	       "errors: 0 reads as completed exactly once");
	TAP_OK(!strcmp(eorpc_strerror(EINTR), strerrordesc_np(EINTR)),
	       "errors: other errnos get the system text");
	TAP_OK(eorpc_strerror(100000) && *eorpc_strerror(100000),
	       "errors: unknown errno still gets a text");
	TAP_OK(eorpc_strerror(-5) != NULL, "errors: negative errno, no crash");
}
