// SPDX-License-Identifier: GPL-2.0
/*
 * Receive-buffer limits: a message larger than the receiver's SO_RCVBUF
 * still completes (a socket always takes one message), and one peer that
 * starts large messages and never finishes them cannot starve the others
 * (a per-session bound on partial messages, which are abandoned after two
 * retransmission caps of silence). Both directions: requests at a server,
 * replies at a client.
 *
 *   [ns eolc-PID] test: AF_EORPC clients, UDP sockets --- veth --- [ns eols-PID]
 *          10.78.0.2                                                10.78.0.1
 *                                                  echo server or UDP server :4242
 */
#include <netinet/in.h>
#include <sys/time.h>
#include "kselftest_harness.h"
#include "eorpc_raw.h"

enum { SRV_PORT = 4242, RAW_PORT = 5000, BIG = 20000, BAD_SLOT = 4000 };

/* What an honest peer waits at most: the default deadline's order. */
enum { CALL_DEADLINE_MS = 8000 };

/*
 * How long the abandonment horizon can take to pass: 2 x rto_max (2 s by
 * default), checked at least once per rto_max, plus TCG's slowness.
 */
enum { ABANDON_WAIT_MS = 20000 };

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

/* A data packet: @h's header and fragment @frag of a message of 'p' bytes. */
static size_t data_packet(uint8_t *buf, struct eow_hdr *h, uint16_t frag,
			  uint32_t slot)
{
	size_t off = (size_t)frag * EOW_FRAG_DATA;
	size_t len = h->msg_len - off;

	if (len > EOW_FRAG_DATA)
		len = EOW_FRAG_DATA;
	h->frag = frag;
	eow_put(buf, h);
	memset(buf + EOW_HDR_LEN, 'p', len);
	if (!frag)
		memcpy(buf + EOW_HDR_LEN, &slot, sizeof(slot));
	return EOW_HDR_LEN + len;
}

