// SPDX-License-Identifier: GPL-2.0
/*
 * Large messages end to end: 256 KiB and 1 MiB requests and replies over a
 * veth link with netem loss, duplication and reordering both ways. The
 * server counts how often each request reaches it and answers with the
 * request transformed byte by byte, so a reply assembled from the wrong
 * fragments, or answering another call, does not compare equal.
 *
 *   [ns eogc-PID] clients --- veth (netem) --- [ns eogs-PID] server :4242
 *          10.78.0.2                                10.78.0.1
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include "kselftest_harness.h"
#include "eorpc_raw.h"

enum { SRV_PORT = 4242, MAX_CLIENTS = 4, MAX_CALLS = 8 };

struct shared {
	uint32_t delivered[MAX_CLIENTS][MAX_CALLS];
	uint32_t completed[MAX_CLIENTS];
	uint32_t mismatched[MAX_CLIENTS];
	int error[MAX_CLIENTS];
};

/* Byte @i of call @call of client @client: no two calls alike. */
static uint8_t pattern(int client, int call, size_t i)
{
	return (uint8_t)(i * 131 + (i >> 8) * 7 + client * 17 + call * 29);
}

/* What the server answers: each byte of the request, complemented. */
static uint8_t answer(uint8_t b)
{
	return (uint8_t)~b;
}

static void serve(int fd, struct shared *shm)
{
	static uint8_t buf[EOW_MAX_MSG];
	struct eo_rx rx;
	uint32_t id[2];
	ssize_t n;

	for (;;) {
		n = eo_recv(fd, buf, sizeof(buf), &rx, 0);
		if (n < (ssize_t)sizeof(id))
			_exit(12);
		/* Its first eight bytes say whose call it is. */
		memcpy(id, buf, sizeof(id));
		if (id[0] < MAX_CLIENTS && id[1] < MAX_CALLS)
			__atomic_add_fetch(&shm->delivered[id[0]][id[1]], 1,
					   __ATOMIC_SEQ_CST);
		for (ssize_t i = 0; i < n; i++)
			buf[i] = answer(buf[i]);
		if (eo_reply(fd, rx.call_id, buf, n) != n)
			_exit(13);
	}
}

/* Calls one after another; what came back is checked byte by byte. */
static void client(const struct sockaddr_eorpc *srv, struct shared *shm,
		   int me, int calls, size_t len)
{
	uint8_t *req = malloc(len), *rep = malloc(len + 1);
	uint32_t id[2] = { me };
	struct eo_rx rx;
	int fd = eo_socket();
	ssize_t n;

	if (fd < 0 || !req || !rep)
		_exit(20);
	for (int c = 0; c < calls; c++) {
		for (size_t i = 0; i < len; i++)
			req[i] = pattern(me, c, i);
		id[1] = c;
		memcpy(req, id, sizeof(id));
		if (eo_send(fd, srv, req, len, c + 1, 120000, 0) != (ssize_t)len)
			_exit(21);
		n = eo_recv(fd, rep, len + 1, &rx, 0);
		if (n < 0 || rx.error) {
			shm->error[me] = n < 0 ? errno : rx.error;
			_exit(0);
		}
		for (size_t i = 0; i < len; i++)
			if (n != (ssize_t)len || rep[i] != answer(req[i])) {
				shm->mismatched[me]++;
				break;
			}
		shm->completed[me]++;
	}
	_exit(0);
}

FIXTURE(lossy) {
	char srv_ns[32], cli_ns[32];
	struct sockaddr_eorpc server;
	struct shared *shm;
	pid_t server_pid;
};

FIXTURE_VARIANT(lossy) {
	const char *netem;
	int clients;
	int calls;
	size_t len;
};

FIXTURE_VARIANT_ADD(lossy, mib_loss30_dup_reorder) {
	.netem = "loss 30% duplicate 20% delay 2ms 2ms reorder 25% 50%",
	.clients = 2, .calls = 3, .len = 1 << 20,
};

