// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * eorpc bench's servers: echo every request, with N threads. AF_EORPC and
 * UDP threads share one socket; TCP threads each run an epoll loop over the
 * connections an acceptor hands them in turn.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <libeorpc.h>

#include "bench.h"
#include "cli.h"

struct server {
	const struct bench_opts *o;
	int fd;
	int *eps;		/* TCP: one epoll per thread */
};

struct tcp_conn {
	int fd;
	size_t len;
	char buf[];		/* 4 + EORPC_MAX_MSG_LEN */
};

static void *eorpc_loop(void *arg)
{
	struct server *s = arg;
	char *buf = malloc(EORPC_MAX_MSG_LEN);
	union {
		char b[3 * CMSG_SPACE(sizeof(uint64_t)) + 64];
		struct cmsghdr align;
	} ctl;
	struct iovec iov;
	struct msghdr m;
	struct cmsghdr *cm;
	uint64_t id = 0;
	bool have;
	ssize_t n;

	while (buf) {
		iov = (struct iovec){ buf, EORPC_MAX_MSG_LEN };
		m = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = ctl.b,
				     .msg_controllen = sizeof(ctl.b) };
		n = recvmsg(s->fd, &m, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			cli_err(errno, "receiving a request");
			break;
		}
		have = false;
		for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm))
			if (cm->cmsg_level == SOL_EORPC &&
			    cm->cmsg_type == EORPC_CMSG_CALL_ID) {
				memcpy(&id, CMSG_DATA(cm), sizeof(id));
				have = true;
			}
		if (!have)
			continue;
		/* The reply names the call: one control message, CALL_ID. */
		iov.iov_len = n;
		m = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1,
				     .msg_control = ctl.b,
				     .msg_controllen = CMSG_SPACE(sizeof(id)) };
		memset(&ctl, 0, sizeof(ctl));
		cm = CMSG_FIRSTHDR(&m);
		cm->cmsg_level = SOL_EORPC;
		cm->cmsg_type = EORPC_CMSG_CALL_ID;
		cm->cmsg_len = CMSG_LEN(sizeof(id));
		memcpy(CMSG_DATA(cm), &id, sizeof(id));
		if (sendmsg(s->fd, &m, 0) < 0 && errno != ENOENT)
			cli_err(errno, "replying to call %llu",
				(unsigned long long)id);
	}
	free(buf);
	return NULL;
}

/*
 * --batch: up to B requests per recvmmsg (MSG_WAITFORONE: as many as are
 * queued once one is), their replies in one sendmmsg.
 */
static void *eorpc_batch_loop(void *arg)
{
	struct server *s = arg;
	unsigned int b = s->o->batch, i, k, nrep;
	struct bmsg {
		struct iovec iov;
		union {
			char b[BNET_CTL_SIZE];
			struct cmsghdr align;
		} rctl, sctl;
	} *bm = calloc(b, sizeof(*bm));
	struct mmsghdr *rv = calloc(b, sizeof(*rv)), *sv = calloc(b, sizeof(*sv));
	char *bufs = malloc((size_t)b * EORPC_MAX_MSG_LEN);
	struct cmsghdr *cm;
	uint64_t id;
	int n;

	while (bm && rv && sv && bufs) {
		for (i = 0; i < b; i++) {
			bm[i].iov = (struct iovec){ bufs + (size_t)i * EORPC_MAX_MSG_LEN,
						    EORPC_MAX_MSG_LEN };
			rv[i].msg_hdr = (struct msghdr){
				.msg_iov = &bm[i].iov, .msg_iovlen = 1,
				.msg_control = bm[i].rctl.b,
				.msg_controllen = sizeof(bm[i].rctl.b) };
		}
		n = recvmmsg(s->fd, rv, b, MSG_WAITFORONE, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			cli_err(errno, "receiving requests");
			break;
		}
		nrep = 0;
		for (k = 0; k < (unsigned int)n; k++) {
			struct msghdr *h = &sv[nrep].msg_hdr;
			bool have = false;

			for (cm = CMSG_FIRSTHDR(&rv[k].msg_hdr); cm;
			     cm = CMSG_NXTHDR(&rv[k].msg_hdr, cm))
				if (cm->cmsg_level == SOL_EORPC &&
				    cm->cmsg_type == EORPC_CMSG_CALL_ID) {
					memcpy(&id, CMSG_DATA(cm), sizeof(id));
					have = true;
				}
			if (!have)
				continue;
			bm[k].iov.iov_len = rv[k].msg_len;
			*h = (struct msghdr){ .msg_iov = &bm[k].iov, .msg_iovlen = 1,
					      .msg_control = bm[k].sctl.b,
					      .msg_controllen = CMSG_SPACE(sizeof(id)) };
			memset(&bm[k].sctl, 0, sizeof(bm[k].sctl));
			cm = CMSG_FIRSTHDR(h);
			cm->cmsg_level = SOL_EORPC;
			cm->cmsg_type = EORPC_CMSG_CALL_ID;
			cm->cmsg_len = CMSG_LEN(sizeof(id));
			memcpy(CMSG_DATA(cm), &id, sizeof(id));
			nrep++;
		}
		/* A reply that fails (client gone: ENOENT) must not stop the rest. */
		for (k = 0; k < nrep; ) {
			n = bnet_sendmmsg(s->fd, sv + k, nrep - k, 0);
			if (n < 0 && errno != ENOENT)
				cli_err(errno, "replying");
			k += n > 0 ? (unsigned int)n : 1;
		}
	}
	free(bufs);
	free(sv);
	free(rv);
	free(bm);
	return NULL;
}