static int nfrags(uint32_t len)
{
	return len ? (len + EOW_FRAG_DATA - 1) / EOW_FRAG_DATA : 1;
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

/*
 * The attack: a client that completed its handshake starts four
 * large requests (3 x 64 KiB + 16 KiB: the whole default receive buffer)
 * and never sends the rest. Other clients keep being served; the partial
 * requests are dropped once the attacker is silent, memory returns to its
 * baseline, and a dropped request's id can be sent again and runs once.
 */
TEST_F_TIMEOUT(limits, partial_requests_of_one_client_do_not_starve_others,
	       180)
{
	static const uint32_t lens[] = { 65536, 65536, 65536, 16384 };
	struct sockaddr_in me = { .sin_family = AF_INET,
				  .sin_port = htons(RAW_PORT) };
	struct timeval tv = { .tv_sec = 3 };
	struct eo_echo_counts *counts = eo_echo_counts_new();
	long long partial0, abandoned0, state0, v;
	uint8_t buf[1500];
	struct eow_hdr w, h;
	int us, good[4], err, got_reply = 0;
	size_t cookie_len;
	uint64_t end;
	ssize_t n;

	ASSERT_NE(NULL, counts);
	self->server_pid = eo_echo_server(self->srv_ns, &self->server, counts, 0);
	ASSERT_GT(self->server_pid, 0);
	ASSERT_EQ(0, eo_ns_enter(self->cli_ns));
	us = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, us);
	inet_pton(AF_INET, "10.78.0.2", &me.sin_addr);
	ASSERT_EQ(0, bind(us, (struct sockaddr *)&me, sizeof(me)));
	ASSERT_EQ(0, setsockopt(us, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	ASSERT_EQ(0, eow_handshake(us, &self->srv_udp, 0xbad, &w, &cookie_len));
	partial0 = eo_stat_of(self->server_pid, "RxDropSessionPartial");
	abandoned0 = eo_stat_of(self->server_pid, "PartialsAbandoned");
	state0 = eo_stat_of(self->server_pid, "ServerStateBytes");
	ASSERT_LE(0, partial0);

	h = (struct eow_hdr){ .version = EOW_VERSION, .type = EOW_REQUEST,
			      .client_epoch = 0xbad,
			      .server_epoch = w.server_epoch,
			      .session_id = w.session_id };
	for (int i = 0; i < 4; i++) {
		h.request_id = i + 1;
		h.msg_len = lens[i];
		ASSERT_EQ(0, eow_send_to(us, &self->srv_udp, buf,
					 data_packet(buf, &h, 0, BAD_SLOT)));
	}
	/* Half the buffer per session: the second and third do not start. */
	EXPECT_LE(partial0 + 2, eo_wait_stat(self->server_pid,
					  "RxDropSessionPartial", partial0 + 2));

	/* Four honest clients, 20 calls each, all complete. */
	for (int c = 0; c < 4; c++) {
		good[c] = eo_socket();
		ASSERT_LE(0, good[c]);
	}
	for (int i = 0; i < 20; i++)
		for (int c = 0; c < 4; c++) {
			n = eo_call(good[c], &self->server, c * 20 + i, 1000,
				    CALL_DEADLINE_MS, &err);
			ASSERT_EQ(1000, n) TH_LOG("client %d call %d: errno %d",
						  c, i, err);
		}
	for (int c = 0; c < 4; c++)
		close(good[c]);

	/* Quiet: the partial requests go, and with them what they held. */
	end = eo_now_ms() + ABANDON_WAIT_MS;
	while (eo_now_ms() < end &&
	       (eo_stat_of(self->server_pid, "PartialsAbandoned") < abandoned0 + 2 ||
		rmem_of(self->server_pid, "server") ||
		eo_stat_of(self->server_pid, "ServerStateBytes") != state0))
		usleep(20000);
	EXPECT_EQ(abandoned0 + 2, eo_stat_of(self->server_pid, "PartialsAbandoned"));
	EXPECT_EQ(0, rmem_of(self->server_pid, "server"));
	EXPECT_EQ(state0, eo_stat_of(self->server_pid, "ServerStateBytes"));
	EXPECT_EQ(0, counts->delivered[BAD_SLOT]);

	/* Request 1 was never delivered: sent whole now, it runs once. */
	h.request_id = 1;
	h.msg_len = lens[0];
	for (int f = 0; f < nfrags(lens[0]); f++)
		ASSERT_EQ(0, eow_send_to(us, &self->srv_udp, buf,
					 data_packet(buf, &h, f, BAD_SLOT)));
	while (!got_reply && (n = recv(us, buf, sizeof(buf), 0)) > 0)
		got_reply = !eow_get(buf, n, &w) && w.type == EOW_REPLY &&
			    w.request_id == 1;
	EXPECT_TRUE(got_reply);
	v = counts->delivered[BAD_SLOT];
	EXPECT_EQ(1, v);
	close(us);
	munmap(counts, sizeof(*counts));
}

/* WELCOME for @hello: window 32, timeout 120 s. */
static size_t welcome_for(uint8_t *buf, const struct eow_hdr *hello)
{
	struct eow_hdr h = { .version = EOW_VERSION, .type = EOW_WELCOME,
			     .client_epoch = hello->client_epoch,
			     .server_epoch = 0x5e5e, .session_id = 0x1d1d };
	uint32_t body[2] = { htobe32(32), htobe32(120000) };

	eow_put(buf, &h);
	memcpy(buf + EOW_HDR_LEN, body, sizeof(body));
	return EOW_HDR_LEN + EOW_WELCOME_LEN;
}

/*
 * The same at a client: a server (plain UDP here) that starts two 64 KiB
 * replies and stops. The second does not start (half the buffer per
 * session), the first is abandoned, and both calls complete once the
 * replies come whole.
 */
TEST_F_TIMEOUT(limits, partial_replies_are_bounded_and_abandoned, 180)
{
	struct timeval tv = { .tv_sec = 3 };
	struct sockaddr_in from;
	socklen_t from_len;
	long long partial0, abandoned0;
	uint8_t buf[1500], rep[EOW_MAX_MSG];
	uint64_t ids[2] = { 0, 0 }, end;
	struct eow_hdr h, r;
	struct eo_rx rx;
	int us, fd, seen = 0;
	ssize_t n;

	ASSERT_EQ(0, eo_ns_enter(self->srv_ns));
	us = socket(AF_INET, SOCK_DGRAM, 0);
	ASSERT_LE(0, us);
	ASSERT_EQ(0, bind(us, (struct sockaddr *)&self->srv_udp,
			  sizeof(self->srv_udp)));
	ASSERT_EQ(0, setsockopt(us, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	ASSERT_EQ(0, eo_ns_enter(self->cli_ns));
	partial0 = eo_stat_of(0, "RxDropSessionPartial");
	abandoned0 = eo_stat_of(0, "PartialsAbandoned");
	fd = eo_socket();
	ASSERT_LE(0, fd);
	for (int i = 0; i < 2; i++)
		ASSERT_EQ(100, eo_send(fd, &self->server, buf, 100, i + 1,
				       30000, 0));

	/* Serve the handshake; note the two requests' ids. */
	while (seen < 2) {
		from_len = sizeof(from);
		n = recvfrom(us, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &from_len);
		ASSERT_LT(0, n);
		ASSERT_EQ(0, eow_get(buf, n, &h));
		if (h.type == EOW_HELLO) {
			ASSERT_LT(0, sendto(us, buf, welcome_for(buf, &h), 0,
					    (struct sockaddr *)&from, from_len));
		} else if (h.type == EOW_REQUEST && !(h.flags & EOW_F_RETRANS) &&
			   h.request_id <= 2) {
			ids[seen++] = h.request_id;
		}
	}
	ASSERT_NE(ids[0], ids[1]);

	/* The first fragment of each reply, nothing more. */
	r = (struct eow_hdr){ .version = EOW_VERSION, .type = EOW_REPLY,
			      .client_epoch = h.client_epoch,
			      .server_epoch = 0x5e5e, .session_id = 0x1d1d,
			      .msg_len = EOW_MAX_MSG };
	for (int i = 0; i < 2; i++) {
		r.request_id = ids[i];
		ASSERT_LT(0, sendto(us, buf, data_packet(buf, &r, 0, i), 0,
				    (struct sockaddr *)&from, from_len));
	}
	EXPECT_LE(partial0 + 1, eo_wait_stat(0, "RxDropSessionPartial",
					  partial0 + 1));
	end = eo_now_ms() + ABANDON_WAIT_MS;
	while (eo_now_ms() < end &&
	       (eo_stat_of(0, "PartialsAbandoned") < abandoned0 + 1 ||
		rmem_of(0, "client")))
		usleep(20000);
	EXPECT_EQ(abandoned0 + 1, eo_stat_of(0, "PartialsAbandoned"));
	EXPECT_EQ(0, rmem_of(0, "client"));

	/* Now whole: both calls complete, with the replies sent. */
	for (int i = 0; i < 2; i++) {
		r.request_id = ids[i];
		for (int f = 0; f < nfrags(EOW_MAX_MSG); f++)
			ASSERT_LT(0, sendto(us, buf, data_packet(buf, &r, f, i),
					    0, (struct sockaddr *)&from,
					    from_len));
	}
	for (int i = 0; i < 2; i++) {
		uint32_t slot;

		n = eo_recv(fd, rep, sizeof(rep), &rx, 0);
		ASSERT_EQ(EOW_MAX_MSG, n) TH_LOG("errno %d, error %d", errno,
						 rx.error);
		memcpy(&slot, rep, sizeof(slot));
		/* Ids follow send order, so the tag names the request id. */
		ASSERT_GT(2, slot);
		EXPECT_EQ(ids[slot], rx.tag);
	}
	EXPECT_EQ(0, rmem_of(0, "client"));
	close(fd);
	close(us);
}

TEST_HARNESS_MAIN
