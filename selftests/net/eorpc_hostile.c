// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile packets: from a second namespace, plain UDP sockets send a live
 * AF_EORPC server (and a client socket next to it) every kind of datagram
 * the protocol must refuse. Each kind must be dropped and counted under its
 * own name in /proc/net/eorpc/stats, and the server must go on answering a
 * real client afterwards.
 *
 *   [ns eohh-PID] test (UDP sockets, real client) --- veth --- [ns eohs-PID]
 *          10.78.0.2                                            10.78.0.1
 *                                               echo server :4242, client :4343
 */
#include <netinet/in.h>
#include <sys/time.h>
#include "kselftest_harness.h"
#include "eorpc_raw.h"

enum { SRV_PORT = 4242, CLI_PORT = 4343, RAW_PORT = 5000 };

/*
 * The harness's 30 s default is too short for the debug guest (KASAN and
 * lockdep under TCG), where each test takes several seconds of setup.
 */

FIXTURE(hostile) {
	char srv_ns[32], cli_ns[32];
	struct sockaddr_eorpc server;
	struct sockaddr_in srv_udp, cli_udp;
	pid_t server_pid;
	int client_fd;		/* a client socket living in the server's ns */
	int us;			/* the attacker's UDP socket, in eohh */
};

FIXTURE_SETUP(hostile)
{
	struct sockaddr_eorpc cli = eo_addr4("10.78.0.1", CLI_PORT);
	struct sockaddr_in me = { .sin_family = AF_INET,
				  .sin_port = htons(RAW_PORT) };
	struct timeval tv = { .tv_sec = 3 };

	snprintf(self->srv_ns, sizeof(self->srv_ns), "eohs-%d", getpid());
	snprintf(self->cli_ns, sizeof(self->cli_ns), "eohh-%d", getpid());
	self->server_pid = -1;
	self->client_fd = -1;
	self->us = -1;
	ASSERT_EQ(0, eo_ns_pair(self->srv_ns, self->cli_ns));
	self->server = eo_addr4("10.78.0.1", SRV_PORT);
	self->server_pid = eo_echo_server(self->srv_ns, &self->server, NULL, 0);
	ASSERT_GT(self->server_pid, 0);

	/* A bound, non-listening socket: the target for client-bound abuse. */
	ASSERT_EQ(0, eo_ns_enter(self->srv_ns));
	self->client_fd = eo_socket();
	ASSERT_LE(0, self->client_fd);
	ASSERT_EQ(0, bind(self->client_fd, (struct sockaddr *)&cli, sizeof(cli)));

	ASSERT_EQ(0, eo_ns_enter(self->cli_ns));
	self->us = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, self->us);
	inet_pton(AF_INET, "10.78.0.2", &me.sin_addr);
	ASSERT_EQ(0, bind(self->us, (struct sockaddr *)&me, sizeof(me)));
	/* Answers come at once over veth or not at all; bound every wait. */
	ASSERT_EQ(0, setsockopt(self->us, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	self->srv_udp.sin_family = AF_INET;
	self->srv_udp.sin_port = htons(SRV_PORT);
	inet_pton(AF_INET, "10.78.0.1", &self->srv_udp.sin_addr);
	self->cli_udp = self->srv_udp;
	self->cli_udp.sin_port = htons(CLI_PORT);
}

FIXTURE_TEARDOWN(hostile)
{
	if (self->us >= 0)
		close(self->us);
	if (self->client_fd >= 0)
		close(self->client_fd);
	eo_kill(self->server_pid);
	eo_ns_del(self->srv_ns, self->cli_ns);
}

/* A header every check passes: the base that each bad packet breaks once. */
static struct eow_hdr good_request(void)
{
	struct eow_hdr h = {
		.version = EOW_VERSION, .type = EOW_REQUEST, .msg_len = 8,
		.client_epoch = 0x1111, .server_epoch = 0x2222,
		.session_id = 0x3333, .request_id = 7, .ack = 6,
	};

	return h;
}

/* Encode @h followed by @data_len bytes of filler. */
static size_t build(uint8_t *buf, const struct eow_hdr *h, size_t data_len)
{
	eow_put(buf, h);
	memset(buf + EOW_HDR_LEN, 'x', data_len);
	return EOW_HDR_LEN + data_len;
}

/*
 * The server still serves: a real AF_EORPC client in the attacker's
 * namespace makes a call and gets its echo.
 */
static int real_call_works(const struct sockaddr_eorpc *server)
{
	int fd = eo_socket(), err;
	ssize_t n;

	if (fd < 0)
		return -1;
	n = eo_call(fd, server, 42, 100, 10000, &err);
	close(fd);
	if (n != 100)
		fprintf(stderr, "# real call: %zd, errno %d\n", n, err);
	return n == 100 ? 0 : -1;
}

TEST_F_TIMEOUT(hostile, malformed_headers_are_dropped_and_counted, 120)
{
	static const struct { const char *stat; int count; } expect[] = {
		{ "RxDropShort", 3 }, { "RxDropVersion", 3 }, { "RxDropType", 3 },
		{ "RxDropField", 6 }, { "RxDropLen", 7 },
	};
	long long before[5], after;
	uint8_t buf[9000];
	struct eow_hdr h;
	size_t i;

	for (i = 0; i < 5; i++)
		before[i] = eo_stat_of(self->server_pid, expect[i].stat);
	memset(buf, 0, sizeof(buf));
	/* Truncated: shorter than a header. */
	h = good_request();
	eow_put(buf, &h);
	ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, 1));
	ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, 20));
	ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, EOW_HDR_LEN - 1));
	/* Bad version. */
	for (i = 0; i < 3; i++) {
		h = good_request();
		h.version = (uint8_t[]){ 0, 2, 255 }[i];
		ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, build(buf, &h, 8)));
	}
	/* Bad type. */
	for (i = 0; i < 3; i++) {
		h = good_request();
		h.type = (uint8_t[]){ 0, 11, 200 }[i];
		ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, build(buf, &h, 8)));
	}
	/* Bad fields, one each: reserved, reserved2, flags, code, CLOSE, epoch. */
	for (i = 0; i < 6; i++) {
		h = good_request();
		switch (i) {
		case 0: h.reserved = 1; break;
		case 1: h.reserved2 = 0x80000000; break;
		case 2: h.flags = 0x80; break;
		case 3: h.code = 1; break;
		case 4: h.flags = EOW_F_CLOSE; break;
		case 5: h.client_epoch = 0; break;
		}
		ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, build(buf, &h, 8)));
	}
	/* Bad lengths, and oversized datagrams. */
	for (i = 0; i < 7; i++) {
		size_t data = 8;

		h = good_request();
		switch (i) {
		case 0: data = 7; break;			/* short data */
		case 1: data = 9; break;			/* long data */
		case 2: h.msg_len = EOW_MAX_MSG + 1; break;	/* too big */
		case 3: h.frag = 1; break;			/* frag >= nfrags */
		case 4:	/* 2000 bytes in one fragment: oversized */
			h.msg_len = 2000;
			data = 2000;
			break;
		case 5:	/* a jumbo datagram claiming a whole 1 MiB message */
			h.msg_len = EOW_MAX_MSG;
			data = sizeof(buf) - EOW_HDR_LEN;
			break;
		case 6:	/* HELLO without its cookie (the old format) */
			memset(&h, 0, sizeof(h));
			h.version = EOW_VERSION;
			h.type = EOW_HELLO;
			h.client_epoch = 5;
			data = 0;
			break;
		}
		ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, build(buf, &h, data)));
	}
	for (i = 0; i < 5; i++) {
		after = eo_wait_stat(self->server_pid, expect[i].stat,
				  before[i] + expect[i].count);
		EXPECT_EQ(before[i] + expect[i].count, after)
			TH_LOG("%s: %lld -> %lld", expect[i].stat, before[i], after);
	}
	EXPECT_EQ(0, real_call_works(&self->server));
}

