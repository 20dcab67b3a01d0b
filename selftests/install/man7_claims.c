// SPDX-License-Identifier: GPL-2.0
/*
 * eorpc(7) says what the socket interface does; this program checks the
 * statements a program can observe and the socket API kselftest does not
 * already cover, so the page cannot drift from the module unnoticed. Each
 * check names the page's section. Runs in a guest with the module loaded
 * (selftests/install/man7-claims); prints TAP.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <linux/sockios.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/eorpc.h>
#include "../lib/tap.h"

static int family;

/* TAP_OK, with the errno the checked calls left as a diagnostic. */
static void check_at(int ok, const char *file, int line, const char *what)
{
	int err = errno;

	if (!tap_result(ok, file, line, "%s", what))
		tap_diag("errno %d: %s", err, strerror(err));
}

#define check(cond, what) check_at(!!(cond), __FILE__, __LINE__, what)
/* A system call that must fail with errno @err. */
#define check_err(ret, err, what) check((ret) == -1 && errno == (err), what)

static struct sockaddr_eorpc addr4(const char *ip, int port)
{
	struct sockaddr_eorpc a = {
		.seo_family = family,
		.seo_transport = AF_INET,
		.seo_port = htons(port),
	};

	inet_pton(AF_INET, ip, &a.seo_addr4);
	return a;
}

/* Append a control message; return the room it takes. */
static size_t put_cmsg(struct msghdr *m, struct cmsghdr **c, int type,
		       const void *v, size_t len)
{
	*c = *c ? CMSG_NXTHDR(m, *c) : CMSG_FIRSTHDR(m);
	(*c)->cmsg_level = SOL_EORPC;
	(*c)->cmsg_type = type;
	(*c)->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(*c), v, len);
	return CMSG_SPACE(len);
}

/*
 * sendmsg with the control messages given: a user tag (always), a deadline
 * (if @deadline >= 0), a call id (if @call_id, which makes it a reply).
 */
static ssize_t send_msg(int fd, struct sockaddr_eorpc *to, const void *buf,
			size_t len, __u64 tag, int deadline, __u64 call_id,
			int flags)
{
	union { char b[96]; struct cmsghdr align; } ctl;
	struct iovec iov = { (void *)buf, len };
	struct msghdr m = {
		.msg_name = to, .msg_namelen = to ? sizeof(*to) : 0,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.b, .msg_controllen = sizeof(ctl.b),
	};
	struct cmsghdr *c = NULL;
	size_t used = 0;
	__u32 d = deadline;

	/* The whole buffer while building (CMSG_NXTHDR looks at it). */
	memset(&ctl, 0, sizeof(ctl));
	if (tag || !call_id)
		used += put_cmsg(&m, &c, EORPC_CMSG_USER_TAG, &tag, sizeof(tag));
	if (deadline >= 0)
		used += put_cmsg(&m, &c, EORPC_CMSG_DEADLINE_MS, &d, sizeof(d));
	if (call_id)
		used += put_cmsg(&m, &c, EORPC_CMSG_CALL_ID, &call_id,
				 sizeof(call_id));
	m.msg_controllen = used;
	return sendmsg(fd, &m, flags);
}

static ssize_t call(int fd, struct sockaddr_eorpc *to, const char *req,
		    __u64 tag, int deadline)
{
	return send_msg(fd, to, req, strlen(req), tag, deadline, 0, 0);
}

static ssize_t answer(int fd, __u64 call_id, const char *reply, __u64 tag)
{
	return send_msg(fd, NULL, reply, strlen(reply), tag, -1, call_id, 0);
}

/* What one recvmsg returned. */
struct got {
	ssize_t n;
	int msg_flags;
	int ncmsg;
	__u64 tag, request_id, call_id;
	int error;
	char data[64];
};

static struct got recv_msg(int fd, size_t cap, size_t ctl_len, int flags)
{
	union { char b[256]; struct cmsghdr align; } ctl;
	struct got g = { 0 };
	struct iovec iov = { g.data, cap };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.b, .msg_controllen = ctl_len,
	};
	struct cmsghdr *c;

	g.n = recvmsg(fd, &m, flags);
	if (g.n < 0)
		return g;
	g.msg_flags = m.msg_flags;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		g.ncmsg++;
		if (c->cmsg_type == EORPC_CMSG_USER_TAG)
			memcpy(&g.tag, CMSG_DATA(c), sizeof(g.tag));
		else if (c->cmsg_type == EORPC_CMSG_REQUEST_ID)
			memcpy(&g.request_id, CMSG_DATA(c), sizeof(__u64));
		else if (c->cmsg_type == EORPC_CMSG_CALL_ID)
			memcpy(&g.call_id, CMSG_DATA(c), sizeof(__u64));
		else if (c->cmsg_type == EORPC_CMSG_ERROR)
			memcpy(&g.error, CMSG_DATA(c), sizeof(int));
	}
	return g;
}

