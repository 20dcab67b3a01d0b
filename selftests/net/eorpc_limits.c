// SPDX-License-Identifier: GPL-2.0
/*
 * Receive-buffer limits: a message larger than the receiver's SO_RCVBUF
 * still completes (a socket always takes one message). Both directions:
 * requests at a server, replies at a client.
 *
 *   [ns eolc-PID] test: AF_EORPC clients, UDP sockets --- veth --- [ns eols-PID]
 *          10.78.0.2                                                10.78.0.1
 *                                                  echo server or UDP server :4242
 */
#include <netinet/in.h>
#include <sys/time.h>
#include "kselftest_harness.h"
#include "eorpc_raw.h"

enum { SRV_PORT = 4242, BIG = 20000 };

/* What an honest peer waits at most: the default deadline's order. */
enum { CALL_DEADLINE_MS = 8000 };

FIXTURE(limits) {
	char srv_ns[32], cli_ns[32];
	struct sockaddr_eorpc server;
	struct sockaddr_in srv_udp;
	pid_t server_pid;
};

FIXTURE_SETUP(limits)
{
	snprintf(self->srv_ns, sizeof(self->srv_ns), "eols-%d", getpid());
	snprintf(self->cli_ns, sizeof(self->cli_ns), "eolc-%d", getpid());
	self->server_pid = -1;
	ASSERT_EQ(0, eo_ns_pair(self->srv_ns, self->cli_ns));
	self->server = eo_addr4("10.78.0.1", SRV_PORT);
	self->srv_udp.sin_family = AF_INET;
	self->srv_udp.sin_port = htons(SRV_PORT);
	inet_pton(AF_INET, "10.78.0.1", &self->srv_udp.sin_addr);
}

FIXTURE_TEARDOWN(limits)
{
	eo_kill(self->server_pid);
	eo_ns_del(self->srv_ns, self->cli_ns);
}

/*
 * Bytes charged to the receive buffer of the first socket with @role
 * ("server" or "client") in the namespace of @pid (0: ours); -1 if none.
 */
static long rmem_of(pid_t pid, const char *role)
{
	char path[64], local[80], r[16], line[256];
	long rmem, v = -1;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/net/eorpc/sockets", pid);
	else
		snprintf(path, sizeof(path), "/proc/net/eorpc/sockets");
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (v < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "%79s %15s %ld", local, r, &rmem) == 3 &&
		    !strcmp(r, role))
			v = rmem;
	fclose(f);
	return v;
}

TEST_F_TIMEOUT(limits, reply_larger_than_client_rcvbuf_completes, 120)
{
	long long drops0;
	int fd, rcvbuf = 4096, err;
	ssize_t n;

	self->server_pid = eo_echo_server(self->srv_ns, &self->server, NULL, BIG);
	ASSERT_GT(self->server_pid, 0);
	ASSERT_EQ(0, eo_ns_enter(self->cli_ns));
	drops0 = eo_stat_of(0, "RxDropRcvbuf");
	fd = eo_socket();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)));
	/* Twice over: the first reply was not left charged. */
	for (int i = 0; i < 2; i++) {
		n = eo_call(fd, &self->server, i, 100, CALL_DEADLINE_MS, &err);
		EXPECT_EQ(BIG, n) TH_LOG("call %d: errno %d", i, err);
	}
	EXPECT_EQ(0, rmem_of(0, "client"));
	EXPECT_EQ(drops0, eo_stat_of(0, "RxDropRcvbuf"));
	close(fd);
}

TEST_F_TIMEOUT(limits, request_larger_than_server_rcvbuf_completes, 120)
{
	struct eo_echo_counts *counts = eo_echo_counts_new();
	int fd, err;
	ssize_t n;

	ASSERT_NE(NULL, counts);
	self->server_pid = eo_echo_server_rcvbuf(self->srv_ns, &self->server,
						 counts, 0, 4096);
	ASSERT_GT(self->server_pid, 0);
	ASSERT_EQ(0, eo_ns_enter(self->cli_ns));
	fd = eo_socket();
	ASSERT_LE(0, fd);
	for (int i = 0; i < 2; i++) {
		n = eo_call(fd, &self->server, i, BIG, CALL_DEADLINE_MS, &err);
		EXPECT_EQ(BIG, n) TH_LOG("call %d: errno %d", i, err);
		EXPECT_EQ(1, counts->delivered[i]);
	}
	EXPECT_EQ(0, rmem_of(self->server_pid, "server"));
	close(fd);
	munmap(counts, sizeof(*counts));
}

TEST_HARNESS_MAIN