TEST_F_TIMEOUT(hostile, misdirected_packets_are_dropped_and_counted, 120)
{
	long long srv0 = eo_stat_of(self->server_pid, "RxDropNotForServer");
	long long cli0 = eo_stat_of(self->server_pid, "RxDropNotForClient");
	long long created0 = eo_stat_of(self->server_pid, "SessionsCreated");
	uint8_t buf[1500];
	struct eow_hdr h;
	int i;

	/* REPLY, BUSY, WELCOME, COOKIE arriving at a server. */
	for (i = 0; i < 4; i++) {
		size_t data = 0;

		h = good_request();
		switch (i) {
		case 0: h.type = EOW_REPLY; data = 8; break;
		case 1: h.type = EOW_BUSY; h.msg_len = 0; break;
		case 2:
			h.type = EOW_WELCOME;
			h.msg_len = 0;
			h.request_id = 0;
			h.ack = 0;
			data = EOW_WELCOME_LEN;
			break;
		case 3:
			h.type = EOW_COOKIE;
			h.msg_len = 0;
			h.session_id = 0;
			h.request_id = 0;
			h.ack = 0;
			data = EOW_COOKIE_LEN;
			break;
		}
		ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, build(buf, &h, data)));
	}
	/* REQUEST, HELLO, ACK arriving at a client. */
	h = good_request();
	ASSERT_EQ(0, eow_send_to(self->us, &self->cli_udp, buf, build(buf, &h, 8)));
	ASSERT_EQ(0, eow_send_to(self->us, &self->cli_udp, buf, eow_hello(buf, 99, NULL)));
	h.type = EOW_ACK;
	h.msg_len = 0;
	h.request_id = 0;
	ASSERT_EQ(0, eow_send_to(self->us, &self->cli_udp, buf, build(buf, &h, 0)));

	EXPECT_EQ(srv0 + 4, eo_wait_stat(self->server_pid, "RxDropNotForServer", srv0 + 4));
	EXPECT_EQ(cli0 + 3, eo_wait_stat(self->server_pid, "RxDropNotForClient", cli0 + 3));
	/* None of it made the server or the client commit a session. */
	EXPECT_EQ(created0, eo_stat_of(self->server_pid, "SessionsCreated"));
	EXPECT_EQ(0, real_call_works(&self->server));
}