static int getopt_int(int fd, int level, int name, int *v)
{
	socklen_t len = sizeof(*v);

	return getsockopt(fd, level, name, v, &len);
}

/* "Socket creation", "Address format", "Binding", "Socket options". */
static void unbound_socket(void)
{
	int fd = socket(family, SOCK_DGRAM, 0), v;
	struct sockaddr_eorpc a;
	socklen_t len = sizeof(a);
	struct timeval tv;

	memset(&a, 0xff, sizeof(a));
	check(getsockname(fd, (void *)&a, &len) == 0 && len == 28 &&
	      a.seo_family == family && !a.seo_transport && !a.seo_port,
	      "Binding: unbound getsockname has only seo_family, 28 bytes");
	check_err(ioctl(fd, FIONREAD, &v), EOPNOTSUPP,
		  "Socket creation: ioctl FIONREAD is EOPNOTSUPP");
	check_err(ioctl(fd, SIOCGSTAMP, &tv), ENOTTY,
		  "Socket creation: ioctl SIOCGSTAMP is ENOTTY");
	check(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == ENODEV, "Socket creation: mmap is ENODEV");
	v = 1;
	check_err(setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &v, sizeof(v)),
		  EOPNOTSUPP, "Socket options: SO_REUSEPORT 1 is EOPNOTSUPP");
	check(getopt_int(fd, SOL_SOCKET, SO_DOMAIN, &v) == 0 && v == family,
	      "Socket options: SO_DOMAIN is the family number");
	check(getopt_int(fd, SOL_SOCKET, SO_PROTOCOL, &v) == 0 && v == 0,
	      "Socket options: SO_PROTOCOL is 0");
	check(setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3) == 0,
	      "Socket options: SO_BINDTODEVICE accepted");
	v = 0x10;
	check_err(setsockopt(fd, SOL_IP, IP_TOS, &v, sizeof(v)), ENOPROTOOPT,
		  "Socket options: SOL_IP is ENOPROTOOPT");
	check(getopt_int(fd, SOL_EORPC, EORPC_WINDOW, &v) == 0 && v == 32,
	      "Socket options: EORPC_WINDOW is net.eorpc.window (32)");
	check_err(getopt_int(fd, SOL_EORPC, EORPC_CANCEL, &v), ENOPROTOOPT,
		  "Socket options: EORPC_CANCEL is set only");
	check(getopt_int(fd, SOL_EORPC, EORPC_REUSEPORT, &v) == 0 && v == 0,
	      "Socket options: EORPC_REUSEPORT is off by default");
	a = addr4("127.0.0.1", 0);
	a.seo_scope_id = 1;
	check_err(bind(fd, (void *)&a, sizeof(a)), EINVAL,
		  "Address format: seo_scope_id with AF_INET is EINVAL");
	a = addr4("0.0.0.0", 99);
	check_err(call(fd, &a, "x", 0, -1), EINVAL,
		  "Client use: wildcard destination is EINVAL");
	check_err(send_msg(fd, NULL, "x", 1, 0, -1, 0, MSG_OOB), EOPNOTSUPP,
		  "Client use: MSG_OOB is EOPNOTSUPP");
	check_err(recv_msg(fd, 8, 0, MSG_ERRQUEUE).n, EOPNOTSUPP,
		  "Blocking: recvmsg MSG_ERRQUEUE is EOPNOTSUPP");
	close(fd);
}

/* "Server use", "Client use", "Control messages", "Call errors". */
static void one_call(int srv, struct sockaddr_eorpc *to)
{
	int cli = socket(family, SOCK_DGRAM, 0);
	struct got g;

	check(call(cli, to, "hi", 7, 5000) == 2,
	      "Client use: sendmsg returns the request length");
	g = recv_msg(srv, 8, 256, 0);
	check(g.n == 2 && g.call_id && g.request_id == 1,
	      "Server use: request has a call id and request id 1");
	check_err(answer(srv, g.call_id, "r", 3), EINVAL,
		  "Control messages: a reply with a user tag is EINVAL");
	check(answer(srv, g.call_id, "ok", 0) == 2, "Server use: reply sent");
	g = recv_msg(cli, 8, 256, 0);
	check(g.n == 2 && !memcmp(g.data, "ok", 2) && g.tag == 7 &&
	      g.request_id == 1 && !g.error,
	      "Client use: the completion has the reply, tag and request id");

	/* A truncated request still counts as delivered. */
	call(cli, to, "0123456789", 8, 5000);
	g = recv_msg(srv, 4, 256, MSG_TRUNC);
	check(g.n == 10 && (g.msg_flags & MSG_TRUNC) && g.call_id,
	      "Server use: truncated request, MSG_TRUNC gives the full length");
	answer(srv, g.call_id, "t", 0);
	g = recv_msg(cli, 8, 256, 0);
	check(g.n == 1 && g.tag == 8, "Server use: a truncated request is answered");
	close(cli);
}

