// SPDX-License-Identifier: GPL-2.0
/*
 * Local users and memory caps: unprivileged processes (uid/gid 65534, no
 * capabilities) use the family as they would UDP; privileged ports follow
 * the usual capability rule; one socket cannot answer, cancel or see another
 * socket's calls; /proc shows them no session secrets; and the per-namespace
 * caps refuse or evict with the documented errors, never a second delivery.
 * Each test runs in a private network namespace on loopback.
 */
#include <poll.h>
#include <sys/prctl.h>
#include <grp.h>
#include "kselftest_harness.h"
#include "eorpc_raw.h"

enum { NOBODY = 65534, SRV_PORT = 4242 };

FIXTURE(users) {
	struct sockaddr_eorpc server;
	struct eo_echo_counts *counts;
	pid_t server_pid;
};

FIXTURE_SETUP(users)
{
	self->server_pid = -1;
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, eo_lo_up());
	self->counts = eo_echo_counts_new();
	ASSERT_NE(NULL, self->counts);
	self->server = eo_addr4("127.0.0.1", SRV_PORT);
}

FIXTURE_TEARDOWN(users)
{
	eo_kill(self->server_pid);
}

/* Become uid/gid 65534 with no supplementary groups and no capabilities. */
static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))
		return -1;
	/* setuid made us undumpable, which would hide /proc/self/net. */
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

/*
 * Run @fn(@arg) in a child as nobody; its return value (0 = success, else
 * the number of the step that failed) is the exit status returned here.
 */
static int as_nobody(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (!pid) {
		if (drop_privileges())
			_exit(100);
		_exit(fn(arg));
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int bind_port(int fd, uint16_t port)
{
	struct sockaddr_eorpc a = eo_addr4("127.0.0.1", port);

	return bind(fd, (struct sockaddr *)&a, sizeof(a));
}

static int nobody_uses_the_family(void *arg)
{
	const struct sockaddr_eorpc *server = arg;
	struct sockaddr_eorpc mine = eo_addr4("127.0.0.1", 2000);
	int fd, srv, err;

	if (getuid() != NOBODY)
		return 1;
	fd = eo_socket();
	if (fd < 0)
		return 2;
	if (eo_call(fd, server, 1, 32, 10000, &err) != 32)
		return 3;
	/* A server of its own on an unprivileged port. */
	srv = eo_server(&mine);
	if (srv < 0)
		return 4;
	close(srv);
	close(fd);
	return 0;
}

TEST_F(users, unprivileged_user_binds_and_calls)
{
	self->server_pid = eo_echo_server(NULL, &self->server, self->counts, 0);
	ASSERT_GT(self->server_pid, 0);
	EXPECT_EQ(0, as_nobody(nobody_uses_the_family, &self->server));
	EXPECT_EQ(1, self->counts->delivered[1]);
}

static int nobody_binds_low_port(void *arg)
{
	int fd = eo_socket(), want = *(int *)arg;

	if (fd < 0)
		return 1;
	if (bind_port(fd, 999) == 0)
		return want ? 0 : 2;
	if (want || errno != EACCES)
		return 3;
	return 0;
}

TEST_F(users, privileged_port_needs_cap_net_bind_service)
{
	int want_ok = 0, fd;

	/* Without the capability: EACCES, like UDP. */
	EXPECT_EQ(0, as_nobody(nobody_binds_low_port, &want_ok));
	/* Root has CAP_NET_BIND_SERVICE. */
	fd = eo_socket();
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, bind_port(fd, 999));
	close(fd);
	/* The threshold is the namespace's ip_unprivileged_port_start. */
	ASSERT_EQ(0, eo_sh("sysctl -qw net.ipv4.ip_unprivileged_port_start=900"));
	want_ok = 1;
	EXPECT_EQ(0, as_nobody(nobody_binds_low_port, &want_ok));
}

struct foreign {
	uint64_t call_id, tag;
};

/* Someone else's socket: reply, cancel and receive must all find nothing. */
static int nobody_meddles(void *arg)
{
	const struct foreign *f = arg;
	struct sockaddr_eorpc mine = eo_addr4("127.0.0.1", 3000);
	char buf[64];
	struct eo_rx rx;
	int fd = eo_server(&mine), cli = eo_socket();

	if (fd < 0 || cli < 0)
		return 1;
	if (eo_reply(fd, f->call_id, "forged", 6) != -1 || errno != ENOENT)
		return 2;
	if (setsockopt(cli, SOL_EORPC, EORPC_CANCEL, &f->tag, sizeof(f->tag)) != -1 ||
	    errno != ENOENT)
		return 3;
	if (eo_recv(fd, buf, sizeof(buf), &rx, MSG_DONTWAIT) != -1 || errno != EAGAIN)
		return 4;
	if (eo_recv(cli, buf, sizeof(buf), &rx, MSG_DONTWAIT) != -1 || errno != EAGAIN)
		return 5;
	return 0;
}

TEST_F(users, other_sockets_cannot_reply_cancel_or_see_a_call)
{
	struct foreign f = { .tag = 77 };
	struct pollfd pfd;
	char buf[64];
	struct eo_rx rx;
	int srv, cli, other;

	srv = eo_server(&self->server);
	ASSERT_LE(0, srv);
	cli = eo_socket();
	ASSERT_LE(0, cli);
	ASSERT_EQ(5, eo_send(cli, &self->server, "hello", 5, f.tag, -1, 0));
	ASSERT_EQ(5, eo_recv(srv, buf, sizeof(buf), &rx, 0));
	ASSERT_TRUE(rx.has_call_id);
	f.call_id = rx.call_id;

	/* Another user's sockets. */
	EXPECT_EQ(0, as_nobody(nobody_meddles, &f));
	/* Another socket of the same user. */
	other = eo_socket();
	ASSERT_LE(0, other);
	EXPECT_EQ(-1, eo_reply(other, f.call_id, "x", 1));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, setsockopt(other, SOL_EORPC, EORPC_CANCEL, &f.tag, sizeof(f.tag)));
	EXPECT_EQ(ENOENT, errno);
	close(other);

	/* The call was untouched: still in flight, and its owner answers it. */
	pfd.fd = cli;
	pfd.events = POLLIN;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(5, eo_reply(srv, f.call_id, "reply", 5));
	ASSERT_EQ(5, eo_recv(cli, buf, sizeof(buf), &rx, 0));
	EXPECT_EQ(0, rx.error);
	EXPECT_EQ(f.tag, rx.tag);
	EXPECT_EQ(0, memcmp(buf, "reply", 5));
	close(cli);
	close(srv);
}

