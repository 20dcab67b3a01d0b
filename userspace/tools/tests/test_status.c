// SPDX-License-Identifier: LGPL-2.1-or-later
/* Exit statuses: one per call outcome, split by "may have executed". */
#include <errno.h>
#include <string.h>

#include <libeorpc.h>

#include "cli.h"
#include "tap.h"

void suite_status(void)
{
	static const int outcomes[] = { ETIMEDOUT, ECANCELED, ECONNRESET,
					ESTALE, ESHUTDOWN, ECONNREFUSED,
					ECONNABORTED };
	int seen[64] = { 0 };
	size_t i;
	int st, distinct = 1;

	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++) {
		int e = outcomes[i], may = eorpc_may_have_executed(e);

		st = status_of_call_error(e);
		TAP_OK(may == 1 ? st >= 10 && st <= 19 : st >= 20 && st <= 29,
		       "status: %s -> %d, in the %s range", strerror(e), st,
		       may == 1 ? "may-have-executed (10-19)" : "not-executed (20-29)");
		if (st >= 0 && st < 64 && seen[st]++)
			distinct = 0;
		TAP_OK(strcmp(status_name(st), "unknown") != 0,
		       "status: %d has a name for --help and the man page", st);
	}
	TAP_OK(distinct, "status: every call outcome has its own exit status");
	TAP_OK(status_of_call_error(EPROTO) == ST_PROTOCOL,
	       "status: EPROTO (protocol error) has its own status");
	TAP_OK(status_of_setup_error(EAFNOSUPPORT) == ST_NOMODULE,
	       "status: EAFNOSUPPORT means the module is not loaded (3)");
	TAP_OK(status_of_setup_error(EINVAL) == ST_USAGE &&
	       status_of_setup_error(ENODEV) == ST_USAGE &&
	       status_of_setup_error(ENOENT) == ST_USAGE,
	       "status: a bad address (EINVAL, ENODEV, ENOENT) is a usage error (2)");
	TAP_OK(status_of_call_error(ENOMEM) == ST_FAIL &&
	       status_of_call_error(EBADF) == ST_FAIL,
	       "status: other errors are 1");
	TAP_OK(status_of_call_error(0) == ST_OK, "status: no error is 0");
}
