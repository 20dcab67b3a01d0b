// SPDX-License-Identifier: GPL-2.0
/*
 * AF_EORPC socket API: creation, addresses, control messages, errors, and
 * basic calls over loopback. Each test runs in a fresh network namespace
 * (made by the fixture), so counters start at zero.
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "eorpc_util.h"
#include "eorpc_netns.h"

FIXTURE(ns) {
	int unused;
};

FIXTURE_SETUP(ns)
{
	/* Each test is a forked child: the namespace is its own. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, eo_lo_up());
}

FIXTURE_TEARDOWN(ns)
{
}

/* Echo server in a child: answers @n requests (or forever if n < 0). */
static pid_t echo_server(int fd, int n, int hold_ms)
{
	pid_t pid = fork();
	static char buf[EORPC_MAX_MSG_LEN];
	struct eo_rx rx;
	ssize_t len;

	if (pid)
		return pid;
	while (n-- != 0) {
		len = eo_recv(fd, buf, sizeof(buf), &rx, 0);
		if (len < 0)
			_exit(1);
		if (hold_ms)
			usleep(hold_ms * 1000);
		if (eo_reply(fd, rx.call_id, buf, len) != len)
			_exit(2);
	}
	_exit(0);
}

static int wait_exit(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST_F(ns, family_is_registered)
{
	ASSERT_GT(eorpc_af(), 0);
	ASSERT_LT(eorpc_af(), 46);
}

TEST_F(ns, socket_types_and_protocols)
{
	int fd = socket(eorpc_af(), SOCK_DGRAM, 0);

	ASSERT_GE(fd, 0);
	close(fd);
	EXPECT_EQ(-1, socket(eorpc_af(), SOCK_STREAM, 0));
	EXPECT_EQ(ESOCKTNOSUPPORT, errno);
	EXPECT_EQ(-1, socket(eorpc_af(), SOCK_SEQPACKET, 0));
	EXPECT_EQ(ESOCKTNOSUPPORT, errno);
	EXPECT_EQ(-1, socket(eorpc_af(), SOCK_DGRAM, IPPROTO_UDP));
	EXPECT_EQ(EPROTONOSUPPORT, errno);
}

TEST_F(ns, bind_rejects_bad_addresses)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int fd = eo_socket();

	ASSERT_GE(fd, 0);
	EXPECT_EQ(-1, bind(fd, (struct sockaddr *)&a, sizeof(a) - 1));
	EXPECT_EQ(EINVAL, errno);
	a.seo_family = AF_INET;
	EXPECT_EQ(-1, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EAFNOSUPPORT, errno);
	a = eo_addr4("127.0.0.1", 0);
	a.seo_transport = 99;
	EXPECT_EQ(-1, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EAFNOSUPPORT, errno);
	a = eo_addr4("127.0.0.1", 0);
	a.seo_reserved = 1;
	EXPECT_EQ(-1, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(ns, bind_assigns_port_once)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int fd = eo_socket(), fd2 = eo_socket();
	uint16_t port;

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	port = eo_port(fd);
	EXPECT_NE(0, port);
	EXPECT_EQ(-1, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EINVAL, errno);
	a.seo_port = htons(port);
	EXPECT_EQ(-1, bind(fd2, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_EQ(EADDRINUSE, errno);
	close(fd);
	close(fd2);
}

TEST_F(ns, listen_needs_bind)
{
	int fd = eo_socket();

	EXPECT_EQ(-1, listen(fd, 0));
	EXPECT_EQ(EDESTADDRREQ, errno);
	close(fd);
}

TEST_F(ns, send_errors)
{
	struct sockaddr_eorpc to = eo_addr4("127.0.0.1", 9);
	static char big[EORPC_MAX_MSG_LEN + 1];
	int fd = eo_socket();

	EXPECT_EQ(-1, eo_send(fd, NULL, "x", 1, 0, -1, 0));
	EXPECT_EQ(EDESTADDRREQ, errno);
	EXPECT_EQ(-1, eo_send(fd, &to, big, sizeof(big), 0, -1, 0));
	EXPECT_EQ(EMSGSIZE, errno);
	to.seo_port = 0;
	EXPECT_EQ(-1, eo_send(fd, &to, "x", 1, 0, -1, 0));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(ns, unknown_cmsg_is_einval)
{
	struct sockaddr_eorpc to = eo_addr4("127.0.0.1", 9);
	char ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { "x", 1 };
	struct msghdr msg = {
		.msg_name = &to, .msg_namelen = sizeof(to),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl, .msg_controllen = sizeof(ctl),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	int fd = eo_socket();

	c->cmsg_level = SOL_EORPC;
	c->cmsg_type = 77;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	EXPECT_EQ(-1, sendmsg(fd, &msg, 0));
	EXPECT_EQ(EINVAL, errno);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	EXPECT_EQ(-1, sendmsg(fd, &msg, 0));
	EXPECT_EQ(EINVAL, errno);
	c->cmsg_level = SOL_EORPC;
	c->cmsg_type = EORPC_CMSG_USER_TAG;	/* wrong length */
	EXPECT_EQ(-1, sendmsg(fd, &msg, 0));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(ns, reply_to_unknown_call_is_enoent)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int fd = eo_server(&a);

	ASSERT_GE(fd, 0);
	EXPECT_EQ(-1, eo_reply(fd, 12345, "x", 1));
	EXPECT_EQ(ENOENT, errno);
	close(fd);
}

TEST_F(ns, recv_nonblocking_and_rcvtimeo)
{
	struct timeval tv = { 0, 100000 };
	struct eo_rx rx;
	char buf[8];
	int fd = eo_socket();

	EXPECT_EQ(-1, eo_recv(fd, buf, sizeof(buf), &rx, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	EXPECT_EQ(-1, eo_recv(fd, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(EAGAIN, errno);
	close(fd);
}

static void echo_roundtrip(struct __test_metadata *_metadata,
			   struct sockaddr_eorpc srv_addr, size_t len)
{
	int srv = eo_server(&srv_addr), cli = eo_socket();
	char *req = malloc(len), *rep = malloc(len + 1);
	struct sockaddr_eorpc to;
	struct eo_rx rx;
	pid_t pid;
	size_t i;

	ASSERT_GE(srv, 0);
	to = srv_addr;
	to.seo_port = htons(eo_port(srv));
	for (i = 0; i < len; i++)
		req[i] = (char)(i * 7 + 3);
	pid = echo_server(srv, 1, 0);
	ASSERT_EQ((ssize_t)len, eo_send(cli, &to, req, len, 0xfeed, -1, 0));
	ASSERT_EQ((ssize_t)len, eo_recv(cli, rep, len + 1, &rx, 0));
	EXPECT_EQ(0, rx.error);
	EXPECT_EQ(0xfeed, rx.tag);
	EXPECT_EQ(1, rx.request_id);
	EXPECT_EQ(0, memcmp(req, rep, len));
	EXPECT_EQ(0, wait_exit(pid));
	EXPECT_EQ(1, eo_stat("RequestsDelivered"));
	/*
	 * Small calls on an idle loopback never retransmit; a 64 KiB call on
	 * a slow (debug, emulated) guest may outlast the RTO learnt from small
	 * packets, and then the server answers BUSY instead of re-delivering.
	 */
	if (len <= 1000)
		EXPECT_EQ(0, eo_stat("Retransmits"));
	free(req);
	free(rep);
	close(srv);
	close(cli);
}

TEST_F(ns, echo_call_ipv4)
{
	echo_roundtrip(_metadata, eo_addr4("127.0.0.1", 0), 100);
}

TEST_F(ns, echo_call_ipv6)
{
	echo_roundtrip(_metadata, eo_addr6("::1", 0), 100);
}

TEST_F(ns, empty_call)
{
	echo_roundtrip(_metadata, eo_addr4("127.0.0.1", 0), 0);
}

TEST_F(ns, call_64k)
{
	echo_roundtrip(_metadata, eo_addr4("127.0.0.1", 0), EORPC_MAX_PAYLOAD);
}

/* 781 fragments each way, more than the default receive buffer holds. */
TEST_F(ns, largest_call_1mib)
{
	echo_roundtrip(_metadata, eo_addr4("127.0.0.1", 0), EORPC_MAX_MSG_LEN);
}

TEST_F(ns, many_calls_in_flight)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli = eo_socket(), i, seen[64] = { 0 };
	struct eo_rx rx;
	uint64_t v;
	pid_t pid;

	ASSERT_GE(srv, 0);
	a.seo_port = htons(eo_port(srv));
	pid = echo_server(srv, 64, 0);
	for (i = 0; i < 64; i++) {
		v = i;
		ASSERT_EQ(8, eo_send(cli, &a, &v, 8, i, -1, 0));
	}
	for (i = 0; i < 64; i++) {
		ASSERT_EQ(8, eo_recv(cli, &v, 8, &rx, 0));
		ASSERT_EQ(0, rx.error);
		ASSERT_LT(v, 64);
		EXPECT_EQ(v, rx.tag);	/* each reply matches its call */
		seen[v]++;
	}
	for (i = 0; i < 64; i++)
		EXPECT_EQ(1, seen[i]);
	EXPECT_EQ(0, wait_exit(pid));
	EXPECT_EQ(64, eo_stat("RequestsDelivered"));
	close(srv);
	close(cli);
}

TEST_F(ns, connect_sets_default_server)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0), peer;
	int srv = eo_server(&a), cli = eo_socket();
	socklen_t len = sizeof(peer);
	struct eo_rx rx;
	char buf[4];
	pid_t pid;

	a.seo_port = htons(eo_port(srv));
	EXPECT_EQ(-1, getpeername(cli, (struct sockaddr *)&peer, &len));
	EXPECT_EQ(ENOTCONN, errno);
	ASSERT_EQ(0, connect(cli, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, getpeername(cli, (struct sockaddr *)&peer, &len));
	EXPECT_EQ(a.seo_port, peer.seo_port);
	pid = echo_server(srv, 1, 0);
	ASSERT_EQ(3, eo_send(cli, NULL, "abc", 3, 0, -1, 0));
	ASSERT_EQ(3, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	EXPECT_EQ(0, wait_exit(pid));
	close(srv);
	close(cli);
}

/* Leave one or two ephemeral ports in this namespace: "lo hi". */
static int port_range(const char *range)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "w");
	int err;

	if (!f)
		return -1;
	err = fputs(range, f) < 0;
	return fclose(f) || err ? -1 : 0;
}

/*
 * Unbound client sockets share their namespace's UDP socket: with two
 * ephemeral ports, one the server's, forty clients still each get their
 * own reply. With a UDP socket per client the second autobind failed.
 */
TEST_F(ns, unbound_clients_share_one_port)
{
	enum { N = 40 };
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv, cli[N], i, seen[N] = { 0 };
	uint16_t port = 0;
	struct eo_rx rx;
	uint64_t v;
	pid_t pid;

	ASSERT_EQ(0, port_range("40000 40001"));
	srv = eo_server(&a);
	ASSERT_GE(srv, 0);
	a.seo_port = htons(eo_port(srv));
	pid = echo_server(srv, N, 0);
	for (i = 0; i < N; i++) {
		cli[i] = eo_socket();
		ASSERT_GE(cli[i], 0);
		v = i;
		ASSERT_EQ(8, eo_send(cli[i], &a, &v, 8, i, -1, 0));
		if (!i)
			port = eo_port(cli[0]);
		EXPECT_NE(0, port);
		EXPECT_EQ(port, eo_port(cli[i]));
	}
	EXPECT_NE(ntohs(a.seo_port), port);
	for (i = 0; i < N; i++) {
		ASSERT_EQ(8, eo_recv(cli[i], &v, 8, &rx, 0));
		ASSERT_EQ(0, rx.error);
		/* Each socket gets its own call's reply, not a neighbour's. */
		EXPECT_EQ(i, v);
		EXPECT_EQ(i, rx.tag);
		seen[v < N ? v : 0]++;
	}
	for (i = 0; i < N; i++)
		EXPECT_EQ(1, seen[i]);
	EXPECT_EQ(0, wait_exit(pid));
	EXPECT_EQ(N, eo_stat("RequestsDelivered"));
	EXPECT_EQ(N, eo_stat("SessionsCreated"));
	EXPECT_EQ(0, eo_stat("RxDropWrongSession"));
	for (i = 0; i < N; i++)
		close(cli[i]);
	close(srv);
}

/* A UDP socket's attempt to bind @port on the wildcard address. */
static int udp_bind_errno(uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err = 0;

	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)))
		err = errno;
	close(fd);
	return err;
}

/* A port nobody listens on: a bound and closed UDP socket's; 0 on error. */
static uint16_t closed_udp_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	socklen_t len = sizeof(sin);
	uint16_t port = 0;

	if (!bind(fd, (struct sockaddr *)&sin, sizeof(sin)) &&
	    !getsockname(fd, (struct sockaddr *)&sin, &len))
		port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/*
 * The shared port is held while any client uses it and freed with the
 * last, as a UDP socket's port is by close(). A port-unreachable error
 * reaches the one client it quotes: refused there, not at its neighbour.
 */
TEST_F(ns, shared_port_lives_as_long_as_its_clients)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0), none;
	int srv = eo_server(&a), c1 = eo_socket(), c2 = eo_socket();
	struct eo_rx rx;
	uint16_t port;
	char buf[4];
	pid_t pid;

	ASSERT_GE(srv, 0);
	a.seo_port = htons(eo_port(srv));
	none = a;
	none.seo_port = htons(closed_udp_port());
	ASSERT_NE(0, none.seo_port);
	pid = echo_server(srv, 2, 0);
	ASSERT_EQ(0, connect(c1, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, connect(c2, (struct sockaddr *)&a, sizeof(a)));
	port = eo_port(c1);
	ASSERT_NE(0, port);
	EXPECT_EQ(port, eo_port(c2));
	EXPECT_EQ(EADDRINUSE, udp_bind_errno(port));

	ASSERT_EQ(1, eo_send(c1, &none, "r", 1, 1, -1, 0));
	ASSERT_EQ(3, eo_send(c2, NULL, "abc", 3, 2, -1, 0));
	ASSERT_EQ(0, eo_recv(c1, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(ECONNREFUSED, rx.error);
	EXPECT_EQ(1, eo_stat("IcmpRefused"));
	ASSERT_EQ(3, eo_recv(c2, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(0, rx.error);
	EXPECT_EQ(0, memcmp(buf, "abc", 3));

	/* One client gone, the other still calls through the port. */
	close(c1);
	EXPECT_EQ(EADDRINUSE, udp_bind_errno(port));
	ASSERT_EQ(3, eo_send(c2, NULL, "def", 3, 3, -1, 0));
	ASSERT_EQ(3, eo_recv(c2, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(0, memcmp(buf, "def", 3));
	EXPECT_EQ(0, wait_exit(pid));
	close(c2);
	EXPECT_EQ(0, udp_bind_errno(port));
	close(srv);
}

/* A server needs an address of its own; a shared port is the clients'. */
TEST_F(ns, listen_after_autobind_is_refused)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 9);
	int fd = eo_socket();

	ASSERT_EQ(0, connect(fd, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_NE(0, eo_port(fd));
	EXPECT_EQ(-1, listen(fd, 0));
	EXPECT_EQ(EDESTADDRREQ, errno);
	close(fd);
}

TEST_F(ns, call_to_non_server_is_refused)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int plain = eo_socket(), cli = eo_socket();
	struct eo_rx rx;
	char buf[4];

	ASSERT_EQ(0, bind(plain, (struct sockaddr *)&a, sizeof(a)));
	a.seo_port = htons(eo_port(plain));
	ASSERT_EQ(1, eo_send(cli, &a, "x", 1, 7, -1, 0));
	ASSERT_EQ(0, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(ECONNREFUSED, rx.error);
	EXPECT_EQ(7, rx.tag);
	close(plain);
	close(cli);
}

TEST_F(ns, deadline_reports_timeout_and_delivers_once)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli = eo_socket();
	struct eo_rx rx;
	char buf[4];

	a.seo_port = htons(eo_port(srv));
	ASSERT_EQ(1, eo_send(cli, &a, "x", 1, 1, 300, 0));
	/* The server reads it and never answers. */
	ASSERT_EQ(1, eo_recv(srv, buf, sizeof(buf), &rx, 0));
	ASSERT_EQ(0, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(ETIMEDOUT, rx.error);
	EXPECT_EQ(-1, eo_recv(srv, buf, sizeof(buf), &rx, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(1, eo_stat("RequestsDelivered"));
	close(srv);
	close(cli);
}

TEST_F(ns, cancel_by_tag)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli = eo_socket();
	uint64_t tag = 42, other = 43;
	struct eo_rx rx, srx;
	char buf[4];

	a.seo_port = htons(eo_port(srv));
	ASSERT_EQ(1, eo_send(cli, &a, "x", 1, tag, -1, 0));
	ASSERT_EQ(1, eo_recv(srv, buf, sizeof(buf), &srx, 0));
	EXPECT_EQ(-1, setsockopt(cli, SOL_EORPC, EORPC_CANCEL, &other,
				 sizeof(other)));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(0, setsockopt(cli, SOL_EORPC, EORPC_CANCEL, &tag,
				sizeof(tag)));
	ASSERT_EQ(0, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(ECANCELED, rx.error);
	EXPECT_EQ(42, rx.tag);
	/* The server may still answer; the reply is simply not wanted. */
	EXPECT_EQ(1, eo_reply(srv, srx.call_id, "y", 1));
	close(srv);
	close(cli);
}

static void on_alarm(int sig)
{
	(void)sig;
}

TEST_F(ns, signal_interrupts_wait_not_call)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli = eo_socket();
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	struct itimerval it = { .it_value = { 0, 200000 } };
	struct eo_rx rx, srx;
	char buf[4];

	a.seo_port = htons(eo_port(srv));
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(2, eo_send(cli, &a, "hi", 2, 5, -1, 0));
	ASSERT_EQ(2, eo_recv(srv, buf, sizeof(buf), &srx, 0));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	EXPECT_EQ(-1, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(EINTR, errno);
	/* The call goes on: answer it now and wait again. */
	ASSERT_EQ(2, eo_reply(srv, srx.call_id, "ok", 2));
	ASSERT_EQ(2, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(0, rx.error);
	EXPECT_EQ(5, rx.tag);
	EXPECT_EQ(0, memcmp(buf, "ok", 2));
	close(srv);
	close(cli);
}

TEST_F(ns, reply_twice_is_enoent)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli = eo_socket();
	struct eo_rx rx, srx;
	char buf[4];

	a.seo_port = htons(eo_port(srv));
	ASSERT_EQ(1, eo_send(cli, &a, "x", 1, 0, -1, 0));
	ASSERT_EQ(1, eo_recv(srv, buf, sizeof(buf), &srx, 0));
	ASSERT_TRUE(srx.has_call_id);
	EXPECT_EQ(1, eo_reply(srv, srx.call_id, "y", 1));
	EXPECT_EQ(-1, eo_reply(srv, srx.call_id, "z", 1));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(1, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ('y', buf[0]);
	close(srv);
	close(cli);
}

/*
 * The call table reuses the slot of an answered call: the old call id must
 * still be refused, not taken for the call now holding that slot.
 */
TEST_F(ns, answered_call_id_is_enoent_after_its_slot_is_reused)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli = eo_socket();
	struct eo_rx rx, first, second;
	char buf[4];

	a.seo_port = htons(eo_port(srv));
	ASSERT_EQ(1, eo_send(cli, &a, "a", 1, 1, -1, 0));
	ASSERT_EQ(1, eo_recv(srv, buf, sizeof(buf), &first, 0));
	ASSERT_EQ(1, eo_reply(srv, first.call_id, "A", 1));
	ASSERT_EQ(1, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	ASSERT_EQ(1, eo_send(cli, &a, "b", 1, 2, -1, 0));
	ASSERT_EQ(1, eo_recv(srv, buf, sizeof(buf), &second, 0));
	EXPECT_NE(first.call_id, second.call_id);
	EXPECT_EQ(-1, eo_reply(srv, first.call_id, "X", 1));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(1, eo_reply(srv, second.call_id, "B", 1));
	ASSERT_EQ(1, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(2, rx.tag);
	EXPECT_EQ('B', buf[0]);
	close(srv);
	close(cli);
}

TEST_F(ns, duplicate_while_working_gets_busy)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli = eo_socket();
	struct eo_rx rx, srx;
	char buf[4];

	a.seo_port = htons(eo_port(srv));
	ASSERT_EQ(1, eo_send(cli, &a, "x", 1, 0, -1, 0));
	ASSERT_EQ(1, eo_recv(srv, buf, sizeof(buf), &srx, 0));
	/* Hold the request until the client retransmitted at least once. */
	while (eo_stat("DupAnsweredBusy") < 1)
		usleep(10000);
	EXPECT_EQ(-1, eo_recv(srv, buf, sizeof(buf), &rx, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(1, eo_reply(srv, srx.call_id, "y", 1));
	ASSERT_EQ(1, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(0, rx.error);
	EXPECT_EQ(1, eo_stat("RequestsDelivered"));
	EXPECT_GE(eo_stat("BusyReceived"), 1);
	close(srv);
	close(cli);
}

/* A call as large as SO_SNDBUF's minimum: the second one must wait. */
enum { BUDGET_CALL = 4000 };

struct blocked_send {
	int fd;
	struct sockaddr_eorpc to;
	pid_t tid;
	ssize_t ret;
	int err;
};

static void *send_second_call(void *arg)
{
	static char body[BUDGET_CALL];
	struct blocked_send *b = arg;

	__atomic_store_n(&b->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	b->ret = eo_send(b->fd, &b->to, body, sizeof(body), 2, -1, 0);
	b->err = errno;
	return NULL;
}

/* Whether thread @tid sleeps (state S in /proc/self/task/TID/stat). */
static int thread_sleeps(pid_t tid)
{
	char path[64], line[256], *p;
	FILE *f;
	int sleeps = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(line, sizeof(line), f)) {
		p = strrchr(line, ')');
		sleeps = p && p[1] == ' ' && p[2] == 'S';
	}
	fclose(f);
	return sleeps;
}

/*
 * A sender blocked on the send budget sleeps until a completion gives the
 * budget back, and is woken by it (completions wake writers only when one
 * may be waiting).
 */
TEST_F(ns, sender_blocked_on_budget_is_woken_by_completion)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli = eo_socket(), small = 1;
	struct timeval tv = { .tv_sec = 20 };
	static char body[BUDGET_CALL];
	struct blocked_send b = { .fd = cli };
	struct eo_rx rx, srx;
	char buf[BUDGET_CALL];
	pthread_t th;
	pid_t tid;

	a.seo_port = htons(eo_port(srv));
	b.to = a;
	ASSERT_EQ(0, setsockopt(cli, SOL_SOCKET, SO_SNDBUF, &small,
				sizeof(small)));
	ASSERT_EQ(0, setsockopt(cli, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	ASSERT_EQ(BUDGET_CALL, eo_send(cli, &a, body, sizeof(body), 1, -1, 0));
	ASSERT_EQ(BUDGET_CALL, eo_recv(srv, buf, sizeof(buf), &srx, 0));
	ASSERT_EQ(0, pthread_create(&th, NULL, send_second_call, &b));
	while (!(tid = __atomic_load_n(&b.tid, __ATOMIC_ACQUIRE)) ||
	       !thread_sleeps(tid))
		sched_yield();
	ASSERT_EQ(1, eo_reply(srv, srx.call_id, "y", 1));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(BUDGET_CALL, b.ret) TH_LOG("second send: %s", strerror(b.err));
	ASSERT_EQ(1, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(1, rx.tag);
	close(srv);
	close(cli);
}

/*
 * Edge-triggered epoll: a non-blocking sender that met EAGAIN gets
 * EPOLLOUT once a completion gives the budget back.
 */
TEST_F(ns, epoll_edge_reports_writable_after_eagain)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli = eo_socket(), small = 1, ep;
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLET };
	static char body[BUDGET_CALL];
	struct eo_rx srx;
	char buf[BUDGET_CALL];

	a.seo_port = htons(eo_port(srv));
	ASSERT_EQ(0, setsockopt(cli, SOL_SOCKET, SO_SNDBUF, &small,
				sizeof(small)));
	ep = epoll_create1(0);
	ASSERT_GE(ep, 0);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, cli, &ev));
	ASSERT_EQ(1, epoll_wait(ep, &ev, 1, 0));	/* writable: edge used */
	ASSERT_EQ(BUDGET_CALL, eo_send(cli, &a, body, sizeof(body), 1, -1,
				       MSG_DONTWAIT));
	ASSERT_EQ(-1, eo_send(cli, &a, body, sizeof(body), 2, -1,
			      MSG_DONTWAIT));
	ASSERT_EQ(EAGAIN, errno);
	EXPECT_EQ(0, epoll_wait(ep, &ev, 1, 0));
	ASSERT_EQ(BUDGET_CALL, eo_recv(srv, buf, sizeof(buf), &srx, 0));
	ASSERT_EQ(1, eo_reply(srv, srx.call_id, "y", 1));
	ASSERT_EQ(1, epoll_wait(ep, &ev, 1, 20000));
	EXPECT_TRUE(ev.events & EPOLLOUT);
	close(ep);
	close(srv);
	close(cli);
}

TEST_F(ns, poll_reports_readable_and_writable)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli = eo_socket();
	struct pollfd p = { .fd = cli, .events = POLLIN | POLLOUT };
	struct eo_rx rx;
	char buf[4];
	pid_t pid;

	a.seo_port = htons(eo_port(srv));
	ASSERT_EQ(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLOUT, p.revents);
	pid = echo_server(srv, 1, 0);
	ASSERT_EQ(1, eo_send(cli, &a, "x", 1, 0, -1, 0));
	p.events = POLLIN;
	ASSERT_EQ(1, poll(&p, 1, 10000));
	EXPECT_EQ(POLLIN, p.revents);
	ASSERT_EQ(1, eo_recv(cli, buf, sizeof(buf), &rx, MSG_DONTWAIT));
	EXPECT_EQ(0, wait_exit(pid));
	close(srv);
	close(cli);
}

TEST_F(ns, shutdown_ends_calls_in_flight)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli = eo_socket();
	struct eo_rx rx;
	char buf[4];

	a.seo_port = htons(eo_port(srv));
	ASSERT_EQ(1, eo_send(cli, &a, "x", 1, 9, -1, 0));
	ASSERT_EQ(1, eo_recv(srv, buf, sizeof(buf), &rx, 0));
	ASSERT_EQ(0, shutdown(cli, SHUT_WR));
	ASSERT_EQ(0, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(ESHUTDOWN, rx.error);
	EXPECT_EQ(-1, eo_send(cli, &a, "x", 1, 0, -1, 0));
	EXPECT_EQ(EPIPE, errno);
	close(srv);
	close(cli);
}

TEST_F(ns, server_close_resets_client_calls)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli = eo_socket();
	struct eo_rx rx;
	char buf[4];

	a.seo_port = htons(eo_port(srv));
	ASSERT_EQ(1, eo_send(cli, &a, "x", 1, 3, -1, 0));
	ASSERT_EQ(1, eo_recv(srv, buf, sizeof(buf), &rx, 0));
	close(srv);
	ASSERT_EQ(0, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(ECONNRESET, rx.error);
	close(cli);
}

TEST_F(ns, restarted_server_refuses_old_session)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli = eo_socket(), srv2;
	struct eo_rx rx;
	char buf[4];
	pid_t pid;

	a.seo_port = htons(eo_port(srv));
	pid = echo_server(srv, 1, 0);
	ASSERT_EQ(1, eo_send(cli, &a, "x", 1, 0, -1, 0));
	ASSERT_EQ(1, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(0, wait_exit(pid));
	/*
	 * Once the client acknowledged the reply the old server has nothing
	 * to say goodbye about: it closes silently and a new one takes over.
	 */
	while (eo_stat("HistoryFreed") < 1)
		usleep(10000);
	close(srv);
	srv2 = eo_socket();
	ASSERT_GE(srv2, 0);
	ASSERT_EQ(0, bind(srv2, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, listen(srv2, 0));
	/* The client's session names the old incarnation. */
	ASSERT_EQ(1, eo_send(cli, &a, "z", 1, 11, -1, 0));
	ASSERT_EQ(0, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(ECONNRESET, rx.error);
	EXPECT_EQ(-1, eo_recv(srv2, buf, sizeof(buf), &rx, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	close(srv2);
	close(cli);
}

/*
 * A client calling every 200 ms: after its first call, whose ACK goes
 * alone after rto_min (no pace yet), each next call carries the ack of the
 * one before (before the pace was learned, every call sent one: 9 here).
 * The pause between calls is the workload, not a wait for a condition.
 */
TEST_F(ns, paced_client_acks_on_its_next_call)
{
	enum { CALLS = 10, GAP_MS = 200 };
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli = eo_socket();
	struct eo_rx rx;
	char buf[4];
	pid_t pid;

	a.seo_port = htons(eo_port(srv));
	pid = echo_server(srv, CALLS, 0);
	for (int i = 0; i < CALLS; i++) {
		if (i)
			usleep(GAP_MS * 1000);
		ASSERT_EQ(1, eo_send(cli, &a, "x", 1, i + 1, -1, 0));
		ASSERT_EQ(1, eo_recv(cli, buf, sizeof(buf), &rx, 0));
		ASSERT_EQ(0, rx.error);
	}
	/* A late wake-up under emulation may cost one more; not one a call. */
	EXPECT_LE(eo_stat("AcksSent"), 3);
	EXPECT_EQ(0, wait_exit(pid));
	close(cli);
	close(srv);
}

TEST_F(ns, restarted_client_is_a_new_session)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	struct sockaddr_eorpc ca = eo_addr4("127.0.0.1", 0);
	int srv = eo_server(&a), cli;
	struct eo_rx rx;
	char buf[4];
	pid_t pid;

	a.seo_port = htons(eo_port(srv));
	/* Fork first: the child must not hold the client socket open. */
	pid = echo_server(srv, 2, 0);
	cli = eo_socket();
	ASSERT_EQ(0, bind(cli, (struct sockaddr *)&ca, sizeof(ca)));
	ca.seo_port = htons(eo_port(cli));
	ASSERT_EQ(1, eo_send(cli, &a, "1", 1, 0, -1, 0));
	ASSERT_EQ(1, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(1, rx.request_id);
	close(cli);
	/* Same address and port, counter back at 1: a new session. */
	cli = eo_socket();
	ASSERT_EQ(0, bind(cli, (struct sockaddr *)&ca, sizeof(ca)));
	ASSERT_EQ(1, eo_send(cli, &a, "2", 1, 0, -1, 0));
	ASSERT_EQ(1, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(0, rx.error);
	EXPECT_EQ(1, rx.request_id);
	EXPECT_EQ('2', buf[0]);
	EXPECT_EQ(0, wait_exit(pid));
	EXPECT_EQ(2, eo_stat("RequestsDelivered"));
	EXPECT_EQ(2, eo_stat("SessionsCreated"));
	close(srv);
	close(cli);
}

TEST_F(ns, expired_session_is_reported_not_redelivered)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", 0);
	int srv, cli;
	struct eo_rx rx, srx;
	char buf[4];

	/* Expire idle sessions faster than the client probes (rto_max). */
	ASSERT_EQ(0, system("sysctl -qw net.eorpc.session_timeout_ms=300"));
	srv = eo_server(&a);
	cli = eo_socket();
	a.seo_port = htons(eo_port(srv));
	ASSERT_EQ(1, eo_send(cli, &a, "x", 1, 4, -1, 0));
	ASSERT_EQ(1, eo_recv(srv, buf, sizeof(buf), &srx, 0));
	/* Holding the request: the client probes, gets BUSY, slows to
	 * rto_max, the session expires in between, the next probe names a
	 * forgotten session: outcome unknown, never a second delivery.
	 */
	ASSERT_EQ(0, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(ESTALE, rx.error);
	EXPECT_EQ(4, rx.tag);
	EXPECT_EQ(-1, eo_recv(srv, buf, sizeof(buf), &rx, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(1, eo_stat("RequestsDelivered"));
	EXPECT_EQ(1, eo_stat("SessionsExpired"));
	/* The application's late answer is accepted and discarded. */
	EXPECT_EQ(1, eo_reply(srv, srx.call_id, "y", 1));
	EXPECT_EQ(1, eo_stat("RepliesOrphaned"));
	close(srv);
	close(cli);
}

TEST_F(ns, proc_and_sysctl_files)
{
	char path[128];
	const char *files[] = {
		"/proc/net/eorpc/stats", "/proc/net/eorpc/sockets",
		"/proc/net/eorpc/sessions", "/proc/sys/net/eorpc/rto_min_ms",
		"/proc/sys/net/eorpc/rto_max_ms",
		"/proc/sys/net/eorpc/rto_initial_ms",
		"/proc/sys/net/eorpc/window",
		"/proc/sys/net/eorpc/session_timeout_ms",
	};
	unsigned int i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s", files[i]);
		EXPECT_EQ(0, access(path, R_OK)) TH_LOG("%s", path);
	}
	EXPECT_EQ(0, eo_stat("Calls"));
}

TEST_HARNESS_MAIN
