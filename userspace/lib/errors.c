// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What a call's errno means (uapi/linux/eorpc.h, "How a call ends without a
 * reply"): whether the server application may have received the request.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

int eorpc_may_have_executed(int err)
{
	switch (err) {
	case ETIMEDOUT:
	case ECANCELED:
	case ECONNRESET:
	case ESTALE:
	case ESHUTDOWN:
	case EPROTO:
	case EMSGSIZE:
		return 1;
	case ECONNREFUSED:
	case ECONNABORTED:
		return 0;
	default:
		return -1;
	}
}

const char *eorpc_strerror(int err)
{
	const char *s;

	switch (err) {
	case 0:
		return "call completed: the request executed exactly once";
	case ETIMEDOUT:
		return "call deadline passed: the request may have executed";
	case ECANCELED:
		return "call cancelled: the request may have executed";
	case ECONNRESET:
		return "server socket restarted or closed: the request may have executed";
	case ESTALE:
		return "server no longer has this client's session: the request may have executed";
	case ESHUTDOWN:
		return "client socket shut down: the request may have executed";
	case EPROTO:
		return "protocol violation reported by the server, or unreadable "
		       "control data: the request may have executed";
	case EMSGSIZE:
		return "request or reply larger than the receiving side takes "
		       "(net.eorpc.max_msg_bytes): the request may have executed";
	case ECONNREFUSED:
		return "refused (not a server, at capacity, or nothing listens there): "
		       "the request certainly did not execute";
	case ECONNABORTED:
		return "call ended before its request was sent: the request certainly did not execute";
	}
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
	s = strerrordesc_np(err);	/* thread-safe, unlike strerror() */
	if (s)
		return s;
#else
	(void)s;
#endif
	return "not a call outcome";
}
