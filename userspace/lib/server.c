// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Opening sockets, and the server side: receiving requests and answering
 * them. Requests carry no user tag, so the server needs no stash: each
 * recvmsg returns one request with the call id that names it.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

union ctlbuf {
	unsigned char buf[EORPC_CMSG_BUFSZ];
	struct cmsghdr align;
};

int eorpc_socket(int type_flags)
{
	int family;

	if (type_flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) {
		errno = EINVAL;
		return -1;
	}
	family = eorpc_family();
	if (family < 0)
		return -1;
	return eorpc__sys()->socket(family, SOCK_DGRAM | type_flags, 0);
}

int eorpc_client_open(int flags)
{
	return eorpc_socket(flags);
}

int eorpc_server_open(const struct sockaddr_eorpc *addr, int flags)
{
	const struct eorpc_sys_ops *sys = eorpc__sys();
	struct sockaddr_eorpc local;
	int fd, family, one = 1;

	if (!addr) {
		errno = EINVAL;
		return -1;
	}
	fd = eorpc_socket(flags & ~EORPC_SERVER_REUSEPORT);
	if (fd < 0)
		return -1;
	family = eorpc_family();	/* cached by eorpc_socket() */
	local = *addr;
	local.seo_family = (__kernel_sa_family_t)family;
	if (((flags & EORPC_SERVER_REUSEPORT) &&
	     sys->setsockopt(fd, SOL_EORPC, EORPC_REUSEPORT, &one,
			     sizeof(one)) < 0) ||
	    sys->bind(fd, (const struct sockaddr *)&local, sizeof(local)) < 0 ||
	    sys->listen(fd, SOMAXCONN) < 0) {
		EORPC_SAVE_ERRNO(close(fd));
		return -1;
	}
	return fd;
}

ssize_t eorpc_recv_request(int fd, void *buf, size_t cap, uint64_t *call_id,
			   struct sockaddr_eorpc *client, int flags)
{
	struct sockaddr_eorpc from;
	struct eorpc_cmsg_info info;
	union ctlbuf ctl;
	struct iovec iov;
	struct msghdr msg;
	ssize_t n;

	if (!call_id || (!buf && cap)) {
		errno = EINVAL;
		return -1;
	}
	memset(&from, 0, sizeof(from));
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = buf;
	iov.iov_len = cap;
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	n = eorpc__sys()->recvmsg(fd, &msg, flags);
	if (n < 0)
		return -1;
	if (msg.msg_controllen > sizeof(ctl.buf))
		msg.msg_controllen = sizeof(ctl.buf);
	if (eorpc__cmsg_parse(ctl.buf, msg.msg_controllen, msg.msg_flags,
			      &info) < 0 ||
	    !(info.have & EORPC_CMSG_HAVE(EORPC_CMSG_CALL_ID))) {
		/* Nothing at all: end of file after shutdown(SHUT_RD). */
		if (n == 0 && msg.msg_controllen == 0 &&
		    !(msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
			errno = ESHUTDOWN;
		else
			errno = EPROTO;
		return -1;
	}
	*call_id = info.call_id;
	if (client) {
		if (msg.msg_namelen < sizeof(from))	/* keep no stale bytes */
			memset((char *)&from + msg.msg_namelen, 0,
			       sizeof(from) - msg.msg_namelen);
		*client = from;
	}
	if ((msg.msg_flags & MSG_TRUNC) || (size_t)n > cap) {
		errno = EMSGSIZE;
		return -1;
	}
	return n;
}

int eorpc_reply(int fd, uint64_t call_id, const void *buf, size_t len,
		int flags)
{
	union ctlbuf ctl;
	struct iovec iov;
	struct msghdr msg;

	if (len > EORPC_MAX_MSG_LEN) {
		errno = EMSGSIZE;
		return -1;
	}
	if (!buf && len) {
		errno = EINVAL;
		return -1;
	}
	memset(&msg, 0, sizeof(msg));
	iov.iov_base = (void *)buf;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = eorpc__cmsg_build_reply(ctl.buf, sizeof(ctl.buf),
						     call_id);
	if (eorpc__sys()->sendmsg(fd, &msg, flags) < 0)
		return -1;
	return 0;
}
