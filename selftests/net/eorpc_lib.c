// SPDX-License-Identifier: GPL-2.0
/*
 * libeorpc against the real module: the blocking call, the server helpers,
 * the event-loop form, and how each call outcome is reported.
 */
#include <sched.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "eorpc_netns.h"
#include <libeorpc.h>

FIXTURE(lib) {
	int srv;
	struct sockaddr_eorpc addr;
};

FIXTURE_SETUP(lib)
{
	char text[EORPC_ADDRSTRLEN];
	socklen_t len = sizeof(self->addr);

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, eo_lo_up());
	ASSERT_GT(eorpc_family(), 0);
	ASSERT_EQ(0, eorpc_addr_parse(&self->addr, "127.0.0.1:0"));
	self->srv = eorpc_server_open(&self->addr, 0);
	ASSERT_GE(self->srv, 0);
	ASSERT_EQ(0, getsockname(self->srv, (struct sockaddr *)&self->addr, &len));
	ASSERT_GT(eorpc_addr_format(&self->addr, text, sizeof(text)), 0);
	TH_LOG("server at %s", text);
}

FIXTURE_TEARDOWN(lib)
{
	eorpc_close(self->srv);
}

/* Serve @n requests in a child: reply "<request>!" */
static pid_t serve(int fd, int n)
{
	char buf[256];
	uint64_t call_id;
	ssize_t len;
	pid_t pid = fork();

	if (pid)
		return pid;
	while (n--) {
		len = eorpc_recv_request(fd, buf, sizeof(buf) - 1, &call_id, NULL, 0);
		if (len < 0)
			_exit(1);
		buf[len++] = '!';
		if (eorpc_reply(fd, call_id, buf, len, 0))
			_exit(2);
	}
	_exit(0);
}

static int child_status(pid_t pid)
{
	int status;

	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(lib, blocking_call)
{
	int cli = eorpc_client_open(0);
	char reply[16];
	pid_t pid = serve(self->srv, 1);

	ASSERT_GE(cli, 0);
	ASSERT_EQ(3, eorpc_call(cli, &self->addr, "ab", 2, reply, sizeof(reply),
				5000));
	EXPECT_EQ(0, memcmp(reply, "ab!", 3));
	EXPECT_EQ(0, child_status(pid));
	eorpc_close(cli);
}

TEST_F(lib, event_loop_calls_complete_by_tag)
{
	int cli = eorpc_client_open(0), i, err, seen = 0;
	pid_t pid = serve(self->srv, 4);
	char reply[16], req[2] = { 'a', 0 };
	uint64_t tag;
	ssize_t n;

	for (i = 0; i < 4; i++) {
		req[0] = 'a' + i;
		ASSERT_EQ(0, eorpc_send(cli, &self->addr, req, 1, 100 + i,
					EORPC_DEADLINE_DEFAULT, 0));
	}
	for (i = 0; i < 4; i++) {
		n = eorpc_recv_reply(cli, reply, sizeof(reply), &tag, &err, 0);
		ASSERT_EQ(2, n);
		ASSERT_EQ(0, err);
		EXPECT_EQ(reply[0], 'a' + (int)(tag - 100));
		seen |= 1 << (tag - 100);
	}
	EXPECT_EQ(0xf, seen);
	EXPECT_EQ(0, child_status(pid));
	eorpc_close(cli);
}

TEST_F(lib, timeout_may_have_executed)
{
	int cli = eorpc_client_open(0);
	char buf[16];
	uint64_t call_id;

	ASSERT_EQ(-1, eorpc_call(cli, &self->addr, "x", 1, buf, sizeof(buf), 300));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(1, eorpc_may_have_executed(ETIMEDOUT));
	/* It did execute: the server got it exactly once. */
	EXPECT_EQ(1, eorpc_recv_request(self->srv, buf, sizeof(buf), &call_id,
					NULL, MSG_DONTWAIT));
	EXPECT_EQ(-1, eorpc_recv_request(self->srv, buf, sizeof(buf), &call_id,
					 NULL, MSG_DONTWAIT));
	EXPECT_EQ(EAGAIN, errno);
	eorpc_close(cli);
}

TEST_F(lib, refused_certainly_not_executed)
{
	struct sockaddr_eorpc plain_addr;
	socklen_t len = sizeof(plain_addr);
	int plain = eorpc_socket(0), cli = eorpc_client_open(0);
	char buf[16];

	ASSERT_EQ(0, eorpc_addr_parse(&plain_addr, "127.0.0.1:0"));
	ASSERT_EQ(0, bind(plain, (struct sockaddr *)&plain_addr, sizeof(plain_addr)));
	ASSERT_EQ(0, getsockname(plain, (struct sockaddr *)&plain_addr, &len));
	ASSERT_EQ(-1, eorpc_call(cli, &plain_addr, "x", 1, buf, sizeof(buf), 5000));
	EXPECT_EQ(ECONNREFUSED, errno);
	EXPECT_EQ(0, eorpc_may_have_executed(ECONNREFUSED));
	EXPECT_NE(NULL, strstr(eorpc_strerror(ECONNREFUSED), "not"));
	eorpc_close(plain);
	eorpc_close(cli);
}

TEST_HARNESS_MAIN