/* The session column (5th) of every row but the header. */
static int session_ids(const char *text, uint64_t *ids, int max)
{
	char line[512], sess[64];
	const char *p = text;
	int n = 0, len;

	while (*p && n < max) {
		len = strcspn(p, "\n");
		snprintf(line, sizeof(line), "%.*s", len, p);
		p += len + (p[len] == '\n');
		if (sscanf(line, "%*s %*s %*s %*s %63s", sess) != 1 ||
		    !strcmp(sess, "session"))
			continue;
		ids[n++] = strtoull(sess, NULL, 16);
	}
	return n;
}

static int read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + total, cap - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = 0;
	return n < 0 ? -1 : 0;
}

static int nobody_reads_sessions(void *arg)
{
	int *pipe_w = arg;
	static char text[65536];

	if (read_file("/proc/net/eorpc/sessions", text, sizeof(text)))
		return 1;
	if (write(*pipe_w, text, strlen(text) + 1) != (ssize_t)strlen(text) + 1)
		return 2;
	return 0;
}

TEST_F(users, proc_sessions_hide_ids_from_unprivileged_readers)
{
	static char root_view[65536], user_view[65536];
	uint64_t root_ids[64], user_ids[64];
	int cli, err, fds[2], nr, nu, i, j;
	ssize_t n, total = 0;

	self->server_pid = eo_echo_server(NULL, &self->server, NULL, 0);
	ASSERT_GT(self->server_pid, 0);
	cli = eo_socket();
	ASSERT_LE(0, cli);
	ASSERT_EQ(16, eo_call(cli, &self->server, 3, 16, 10000, &err));

	ASSERT_EQ(0, read_file("/proc/net/eorpc/sessions", root_view,
			       sizeof(root_view)));
	nr = session_ids(root_view, root_ids, 64);
	/* The client's and the server's row of the one session. */
	ASSERT_LE(2, nr);
	for (i = 0; i < nr; i++)
		EXPECT_NE(0, root_ids[i]);

	ASSERT_EQ(0, pipe(fds));
	EXPECT_EQ(0, as_nobody(nobody_reads_sessions, &fds[1]));
	close(fds[1]);
	while ((n = read(fds[0], user_view + total, sizeof(user_view) - 1 - total)) > 0)
		total += n;
	close(fds[0]);
	user_view[total] = 0;
	nu = session_ids(user_view, user_ids, 64);
	/* The same rows, with every secret shown as 0. */
	EXPECT_EQ(nr, nu);
	for (i = 0; i < nu; i++)
		EXPECT_EQ(0, user_ids[i]);
	/* And no root-visible id appears anywhere in the user's view. */
	for (i = 0; i < nr; i++) {
		char hex[32];

		snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)root_ids[i]);
		EXPECT_EQ(NULL, strstr(user_view, hex));
		for (j = 0; j < nu; j++)
			EXPECT_NE(root_ids[i], user_ids[j]);
	}
	close(cli);
}

