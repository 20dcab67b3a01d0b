// SPDX-License-Identifier: GPL-2.0
/*
 * Batch and asynchronous I/O on AF_EORPC sockets, both sides: recvmmsg and
 * sendmmsg, and io_uring's IORING_OP_SENDMSG/RECVMSG (liburing), each with
 * the family's control messages: USER_TAG on calls and completions,
 * CALL_ID on requests and replies, ERROR on failed calls. Each test runs in
 * a fresh network namespace with a server on 127.0.0.1.
 */
#include <sched.h>
#include <liburing.h>
#include "kselftest_harness.h"
#include "eorpc_util.h"
#include "eorpc_netns.h"

#define N 16		/* a batch; at most the default window of one session */
#define TAG0 1000

/* One message's buffers, for mmsghdr and io_uring alike. */
struct slot {
	char data[64];
	union {
		char buf[CMSG_SPACE(8) * 3 + CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct sockaddr_eorpc name;
	struct iovec iov;
};

FIXTURE(batch) {
	int srv, cli;
	struct sockaddr_eorpc addr;
	struct slot s[N];
	struct mmsghdr m[N];
};

FIXTURE_SETUP(batch)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, eo_lo_up());
	self->addr = eo_addr4("127.0.0.1", 0);
	self->srv = eo_server(&self->addr);
	ASSERT_GE(self->srv, 0);
	self->addr.seo_port = htons(eo_port(self->srv));
	self->cli = eo_socket();
	ASSERT_GE(self->cli, 0);
}

FIXTURE_TEARDOWN(batch)
{
	close(self->cli);
	close(self->srv);
}

/* Point m[i] at s[i]; a send with @len data bytes, or a receive if 0. */
static void slot_msg(struct slot *s, struct msghdr *h, size_t len,
		     const struct sockaddr_eorpc *to)
{
	s->iov = (struct iovec){ s->data, len ? len : sizeof(s->data) };
	memset(h, 0, sizeof(*h));
	h->msg_iov = &s->iov;
	h->msg_iovlen = 1;
	h->msg_control = s->ctl.buf;
	h->msg_controllen = sizeof(s->ctl.buf);
	if (to) {
		s->name = *to;
		h->msg_name = &s->name;
		h->msg_namelen = sizeof(s->name);
	} else if (!len) {
		h->msg_name = &s->name;
		h->msg_namelen = sizeof(s->name);
	}
	if (len)
		memset(s->ctl.buf, 0, sizeof(s->ctl.buf));
}

/* One u64 control message of @type, the whole control data of @h. */
static void put_u64(struct msghdr *h, int type, uint64_t v)
{
	struct cmsghdr *c;

	h->msg_controllen = CMSG_SPACE(8);
	c = CMSG_FIRSTHDR(h);
	c->cmsg_level = SOL_EORPC;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(8);
	memcpy(CMSG_DATA(c), &v, 8);
}

struct got {
	int tag, call_id, error;	/* present? */
	uint64_t tag_v, call_id_v;
	int error_v;
};

static struct got parse(struct msghdr *h)
{
	struct got g = { 0 };
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(h); c; c = CMSG_NXTHDR(h, c)) {
		if (c->cmsg_level != SOL_EORPC)
			continue;
		if (c->cmsg_type == EORPC_CMSG_USER_TAG) {
			g.tag = 1;
			memcpy(&g.tag_v, CMSG_DATA(c), 8);
		} else if (c->cmsg_type == EORPC_CMSG_CALL_ID) {
			g.call_id = 1;
			memcpy(&g.call_id_v, CMSG_DATA(c), 8);
		} else if (c->cmsg_type == EORPC_CMSG_ERROR) {
			g.error = 1;
			memcpy(&g.error_v, CMSG_DATA(c), sizeof(int));
		}
	}
	return g;
}

/* Client: @n calls "call-I" tagged TAG0 + I, to @to, ready for sendmmsg. */
static void prep_calls(struct slot *s, struct mmsghdr *m, int n,
		       const struct sockaddr_eorpc *to)
{
	int i;

	for (i = 0; i < n; i++) {
		size_t len = snprintf(s[i].data, sizeof(s[i].data), "call-%02d", i);

		slot_msg(&s[i], &m[i].msg_hdr, len, to);
		put_u64(&m[i].msg_hdr, EORPC_CMSG_USER_TAG, TAG0 + i);
	}
}

/*
 * sendmmsg() flags every message but the last with MSG_BATCH ("more are
 * coming"): the module must take it, or a batch of more than one fails.
 */
static int send_batch(int fd, struct mmsghdr *m, int n)
{
	return sendmmsg(fd, m, n, 0);
}

