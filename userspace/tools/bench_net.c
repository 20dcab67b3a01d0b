// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * eorpc bench's client side of each transport. AF_EORPC is driven with
 * sendmsg/recvmsg and its control messages directly, not through libeorpc's
 * bookkeeping, so the numbers are the socket family's cost.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include <libeorpc.h>

#include "bench.h"
#include "cli.h"

int bench_addr_parse(struct bench_addr *a, const char *text)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->ip;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&a->ip;

	memset(a, 0, sizeof(*a));
	if (eorpc_addr_parse(&a->eo, text))
		return -1;
	if (a->eo.seo_transport == AF_INET6) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = a->eo.seo_port;
		s6->sin6_scope_id = a->eo.seo_scope_id;
		memcpy(&s6->sin6_addr, a->eo.seo_addr6, 16);
		a->iplen = sizeof(*s6);
	} else {
		s4->sin_family = AF_INET;
		s4->sin_port = a->eo.seo_port;
		s4->sin_addr.s_addr = a->eo.seo_addr4;
		a->iplen = sizeof(*s4);
	}
	return 0;
}

static int open_eorpc(const struct bench_addr *a, struct bconn *c)
{
	c->fd = eorpc_client_open(SOCK_CLOEXEC);
	if (c->fd < 0)
		return -1;
	/* Connected if the family allows it, like the UDP socket. */
	c->connected = !connect(c->fd, (const struct sockaddr *)&a->eo,
				sizeof(a->eo));
	return 0;
}

/*
 * Bind to the @idx-th address of --bind (modulo their number), port 0: one
 * address has only ~28,000 ephemeral ports, fewer than 100,000 sockets.
 */
static int bind_nth(const struct bench_opts *o, int fd, unsigned int idx)
{
	struct bench_addr b;
	const char *p = o->bind, *end;
	unsigned int n = 1;
	char text[128];

	for (end = p; (end = strchr(end, ',')); end++)
		n++;
	for (idx %= n; idx; idx--)
		p = strchr(p, ',') + 1;
	end = strchr(p, ',');
	snprintf(text, sizeof(text), "%.*s:0",
		 (int)(end ? (size_t)(end - p) : strlen(p)), p);
	if (bench_addr_parse(&b, text))
		return -1;
	return bind(fd, (const struct sockaddr *)&b.ip, b.iplen);
}

static int open_ip(const struct bench_opts *o, const struct bench_addr *a,
		   struct bconn *c, unsigned int idx)
{
	int one = 1;

