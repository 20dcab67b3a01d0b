// SPDX-License-Identifier: GPL-2.0
/*
 * What an idle server session is charged against net.eorpc.max_history_bytes
 * (the ServerStateBytes gauge) is what it costs in kernel memory: open
 * 10,000 sessions from plain UDP handshakes, shrink the slab caches, and
 * compare the growth of unreclaimable slab memory with the growth of the
 * charge. The ratio must be within 1.1 either way.
 *
 * The same sessions are charged to the server's memory cgroup, although the
 * kernel allocates them in a kworker (the socket's work item), not in the
 * server's own task.
 *
 * Stock kernel only: KASAN's redzones and quarantine make the debug kernel's
 * slab a different size from what the charge models (run_all says so).
 *
 *   [ns eomc-PID] test (UDP socket) --- veth --- [ns eoms-PID] server :4242
 *          10.78.0.2                                      10.78.0.1
 */
#include <netinet/in.h>
#include <sys/stat.h>
#include <sys/time.h>
#include "kselftest_harness.h"
#include "eorpc_raw.h"

enum { SRV_PORT = 4242, RAW_PORT = 5000, SESSIONS = 10000, BATCH = 64 };

FIXTURE(memcharge) {
	char srv_ns[32], cli_ns[32], cgroup[64];
	struct sockaddr_eorpc server;
	struct sockaddr_in srv_udp;
	pid_t server_pid;
	int us;
};

#define CGROOT "/sys/fs/cgroup"

/* A cgroup2 memory cgroup for the server: 0, or -1 if none can be made. */
static int cgroup_make(char *dir, size_t len)
{
	if (access(CGROOT "/cgroup.controllers", F_OK) &&
	    eo_sh("mount -t cgroup2 none " CGROOT))
		return -1;
	if (eo_sh("grep -qw memory " CGROOT "/cgroup.subtree_control || "
		  "echo +memory >" CGROOT "/cgroup.subtree_control"))
		return -1;
	snprintf(dir, len, CGROOT "/eorpc-mc-%d", getpid());
	return mkdir(dir, 0755);
}

/* Move this process into the cgroup at @dir. */
static int cgroup_enter(const char *dir)
{
	return eo_sh("echo %d >%s/cgroup.procs", getpid(), dir);
}

static long long cgroup_memory(const char *dir)
{
	char path[96];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/memory.current", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

FIXTURE_SETUP(memcharge)
{
	struct sockaddr_in me = { .sin_family = AF_INET,
				  .sin_port = htons(RAW_PORT) };
	struct timeval tv = { .tv_usec = 500000 };
	int big = 4 << 20;

	snprintf(self->srv_ns, sizeof(self->srv_ns), "eoms-%d", getpid());
	snprintf(self->cli_ns, sizeof(self->cli_ns), "eomc-%d", getpid());
	self->server_pid = -1;
	self->us = -1;
	ASSERT_EQ(0, eo_ns_pair(self->srv_ns, self->cli_ns));
	self->server = eo_addr4("10.78.0.1", SRV_PORT);
	/* The server starts in a cgroup of its own; the test does not stay. */
	ASSERT_EQ(0, cgroup_make(self->cgroup, sizeof(self->cgroup)));
	ASSERT_EQ(0, cgroup_enter(self->cgroup));
	self->server_pid = eo_echo_server(self->srv_ns, &self->server, NULL, 0);
	ASSERT_EQ(0, cgroup_enter(CGROOT));
	ASSERT_GT(self->server_pid, 0);
	ASSERT_EQ(0, eo_ns_enter(self->cli_ns));
	self->us = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->us);
	inet_pton(AF_INET, "10.78.0.2", &me.sin_addr);
	ASSERT_EQ(0, bind(self->us, (struct sockaddr *)&me, sizeof(me)));
	ASSERT_EQ(0, setsockopt(self->us, SOL_SOCKET, SO_RCVBUFFORCE, &big,
				sizeof(big)));
	ASSERT_EQ(0, setsockopt(self->us, SOL_SOCKET, SO_RCVTIMEO, &tv,
				sizeof(tv)));
	self->srv_udp.sin_family = AF_INET;
	self->srv_udp.sin_port = htons(SRV_PORT);
	inet_pton(AF_INET, "10.78.0.1", &self->srv_udp.sin_addr);
}

FIXTURE_TEARDOWN(memcharge)
{
	if (self->us >= 0)
		close(self->us);
	eo_kill(self->server_pid);
	eo_ns_del(self->srv_ns, self->cli_ns);
	if (self->cgroup[0])
		rmdir(self->cgroup);
}

/*
 * Sessions for epochs [@first, @first + @count): HELLOs, then HELLOs with
 * the cookies that came back, until every epoch has its WELCOME. Returns
 * how many did, after at most 20 rounds.
 */