/* "Shutdown and close", "Blocking, polling, signals". */
static void shutdown_rules(struct sockaddr_eorpc *to)
{
	int cli = socket(family, SOCK_DGRAM, 0);
	struct pollfd p = { cli, POLLIN | POLLOUT | POLLRDHUP, 0 };

	connect(cli, (void *)to, sizeof(*to));
	check(shutdown(cli, SHUT_WR) == 0, "Shutdown: SHUT_WR");
	/* SIGPIPE's default action would end this program here. */
	check_err(call(cli, NULL, "x", 0, -1), EPIPE,
		  "Shutdown: a call after SHUT_WR is EPIPE, without SIGPIPE");
	poll(&p, 1, 0);
	check(!(p.revents & (POLLOUT | POLLHUP)),
	      "Polling: no POLLOUT after SHUT_WR, no POLLHUP yet");
	shutdown(cli, SHUT_RD);
	poll(&p, 1, 0);
	check((p.revents & (POLLIN | POLLRDHUP | POLLHUP)) ==
	      (POLLIN | POLLRDHUP | POLLHUP),
	      "Polling: POLLIN, POLLRDHUP and POLLHUP once both are shut");
	{
		struct got g = recv_msg(cli, 8, 256, 0);

		check(g.n == 0 && !g.ncmsg,
		      "Shutdown: SHUT_RD reads 0 bytes, no control message");
	}
	close(cli);
}

/* "Control messages": a deadline before the handshake ends. */
static void deadline_never_sent(void)
{
	int cli = socket(family, SOCK_DGRAM, 0);
	/* A UDP socket nobody reads: no WELCOME, and no ICMP error either. */
	int mute = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	struct sockaddr_eorpc silent;
	struct got g;

	if (bind(mute, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(mute, (struct sockaddr *)&sin, &len))
		sin.sin_port = htons(9);
	silent = addr4("127.0.0.1", ntohs(sin.sin_port));
	call(cli, &silent, "x", 1, 200);
	g = recv_msg(cli, 8, 256, 0);
	check(g.n == 0 && g.error == ECONNABORTED && g.tag == 1,
	      "Call errors: deadline before the request was sent is ECONNABORTED");
	close(cli);
	close(mute);
}

/* "Client use": ICMP "port unreachable" refuses a session in HELLO. */
static void nothing_listening_refused(void)
{
	int cli = socket(family, SOCK_DGRAM, 0);
	/* Nobody listens on the discard port in the guest. */
	struct sockaddr_eorpc nobody = addr4("127.0.0.1", 9);
	struct got g;

	/* The deadline only bounds a failure: ECONNREFUSED comes at once. */
	call(cli, &nobody, "x", 2, 5000);
	g = recv_msg(cli, 8, 256, 0);
	check(g.n == 0 && g.error == ECONNREFUSED && g.tag == 2,
	      "Call errors: a call to a port where nothing listens is ECONNREFUSED");
	close(cli);
}

int main(void)
{
	FILE *f = fopen(EORPC_FAMILY_SYSFS, "r");
	struct sockaddr_eorpc a;
	socklen_t len = sizeof(a);
	int srv;

	if (!f || fscanf(f, "%d", &family) != 1) {
		printf("Bail out! cannot read %s\n", EORPC_FAMILY_SYSFS);
		return 1;
	}
	fclose(f);
	unbound_socket();
	a = addr4("127.0.0.1", 0);
	srv = socket(family, SOCK_DGRAM, 0);
	if (bind(srv, (void *)&a, sizeof(a)) || listen(srv, 1) ||
	    getsockname(srv, (void *)&a, &len)) {
		printf("Bail out! server socket: %s\n", strerror(errno));
		return 1;
	}
	one_call(srv, &a);
	shutdown_rules(&a);
	deadline_never_sent();
	nothing_listening_refused();
	close(srv);
	printf("1..%d\n", tap_count());
	return tap_failures() != 0;
}
