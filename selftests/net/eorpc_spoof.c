// SPDX-License-Identifier: GPL-2.0
/*
 * Spoofed senders: a flood of new-session HELLOs from forged source
 * addresses and ports, each with its own client epoch, some carrying forged
 * cookies, while legitimate clients make calls. The server must commit state
 * only for clients that proved their address (they received the COOKIE), so
 * legitimate calls are all served, SessionsCreated grows by the legitimate
 * sessions only and the server's memory stays flat.
 *
 *   [ns eosa-PID] flood (raw IP, IP_HDRINCL),   --- veth ---  [ns eoss-PID]
 *                 legitimate clients                          echo server
 *          10.78.0.2; forged sources 198.18.0.0/15            10.78.0.1:4242
 *
 * The server's namespace routes everything back over the veth, so its
 * COOKIEs to forged sources really leave (and die in the attacker's
 * namespace, which does not forward): the cookie path runs in full.
 */
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <dirent.h>
#include "kselftest_harness.h"
#include "eorpc_raw.h"

enum { SRV_PORT = 4242, LEGIT_CLIENTS = 2 };

struct legit {
	uint32_t ok[LEGIT_CLIENTS], failed[LEGIT_CLIENTS];
	int last_error[LEGIT_CLIENTS];
};

FIXTURE(spoof) {
	char srv_ns[32], att_ns[32];
	struct sockaddr_eorpc server;
	pid_t server_pid;
};

FIXTURE_SETUP(spoof)
{
	snprintf(self->srv_ns, sizeof(self->srv_ns), "eoss-%d", getpid());
	snprintf(self->att_ns, sizeof(self->att_ns), "eosa-%d", getpid());
	self->server_pid = -1;
	ASSERT_EQ(0, eo_ns_pair(self->srv_ns, self->att_ns));
	ASSERT_EQ(0, eo_sh("ip -n %s route add default via 10.78.0.2",
			   self->srv_ns));
	ASSERT_EQ(0, eo_ns_sysctl(self->srv_ns, "net.ipv4.conf.all.rp_filter", 0));
	ASSERT_EQ(0, eo_ns_sysctl(self->srv_ns, "net.ipv4.conf.veth0.rp_filter", 0));
	/* LAN-tuned RTO: a flood-dropped packet costs milliseconds, not seconds. */
	ASSERT_EQ(0, eo_ns_rto(self->att_ns, 10, 100, 400));
	self->server = eo_addr4("10.78.0.1", SRV_PORT);
	self->server_pid = eo_echo_server(self->srv_ns, &self->server, NULL, 0);
	ASSERT_GT(self->server_pid, 0);
	ASSERT_EQ(0, eo_ns_enter(self->att_ns));
}

FIXTURE_TEARDOWN(spoof)
{
	eo_kill(self->server_pid);
	eo_ns_del(self->srv_ns, self->att_ns);
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

/*
 * One forged HELLO in @pkt: IPv4 header (the kernel fills the IP checksum
 * and id for IP_HDRINCL), UDP header with a correct checksum, the HELLO.
 */
static size_t forge_hello(uint8_t *pkt, uint32_t saddr, uint16_t sport,
			  uint32_t daddr, uint64_t epoch, const uint8_t *cookie)
{
	struct iphdr *ip = (struct iphdr *)pkt;
	struct udphdr *udp = (struct udphdr *)(pkt + sizeof(*ip));
	uint8_t *payload = (uint8_t *)(udp + 1);
	size_t plen = eow_hello(payload, epoch, cookie);
	size_t ulen = sizeof(*udp) + plen;
	uint32_t sum = 0;
	uint16_t word;

	memset(ip, 0, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(sizeof(*ip) + ulen);
	ip->saddr = saddr;
	ip->daddr = daddr;
	udp->source = htons(sport);
	udp->dest = htons(SRV_PORT);
	udp->len = htons(ulen);
	udp->check = 0;
	/* Pseudo-header, then the UDP header and payload. */
	sum = csum_add(sum, &ip->saddr, 4);
	sum = csum_add(sum, &ip->daddr, 4);
	sum += IPPROTO_UDP;
	sum += ulen;
	sum = csum_add(sum, udp, ulen);
	word = csum_fold(sum);
	udp->check = htons(word ? word : 0xffff);
	return sizeof(*ip) + ulen;
}

/* Server rows in the server's /proc/net/eorpc/sessions. */
static int server_session_rows(pid_t pid)
{
	char path[64], line[512], role[16];
	int rows = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/eorpc/sessions", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %15s", role) == 1 && !strcmp(role, "server"))
			rows++;
	fclose(f);
	return rows;
}

/* A legitimate client: @calls echo calls, one at a time, on one socket. */
static int legit_client(struct legit *res, int id, int calls,
			const struct sockaddr_eorpc *server)
{
	int fd = eo_socket(), i, err;

	if (fd < 0)
		return 1;
	for (i = 0; i < calls; i++) {
		if (eo_call(fd, server, id * 100000 + i, 64, 30000, &err) == 64) {
			res->ok[id]++;
		} else {
			res->failed[id]++;
			res->last_error[id] = err;
		}
	}
	close(fd);
	return 0;
}