static int open_sessions(int us, const struct sockaddr_in *srv,
			 uint64_t first, int count)
{
	static uint8_t cookies[BATCH][EOW_COOKIE_LEN];
	uint8_t have_cookie[BATCH], welcomed[BATCH], buf[1500];
	int done = 0;
	struct eow_hdr h;
	ssize_t n;

	memset(have_cookie, 0, sizeof(have_cookie));
	memset(welcomed, 0, sizeof(welcomed));
	for (int round = 0; round < 20 && done < count; round++) {
		for (int i = 0; i < count; i++)
			if (!welcomed[i])
				eow_send_to(us, srv, buf,
					    eow_hello(buf, first + i,
						      have_cookie[i] ?
						      cookies[i] : NULL));
		/* Until the answers stop coming (0.5 s without one). */
		while (done < count && (n = recv(us, buf, sizeof(buf), 0)) > 0) {
			uint64_t i;

			if (eow_get(buf, n, &h) || h.client_epoch < first ||
			    h.client_epoch >= first + count)
				continue;
			i = h.client_epoch - first;
			if (h.type == EOW_COOKIE && n == EOW_HDR_LEN + EOW_COOKIE_LEN &&
			    !have_cookie[i]) {
				memcpy(cookies[i], buf + EOW_HDR_LEN, EOW_COOKIE_LEN);
				have_cookie[i] = 1;
				eow_send_to(us, srv, buf,
					    eow_hello(buf, h.client_epoch,
						      cookies[i]));
			} else if (h.type == EOW_WELCOME && !welcomed[i]) {
				welcomed[i] = 1;
				done++;
			}
		}
	}
	return done;
}

TEST_F_TIMEOUT(memcharge, idle_session_charge_matches_slab_growth, 600)
{
	long long sessions0, charged0, slab0, sessions, charged, slab;
	double ratio;

	eo_shrink_slabs();
	sessions0 = eo_stat_of(self->server_pid, "ServerSessions");
	charged0 = eo_stat_of(self->server_pid, "ServerStateBytes");
	slab0 = eo_meminfo_kb("SUnreclaim") * 1024;
	ASSERT_LE(0, charged0);
	ASSERT_LT(0, slab0);

	for (int first = 0; first < SESSIONS; first += BATCH) {
		int count = SESSIONS - first < BATCH ? SESSIONS - first : BATCH;

		ASSERT_EQ(count, open_sessions(self->us, &self->srv_udp,
					       0x10000 + first, count));
	}
	sessions = eo_stat_of(self->server_pid, "ServerSessions") - sessions0;
	ASSERT_EQ(SESSIONS, sessions);

	eo_shrink_slabs();
	slab = eo_meminfo_kb("SUnreclaim") * 1024 - slab0;
	charged = eo_stat_of(self->server_pid, "ServerStateBytes") - charged0;
	ASSERT_LT(0, charged);
	ratio = (double)slab / charged;
	TH_LOG("%lld sessions: slab +%lld bytes (%lld per session), charged +%lld (%lld per session), slab/charged %.3f",
	       sessions, slab, slab / sessions, charged, charged / sessions,
	       ratio);
	EXPECT_LE(ratio, 1.1);
	EXPECT_GE(ratio, 1 / 1.1);
}

/*
 * The sessions are allocated by the socket's work item, in a kworker of the
 * root cgroup; they belong to the server, whose cgroup must pay for them
 * (memory.current counts pages, with up to 64 per CPU cached ahead).
 */
TEST_F_TIMEOUT(memcharge, sessions_are_charged_to_the_server_cgroup, 600)
{
	long long mem0, charged0, mem, charged;

	mem0 = cgroup_memory(self->cgroup);
	charged0 = eo_stat_of(self->server_pid, "ServerStateBytes");
	ASSERT_LT(0, mem0);
	for (int first = 0; first < SESSIONS; first += BATCH) {
		int count = SESSIONS - first < BATCH ? SESSIONS - first : BATCH;

		ASSERT_EQ(count, open_sessions(self->us, &self->srv_udp,
					       0x100000 + first, count));
	}
	mem = cgroup_memory(self->cgroup) - mem0;
	charged = eo_stat_of(self->server_pid, "ServerStateBytes") - charged0;
	TH_LOG("%d sessions: the server's cgroup grew %lld bytes, server state %lld bytes (%.2f)",
	       SESSIONS, mem, charged, (double)mem / charged);
	ASSERT_LT(0, charged);
	EXPECT_GE(mem, charged * 8 / 10);
	EXPECT_LE(mem, charged * 2);
}

TEST_HARNESS_MAIN