/*
 * Unbound clients share their namespace's UDP socket, so at that port the
 * client epoch, not the port, names the socket. A stranger's epoch, a
 * datagram shorter than a header and another version are dropped and
 * counted there, and the client behind the port goes on calling.
 */
TEST_F_TIMEOUT(hostile, strays_at_a_shared_client_port_are_dropped_and_counted, 120)
{
	long long wrong0, short0, version0;
	struct sockaddr_in shared = self->srv_udp;
	int fd = eo_socket(), err;
	pid_t me = getpid();
	uint8_t buf[1500];
	struct eow_hdr h;

	ASSERT_LE(0, fd);
	ASSERT_EQ(100, eo_call(fd, &self->server, 1, 100, 10000, &err));
	inet_pton(AF_INET, "10.78.0.2", &shared.sin_addr);
	shared.sin_port = htons(eo_port(fd));
	ASSERT_NE(0, shared.sin_port);
	wrong0 = eo_stat_of(me, "RxDropWrongSession");
	short0 = eo_stat_of(me, "RxDropShort");
	version0 = eo_stat_of(me, "RxDropVersion");

	h = good_request();
	h.type = EOW_REPLY;
	ASSERT_EQ(0, eow_send_to(self->us, &shared, buf, build(buf, &h, 8)));
	ASSERT_EQ(0, eow_send_to(self->us, &shared, buf, 10));
	h.version = EOW_VERSION + 1;
	ASSERT_EQ(0, eow_send_to(self->us, &shared, buf, build(buf, &h, 8)));

	EXPECT_EQ(wrong0 + 1, eo_wait_stat(me, "RxDropWrongSession", wrong0 + 1));
	EXPECT_EQ(short0 + 1, eo_wait_stat(me, "RxDropShort", short0 + 1));
	EXPECT_EQ(version0 + 1, eo_wait_stat(me, "RxDropVersion", version0 + 1));
	EXPECT_EQ(100, eo_call(fd, &self->server, 2, 100, 10000, &err));
	close(fd);
}

