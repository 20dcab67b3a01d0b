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
 *
 * And selective retransmission, step by step over a clean link: a peer
 * speaking the wire format from a UDP socket leaves a fragment out, and
 * the module's NEED names exactly what it lacks. And the window: rounds
 * clocked by reports, a short call passing a long request, and the
 * window growing where the round trip (250 ms of netem delay) bounds it.
 */
#include <sys/mman.h>
#include <sys/time.h>
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
		   int me, int calls, size_t len, int deadline_ms)
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
		if (eo_send(fd, srv, req, len, c + 1, deadline_ms, 0) != (ssize_t)len)
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
	ASSERT_EQ(0, eo_ns_rto(self->srv_ns, 10, 100, 400));
	ASSERT_EQ(0, eo_ns_rto(self->cli_ns, 10, 100, 400));
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
	int calls = variant->calls, deadline_ms = 120000, status;
	pid_t pids[MAX_CLIENTS];

	/*
	 * Under KASAN and TCG every fragment costs twenty times as much: one
	 * call a client takes the same paths (selective retransmission both
	 * ways, history, duplicates) in minutes instead of a quarter hour.
	 * What is tested is that it completes once and byte-exact, not how
	 * fast: beside make check's other lanes a 1 MiB call at 30% loss once
	 * took more than 120 s there, so its deadline is the test's own
	 * timeout's order.
	 */
	if (eo_is_debug_kernel()) {
		calls = 1;
		deadline_ms = 600000;
	}
	TH_LOG("netem '%s' both ways; %d clients x %d calls of %zu bytes",
	       variant->netem, variant->clients, calls, variant->len);
	ASSERT_EQ(0, eo_ns_enter(self->cli_ns));
	for (int c = 0; c < variant->clients; c++) {
		pids[c] = fork();
		ASSERT_LE(0, pids[c]);
		if (!pids[c])
			client(&self->server, self->shm, c, calls,
			       variant->len, deadline_ms);
	}
	for (int c = 0; c < variant->clients; c++) {
		ASSERT_EQ(pids[c], waitpid(pids[c], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	}
	for (int c = 0; c < variant->clients; c++) {
		EXPECT_EQ(0, self->shm->error[c]) TH_LOG("client %d", c);
		EXPECT_EQ(calls, self->shm->completed[c]);
		EXPECT_EQ(0, self->shm->mismatched[c]);
		for (int k = 0; k < calls; k++) {
			EXPECT_EQ(1, self->shm->delivered[c][k])
				TH_LOG("client %d call %d", c, k);
		}
	}
	TH_LOG("retransmissions %lld, duplicate fragments %lld (server %lld)",
	       eo_stat_of(0, "Retransmits"), eo_stat_of(0, "DupFragments"),
	       eo_stat_of(self->server_pid, "DupFragments"));
}

/* ---- selective retransmission, step by step ---- */

enum { RAW_PORT = 5000, NFRAG = 10, MISSING = 4, MSG = NFRAG * EOW_FRAG_DATA };

FIXTURE(clean) {
	char srv_ns[32], cli_ns[32];
	struct sockaddr_eorpc server;
	struct sockaddr_in srv_udp;
	struct shared *shm;
	pid_t server_pid;
};

FIXTURE_SETUP(clean)
{
	snprintf(self->srv_ns, sizeof(self->srv_ns), "eogs-%d", getpid());
	snprintf(self->cli_ns, sizeof(self->cli_ns), "eogc-%d", getpid());
	self->server_pid = -1;
	ASSERT_EQ(0, eo_ns_pair(self->srv_ns, self->cli_ns));
	self->server = eo_addr4("10.78.0.1", SRV_PORT);
	self->srv_udp = (struct sockaddr_in){ .sin_family = AF_INET,
					      .sin_port = htons(SRV_PORT) };
	inet_pton(AF_INET, "10.78.0.1", &self->srv_udp.sin_addr);
	self->shm = mmap(NULL, sizeof(*self->shm), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->shm);
	memset(self->shm, 0, sizeof(*self->shm));
}

FIXTURE_TEARDOWN(clean)
{
	eo_kill(self->server_pid);
	eo_ns_del(self->srv_ns, self->cli_ns);
}

/* A UDP socket at @ip:@port in namespace @ns, 3 s receive timeout. */
static int udp_at(const char *ns, const char *ip, int port)
{
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = 3 };
	int us;

	if (eo_ns_enter(ns))
		return -1;
	us = socket(AF_INET, SOCK_DGRAM, 0);
	inet_pton(AF_INET, ip, &me.sin_addr);
	if (us < 0 || bind(us, (struct sockaddr *)&me, sizeof(me)) ||
	    setsockopt(us, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return -1;
	return us;
}

/* Fragment @frag of the NFRAG-fragment message @msg, after header @h. */
static size_t frag_packet(uint8_t *buf, struct eow_hdr *h, const uint8_t *msg,
			  int frag)
{
	h->frag = frag;
	h->msg_len = MSG;
	eow_put(buf, h);
	memcpy(buf + EOW_HDR_LEN, msg + frag * EOW_FRAG_DATA, EOW_FRAG_DATA);
	return EOW_HDR_LEN + EOW_FRAG_DATA;
}

/* Retransmission timers of seconds in @ns: only NEEDs move messages. */
static int slow_timers(const char *ns)
{
	return eo_ns_rto(ns, 5000, 10000, 20000);
}

/* The next datagram of @type (others skipped); its length, or -1. */
static ssize_t recv_type(int us, uint8_t *buf, size_t cap, int type,
			 struct eow_hdr *h, struct sockaddr_in *from)
{
	socklen_t from_len = sizeof(*from);
	ssize_t n;

	do {
		n = recvfrom(us, buf, cap, 0, (struct sockaddr *)from, &from_len);
		if (n < 0)
			return -1;
	} while (eow_get(buf, n, h) || h->type != type);
	return n;
}

/* The bitmap a NEED about NFRAG fragments carries when one is missing. */
static void expect_need_bits(struct __test_metadata *_metadata,
			     const uint8_t *buf, ssize_t n)
{
	ASSERT_EQ(EOW_HDR_LEN + (NFRAG + 7) / 8, n);
	for (int i = 0; i < NFRAG; i++) {
		EXPECT_EQ(i != MISSING, !!(buf[EOW_HDR_LEN + i / 8] & (1 << (i % 8))))
			TH_LOG("fragment %d", i);
	}
}

/*
 * A request reaches the server without one fragment: once the last is
 * in, the server says which it has, the missing one alone completes the
 * request, and it runs once. A copy of the last fragment of the whole
 * request then brings the reply again from the history.
 */
TEST_F_TIMEOUT(clean, server_asks_for_what_a_request_lacks, 120)
{
	static uint8_t msg[MSG], buf[1500];
	struct server_args a = { &self->server, self->shm };
	struct eow_hdr w, h, r;
	struct sockaddr_in from;
	uint32_t id[2] = { 0, 0 };
	size_t cookie_len;
	int us, replies = 0;
	ssize_t n;

	self->server_pid = eo_fork_server(self->srv_ns, server_setup,
					  server_serve, &a);
	ASSERT_GT(self->server_pid, 0);
	us = udp_at(self->cli_ns, "10.78.0.2", RAW_PORT);
	ASSERT_LE(0, us);
	ASSERT_EQ(0, eow_handshake(us, &self->srv_udp, 0x77, &w, &cookie_len));
	for (size_t i = 0; i < MSG; i++)
		msg[i] = pattern(0, 0, i);
	memcpy(msg, id, sizeof(id));
	h = (struct eow_hdr){ .version = EOW_VERSION, .type = EOW_REQUEST,
			      .client_epoch = 0x77, .server_epoch = w.server_epoch,
			      .session_id = w.session_id, .request_id = 1 };
	for (int f = 0; f < NFRAG; f++)
		if (f != MISSING)
			ASSERT_EQ(0, eow_send_to(us, &self->srv_udp, buf,
						 frag_packet(buf, &h, msg, f)));
	n = recv_type(us, buf, sizeof(buf), EOW_NEED_REQUEST, &r, &from);
	ASSERT_LT(0, n) TH_LOG("no NEED_REQUEST");
	EXPECT_EQ(1, r.request_id);
	EXPECT_EQ(MSG, r.msg_len);
	EXPECT_EQ(0, r.frag);
	expect_need_bits(_metadata, buf, n);
	EXPECT_EQ(0, self->shm->delivered[0][0]);

	h.flags = EOW_F_RETRANS;
	ASSERT_EQ(0, eow_send_to(us, &self->srv_udp, buf,
				 frag_packet(buf, &h, msg, MISSING)));
	while (replies < NFRAG &&
	       recv_type(us, buf, sizeof(buf), EOW_REPLY, &r, &from) > 0)
		replies++;
	EXPECT_EQ(NFRAG, replies);
	EXPECT_EQ(1, self->shm->delivered[0][0]);

	/* The last fragment again: the reply comes from the history. */
	ASSERT_EQ(0, eow_send_to(us, &self->srv_udp, buf,
				 frag_packet(buf, &h, msg, NFRAG - 1)));
	EXPECT_LT(0, recv_type(us, buf, sizeof(buf), EOW_REPLY, &r, &from));
	EXPECT_EQ(1, self->shm->delivered[0][0]);
	close(us);
}

/*
 * A reply reaches the client without one fragment: the client says which
 * it has, the missing one alone completes the call, byte for byte, and
 * the request was sent once (no whole retransmission was needed).
 */
TEST_F_TIMEOUT(clean, client_asks_for_what_a_reply_lacks, 120)
{
	static uint8_t msg[MSG], buf[1500], got[MSG + 1];
	struct eow_hdr h, r;
	struct sockaddr_in from;
	int us, fd, requests = 0;
	struct eo_rx rx;
	socklen_t len;
	ssize_t n;

	/* The call's timer far off: only a NEED can bring the fragment. */
	ASSERT_EQ(0, slow_timers(self->cli_ns));
	us = udp_at(self->srv_ns, "10.78.0.1", SRV_PORT);
	ASSERT_LE(0, us);
	ASSERT_EQ(0, eo_ns_enter(self->cli_ns));
	fd = eo_socket();
	ASSERT_LE(0, fd);
	ASSERT_EQ(3, eo_send(fd, &self->server, "abc", 3, 42, 60000, 0));
	/* HELLO (answered without a cookie: this peer keeps no state) */
	ASSERT_LT(0, recv_type(us, buf, sizeof(buf), EOW_HELLO, &h, &from));
	len = sizeof(from);
	ASSERT_LT(0, sendto(us, buf, eow_welcome_for(buf, &h), 0,
			    (struct sockaddr *)&from, len));
	ASSERT_LT(0, recv_type(us, buf, sizeof(buf), EOW_REQUEST, &h, &from));
	requests++;
	for (size_t i = 0; i < MSG; i++)
		msg[i] = pattern(1, 1, i);
	r = (struct eow_hdr){ .version = EOW_VERSION, .type = EOW_REPLY,
			      .client_epoch = h.client_epoch,
			      .server_epoch = 0x5e5e, .session_id = 0x1d1d,
			      .request_id = h.request_id };
	for (int f = 0; f < NFRAG; f++)
		if (f != MISSING)
			ASSERT_LT(0, sendto(us, buf, frag_packet(buf, &r, msg, f), 0,
					    (struct sockaddr *)&from, len));
	/* Whatever comes first must be the NEED, not the request again. */
	do {
		n = recvfrom(us, buf, sizeof(buf), 0, NULL, NULL);
		ASSERT_LT(0, n) TH_LOG("no NEED_REPLY");
		ASSERT_EQ(0, eow_get(buf, n, &h));
		requests += h.type == EOW_REQUEST;
	} while (h.type != EOW_NEED_REPLY);
	EXPECT_EQ(1, requests);
	EXPECT_EQ(r.request_id, h.request_id);
	EXPECT_EQ(MSG, h.msg_len);
	expect_need_bits(_metadata, buf, n);

	r.flags = EOW_F_RETRANS;
	ASSERT_LT(0, sendto(us, buf, frag_packet(buf, &r, msg, MISSING), 0,
			    (struct sockaddr *)&from, len));
	n = eo_recv(fd, got, sizeof(got), &rx, 0);
	ASSERT_EQ(MSG, n) TH_LOG("error %d", rx.error);
	EXPECT_EQ(42, rx.tag);
	EXPECT_EQ(0, memcmp(got, msg, MSG));
	close(fd);
	close(us);
}

/*
 * A long request goes in rounds, each waiting for the server's report: a
 * short call made meanwhile on the same socket leaves at once, ahead of
 * the long one's remaining fragments, and each report lets exactly one
 * more round go.
 */
TEST_F_TIMEOUT(clean, short_call_passes_a_long_request_in_rounds, 120)
{
	enum { LONG = 1 << 20, ROUND1 = 64, NEED_LEN = (LONG / EOW_FRAG_DATA + 8) / 8 };
	static uint8_t big[LONG], buf[1500], need[EOW_HDR_LEN + NEED_LEN];
	uint64_t long_id, first_new;
	struct eow_hdr h, nh;
	struct sockaddr_in from;
	int us, fd, round;
	socklen_t len = sizeof(from);
	ssize_t n;

	/* The call's timer far off: only reports move the long request. */
	ASSERT_EQ(0, slow_timers(self->cli_ns));
	us = udp_at(self->srv_ns, "10.78.0.1", SRV_PORT);
	ASSERT_LE(0, us);
	/* Room for a whole round of 256 fragments. */
	ASSERT_EQ(0, setsockopt(us, SOL_SOCKET, SO_RCVBUFFORCE,
				&(int){ 4 * LONG }, sizeof(int)));
	ASSERT_EQ(0, eo_ns_enter(self->cli_ns));
	fd = eo_socket();
	ASSERT_LE(0, fd);
	/*
	 * A call is charged to the send buffer until it completes: with the
	 * default one, the short call would wait for the long one to end.
	 */
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE,
				&(int){ 4 * LONG }, sizeof(int)));
	ASSERT_EQ(LONG, eo_send(fd, &self->server, big, LONG, 1, 60000, 0));
	ASSERT_LT(0, recv_type(us, buf, sizeof(buf), EOW_HELLO, &h, &from));
	ASSERT_LT(0, sendto(us, buf, eow_welcome_for(buf, &h), 0,
			    (struct sockaddr *)&from, len));
	/* The first round: 64 fragments in order, the last asks for a report. */
	for (int f = 0; f < ROUND1; f++) {
		ASSERT_LT(0, recv_type(us, buf, sizeof(buf), EOW_REQUEST, &h, &from));
		ASSERT_EQ(f, h.frag);
		ASSERT_EQ(LONG, h.msg_len);
		ASSERT_EQ(f == ROUND1 - 1 ? EOW_F_ACK_NOW : 0, h.flags);
	}
	long_id = h.request_id;
	/* Nothing more of it before a report: the short call is next. */
	ASSERT_EQ(5, eo_send(fd, &self->server, "short", 5, 2, 60000, 0));
	ASSERT_LT(0, recv_type(us, buf, sizeof(buf), EOW_REQUEST, &h, &from));
	ASSERT_NE(long_id, h.request_id)
		TH_LOG("fragment %u of the long request came first", h.frag);
	EXPECT_EQ(5, h.msg_len);

	/*
	 * Each report of a clean round lets exactly one round go: after the
	 * first report, twice as long; after the second, twice as long
	 * again, unless the doubled round took 1.5 times as long as the
	 * first (the path looked full: how fast this test reads decides),
	 * then back to the first round's size, to try the doubling again.
	 */
	first_new = ROUND1;
	for (round = 2; round <= 3; round++) {
		uint32_t size = 0;

		nh = (struct eow_hdr){ .version = EOW_VERSION,
				       .type = EOW_NEED_REQUEST,
				       .client_epoch = h.client_epoch,
				       .server_epoch = 0x5e5e,
				       .session_id = 0x1d1d,
				       .request_id = long_id, .msg_len = LONG };
		eow_put(need, &nh);
		memset(need + EOW_HDR_LEN, 0, NEED_LEN);
		for (uint64_t f = 0; f < first_new; f++)
			need[EOW_HDR_LEN + f / 8] |= 1 << (f % 8);
		ASSERT_LT(0, sendto(us, need, sizeof(need), 0,
				    (struct sockaddr *)&from, len));
		do {
			ASSERT_LT(0, recv_type(us, buf, sizeof(buf), EOW_REQUEST,
					       &h, &from))
				TH_LOG("round %d: %u fragments came", round, size);
			ASSERT_EQ(long_id, h.request_id);
			ASSERT_EQ(first_new + size, h.frag);
			ASSERT_EQ(0, h.flags & ~EOW_F_ACK_NOW);
			size++;
		} while (!(h.flags & EOW_F_ACK_NOW) && size < 4 * ROUND1);
		ASSERT_TRUE(h.flags & EOW_F_ACK_NOW);
		if (round == 2) {
			ASSERT_EQ(2 * ROUND1, size);
		} else {
			ASSERT_TRUE(size == 4 * ROUND1 || size == ROUND1)
				TH_LOG("round 3: %u fragments", size);
		}
		first_new += size;
	}
	/* And no fragment after the last round until the next report. */
	while ((n = recvfrom(us, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL)) > 0)
		EXPECT_FALSE(!eow_get(buf, n, &h) && h.type == EOW_REQUEST);
	close(fd);
	close(us);
}

