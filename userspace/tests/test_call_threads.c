// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Client side against the fake kernel, several threads at once: callers that
 * must not steal each other's completions, the single reader handing over,
 * and descriptor reuse.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fake.h"
#include "internal.h"
#include "tap.h"

static struct sockaddr_eorpc server;

static void setup(void)
{
	fake_install();
	eorpc_addr_parse(&server, "10.1.2.3:4000");
}
#define NTHR 8
#define NCALLS 200

struct worker {
	int fd;
	int id;
	int bad;
};

static void *worker(void *arg)
{
	struct worker *w = arg;
	char req[32], reply[32];
	int i;

	for (i = 0; i < NCALLS; i++) {
		ssize_t n;
		int len = snprintf(req, sizeof(req), "t%d-c%d", w->id, i);

		n = eorpc_call(w->fd, &server, req, (size_t)len, reply,
			       sizeof(reply), 1000);
		if (n != len || memcmp(req, reply, (size_t)len))
			w->bad++;
	}
	return NULL;
}

static void threads(void)
{
	pthread_t t[NTHR];
	struct worker w[NTHR];
	int i, bad = 0, fd;

	setup();
	fd = fake_fd();
	fake_set_mode(FAKE_ECHO_SHUFFLE);
	for (i = 0; i < NTHR; i++) {
		w[i].fd = fd;
		w[i].id = i;
		w[i].bad = 0;
		pthread_create(&t[i], NULL, worker, &w[i]);
	}
	for (i = 0; i < NTHR; i++) {
		pthread_join(t[i], NULL);
		bad += w[i].bad;
	}
	TAP_OK(bad == 0 && fake_nsent() == NTHR * NCALLS,
	       "threads: %d threads x %d calls on one fd, replies out of order: "
	       "each gets its own (%d wrong)", NTHR, NCALLS, bad);
	TAP_OK(eorpc__fd_stashed(fd) == 0 && fake_queued() == 0 &&
	       eorpc__fd_waiters(fd) == 0,
	       "threads: nothing left stashed, queued or waiting");
	eorpc_close(fd);
	fake_uninstall();
}

struct waitarg {
	int fd;
	uint64_t tag;
	ssize_t n;
	char reply[16];
};

static void *wait_thread(void *arg)
{
	struct waitarg *a = arg;

	a->n = eorpc_wait(a->fd, a->tag, a->reply, sizeof(a->reply), 0);
	return NULL;
}

struct rrarg {
	int fd;
	ssize_t n;
	uint64_t tag;
	int cerr;
	char buf[16];
};

static void *recv_reply_thread(void *arg)
{
	struct rrarg *a = arg;

	a->n = eorpc_recv_reply(a->fd, a->buf, sizeof(a->buf), &a->tag,
				&a->cerr, 0);
	return NULL;
}

struct callarg {
	int fd;
	ssize_t n;
	char reply[16];
};

static void *call_thread(void *arg)
{
	struct callarg *a = arg;

	a->n = eorpc_call(a->fd, &server, "q", 1, a->reply, sizeof(a->reply),
			  1000);
	return NULL;
}

static void spin_until(int (*done)(int), int arg)
{
	int i;

	for (i = 0; i < 5000 && !done(arg); i++)
		usleep(1000);
	usleep(10000);	/* and let the thread settle into its wait */
}

static int one_blocked(int unused)
{
	(void)unused;
	return fake_blocked() == 1;
}

static int one_waiter(int fd)
{
	return eorpc__fd_waiters(fd) == 1;
}

static int one_sent(int unused)
{
	(void)unused;
	return fake_nsent() == 1;
}

/*
 * An event loop blocked in eorpc_recv_reply() is the socket's reader when a
 * completion owned by a thread in eorpc_wait()/eorpc_call() arrives: it must
 * stash it for that thread and keep reading for its own.
 */
static void no_stealing(void)
{
	struct rrarg m = { 0 };
	struct waitarg a = { 0 };
	struct callarg c = { 0 };
	pthread_t tm, tw;
	uint64_t tag;
	int fd;

	setup();
	fd = fake_fd();
	m.fd = fd;
	pthread_create(&tm, NULL, recv_reply_thread, &m);
	spin_until(one_blocked, 0);
	a.fd = fd;
	a.tag = EORPC_TAG_LIBRARY | 555;
	pthread_create(&tw, NULL, wait_thread, &a);
	spin_until(one_waiter, fd);
	fake_push_reply(a.tag, "theirs", 6);
	fake_push_reply(9, "mine", 4);
	pthread_join(tm, NULL);
	pthread_join(tw, NULL);
	TAP_OK(m.n == 4 && m.tag == 9 && !memcmp(m.buf, "mine", 4),
	       "steal: event loop skips a completion eorpc_wait owns");
	TAP_OK(a.n == 6 && !memcmp(a.reply, "theirs", 6),
	       "steal: ...and the waiting thread gets it");

	/* The same with eorpc_call: its tag is claimed before sendmsg. */
	memset(&m, 0, sizeof(m));
	m.fd = fd;
	pthread_create(&tm, NULL, recv_reply_thread, &m);
	spin_until(one_blocked, 0);
	c.fd = fd;
	pthread_create(&tw, NULL, call_thread, &c);
	spin_until(one_sent, 0);
	tag = fake_sent(0)->tag;
	fake_push_reply(tag, "call's", 6);
	fake_push_reply(10, "loop's", 6);
	pthread_join(tm, NULL);
	pthread_join(tw, NULL);
	TAP_OK(m.n == 6 && m.tag == 10 && !memcmp(m.buf, "loop's", 6),
	       "steal: event loop skips a completion eorpc_call owns");
	TAP_OK(c.n == 6 && !memcmp(c.reply, "call's", 6),
	       "steal: ...and eorpc_call gets it");
	eorpc_close(fd);
	fake_uninstall();
}

