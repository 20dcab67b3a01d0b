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

/* A reply a raw server sends whole in one burst without loss: 49 datagrams. */
enum { BURST_MSG = 65536 };

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
	static uint8_t rep[BURST_MSG];
	uint8_t buf[1500];
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
			ASSERT_LT(0, sendto(us, buf, eow_welcome_for(buf, &h), 0,
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
			      .msg_len = BURST_MSG };
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
		for (int f = 0; f < nfrags(BURST_MSG); f++)
			ASSERT_LT(0, sendto(us, buf, data_packet(buf, &r, f, i),
					    0, (struct sockaddr *)&from,
					    from_len));
	}
	for (int i = 0; i < 2; i++) {
		uint32_t slot;

		n = eo_recv(fd, rep, sizeof(rep), &rx, 0);
		ASSERT_EQ(BURST_MSG, n) TH_LOG("errno %d, error %d", errno,
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

/* getsockopt(EORPC_MAX_MSG) on a fresh socket of our namespace. */
static long max_msg_here(void)
{
	int fd = eo_socket();
	uint32_t v = 0;
	socklen_t len = sizeof(v);

	if (fd < 0 || getsockopt(fd, SOL_EORPC, EORPC_MAX_MSG, &v, &len))
		v = 0;
	if (fd >= 0)
		close(fd);
	return v;
}

/*
 * net.eorpc.max_msg_bytes of each side: the sender's refuses at sendmsg,
 * the server's ends the call with EMSGSIZE undelivered, the client's ends
 * it with EMSGSIZE after the server ran it. getsockopt tells the limit.
 */
TEST_F_TIMEOUT(limits, message_size_limit_of_each_namespace, 180)
{
	struct sockaddr_eorpc padded = eo_addr4("10.78.0.1", SRV_PORT + 1);
	struct eo_echo_counts *counts = eo_echo_counts_new();
	long long too_big0, errs0;
	pid_t padded_pid;
	int fd, err, one = 1;

	ASSERT_NE(NULL, counts);
	ASSERT_EQ(0, eo_ns_sysctl(self->srv_ns, "net.eorpc.max_msg_bytes", 100000));
	/* Below what every kernel takes, or above the protocol's: refused. */
	EXPECT_NE(0, eo_ns_sysctl(self->srv_ns, "net.eorpc.max_msg_bytes", 65535));
	EXPECT_NE(0, eo_ns_sysctl(self->srv_ns, "net.eorpc.max_msg_bytes", 1048577));
	self->server_pid = eo_echo_server(self->srv_ns, &self->server, counts, 0);
	ASSERT_GT(self->server_pid, 0);
	padded_pid = eo_echo_server(self->srv_ns, &padded, counts, 100000);
	ASSERT_GT(padded_pid, 0);
	ASSERT_EQ(0, eo_ns_enter(self->cli_ns));
	EXPECT_EQ(EORPC_MAX_MSG_LEN, max_msg_here());
	fd = eo_socket();
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, setsockopt(fd, SOL_EORPC, EORPC_MAX_MSG, &one, sizeof(one)));
	EXPECT_EQ(EPERM, errno);
	too_big0 = eo_stat_of(self->server_pid, "RxDropTooBig");

	/* The server's limit, exactly, passes; one byte more does not run. */
	EXPECT_EQ(100000, eo_call(fd, &self->server, 1, 100000, CALL_DEADLINE_MS, &err));
	EXPECT_EQ(-1, eo_call(fd, &self->server, 2, 100001, CALL_DEADLINE_MS, &err));
	EXPECT_EQ(EMSGSIZE, err);
	EXPECT_EQ(1, counts->delivered[1]);
	EXPECT_EQ(0, counts->delivered[2]);
	EXPECT_LT(too_big0, eo_stat_of(self->server_pid, "RxDropTooBig"));
	EXPECT_EQ(1, eo_stat_of(0, "CallErrMsgSize"));

	/* Our own limit lowered: sendmsg refuses, and a larger reply fails. */
	ASSERT_EQ(0, eo_ns_sysctl(self->cli_ns, "net.eorpc.max_msg_bytes", 65536));
	EXPECT_EQ(65536, max_msg_here());
	EXPECT_EQ(-1, eo_call(fd, &self->server, 3, 65537, CALL_DEADLINE_MS, &err));
	EXPECT_EQ(EMSGSIZE, err);
	EXPECT_EQ(0, counts->delivered[3]);
	errs0 = eo_stat_of(0, "CallErrMsgSize");
	EXPECT_EQ(-1, eo_call(fd, &padded, 4, 10, CALL_DEADLINE_MS, &err));
	EXPECT_EQ(EMSGSIZE, err);
	EXPECT_EQ(1, counts->delivered[4]);	/* it ran: only the reply is lost */
	EXPECT_EQ(errs0 + 1, eo_stat_of(0, "CallErrMsgSize"));
	EXPECT_LE(1, eo_stat_of(0, "RxDropTooBig"));
	/* The session goes on. */
	EXPECT_EQ(100, eo_call(fd, &self->server, 5, 100, CALL_DEADLINE_MS, &err));
	EXPECT_EQ(0, rmem_of(0, "client"));
	close(fd);
	eo_kill(padded_pid);
	munmap(counts, sizeof(*counts));
}

enum { MAX_RAW_SESSIONS = 8 };

/* Sessions from one UDP socket; returns how many handshakes completed. */
static int open_raw_sessions(int us, const struct sockaddr_in *srv, int n,
			     uint64_t epoch0, struct eow_hdr *welcome)
{
	size_t cookie_len;
	int done = 0;

	while (done < n && done < MAX_RAW_SESSIONS &&
	       !eow_handshake(us, srv, epoch0 + done, &welcome[done],
			      &cookie_len))
		done++;
	return done;
}

/* Each session starts a 1 MiB request: its first fragment, nothing more. */
static int start_1mib_partials(int us, const struct sockaddr_in *srv, int n,
			       const struct eow_hdr *welcome)
{
	uint8_t buf[1500];
	struct eow_hdr h;

	for (int i = 0; i < n; i++) {
		h = (struct eow_hdr){ .version = EOW_VERSION, .type = EOW_REQUEST,
				      .client_epoch = welcome[i].client_epoch,
				      .server_epoch = welcome[i].server_epoch,
				      .session_id = welcome[i].session_id,
				      .request_id = 1, .msg_len = EOW_MAX_MSG };
		if (eow_send_to(us, srv, buf, data_packet(buf, &h, 0, BAD_SLOT)))
			return -1;
	}
	return 0;
}

static int raw_client(const char *ns, struct __test_metadata *_metadata)
{
	struct sockaddr_in me = { .sin_family = AF_INET,
				  .sin_port = htons(RAW_PORT) };
	struct timeval tv = { .tv_sec = 3 };
	int us;

	if (eo_ns_enter(ns))
		return -1;
	us = socket(AF_INET, SOCK_DGRAM, 0);
	inet_pton(AF_INET, "10.78.0.2", &me.sin_addr);
	if (us < 0 || bind(us, (struct sockaddr *)&me, sizeof(me)) ||
	    setsockopt(us, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return -1;
	return us;
}

/* Honest clients: @calls calls each of 1000 and of BIG bytes complete. */
static void honest_calls_complete(struct __test_metadata *_metadata,
				  const struct sockaddr_eorpc *server,
				  int calls, int deadline_ms)
{
	int fd[2], err;
	ssize_t n;

	for (int c = 0; c < 2; c++) {
		fd[c] = eo_socket();
		ASSERT_LE(0, fd[c]);
	}
	for (int i = 0; i < calls; i++)
		for (int c = 0; c < 2; c++) {
			n = eo_call(fd[c], server, c * 100 + i, c ? BIG : 1000,
				    deadline_ms, &err);
			EXPECT_EQ(c ? BIG : 1000, n)
				TH_LOG("client %d call %d: errno %d", c, i, err);
		}
	for (int c = 0; c < 2; c++)
		close(fd[c]);
}

/*
 * A 1 MiB request is larger than the default receive buffer. Started and
 * never finished, it is charged, but it does not shut other clients out,
 * small or multi-fragment: partial messages are bounded per session, not
 * by the queue's room. It goes once its client is silent.
 */
TEST_F_TIMEOUT(limits, unfinished_1mib_request_does_not_starve_others, 180)
{
	struct eo_echo_counts *counts = eo_echo_counts_new();
	long long rcvbuf0, abandoned0, state0;
	struct eow_hdr welcome;
	uint64_t end;
	int us;

	ASSERT_NE(NULL, counts);
	self->server_pid = eo_echo_server(self->srv_ns, &self->server, counts, 0);
	ASSERT_GT(self->server_pid, 0);
	us = raw_client(self->cli_ns, _metadata);
	ASSERT_LE(0, us);
	ASSERT_EQ(1, open_raw_sessions(us, &self->srv_udp, 1, 0xbad, &welcome));
	rcvbuf0 = eo_stat_of(self->server_pid, "RxDropRcvbuf");
	abandoned0 = eo_stat_of(self->server_pid, "PartialsAbandoned");
	state0 = eo_stat_of(self->server_pid, "ServerStateBytes");
	ASSERT_EQ(0, start_1mib_partials(us, &self->srv_udp, 1, &welcome));
	end = eo_now_ms() + 5000;
	while (eo_now_ms() < end && rmem_of(self->server_pid, "server") < EOW_MAX_MSG)
		usleep(10000);
	ASSERT_LE(EOW_MAX_MSG, rmem_of(self->server_pid, "server"));

	honest_calls_complete(_metadata, &self->server, 10, CALL_DEADLINE_MS);
	EXPECT_EQ(rcvbuf0, eo_stat_of(self->server_pid, "RxDropRcvbuf"));

	end = eo_now_ms() + ABANDON_WAIT_MS;
	while (eo_now_ms() < end &&
	       (eo_stat_of(self->server_pid, "PartialsAbandoned") < abandoned0 + 1 ||
		rmem_of(self->server_pid, "server") ||
		eo_stat_of(self->server_pid, "ServerStateBytes") != state0))
		usleep(20000);
	EXPECT_EQ(abandoned0 + 1, eo_stat_of(self->server_pid, "PartialsAbandoned"));
	EXPECT_EQ(0, rmem_of(self->server_pid, "server"));
	EXPECT_EQ(state0, eo_stat_of(self->server_pid, "ServerStateBytes"));
	EXPECT_EQ(0, counts->delivered[BAD_SLOT]);
	close(us);
	munmap(counts, sizeof(*counts));
}

/*
 * Many sessions each starting a 1 MiB request: what they hold stays under
 * the namespace's state cap (the rest is told BUSY), and honest calls
 * complete in the room left.
 */
TEST_F_TIMEOUT(limits, unfinished_1mib_requests_stay_under_the_state_cap, 240)
{
	enum { CAP = 4 << 20, SESSIONS = MAX_RAW_SESSIONS };
	struct eo_echo_counts *counts = eo_echo_counts_new();
	struct eow_hdr welcome[SESSIONS];
	long long busy0, state;
	uint64_t end;
	int us;

	ASSERT_NE(NULL, counts);
	ASSERT_EQ(0, eo_ns_sysctl(self->srv_ns, "net.eorpc.max_history_bytes", CAP));
	self->server_pid = eo_echo_server(self->srv_ns, &self->server, counts, 0);
	ASSERT_GT(self->server_pid, 0);
	us = raw_client(self->cli_ns, _metadata);
	ASSERT_LE(0, us);
	busy0 = eo_stat_of(self->server_pid, "RequestsBusyMemory");
	ASSERT_EQ(SESSIONS, open_raw_sessions(us, &self->srv_udp, SESSIONS,
					      0xbad0, welcome));
	ASSERT_EQ(0, start_1mib_partials(us, &self->srv_udp, SESSIONS, welcome));
	/* Three or four fit under 4 MiB with their sessions; the rest: BUSY. */
	EXPECT_LE(busy0 + 4, eo_wait_stat(self->server_pid, "RequestsBusyMemory",
					  busy0 + 4));
	state = eo_stat_of(self->server_pid, "ServerStateBytes");
	EXPECT_GE(CAP, state);
	EXPECT_LE(3 * EOW_MAX_MSG, state);

	honest_calls_complete(_metadata, &self->server, 3, 30000);
	EXPECT_GE(CAP, eo_stat_of(self->server_pid, "ServerStateBytes"));
	EXPECT_EQ(0, counts->delivered[BAD_SLOT]);
	end = eo_now_ms() + ABANDON_WAIT_MS;
	while (eo_now_ms() < end && rmem_of(self->server_pid, "server"))
		usleep(20000);
	EXPECT_EQ(0, rmem_of(self->server_pid, "server"));
	close(us);
	munmap(counts, sizeof(*counts));
}

TEST_HARNESS_MAIN
