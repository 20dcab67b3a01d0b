// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Handing a server socket to a successor process. The sessions, the history
 * and the queue of requests not yet read all live in the kernel socket, so
 * passing its descriptor (SCM_RIGHTS) is the whole restart; what the
 * application must add is its own state, and an answer to every request it
 * read. See libeorpc(3), "Zero-downtime restart".
 *
 * On the unix stream socket: the header below with the descriptor attached,
 * then state_len bytes of state; the successor answers one byte once it holds
 * both, and only then may the sender let go. Without that byte the successor
 * may have died with the descriptor in flight, and the sender keeps serving.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"

#define HANDOVER_MAGIC	"EORPC-HO"
#define HANDOVER_VERSION 1
#define HANDOVER_ACK	'A'

struct handover_hdr {
	char magic[8];
	uint32_t version;
	uint32_t flags;		/* 0; a receiver refuses others */
	uint64_t state_len;
	uint64_t reserved;	/* 0 */
};

union fdctl {
	unsigned char buf[CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

/* Write all of @buf; a stream may take it in pieces. */
static int write_all(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read exactly @len bytes; end of file first is ECONNABORTED. */
static int read_all(int fd, void *buf, size_t len)
{
	unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = recv(fd, p, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = ECONNABORTED;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int eorpc_handover_send(int unix_fd, int eorpc_fd, const void *state,
			size_t len)
{
	struct handover_hdr h;
	union fdctl ctl;
	struct iovec iov = { &h, sizeof(h) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *c;
	size_t sent = 0;
	char ack;
	ssize_t n;

	if (unix_fd < 0 || eorpc_fd < 0 || (len && !state)) {
		errno = EINVAL;
		return -1;
	}
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, HANDOVER_MAGIC, sizeof(h.magic));
	h.version = HANDOVER_VERSION;
	h.state_len = len;
	memset(&ctl, 0, sizeof(ctl));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &eorpc_fd, sizeof(int));
	/* The descriptor rides on the first byte; the rest may follow later. */
	do {
		n = sendmsg(unix_fd, &msg, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno == EPIPE || errno == ECONNRESET)
			errno = ECONNABORTED;
		return -1;
	}
	sent = (size_t)n;
	if (write_all(unix_fd, (const char *)&h + sent, sizeof(h) - sent) ||
	    write_all(unix_fd, state, len) || read_all(unix_fd, &ack, 1)) {
		/* However the successor went away, the answer is the same. */
		if (errno == EPIPE || errno == ECONNRESET)
			errno = ECONNABORTED;
		return -1;
	}
	if (ack != HANDOVER_ACK) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/*
 * The descriptor must be an AF_EORPC socket. Whether it listens cannot be
 * asked: the module does not report SO_ACCEPTCONN.
 */
static int check_server_socket(int fd)
{
	int v = 0, family = eorpc_family();
	socklen_t vl = sizeof(v);

	if (family < 0)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &vl) || v != family) {
		errno = EPROTOTYPE;
		return -1;
	}
	return 0;
}

/* The header and the descriptor that came with its first bytes. */
static int recv_header(int unix_fd, struct handover_hdr *h, int *fd)
{
	union fdctl ctl;
	struct iovec iov = { h, sizeof(*h) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *c;
	ssize_t n;

	*fd = -1;
	do {
		n = recvmsg(unix_fd, &msg, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		int got;

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		/* Keep the first descriptor, close any extra a peer sent. */
		for (size_t i = 0; i + sizeof(int) <= c->cmsg_len - CMSG_LEN(0);
		     i += sizeof(int)) {
			memcpy(&got, CMSG_DATA(c) + i, sizeof(int));
			if (*fd < 0)
				*fd = got;
			else
				close(got);
		}
	}
	if (n == 0) {
		errno = ECONNABORTED;
		goto fail;
	}
	if (*fd < 0 || (msg.msg_flags & MSG_CTRUNC)) {
		errno = EPROTO;
		goto fail;
	}
	if (read_all(unix_fd, (char *)h + n, sizeof(*h) - (size_t)n))
		goto fail;
	if (memcmp(h->magic, HANDOVER_MAGIC, sizeof(h->magic)) ||
	    h->version != HANDOVER_VERSION || h->flags || h->reserved) {
		errno = EPROTO;
		goto fail;
	}
	return 0;
fail:
	if (*fd >= 0)
		EORPC_SAVE_ERRNO(close(*fd));
	*fd = -1;
	return -1;
}

int eorpc_handover_recv(int unix_fd, int *eorpc_fd, void **state, size_t *len,
			size_t max_len)
{
	struct handover_hdr h;
	void *buf = NULL;
	int fd;

	if (unix_fd < 0 || !eorpc_fd || !state || !len) {
		errno = EINVAL;
		return -1;
	}
	if (recv_header(unix_fd, &h, &fd))
		return -1;
	if (h.state_len > max_len) {
		errno = EMSGSIZE;
		goto fail;
	}
	if (check_server_socket(fd))
		goto fail;
	if (h.state_len) {
		buf = malloc((size_t)h.state_len);
		if (!buf || read_all(unix_fd, buf, (size_t)h.state_len))
			goto fail;
	}
	*eorpc_fd = fd;
	*state = buf;
	*len = (size_t)h.state_len;
	return 0;
fail:
	EORPC_SAVE_ERRNO(free(buf));
	EORPC_SAVE_ERRNO(close(fd));
	return -1;
}

int eorpc_handover_ack(int unix_fd)
{
	char ack = HANDOVER_ACK;

	return write_all(unix_fd, &ack, 1);
}

/* Fill @sun for @path; ENAMETOOLONG if it does not fit with its NUL. */
static int unix_addr(struct sockaddr_un *sun, const char *path)
{
	if (!path) {
		errno = EINVAL;
		return -1;
	}
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun->sun_path, path);
	return 0;
}

int eorpc_handover_listen(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	if (unix_addr(&sun, path))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	/*
	 * A file left at @path is stale: a server removes its own when a
	 * successor connects, before the successor binds the path in turn.
	 */
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) || listen(fd, 1)) {
		EORPC_SAVE_ERRNO(close(fd));
		return -1;
	}
	return fd;
}

int eorpc_handover_accept(int *listen_fd, const char *path)
{
	struct timeval hang = { .tv_sec = 30 };
	int c;

	if (!listen_fd || *listen_fd < 0 || !path) {
		errno = EINVAL;
		return -1;
	}
	c = accept4(*listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return -1;
	/* Removing the path later could remove the successor's own. */
	close(*listen_fd);
	*listen_fd = -1;
	unlink(path);
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &hang, sizeof(hang));
	return c;
}

int eorpc_handover_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	if (unix_addr(&sun, path))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		EORPC_SAVE_ERRNO(close(fd));
		return -1;
	}
	return fd;
}