/* A blocked reader hands over to waiters when it leaves. */
static void reader_handoff(void)
{
	struct waitarg a[3];
	pthread_t t[3];
	int fd, i, ok = 1;

	setup();
	fd = fake_fd();
	for (i = 0; i < 3; i++) {
		a[i].fd = fd;
		a[i].tag = 300 + i;
		a[i].n = -2;
		pthread_create(&t[i], NULL, wait_thread, &a[i]);
	}
	while (eorpc__fd_waiters(fd) < 3)
		usleep(1000);
	usleep(20000);	/* let one of them block in recvmsg */
	for (i = 2; i >= 0; i--) {
		char b[8];

		snprintf(b, sizeof(b), "r%d", i);
		fake_push_reply(300 + i, b, 3);
		usleep(5000);
	}
	for (i = 0; i < 3; i++) {
		char b[8];

		pthread_join(t[i], NULL);
		snprintf(b, sizeof(b), "r%d", i);
		ok &= a[i].n == 3 && !memcmp(a[i].reply, b, 3);
	}
	TAP_OK(ok, "handoff: 3 waiters, replies in reverse order, all delivered");
	eorpc_close(fd);
	fake_uninstall();
}

/* State follows the open file, not the descriptor number. */
static void fd_reuse(void)
{
	char buf[16];
	uint64_t tag;
	int cerr, fd, fd2;

	setup();
	fd = fake_fd();
	fake_push_reply(1, "old", 3);
	fake_push_reply(2, "old2", 4);
	eorpc_wait(fd, 2, buf, sizeof(buf), 0);
	TAP_OK(eorpc__fd_stashed(fd) == 1, "reuse: one stashed on the old socket");
	close(fd);	/* not eorpc_close */
	fd2 = fake_fd();
	TAP_OK(fd2 == fd, "reuse: descriptor number reused (%d)", fd2);
	CHECK_ERR(eorpc_recv_reply(fd2, buf, sizeof(buf), &tag, &cerr,
				   MSG_DONTWAIT), EAGAIN,
		  "reuse: the new socket does not see the old stash");
	TAP_OK(eorpc__fd_stashed(fd2) == 0, "reuse: old stash freed");

	fake_push_reply(1, "new", 3);
	fake_push_reply(2, "new2", 4);
	eorpc_wait(fd2, 2, buf, sizeof(buf), 0);
	TAP_OK(eorpc_close(fd2) == 0 && eorpc__fd_stashed(fd2) == 0,
	       "reuse: eorpc_close frees the stash and closes");
	TAP_OK(fcntl(fd2, F_GETFD) == -1 && errno == EBADF,
	       "reuse: eorpc_close closed the descriptor");

	/* dup()ed descriptors share one stash: it belongs to the socket. */
	{
		int a = fake_fd(), b;

		fake_push_reply(1, "one", 3);
		fake_push_reply(2, "two", 3);
		eorpc_wait(a, 2, buf, sizeof(buf), 0);	/* stashes 1 */
		b = dup(a);
		tag = 0;
		TAP_OK(eorpc_recv_reply(b, buf, sizeof(buf), &tag, &cerr,
					MSG_DONTWAIT) == 3 && tag == 1,
		       "reuse: a dup() sees the stash of its socket");
		fake_push_reply(3, "three", 5);
		fake_push_reply(4, "four", 4);
		eorpc_wait(b, 4, buf, sizeof(buf), 0);	/* stashes 3 */
		eorpc_close(b);
		tag = 0;
		TAP_OK(eorpc_recv_reply(a, buf, sizeof(buf), &tag, &cerr,
					MSG_DONTWAIT) == 5 && tag == 3,
		       "reuse: closing the dup keeps the socket's stash");
		eorpc_close(a);
	}
	fake_uninstall();
}

void suite_call_threads(void)
{
	threads();
	no_stealing();
	reader_handoff();
	fd_reuse();
}