TEST_F_TIMEOUT(spoof, hello_flood_commits_no_state, 300)
{
	int debug = eo_is_debug_kernel();
	int calls = debug ? 20 : 100, min_packets = debug ? 3000 : 20000;
	long long created0, csent0, cbad0, backlog0;
	long long created, csent, cbad, backlog;
	long slab0, slab1, slab_growth_kb;
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	uint8_t pkt[256], cookie[EOW_COOKIE_LEN];
	struct sockaddr_in dst = { .sin_family = AF_INET };
	int raw, one = 1, c, i, status, rows, max_rows = 0, running;
	pid_t pids[LEGIT_CLIENTS];
	long sent = 0, forged = 0;
	struct legit *res;

	TH_LOG("seed %llu; %d legitimate clients x %d calls; at least %d forged HELLOs",
	       (unsigned long long)seed, LEGIT_CLIENTS, calls, min_packets);
	seed |= 1;
	res = mmap(NULL, sizeof(*res), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, res);
	raw = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	ASSERT_LE(0, raw);
	ASSERT_EQ(0, setsockopt(raw, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)));
	inet_pton(AF_INET, "10.78.0.1", &dst.sin_addr);

	created0 = eo_stat_of(self->server_pid, "SessionsCreated");
	csent0 = eo_stat_of(self->server_pid, "CookiesSent");
	cbad0 = eo_stat_of(self->server_pid, "CookiesInvalid");
	backlog0 = eo_stat_of(self->server_pid, "RxDropBacklog");
	eo_shrink_slabs();
	slab0 = eo_meminfo_kb("Slab");
	ASSERT_LE(0, created0);

	for (c = 0; c < LEGIT_CLIENTS; c++) {
		pids[c] = fork();
		ASSERT_LE(0, pids[c]);
		if (!pids[c])
			_exit(legit_client(res, c, calls, &self->server));
	}
	/* Flood until the legitimate clients are done and enough was sent. */
	running = LEGIT_CLIENTS;
	while (running || sent < min_packets) {
		for (i = 0; i < 256; i++) {
			/* 198.18.0.0/15: a range no host here owns. */
			uint32_t saddr = htonl(0xc6120000 | (eo_rand(&seed) & 0x1ffff));
			uint16_t sport = 1024 + eo_rand(&seed) % 60000;
			uint64_t epoch = eo_rand(&seed) | 1;
			const uint8_t *ck = NULL;
			size_t len;

			if (eo_rand(&seed) % 4 == 0) {	/* a forged cookie */
				uint64_t a = eo_rand(&seed) | 1, b = eo_rand(&seed);

				memcpy(cookie, &a, 8);
				memcpy(cookie + 8, &b, 8);
				ck = cookie;
				forged++;
			}
			len = forge_hello(pkt, saddr, sport, dst.sin_addr.s_addr,
					  epoch, ck);
			if (sendto(raw, pkt, len, 0, (struct sockaddr *)&dst,
				   sizeof(dst)) == (ssize_t)len)
				sent++;
		}
		rows = server_session_rows(self->server_pid);
		if (rows > max_rows)
			max_rows = rows;
		for (c = 0; c < LEGIT_CLIENTS; c++)
			if (pids[c] > 0 && waitpid(pids[c], &status, WNOHANG) == pids[c]) {
				EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
				pids[c] = 0;
				running--;
			}
		/* A bound: a server that never serves must not hang the test. */
		if (sent > 40 * (long)min_packets)
			break;
	}
	eo_shrink_slabs();
	slab1 = eo_meminfo_kb("Slab");
	for (c = 0; c < LEGIT_CLIENTS; c++)
		if (pids[c] > 0) {
			kill(pids[c], SIGKILL);
			waitpid(pids[c], NULL, 0);
		}
	close(raw);
	/*
	 * The last HELLOs may still sit in the server's queue; one more real
	 * call goes behind them, so the counters below are final.
	 */
	{
		int fd = eo_socket(), err;

		ASSERT_LE(0, fd);
		EXPECT_EQ(64, eo_call(fd, &self->server, 999999, 64, 30000, &err));
		close(fd);
	}
	created = eo_stat_of(self->server_pid, "SessionsCreated") - created0;
	csent = eo_stat_of(self->server_pid, "CookiesSent") - csent0;
	cbad = eo_stat_of(self->server_pid, "CookiesInvalid") - cbad0;
	backlog = eo_stat_of(self->server_pid, "RxDropBacklog") - backlog0;
	slab_growth_kb = slab1 - slab0;

	printf("# forged HELLOs sent: %ld (%ld with a forged cookie)\n", sent, forged);
	printf("# sessions created: %lld (legitimate sessions: %d)\n", created,
	       LEGIT_CLIENTS + 1);
	printf("# legitimate calls served: %u of %d\n",
	       res->ok[0] + res->ok[1], LEGIT_CLIENTS * calls);
	printf("# CookiesSent %lld, CookiesInvalid %lld, RxDropBacklog %lld\n",
	       csent, cbad, backlog);
	printf("# most server sessions seen during the flood: %d; Slab %ld -> %ld kB\n",
	       max_rows, slab0, slab1);

	for (c = 0; c < LEGIT_CLIENTS; c++) {
		EXPECT_EQ(calls, res->ok[c])
			TH_LOG("client %d: %u failed, last errno %d", c,
			       res->failed[c], res->last_error[c]);
	}
	/* Only the legitimate clients (and the final probe) got sessions. */
	EXPECT_EQ(LEGIT_CLIENTS + 1, created);
	EXPECT_LE(max_rows, LEGIT_CLIENTS);
	EXPECT_LT(0, csent);
	EXPECT_LT(0, cbad);
	/* Every forged cookie that reached the server was refused. */
	EXPECT_GE(forged, cbad);
	/*
	 * Flat memory: even 64 bytes per forged HELLO would be more than this
	 * (a session with its history costs several hundred bytes).
	 */
	EXPECT_GT(sent * 64 / 1024, slab_growth_kb)
		TH_LOG("Slab grew %ld kB for %ld forged HELLOs", slab_growth_kb, sent);
}

TEST_HARNESS_MAIN