TEST_F(batch, mmsg_calls_requests_replies_completions)
{
	uint64_t call_id[N];
	int i, seen[N] = { 0 };

	/* Client: a batch of calls in one system call. */
	prep_calls(self->s, self->m, N, &self->addr);
	ASSERT_EQ(N, send_batch(self->cli, self->m, N));

	/*
	 * Server: a blocking recvmmsg without MSG_WAITFORONE returns only
	 * once it has all N requests, so one call takes the whole batch.
	 */
	for (i = 0; i < N; i++)
		slot_msg(&self->s[i], &self->m[i].msg_hdr, 0, NULL);
	ASSERT_EQ(N, recvmmsg(self->srv, self->m, N, 0, NULL));
	for (i = 0; i < N; i++) {
		struct got g = parse(&self->m[i].msg_hdr);
		unsigned int k;

		ASSERT_EQ(7, self->m[i].msg_len);
		ASSERT_TRUE(g.call_id);
		ASSERT_FALSE(g.tag);	/* the tag is the client's business */
		ASSERT_EQ(AF_INET, self->s[i].name.seo_transport);
		self->s[i].data[7] = 0;
		ASSERT_EQ(1, sscanf(self->s[i].data, "call-%02u", &k));
		ASSERT_LT(k, N);
		seen[k]++;
		call_id[k] = g.call_id_v;
	}
	for (i = 0; i < N; i++)
		EXPECT_EQ(1, seen[i]);	/* each request exactly once */
	/* Nothing more: a repeat would be a second delivery. */
	EXPECT_EQ(-1, recvmmsg(self->srv, self->m, N, MSG_DONTWAIT, NULL));
	EXPECT_EQ(EAGAIN, errno);

	/* Server: every reply in one sendmmsg, each naming its call. */
	for (i = 0; i < N; i++) {
		size_t len = snprintf(self->s[i].data, sizeof(self->s[i].data),
				      "reply-%02d", i);

		slot_msg(&self->s[i], &self->m[i].msg_hdr, len, NULL);
		put_u64(&self->m[i].msg_hdr, EORPC_CMSG_CALL_ID, call_id[i]);
	}
	ASSERT_EQ(N, send_batch(self->srv, self->m, N));

	/* Client: the completions, in one recvmmsg, matched by their tags. */
	for (i = 0; i < N; i++)
		slot_msg(&self->s[i], &self->m[i].msg_hdr, 0, NULL);
	ASSERT_EQ(N, recvmmsg(self->cli, self->m, N, 0, NULL));
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < N; i++) {
		struct got g = parse(&self->m[i].msg_hdr);
		char want[16];
		int k;

		ASSERT_TRUE(g.tag);
		ASSERT_FALSE(g.error);
		k = (int)(g.tag_v - TAG0);
		ASSERT_TRUE(k >= 0 && k < N);
		seen[k]++;
		snprintf(want, sizeof(want), "reply-%02d", k);
		ASSERT_EQ(8, self->m[i].msg_len);
		EXPECT_EQ(0, memcmp(self->s[i].data, want, 8));
		EXPECT_EQ(self->addr.seo_port, self->s[i].name.seo_port);
	}
	for (i = 0; i < N; i++)
		EXPECT_EQ(1, seen[i]);
	EXPECT_EQ(N, eo_stat("CallsCompleted"));
	EXPECT_EQ(N, eo_stat("RequestsDelivered"));
}

/*
 * sendmmsg stops at the first message that fails and returns how many
 * went: a reply naming no call does not hide the ones after it.
 */
TEST_F(batch, sendmmsg_stops_at_a_failing_reply)
{
	uint64_t ids[2];
	struct eo_rx rx;
	char buf[64];
	int i;

	prep_calls(self->s, self->m, 2, &self->addr);
	ASSERT_EQ(2, send_batch(self->cli, self->m, 2));
	for (i = 0; i < 2; i++)
		slot_msg(&self->s[i], &self->m[i].msg_hdr, 0, NULL);
	ASSERT_EQ(2, recvmmsg(self->srv, self->m, 2, 0, NULL));
	for (i = 0; i < 2; i++)
		ids[i] = parse(&self->m[i].msg_hdr).call_id_v;

	for (i = 0; i < 3; i++) {
		slot_msg(&self->s[i], &self->m[i].msg_hdr, 2, NULL);
		memcpy(self->s[i].data, "ok", 2);
	}
	put_u64(&self->m[0].msg_hdr, EORPC_CMSG_CALL_ID, ids[0]);
	put_u64(&self->m[1].msg_hdr, EORPC_CMSG_CALL_ID, ids[0] + 12345);
	put_u64(&self->m[2].msg_hdr, EORPC_CMSG_CALL_ID, ids[1]);
	ASSERT_EQ(1, sendmmsg(self->srv, self->m, 3, 0));
	/* The failing one again, first: now its error shows. */
	EXPECT_EQ(-1, sendmmsg(self->srv, self->m + 1, 2, 0));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(1, sendmmsg(self->srv, self->m + 2, 1, 0));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(2, eo_recv(self->cli, buf, sizeof(buf), &rx, 0));
		EXPECT_EQ(0, rx.error);
	}
}