FIXTURE_VARIANT_ADD(lossy, kib256_loss10_dup_reorder_4_clients) {
	.netem = "loss 10% duplicate 10% delay 1ms 1ms reorder 10% 50%",
	.clients = 4, .calls = 4, .len = 256 << 10,
};

struct server_args {
	const struct sockaddr_eorpc *addr;
	struct shared *shm;
};

static int server_setup(void *arg)
{
	struct server_args *a = arg;

	return eo_server(a->addr);
}

static void server_serve(int fd, void *arg)
{
	serve(fd, ((struct server_args *)arg)->shm);
}

FIXTURE_SETUP(lossy)
{
	struct server_args a;

	snprintf(self->srv_ns, sizeof(self->srv_ns), "eogs-%d", getpid());
	snprintf(self->cli_ns, sizeof(self->cli_ns), "eogc-%d", getpid());
	self->server_pid = -1;
	ASSERT_EQ(0, eo_ns_pair(self->srv_ns, self->cli_ns));
	/* A LAN-tuned timer, as the key-value scenarios use. */
	ASSERT_EQ(0, eo_sh("for ns in %s %s; do ip netns exec $ns sysctl -qw "
			   "net.eorpc.rto_min_ms=10 net.eorpc.rto_initial_ms=100 "
			   "net.eorpc.rto_max_ms=400 || exit 1; done",
			   self->srv_ns, self->cli_ns));
	ASSERT_EQ(0, eo_sh("ip netns exec %s tc qdisc add dev veth0 root netem %s && "
			   "ip netns exec %s tc qdisc add dev veth1 root netem %s",
			   self->srv_ns, variant->netem, self->cli_ns,
			   variant->netem));
	self->shm = mmap(NULL, sizeof(*self->shm), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->shm);
	memset(self->shm, 0, sizeof(*self->shm));
	self->server = eo_addr4("10.78.0.1", SRV_PORT);
	a = (struct server_args){ &self->server, self->shm };
	self->server_pid = eo_fork_server(self->srv_ns, server_setup,
					  server_serve, &a);
	ASSERT_GT(self->server_pid, 0);
}

FIXTURE_TEARDOWN(lossy)
{
	eo_kill(self->server_pid);
	eo_ns_del(self->srv_ns, self->cli_ns);
}

/*
 * Every call completes with its own reply, byte-exact, and every request
 * ran exactly once, however its fragments were lost, duplicated or
 * reordered.
 */
TEST_F_TIMEOUT(lossy, exactly_once_byte_exact, 900)
{
	pid_t pids[MAX_CLIENTS];
	int status;

	TH_LOG("netem '%s' both ways; %d clients x %d calls of %zu bytes",
	       variant->netem, variant->clients, variant->calls, variant->len);
	ASSERT_EQ(0, eo_ns_enter(self->cli_ns));
	for (int c = 0; c < variant->clients; c++) {
		pids[c] = fork();
		ASSERT_LE(0, pids[c]);
		if (!pids[c])
			client(&self->server, self->shm, c, variant->calls,
			       variant->len);
	}
	for (int c = 0; c < variant->clients; c++) {
		ASSERT_EQ(pids[c], waitpid(pids[c], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}
	for (int c = 0; c < variant->clients; c++) {
		EXPECT_EQ(0, self->shm->error[c]) TH_LOG("client %d", c);
		EXPECT_EQ(variant->calls, self->shm->completed[c]);
		EXPECT_EQ(0, self->shm->mismatched[c]);
		for (int k = 0; k < variant->calls; k++) {
			EXPECT_EQ(1, self->shm->delivered[c][k])
				TH_LOG("client %d call %d", c, k);
		}
	}
	TH_LOG("retransmissions %lld, duplicate fragments %lld (server %lld)",
	       eo_stat_of(0, "Retransmits"), eo_stat_of(0, "DupFragments"),
	       eo_stat_of(self->server_pid, "DupFragments"));
}

TEST_HARNESS_MAIN
