// SPDX-License-Identifier: GPL-2.0
/*
 * The network under a session changes: a session keeps the route to its
 * peer between datagrams (kmod/xmit.c), and must notice when that route
 * goes away. Client and server addresses live on loopback and are reached
 * over two veth links, the second with a worse metric; the first link is
 * deleted between two calls of one session.
 *
 *   [ns eorc-PID] 10.91.0.2 --- link A (10.78.0.x, metric 10) --- 10.90.0.1 [ns eors-PID]
 *                           \-- link B (10.79.0.x, metric 20) --/
 */
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "eorpc_util.h"
#include "eorpc_raw.h"

FIXTURE(routes) {
	char srv[32], cli[32];
	pid_t server;
	struct sockaddr_eorpc addr;
	struct eo_echo_counts *counts;
};

FIXTURE_SETUP(routes)
{
	snprintf(self->srv, sizeof(self->srv), "eors-%d", getpid());
	snprintf(self->cli, sizeof(self->cli), "eorc-%d", getpid());
	ASSERT_EQ(0, eo_ns_pair(self->srv, self->cli));
	ASSERT_EQ(0, eo_sh("ip -n %s link add vb0 type veth peer name vb1 netns %s && "
			   "ip -n %s addr add 10.79.0.1/24 dev vb0 && "
			   "ip -n %s addr add 10.79.0.2/24 dev vb1 && "
			   "ip -n %s link set vb0 up && ip -n %s link set vb1 up",
			   self->srv, self->cli, self->srv, self->cli,
			   self->srv, self->cli));
	ASSERT_EQ(0, eo_sh("ip -n %s addr add 10.90.0.1/32 dev lo && "
			   "ip -n %s addr add 10.91.0.2/32 dev lo && "
			   "ip -n %s route add 10.91.0.2/32 via 10.78.0.2 metric 10 && "
			   "ip -n %s route add 10.91.0.2/32 via 10.79.0.2 metric 20 && "
			   "ip -n %s route add 10.90.0.1/32 via 10.78.0.1 metric 10 && "
			   "ip -n %s route add 10.90.0.1/32 via 10.79.0.1 metric 20",
			   self->srv, self->cli, self->srv, self->srv,
			   self->cli, self->cli));
	self->counts = eo_echo_counts_new();
	ASSERT_NE(NULL, self->counts);
	self->addr = eo_addr4("10.90.0.1", 4700);
	self->server = eo_echo_server(self->srv, &self->addr, self->counts, 0);
	ASSERT_GT(self->server, 0);
	ASSERT_EQ(0, eo_ns_enter(self->cli));
}

FIXTURE_TEARDOWN(routes)
{
	eo_kill(self->server);
	eo_ns_del(self->srv, self->cli);
}

/*
 * The first link's deletion leaves both sides' kept routes dead; the next
 * call of the same session must look the route up again and go over the
 * second link, in both directions.
 */
TEST_F_TIMEOUT(routes, session_follows_a_route_change, 120)
{
	struct sockaddr_eorpc me = eo_addr4("10.91.0.2", 0);
	int fd = eo_socket(), err;

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&me, sizeof(me)));
	ASSERT_EQ(64, eo_call(fd, &self->addr, 1, 64, 10000, &err))
		TH_LOG("first call: %s", strerror(err));
	ASSERT_EQ(0, eo_sh("ip -n %s link del veth0", self->srv));
	ASSERT_EQ(64, eo_call(fd, &self->addr, 2, 64, 10000, &err))
		TH_LOG("call after the route change: %s", strerror(err));
	EXPECT_EQ(2, self->counts->total);
	close(fd);
}

TEST_HARNESS_MAIN