static void *udp_loop(void *arg)
{
	struct server *s = arg;
	char *buf = malloc(65536);
	struct sockaddr_storage from;
	socklen_t len;
	ssize_t n;

	while (buf) {
		len = sizeof(from);
		n = recvfrom(s->fd, buf, 65536, 0, (struct sockaddr *)&from, &len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cli_err(errno, "receiving a datagram");
			break;
		}
		sendto(s->fd, buf, n, 0, (struct sockaddr *)&from, len);
	}
	free(buf);
	return NULL;
}

/* Write a whole frame, waiting when the socket is full. */
static int tcp_write(int fd, const char *p, size_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	ssize_t n;

	while (len) {
		n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EAGAIN) {
			poll(&pfd, 1, -1);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* Echo every whole frame read; false when the connection is done. */
static bool tcp_serve_conn(struct tcp_conn *c)
{
	uint32_t flen;
	size_t off;
	ssize_t n;

	for (;;) {
		n = recv(c->fd, c->buf + c->len, 4 + EORPC_MAX_MSG_LEN - c->len,
			 MSG_DONTWAIT);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR;
		if (!n)
			return false;
		c->len += n;
		off = 0;
		while (c->len - off >= 4) {
			memcpy(&flen, c->buf + off, 4);
			flen = ntohl(flen);
			if (flen > EORPC_MAX_MSG_LEN)
				return false;
			if (c->len - off < 4 + flen)
				break;
			if (tcp_write(c->fd, c->buf + off, 4 + flen))
				return false;
			off += 4 + flen;
		}
		memmove(c->buf, c->buf + off, c->len - off);
		c->len -= off;
	}
}

static void *tcp_loop(void *arg)
{
	struct epoll_event evs[64];
	int ep = *(int *)arg, n, i;
	struct tcp_conn *c;

	for (;;) {
		n = epoll_wait(ep, evs, 64, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		for (i = 0; i < n; i++) {
			c = evs[i].data.ptr;
			if (!tcp_serve_conn(c)) {
				close(c->fd);	/* also leaves the epoll set */
				free(c);
			}
		}
	}
	return NULL;
}

static void *tcp_accept(void *arg)
{
	struct server *s = arg;
	struct epoll_event ev = { .events = EPOLLIN };
	unsigned int next = 0;
	struct tcp_conn *c;
	int fd, one = 1;

	for (;;) {
		fd = accept4(s->fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0 && (errno == EINTR || errno == ECONNABORTED))
			continue;
		if (fd < 0) {
			cli_err(errno, "accepting a connection");
			/* Out of descriptors: let the load shrink. */
			if (errno == EMFILE || errno == ENFILE)
				continue;
			return NULL;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		bnet_set_buffers(fd);
		c = malloc(sizeof(*c) + 4 + EORPC_MAX_MSG_LEN);
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->len = 0;
		ev.data.ptr = c;
		if (epoll_ctl(s->eps[next], EPOLL_CTL_ADD, fd, &ev)) {
			close(fd);
			free(c);
		}
		next = (next + 1) % s->o->threads;
	}
}

static int open_socket(const struct bench_opts *o, const struct bench_addr *a,
		       char *bound)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd, one = 1;

	if (o->transport == TR_EORPC) {
		fd = eorpc_server_open(&a->eo, SOCK_CLOEXEC |
				       (o->reuseport ? EORPC_SERVER_REUSEPORT : 0));
		if (fd < 0)
			return -1;
		bnet_set_buffers(fd);
		len = sizeof(a->eo);
		if (getsockname(fd, (struct sockaddr *)&ss, &len) ||
		    eorpc_addr_format((struct sockaddr_eorpc *)&ss, bound,
				      EORPC_ADDRSTRLEN) < 0)
			strcpy(bound, "?");
		return fd;
	}
	fd = socket(a->ip.ss_family,
		    (o->transport == TR_TCP ? SOCK_STREAM : SOCK_DGRAM) |
		    SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	bnet_set_buffers(fd);
	if ((o->reuseport &&
	     setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one))) ||
	    bind(fd, (const struct sockaddr *)&a->ip, a->iplen) ||
	    (o->transport == TR_TCP && listen(fd, 4096)) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	/* Print the port as AF_EORPC would: same address text. */
	{
		struct sockaddr_eorpc eo = a->eo;

		eo.seo_port = ss.ss_family == AF_INET6 ?
			((struct sockaddr_in6 *)&ss)->sin6_port :
			((struct sockaddr_in *)&ss)->sin_port;
		if (eorpc_addr_format(&eo, bound, EORPC_ADDRSTRLEN) < 0)
			strcpy(bound, "?");
	}
	return fd;
}

int bench_serve(const struct bench_opts *o, const struct bench_addr *a)
{
	char bound[EORPC_ADDRSTRLEN];
	struct server s = { .o = o };
	struct rlimit rl;
	pthread_t tid;
	unsigned int i;
	sigset_t set;
	int sig;
	FILE *f;

	signal(SIGPIPE, SIG_IGN);
	/* Many sessions mean many TCP connections: lift the descriptor limit. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < 200000) {
		rl.rlim_cur = rl.rlim_max = 200000;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	s.fd = open_socket(o, a, bound);
	if (s.fd < 0) {
		int e = errno;

		cli_err(e, "listening on %s (%s)%s", o->addr,
			transport_name(o->transport),
			e == EAFNOSUPPORT ? "; is the eorpc module loaded?" : "");
		return e == EAFNOSUPPORT ? ST_NOMODULE : ST_FAIL;
	}
	/* Threads inherit a mask that leaves SIGINT/SIGTERM to sigwait. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (o->transport == TR_TCP) {
		s.eps = calloc(o->threads, sizeof(int));
		for (i = 0; s.eps && i < o->threads; i++) {
			s.eps[i] = epoll_create1(EPOLL_CLOEXEC);
			if (s.eps[i] < 0 ||
			    pthread_create(&tid, NULL, tcp_loop, &s.eps[i])) {
				cli_err(errno, "starting server threads");
				return ST_FAIL;
			}
		}
		if (!s.eps || pthread_create(&tid, NULL, tcp_accept, &s)) {
			cli_err(ENOMEM, "starting server threads");
			return ST_FAIL;
		}
	} else {
		for (i = 0; i < o->threads; i++)
			if (pthread_create(&tid, NULL, o->transport == TR_UDP ?
					   udp_loop : o->batch > 1 ?
					   eorpc_batch_loop : eorpc_loop, &s)) {
				cli_err(errno, "starting server threads");
				return ST_FAIL;
			}
	}
	fprintf(stderr, "%s: %s server listening on %s, %u thread%s\n", cli_prog,
		transport_name(o->transport), bound, o->threads,
		o->threads == 1 ? "" : "s");
	if (o->ready_file) {
		char tmp[4096];

		snprintf(tmp, sizeof(tmp), "%s.tmp", o->ready_file);
		f = fopen(tmp, "w");
		if (!f || fprintf(f, "%s\n", bound) < 0 || fclose(f) ||
		    rename(tmp, o->ready_file)) {
			cli_err(errno, "writing the ready file %s", o->ready_file);
			return ST_FAIL;
		}
	}
	sigwait(&set, &sig);
	/* The threads block in the kernel: exiting ends them. */
	return ST_OK;
}