/* Poll counter @name until it reaches @want or 5 s pass. */
static long long wait_stat(const char *name, long long want)
{
	uint64_t end = eo_now_ms() + 5000;
	long long v;

	while ((v = eo_stat_of(0, name)) < want && eo_now_ms() < end)
		usleep(10000);
	return v;
}

TEST_F(users, max_sessions_refuses_the_extra_client)
{
	long long refused0 = eo_stat_of(0, "SessionsRefused");
	long long closed0 = eo_stat_of(0, "SessionsClosed");
	int a, b, c, err;

	ASSERT_EQ(0, eo_sh("sysctl -qw net.eorpc.max_sessions=2"));
	self->server_pid = eo_echo_server(NULL, &self->server, self->counts, 0);
	ASSERT_GT(self->server_pid, 0);
	a = eo_socket();
	b = eo_socket();
	c = eo_socket();
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_LE(0, c);
	EXPECT_EQ(8, eo_call(a, &self->server, 1, 8, 10000, &err));
	EXPECT_EQ(8, eo_call(b, &self->server, 2, 8, 10000, &err));
	/* The third session is refused before delivery: ECONNREFUSED. */
	EXPECT_EQ(-1, eo_call(c, &self->server, 3, 8, 10000, &err));
	EXPECT_EQ(ECONNREFUSED, err);
	EXPECT_EQ(0, self->counts->delivered[3]);
	EXPECT_LT(refused0, eo_stat_of(0, "SessionsRefused"));
	/* A closed session frees its place (its closing ACK ends it). */
	close(a);
	ASSERT_EQ(closed0 + 1, wait_stat("SessionsClosed", closed0 + 1));
	EXPECT_EQ(8, eo_call(c, &self->server, 4, 8, 10000, &err))
		TH_LOG("errno %d", err);
	close(b);
	close(c);
}

/* Wait (5 s at most) until the one server session has seen ack @want. */
/* Wait (5 s at most) for counter or gauge @name to fall below @limit. */
static long long wait_stat_below(const char *name, long long limit)
{
	uint64_t end = eo_now_ms() + 5000;
	long long v;

	while ((v = eo_stat_of(0, name)) >= limit && eo_now_ms() < end)
		usleep(10000);
	return v;
}

static int wait_server_ack(unsigned long long want)
{
	uint64_t end = eo_now_ms() + 5000;
	char line[256], role[16];
	unsigned long long ack;
	FILE *f;

	do {
		f = fopen("/proc/net/eorpc/sessions", "r");
		if (!f)
			return -1;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "%*s %*s %15s %*s %*s %*s %llu", role,
				   &ack) == 2 && !strcmp(role, "server") &&
			    ack >= want) {
				fclose(f);
				return 0;
			}
		fclose(f);
		usleep(10000);
	} while (eo_now_ms() < end);
	return -1;
}