TEST_F_TIMEOUT(hostile, cookie_exchange_commits_nothing_before_a_valid_cookie, 120)
{
	long long created0 = eo_stat_of(self->server_pid, "SessionsCreated");
	long long sent0 = eo_stat_of(self->server_pid, "CookiesSent");
	long long bad0 = eo_stat_of(self->server_pid, "CookiesInvalid");
	uint8_t buf[1500], forged[EOW_COOKIE_LEN];
	struct eow_hdr w;
	size_t cookie_len = 0;
	ssize_t n;

	/* A HELLO with no cookie: a COOKIE no larger than it, no session. */
	ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, eow_hello(buf, 0xabc, NULL)));
	n = recv(self->us, buf, sizeof(buf), 0);
	ASSERT_EQ(EOW_HDR_LEN + EOW_COOKIE_LEN, n);
	ASSERT_EQ(0, eow_get(buf, n, &w));
	EXPECT_EQ(EOW_COOKIE, w.type);
	EXPECT_EQ(0xabc, w.client_epoch);
	EXPECT_EQ(created0, eo_stat_of(self->server_pid, "SessionsCreated"));
	EXPECT_EQ(sent0 + 1, eo_stat_of(self->server_pid, "CookiesSent"));

	/* A forged cookie: counted invalid, answered with a fresh COOKIE. */
	memset(forged, 0x5a, sizeof(forged));
	ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, eow_hello(buf, 0xabc, forged)));
	EXPECT_EQ(bad0 + 1, eo_wait_stat(self->server_pid, "CookiesInvalid", bad0 + 1));
	n = recv(self->us, buf, sizeof(buf), 0);
	ASSERT_EQ(EOW_HDR_LEN + EOW_COOKIE_LEN, n);
	EXPECT_EQ(EOW_COOKIE, buf[1]);
	EXPECT_EQ(created0, eo_stat_of(self->server_pid, "SessionsCreated"));

	/* A valid cookie: WELCOME, exactly one session. */
	ASSERT_EQ(0, eow_handshake(self->us, &self->srv_udp, 0xdef, &w, &cookie_len));
	EXPECT_EQ(created0 + 1, eo_stat_of(self->server_pid, "SessionsCreated"));
	/* The cookie is bound to the epoch it was made for. */
	ASSERT_EQ(0, eow_handshake(self->us, &self->srv_udp, 0x123, &w, &cookie_len));
	EXPECT_EQ(created0 + 2, eo_stat_of(self->server_pid, "SessionsCreated"));
}