/*
 * The window of the @role session row in the sessions file at @path, and
 * its limit, in fragments.
 */
static int session_window(const char *path, const char *role,
			  unsigned int *cwnd, unsigned int *limit)
{
	char line[512], r[16];
	int found = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %15s %*s %*s %*s %*s %*s %u %u", r,
			   cwnd, limit) == 3 && !strcmp(r, role))
			found = 0;
	fclose(f);
	return found;
}

/*
 * Where the round trip, not the path's rate, bounds a round, the window
 * grows for a 1 MiB request and for its reply: with 250 ms each way, a
 * doubled round takes about as long as the one before, where a path
 * bound by its rate stops every session at 64 fragments. A guest stalled
 * for a quarter of a second in one round may still set a limit at a later
 * doubling (make check's loaded debug guest did, at 128), so the test
 * asks for growth past 64, not for the whole way to 781.
 */
TEST_F_TIMEOUT(clean, window_grows_where_the_round_trip_bounds_it, 120)
{
	enum { LONG = 1 << 20 };
	struct server_args a = { &self->server, self->shm };
	static uint8_t req[LONG], rep[LONG + 1];
	unsigned int cwnd, limit;
	char path[64];
	struct eo_rx rx;
	int fd;

	/* Only reports move the rounds: no timeout halves the window. */
	ASSERT_EQ(0, slow_timers(self->cli_ns));
	ASSERT_EQ(0, eo_sh("ip netns exec %s tc qdisc add dev veth0 root netem delay 250ms && "
			   "ip netns exec %s tc qdisc add dev veth1 root netem delay 250ms",
			   self->srv_ns, self->cli_ns));
	self->server_pid = eo_fork_server(self->srv_ns, server_setup,
					  server_serve, &a);
	ASSERT_GT(self->server_pid, 0);
	ASSERT_EQ(0, eo_ns_enter(self->cli_ns));
	fd = eo_socket();
	ASSERT_LE(0, fd);
	ASSERT_EQ(LONG, eo_send(fd, &self->server, req, LONG, 1, 60000, 0));
	ASSERT_EQ(LONG, eo_recv(fd, rep, sizeof(rep), &rx, 0));
	ASSERT_EQ(0, rx.error);
	EXPECT_EQ(1, self->shm->delivered[0][0]);
	for (size_t i = 0; i < LONG; i++)
		ASSERT_EQ(answer(req[i]), rep[i]);

	/* Rounds of 64, 128 and 256 were reported on each way. */
	ASSERT_EQ(0, session_window("/proc/net/eorpc/sessions", "client",
				    &cwnd, &limit));
	EXPECT_LT(64, cwnd);
	EXPECT_LT(64, limit);
	snprintf(path, sizeof(path), "/proc/%d/net/eorpc/sessions",
		 self->server_pid);
	ASSERT_EQ(0, session_window(path, "server", &cwnd, &limit));
	EXPECT_LT(64, cwnd);
	EXPECT_LT(64, limit);
	close(fd);
}

TEST_HARNESS_MAIN
