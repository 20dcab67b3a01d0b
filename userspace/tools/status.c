// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Exit statuses: how a call ended, and why a command could not start.
 * One table, so `eorpc --help`, the man page and the tests agree.
 */
#include <errno.h>

#include "cli.h"

static const struct {
	int err, status;
	const char *name;
} call_errors[] = {
	{ ETIMEDOUT, ST_DEADLINE, "deadline passed (may have executed)" },
	{ ECANCELED, ST_CANCELLED, "cancelled (may have executed)" },
	{ ECONNRESET, ST_SERVER_RESET, "server reset (may have executed)" },
	{ ESTALE, ST_SESSION_LOST, "session lost (may have executed)" },
	{ ESHUTDOWN, ST_SHUTDOWN, "socket shut down (may have executed)" },
	{ EPROTO, ST_PROTOCOL, "protocol error (may have executed)" },
	{ ECONNREFUSED, ST_REFUSED, "refused (not executed)" },
	{ ECONNABORTED, ST_NEVER_SENT, "never sent (not executed)" },
};

/* The status for a call that ended with @err, or for a failure around it. */
int status_of_call_error(int err)
{
	size_t i;

	for (i = 0; i < sizeof(call_errors) / sizeof(call_errors[0]); i++)
		if (call_errors[i].err == err)
			return call_errors[i].status;
	if (err == EMSGSIZE)
		return ST_TRUNCATED;
	return status_of_setup_error(err);
}

/*
 * Before any call: the family is missing when the module is not loaded
 * (libeorpc reports EAFNOSUPPORT); a bad address is a usage error.
 */
int status_of_setup_error(int err)
{
	switch (err) {
	case 0:
		return ST_OK;
	case EAFNOSUPPORT:
		return ST_NOMODULE;
	case EINVAL:
	case ENODEV:
	case ENOENT:
		return ST_USAGE;
	default:
		return ST_FAIL;
	}
}

const char *status_name(int status)
{
	size_t i;

	for (i = 0; i < sizeof(call_errors) / sizeof(call_errors[0]); i++)
		if (call_errors[i].status == status)
			return call_errors[i].name;
	switch (status) {
	case ST_OK:
		return "success";
	case ST_FAIL:
		return "system error";
	case ST_USAGE:
		return "bad usage or address";
	case ST_NOMODULE:
		return "eorpc module not loaded";
	case ST_TRUNCATED:
		return "reply truncated";
	}
	return "unknown";
}