TEST_F(users, history_cap_evicts_idle_sessions_with_estale_never_twice)
{
	enum { BIG = 60000, LOADERS = 8 };
	long long evicted0 = eo_stat_of(0, "SessionsEvicted");
	int idle, load[LOADERS], i, err;
	static uint8_t req[BIG];
	struct eo_rx rx;
	uint32_t slot;

	/*
	 * A cap of about two big requests or cached replies. rto_min sets the
	 * client's delayed ACK, so the loaders' replies stay cached long
	 * enough to press on the cap. The server evicts only a session quiet
	 * for two rto_max (2 s here): the loaders start once the idle session
	 * has been quiet that long, so the first one over the cap evicts it.
	 */
	ASSERT_EQ(0, eo_sh("sysctl -qw net.eorpc.max_history_bytes=131072 "
			   "net.eorpc.rto_min_ms=1000 net.eorpc.rto_max_ms=1000 "
			   "net.eorpc.rto_initial_ms=1000"));
	self->server_pid = eo_echo_server(NULL, &self->server, self->counts, 0);
	ASSERT_GT(self->server_pid, 0);
	idle = eo_socket();
	ASSERT_LE(0, idle);
	EXPECT_EQ(8, eo_call(idle, &self->server, 1, 8, 10000, &err));
	/*
	 * The idle session's last packet is the client's delayed ACK of id 1;
	 * "quiet for 2 s" is a condition on time itself, so sleep past it.
	 */
	ASSERT_EQ(0, wait_server_ack(1));
	usleep(2200 * 1000);

	/* Loaders with 60000-byte requests (echoed: 60000-byte replies). */
	memset(req, 'L', sizeof(req));
	for (i = 0; i < LOADERS; i++) {
		load[i] = eo_socket();
		ASSERT_LE(0, load[i]);
		slot = 100 + i;
		memcpy(req, &slot, 4);
		ASSERT_EQ(BIG, eo_send(load[i], &self->server, req, BIG, slot, 20000, 0));
	}
	/*
	 * A loader answered BUSY is itself quiet between probes; on a slow
	 * guest it may be evicted too. A loader whose HELLO comes after the
	 * first requests filled the cap is refused a session. Either way the
	 * rule holds: a call completes having run once, ends ESTALE having
	 * run at most once, or ends ECONNREFUSED not having run.
	 */
	for (i = 0; i < LOADERS; i++) {
		static uint8_t rep[BIG];
		ssize_t n = eo_recv(load[i], rep, sizeof(rep), &rx, 0);

		if (rx.error == ECONNREFUSED) {
			EXPECT_EQ(0, self->counts->delivered[100 + i]);
		} else if (rx.error) {
			EXPECT_EQ(ESTALE, rx.error) TH_LOG("loader %d", i);
			EXPECT_GE(1, self->counts->delivered[100 + i]);
		} else {
			EXPECT_EQ(BIG, n);
			EXPECT_EQ(1, self->counts->delivered[100 + i]);
		}
	}
	EXPECT_LT(evicted0, wait_stat("SessionsEvicted", evicted0 + 1));

	/* The idle client's session is gone: its next call ends ESTALE... */
	EXPECT_EQ(-1, eo_call(idle, &self->server, 2, 8, 10000, &err));
	EXPECT_EQ(ESTALE, err);
	/* ...and nothing was delivered twice, or delivered for the stale call. */
	EXPECT_EQ(1, self->counts->delivered[1]);
	EXPECT_EQ(0, self->counts->delivered[2]);
	/*
	 * The same socket starts a new session afterwards, once the loaders'
	 * delayed ACKs freed their cached replies: before, the cap may still
	 * be full of them and the server rightly refuses a new session.
	 */
	EXPECT_GT(BIG, wait_stat_below("ServerStateBytes", BIG));
	EXPECT_EQ(8, eo_call(idle, &self->server, 3, 8, 10000, &err))
		TH_LOG("errno %d", err);
	for (i = 0; i < LOADERS; i++)
		close(load[i]);
	close(idle);
}

TEST_HARNESS_MAIN