	c->fd = socket(a->ip.ss_family,
		       (o->transport == TR_TCP ? SOCK_STREAM : SOCK_DGRAM) |
		       SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	if (o->transport == TR_TCP) {
		/* Request/reply: Nagle would hold the second frame back. */
		setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->rcap = 2 * (o->size + 4) + 65536;
		c->rbuf = malloc(c->rcap);
		if (!c->rbuf)
			return -1;
	}
	if (o->bind && bind_nth(o, c->fd, idx))
		return -1;
	if (connect(c->fd, (const struct sockaddr *)&a->ip, a->iplen))
		return -1;
	c->connected = true;
	return 0;
}

/*
 * The same roomy socket buffers for every transport, so a window of large
 * calls is not measured as drops of one transport's default buffer size.
 */
void bnet_set_buffers(int fd)
{
	int size = BENCH_SOCKBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

int bnet_client_open(const struct bench_opts *o, const struct bench_addr *a,
		     struct bconn *c, unsigned int idx, unsigned int rcvtimeo_ms)
{
	struct timeval tv = {
		.tv_sec = rcvtimeo_ms / 1000,
		.tv_usec = (rcvtimeo_ms % 1000) * 1000,
	};
	int rc, e;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	/* AF_EORPC stays unbound, as a client from one address would be. */
	rc = o->transport == TR_EORPC ? open_eorpc(a, c) : open_ip(o, a, c, idx);
	if (!rc)
		bnet_set_buffers(c->fd);
	/* A blocking receive must come back to look at the clock. */
	if (!rc && rcvtimeo_ms &&
	    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		rc = -1;
	if (rc) {
		e = errno;
		bnet_close(c);
		errno = e;
	}
	return rc;
}

void bnet_close(struct bconn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->rbuf);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

void bnet_eorpc_call_msg(const struct bench_opts *o, const struct bench_addr *a,
			 struct bconn *c, uint64_t seq, char *buf,
			 struct msghdr *h, struct iovec *iov, void *ctl)
{
	struct cmsghdr *cm;
	uint32_t dl = o->deadline_ms;

	*iov = (struct iovec){ buf, o->size };
	*h = (struct msghdr){
		.msg_name = c->connected ? NULL : (void *)&a->eo,
		.msg_namelen = c->connected ? 0 : sizeof(a->eo),
		.msg_iov = iov,
		.msg_iovlen = 1,
		.msg_control = ctl,
		.msg_controllen = CMSG_SPACE(sizeof(uint64_t)),
	};
	memset(ctl, 0, CMSG_SPACE(sizeof(uint64_t)) + CMSG_SPACE(sizeof(uint32_t)));
	cm = CMSG_FIRSTHDR(h);
	cm->cmsg_level = SOL_EORPC;
	cm->cmsg_type = EORPC_CMSG_USER_TAG;
	cm->cmsg_len = CMSG_LEN(sizeof(seq));
	memcpy(CMSG_DATA(cm), &seq, sizeof(seq));
	if (dl) {
		h->msg_controllen = CMSG_SPACE(sizeof(uint64_t)) +
				    CMSG_SPACE(sizeof(uint32_t));
		cm = CMSG_NXTHDR(h, cm);
		cm->cmsg_level = SOL_EORPC;
		cm->cmsg_type = EORPC_CMSG_DEADLINE_MS;
		cm->cmsg_len = CMSG_LEN(sizeof(dl));
		memcpy(CMSG_DATA(cm), &dl, sizeof(dl));
	}
}

static int send_eorpc(const struct bench_opts *o, const struct bench_addr *a,
		      struct bconn *c, uint64_t seq, char *buf)
{
	union {
		char b[BNET_CTL_SIZE];
		struct cmsghdr align;
	} ctl;
	struct iovec iov;
	struct msghdr m;

	bnet_eorpc_call_msg(o, a, c, seq, buf, &m, &iov, ctl.b);
	return sendmsg(c->fd, &m, MSG_DONTWAIT) < 0 ? -1 : 0;
}

bool bnet_batch_refused;

int bnet_sendmmsg(int fd, struct mmsghdr *m, unsigned int n, int flags)
{
	unsigned int i;
	int r;

	if (!__atomic_load_n(&bnet_batch_refused, __ATOMIC_RELAXED)) {
		r = sendmmsg(fd, m, n, flags);
		if (!(r < 0 && errno == EOPNOTSUPP && n > 1))
			return r;
		__atomic_store_n(&bnet_batch_refused, true, __ATOMIC_RELAXED);
	}
	for (i = 0; i < n; i++) {
		r = sendmmsg(fd, m + i, 1, flags);
		if (r != 1)
			return i ? (int)i : r;
	}
	return (int)n;
}

/* TCP frames: a 4-byte big-endian length, then the payload. */
static int send_tcp(const struct bench_opts *o, struct bconn *c, char *buf)
{
	uint32_t len = htonl(o->size);
	struct iovec iov[2] = { { &len, 4 }, { buf, o->size } };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };
	ssize_t n;

	while (m.msg_iovlen) {
		n = sendmsg(c->fd, &m, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		while (m.msg_iovlen && (size_t)n >= m.msg_iov->iov_len) {
			n -= m.msg_iov->iov_len;
			m.msg_iov++;
			m.msg_iovlen--;
		}
		if (m.msg_iovlen) {
			m.msg_iov->iov_base = (char *)m.msg_iov->iov_base + n;
			m.msg_iov->iov_len -= n;
		}
	}
	return 0;
}

int bnet_send(const struct bench_opts *o, const struct bench_addr *a,
	      struct bconn *c, uint64_t seq, char *buf)
{
	if (o->transport == TR_EORPC)
		return send_eorpc(o, a, c, seq, buf);
	memcpy(buf, &seq, sizeof(seq));
	if (o->transport == TR_TCP)
		return send_tcp(o, c, buf);
	return send(c->fd, buf, o->size, 0) < 0 ? -1 : 0;
}

int bnet_eorpc_completion(struct msghdr *h, ssize_t n, uint64_t *seq,
			  int *call_err)
{
	struct cmsghdr *cm;
	bool tagged = false;

	*call_err = 0;
	for (cm = CMSG_FIRSTHDR(h); cm; cm = CMSG_NXTHDR(h, cm)) {
		if (cm->cmsg_level != SOL_EORPC)
			continue;
		if (cm->cmsg_type == EORPC_CMSG_USER_TAG &&
		    cm->cmsg_len == CMSG_LEN(sizeof(*seq))) {
			memcpy(seq, CMSG_DATA(cm), sizeof(*seq));
			tagged = true;
		} else if (cm->cmsg_type == EORPC_CMSG_ERROR &&
			   cm->cmsg_len == CMSG_LEN(sizeof(int))) {
			memcpy(call_err, CMSG_DATA(cm), sizeof(int));
		}
	}
	if (!tagged) {
		/* End of file, or a completion we cannot attribute. */
		errno = n ? EPROTO : ESHUTDOWN;
		return -1;
	}
	return 1;
}

static int recv_eorpc(struct bconn *c, char *buf, size_t cap, uint64_t *seq,
		      int *call_err, int flags)
{
	union {
		char b[BNET_CTL_SIZE];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { buf, cap };
	struct msghdr m = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.b,
		.msg_controllen = sizeof(ctl.b),
	};
	ssize_t n;

	n = recvmsg(c->fd, &m, flags);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	return bnet_eorpc_completion(&m, n, seq, call_err);
}

static int recv_udp(struct bconn *c, char *buf, size_t cap, uint64_t *seq,
		    int flags)
{
	ssize_t n = recv(c->fd, buf, cap, flags);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n < (ssize_t)sizeof(*seq))
		return 0;	/* not ours: ignored */
	memcpy(seq, buf, sizeof(*seq));
	return 1;
}

/* The next whole frame: from the buffer, else read until there is one. */
static int recv_tcp(struct bconn *c, uint64_t *seq, int flags)
{
	uint32_t len;
	ssize_t n;

	for (;;) {
		if (c->rlen >= 4) {
			memcpy(&len, c->rbuf, 4);
			len = ntohl(len);
			if (len < sizeof(*seq) || len + 4 > c->rcap) {
				errno = EPROTO;
				return -1;
			}
			if (c->rlen >= len + 4) {
				memcpy(seq, c->rbuf + 4, sizeof(*seq));
				c->rlen -= len + 4;
				memmove(c->rbuf, c->rbuf + len + 4, c->rlen);
				return 1;
			}
		}
		/* A timeout with half a frame keeps it for the next call. */
		n = recv(c->fd, c->rbuf + c->rlen, c->rcap - c->rlen, flags);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		if (!n) {
			errno = ECONNRESET;
			return -1;
		}
		c->rlen += n;
	}
}

int bnet_recv(const struct bench_opts *o, struct bconn *c, char *buf,
	      size_t cap, uint64_t *seq, int *call_err, int flags)
{
	*call_err = 0;
	if (o->transport == TR_EORPC)
		return recv_eorpc(c, buf, cap, seq, call_err, flags);
	if (o->transport == TR_UDP)
		return recv_udp(c, buf, cap, seq, flags);
	return recv_tcp(c, seq, flags);
}