/* One batch to two servers, one of them absent: each call ends its way. */
TEST_F(batch, mmsg_mixed_outcomes_in_one_batch)
{
	struct sockaddr_eorpc nobody = eo_addr4("127.0.0.1", 9);	/* discard: closed */
	int i, ok = 0, refused = 0;

	char buf[64];
	struct eo_rx rx;

	prep_calls(self->s, self->m, 2, &self->addr);
	self->s[1].name = nobody;	/* each message its own msg_name */
	ASSERT_EQ(2, send_batch(self->cli, self->m, 2));
	ASSERT_EQ(7, eo_recv(self->srv, buf, sizeof(buf), &rx, 0));
	ASSERT_EQ(0, memcmp(buf, "call-00", 7));
	ASSERT_EQ(2, eo_reply(self->srv, rx.call_id, "ok", 2));
	for (i = 0; i < 2; i++)
		slot_msg(&self->s[i], &self->m[i].msg_hdr, 0, NULL);
	/* Blocks for both completions. */
	ASSERT_EQ(2, recvmmsg(self->cli, self->m, 2, 0, NULL));
	for (i = 0; i < 2; i++) {
		struct got g = parse(&self->m[i].msg_hdr);

		ASSERT_TRUE(g.tag);
		if (g.error) {
			EXPECT_EQ(ECONNREFUSED, g.error_v);
			EXPECT_EQ(TAG0 + 1, g.tag_v);
			EXPECT_EQ(0, self->m[i].msg_len);
			refused++;
		} else {
			EXPECT_EQ(TAG0, g.tag_v);
			EXPECT_EQ(2, self->m[i].msg_len);
			ok++;
		}
	}
	EXPECT_EQ(1, ok);
	EXPECT_EQ(1, refused);
}

/* io_uring, if this kernel lets us have it. */
static int ring_init(struct __test_metadata *_metadata, struct io_uring *r)
{
	int err = io_uring_queue_init(2 * N, r, 0);

	if (err)
		TH_LOG("io_uring_queue_init: %s", strerror(-err));
	return err;
}

/* Wait for @n completions; cqe_res[user_data] = res. */
static int reap(struct io_uring *r, int n, int *res)
{
	struct io_uring_cqe *cqe;
	int i, err;

	for (i = 0; i < n; i++) {
		err = io_uring_wait_cqe(r, &cqe);
		if (err)
			return err;
		res[cqe->user_data] = cqe->res;
		io_uring_cqe_seen(r, cqe);
	}
	return 0;
}