TEST_F_TIMEOUT(hostile, session_abuse_is_dropped_and_counted, 120)
{
	long long sess0 = eo_stat_of(self->server_pid, "RxDropWrongSession");
	long long addr0 = eo_stat_of(self->server_pid, "RxDropWrongAddress");
	long long ack0 = eo_stat_of(self->server_pid, "RxDropAck");
	struct sockaddr_in other = { .sin_family = AF_INET };
	struct eow_hdr w, h;
	uint8_t buf[1500];
	size_t cookie_len;
	int us2;
	ssize_t n;

	ASSERT_EQ(0, eow_handshake(self->us, &self->srv_udp, 0x77, &w, &cookie_len));

	/* Unknown session under the real server epoch: SESSION_UNKNOWN. */
	h = good_request();
	h.server_epoch = w.server_epoch;
	h.session_id = w.session_id ^ 0x5555;
	ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, build(buf, &h, 8)));
	n = recv(self->us, buf, sizeof(buf), 0);
	ASSERT_LE(EOW_HDR_LEN, n);
	ASSERT_EQ(0, eow_get(buf, n, &h));
	EXPECT_EQ(EOW_ERROR, h.type);
	EXPECT_EQ(2, h.code);	/* SESSION_UNKNOWN */
	/* A server epoch that is not this server's. */
	h = good_request();
	h.server_epoch = w.server_epoch + 1;
	h.session_id = w.session_id;
	ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, build(buf, &h, 8)));
	n = recv(self->us, buf, sizeof(buf), 0);
	ASSERT_EQ(0, eow_get(buf, n < 0 ? 0 : n, &h));
	EXPECT_EQ(EOW_ERROR, h.type);
	EXPECT_EQ(1, h.code);	/* SERVER_RESTARTED */
	EXPECT_EQ(sess0 + 2, eo_wait_stat(self->server_pid, "RxDropWrongSession", sess0 + 2));

	/* The real session named from another port: not its address. */
	us2 = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, us2);
	inet_pton(AF_INET, "10.78.0.2", &other.sin_addr);
	other.sin_port = htons(RAW_PORT + 1);
	ASSERT_EQ(0, bind(us2, (struct sockaddr *)&other, sizeof(other)));
	memset(&h, 0, sizeof(h));
	h.version = EOW_VERSION;
	h.type = EOW_ACK;
	h.client_epoch = 0x77;
	h.server_epoch = w.server_epoch;
	h.session_id = w.session_id;
	ASSERT_EQ(0, eow_send_to(us2, &self->srv_udp, buf, build(buf, &h, 0)));
	close(us2);
	EXPECT_EQ(addr0 + 1, eo_wait_stat(self->server_pid, "RxDropWrongAddress", addr0 + 1));

	/*
	 * Acks naming sessions this server never had: nothing was ever sent
	 * in them. (Within a live session an ack cannot be checked: a client
	 * may finish ids whose requests were all lost, so an honest ack can
	 * run any distance ahead of what the server saw; PROTOCOL.md.)
	 */
	h.session_id = w.session_id ^ 0xaaaa;
	h.ack = 1ULL << 40;
	ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, build(buf, &h, 0)));
	h.session_id = w.session_id ^ 0xbbbb;
	h.ack = 1000;
	ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, build(buf, &h, 0)));
	EXPECT_EQ(ack0 + 2, eo_wait_stat(self->server_pid, "RxDropAck", ack0 + 2));

	/* And the session still works for a request within the window. */
	h = good_request();
	h.client_epoch = 0x77;
	h.server_epoch = w.server_epoch;
	h.session_id = w.session_id;
	h.request_id = 1;
	h.ack = 0;
	ASSERT_EQ(0, eow_send_to(self->us, &self->srv_udp, buf, build(buf, &h, 8)));
	n = recv(self->us, buf, sizeof(buf), 0);
	ASSERT_EQ(0, eow_get(buf, n < 0 ? 0 : n, &h));
	EXPECT_EQ(EOW_REPLY, h.type) TH_LOG("type %d code %d", h.type, h.code);
	EXPECT_EQ(EOW_HDR_LEN + 8, n);
	EXPECT_EQ(1, h.request_id);
	EXPECT_EQ(0, real_call_works(&self->server));
}

/*
 * A valid packet of a random type about the real session (so it gets past
 * decoding into the session code), then with even odds one to three bit
 * flips: most bugs hide next to valid input.
 */