TEST_F(batch, io_uring_sendmsg_recvmsg_both_sides)
{
	struct slot cs[N];
	struct msghdr sh[N], ch[N];
	struct io_uring srv_ring, cli_ring;
	uint64_t call_id[N];
	int i, res[N], seen[N] = { 0 };

	if (ring_init(_metadata, &srv_ring))
		SKIP(return, "io_uring is not available in this kernel");
	ASSERT_EQ(0, ring_init(_metadata, &cli_ring));

	/*
	 * Server receives first, with nothing queued yet: each RECVMSG must
	 * wait (io_uring arms a poll on the socket) and complete later.
	 */
	for (i = 0; i < N; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&srv_ring);

		ASSERT_NE(NULL, sqe);
		slot_msg(&self->s[i], &sh[i], 0, NULL);
		io_uring_prep_recvmsg(sqe, self->srv, &sh[i], 0);
		sqe->user_data = i;
	}
	ASSERT_EQ(N, io_uring_submit(&srv_ring));

	/* Client: N SENDMSG with their tags. */
	for (i = 0; i < N; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&cli_ring);
		size_t len = snprintf(cs[i].data, sizeof(cs[i].data), "call-%02d", i);

		slot_msg(&cs[i], &ch[i], len, &self->addr);
		put_u64(&ch[i], EORPC_CMSG_USER_TAG, TAG0 + i);
		io_uring_prep_sendmsg(sqe, self->cli, &ch[i], 0);
		sqe->user_data = i;
	}
	ASSERT_EQ(N, io_uring_submit(&cli_ring));
	ASSERT_EQ(0, reap(&cli_ring, N, res));
	for (i = 0; i < N; i++)
		ASSERT_EQ(7, res[i]);

	/* The server's receives complete, each with its call id. */
	ASSERT_EQ(0, reap(&srv_ring, N, res));
	for (i = 0; i < N; i++) {
		struct got g;
		unsigned int k;

		ASSERT_EQ(7, res[i]);
		g = parse(&sh[i]);
		ASSERT_TRUE(g.call_id);
		self->s[i].data[7] = 0;
		ASSERT_EQ(1, sscanf(self->s[i].data, "call-%02u", &k));
		ASSERT_LT(k, N);
		seen[k]++;
		call_id[k] = g.call_id_v;
	}
	for (i = 0; i < N; i++)
		EXPECT_EQ(1, seen[i]);

	/* Client receives posted before the replies exist, then the replies. */
	for (i = 0; i < N; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&cli_ring);

		slot_msg(&cs[i], &ch[i], 0, NULL);
		io_uring_prep_recvmsg(sqe, self->cli, &ch[i], 0);
		sqe->user_data = i;
	}
	ASSERT_EQ(N, io_uring_submit(&cli_ring));
	for (i = 0; i < N; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&srv_ring);
		size_t len = snprintf(self->s[i].data, sizeof(self->s[i].data),
				      "reply-%02d", i);

		slot_msg(&self->s[i], &sh[i], len, NULL);
		put_u64(&sh[i], EORPC_CMSG_CALL_ID, call_id[i]);
		io_uring_prep_sendmsg(sqe, self->srv, &sh[i], 0);
		sqe->user_data = i;
	}
	ASSERT_EQ(N, io_uring_submit(&srv_ring));
	ASSERT_EQ(0, reap(&srv_ring, N, res));
	for (i = 0; i < N; i++)
		ASSERT_EQ(8, res[i]);

	ASSERT_EQ(0, reap(&cli_ring, N, res));
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < N; i++) {
		struct got g = parse(&ch[i]);
		char want[16];
		int k;

		ASSERT_EQ(8, res[i]);
		ASSERT_TRUE(g.tag);
		ASSERT_FALSE(g.error);
		k = (int)(g.tag_v - TAG0);
		ASSERT_TRUE(k >= 0 && k < N);
		seen[k]++;
		snprintf(want, sizeof(want), "reply-%02d", k);
		EXPECT_EQ(0, memcmp(cs[i].data, want, 8));
	}
	for (i = 0; i < N; i++)
		EXPECT_EQ(1, seen[i]);
	EXPECT_EQ(N, eo_stat("RequestsDelivered"));
	io_uring_queue_exit(&cli_ring);
	io_uring_queue_exit(&srv_ring);
}

/* A failed call's completion, and a server error, through io_uring. */
TEST_F(batch, io_uring_errors)
{
	struct sockaddr_eorpc nobody = eo_addr4("127.0.0.1", 9);
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct msghdr h[2];
	struct slot s[2];
	int res[2];
	struct got g;

	if (ring_init(_metadata, &ring))
		SKIP(return, "io_uring is not available in this kernel");
	/* A call nobody answers (ICMP port unreachable): ECONNREFUSED. */
	slot_msg(&s[0], &h[0], 1, &nobody);
	put_u64(&h[0], EORPC_CMSG_USER_TAG, 77);
	slot_msg(&s[1], &h[1], 0, NULL);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_sendmsg(sqe, self->cli, &h[0], 0);
	sqe->user_data = 0;
	/* Linked: the receive is issued after the send completed. */
	sqe->flags |= IOSQE_IO_LINK;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_recvmsg(sqe, self->cli, &h[1], 0);
	sqe->user_data = 1;
	ASSERT_EQ(2, io_uring_submit(&ring));
	ASSERT_EQ(0, reap(&ring, 2, res));
	EXPECT_EQ(1, res[0]);
	EXPECT_EQ(0, res[1]);
	g = parse(&h[1]);
	EXPECT_TRUE(g.tag && g.tag_v == 77);
	EXPECT_TRUE(g.error && g.error_v == ECONNREFUSED);

	/* The server's errors come back as the completion's result. */
	slot_msg(&s[0], &h[0], 2, NULL);
	put_u64(&h[0], EORPC_CMSG_CALL_ID, 424242);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_sendmsg(sqe, self->srv, &h[0], 0);
	sqe->user_data = 0;
	ASSERT_EQ(1, io_uring_submit(&ring));
	ASSERT_EQ(0, reap(&ring, 1, res));
	EXPECT_EQ(-ENOENT, res[0]);
	io_uring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