static size_t mutate(uint8_t *buf, size_t cap, uint64_t *seed,
		     const struct eow_hdr *real)
{
	static const size_t control_len[] = {
		[EOW_HELLO] = EOW_COOKIE_LEN, [EOW_WELCOME] = EOW_WELCOME_LEN,
		[EOW_COOKIE] = EOW_COOKIE_LEN,
	};
	struct eow_hdr h = *real;
	size_t len, data, i, flips;

	h.type = 1 + eo_rand(seed) % 8;
	h.flags = eo_rand(seed) % 2;
	if (h.type == EOW_REQUEST || h.type == EOW_REPLY || h.type == EOW_BUSY) {
		h.request_id = 1 + eo_rand(seed) % 80;
		h.ack = eo_rand(seed) % h.request_id;
	} else {
		h.request_id = 0;
		h.ack = h.type == EOW_ACK ? eo_rand(seed) % 80 : 0;
	}
	if (h.type == EOW_HELLO)
		h.server_epoch = h.session_id = 0;
	if (h.type == EOW_COOKIE)
		h.session_id = 0;
	if (h.type == EOW_REQUEST || h.type == EOW_REPLY) {
		/* One fragment of a message of up to three. */
		h.msg_len = 1 + eo_rand(seed) % (3 * EOW_FRAG_DATA);
		h.frag = eo_rand(seed) % ((h.msg_len + EOW_FRAG_DATA - 1) / EOW_FRAG_DATA);
		data = h.msg_len - h.frag * EOW_FRAG_DATA;
		if (data > EOW_FRAG_DATA)
			data = EOW_FRAG_DATA;
	} else {
		h.msg_len = 0;
		h.frag = 0;
		data = control_len[h.type % 9];
	}
	len = EOW_HDR_LEN + data;
	if (len > cap)
		len = cap;
	for (i = EOW_HDR_LEN; i < len; i++)
		buf[i] = eo_rand(seed);
	eow_put(buf, &h);
	for (flips = eo_rand(seed) % 2 ? 1 + eo_rand(seed) % 3 : 0; flips; flips--)
		buf[eo_rand(seed) % len] ^= 1 << (eo_rand(seed) % 8);
	return len;
}

TEST_F_TIMEOUT(hostile, random_datagrams_leave_the_server_serving, 120)
{
	const char *drops[] = { "RxDropShort", "RxDropVersion", "RxDropType",
				"RxDropField", "RxDropLen" };
	int total = eo_is_debug_kernel() ? 500 : 2000, i, d;
	long long before = 0, after = 0;
	uint64_t seed = (uint64_t)time(NULL) * 2654435761u ^ getpid();
	uint8_t buf[1600];
	struct eow_hdr w;
	size_t len, cookie_len;

	TH_LOG("seed %llu, %d datagrams", (unsigned long long)seed, total);
	seed |= 1;
	ASSERT_EQ(0, eow_handshake(self->us, &self->srv_udp, 0x99, &w, &cookie_len));
	for (d = 0; d < 5; d++)
		before += eo_stat_of(self->server_pid, drops[d]);
	for (i = 0; i < total; i++) {
		if (i % 3 == 0) {	/* pure noise */
			len = eo_rand(&seed) % sizeof(buf);
			for (size_t j = 0; j < len; j++)
				buf[j] = eo_rand(&seed);
		} else {
			len = mutate(buf, sizeof(buf), &seed, &w);
		}
		/* Both the server and the client socket take the abuse. */
		ASSERT_EQ(0, eow_send_to(self->us, i & 1 ? &self->cli_udp : &self->srv_udp,
				     buf, len));
		/* Let the work item keep up, so this tests validation, not backlog. */
		if (i % 64 == 63)
			usleep(5000);
	}
	/*
	 * The server socket handles datagrams in arrival order, so once this
	 * call is answered every earlier datagram to it has been judged.
	 */
	EXPECT_EQ(0, real_call_works(&self->server));
	EXPECT_EQ(0, kill(self->server_pid, 0));
	for (d = 0; d < 5; d++)
		after += eo_stat_of(self->server_pid, drops[d]);
	TH_LOG("header drops counted: %lld of %d datagrams", after - before, total);
	/*
	 * Noise is a third of the load and nearly all of it fails decoding;
	 * about half the rest is valid and must get past it.
	 */
	EXPECT_LT(total / 6, after - before);
	EXPECT_GT(total - total / 6, after - before);
}

TEST_HARNESS_MAIN
