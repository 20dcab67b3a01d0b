// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Client side against the fake kernel: eorpc_call/_tagged/wait, eorpc_send,
 * eorpc_recv_reply, the stash, cancellation, and bad completions.
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

static void basic_call(void)
{
	char reply[64];
	const struct fake_sent *s;
	uint64_t tag = 0;
	ssize_t n;
	int fd;

	setup();
	fd = fake_fd();
	fake_set_mode(FAKE_ECHO);
	n = eorpc_call_tagged(fd, &server, "hello", 5, reply, sizeof(reply),
			      1500, &tag);
	TAP_OK(n == 5 && !memcmp(reply, "hello", 5),
	       "call: echo reply returned with its length");
	s = fake_sent(0);
	TAP_OK(fake_nsent() == 1 && s && s->fd == fd && s->len == 5 &&
	       !memcmp(s->data, "hello", 5),
	       "call: one sendmsg with the request payload");
	TAP_OK(s && s->has_name && s->namelen == sizeof(struct sockaddr_eorpc) &&
	       !memcmp(&s->name, &server, sizeof(server)),
	       "call: msg_name is the server address");
	TAP_OK(s && s->has_tag && s->has_deadline && s->deadline_ms == 1500 &&
	       !s->has_call_id && !s->bad_cmsg && s->n_cmsg == 2,
	       "call: cmsgs are USER_TAG + DEADLINE_MS=timeout");
	TAP_OK(s && s->tag == tag && (tag & EORPC_TAG_LIBRARY),
	       "call: the tag reported is the one sent, library bit set");
	TAP_OK(s && s->flags == 0, "call: blocking sendmsg (flags 0)");

	n = eorpc_call(fd, &server, "x", 1, reply, sizeof(reply), 0);
	s = fake_sent(1);
	TAP_OK(n == 1 && s && s->has_deadline && s->deadline_ms == 0,
	       "call: timeout 0 sends DEADLINE_MS 0 (no deadline)");
	TAP_OK(s && s->tag != tag, "call: each call gets a fresh tag");
	n = eorpc_call(fd, &server, "x", 1, reply, sizeof(reply), -1);
	s = fake_sent(2);
	TAP_OK(n == 1 && s && !s->has_deadline && s->has_tag,
	       "call: negative timeout sends no deadline (socket default)");
	n = eorpc_call(fd, NULL, "y", 1, reply, sizeof(reply), 10);
	s = fake_sent(3);
	TAP_OK(n == 1 && s && !s->has_name,
	       "call: NULL server -> no msg_name (connected socket)");
	n = eorpc_call(fd, &server, NULL, 0, reply, sizeof(reply), 10);
	TAP_OK(n == 0, "call: empty request and empty reply");
	n = eorpc_call(fd, &server, "z", 1, NULL, 0, 10);
	TAP_OK(n == -1 && errno == EMSGSIZE,
	       "call: a 1-byte reply into no buffer -> EMSGSIZE");

	/* seo_family is rewritten to the family in use. */
	{
		char *path = tmpfile_with("41\n");
		struct sockaddr_eorpc old = server;

		use_family_file(path);
		old.seo_family = EORPC_FAMILY_DEFAULT;
		eorpc_call(fd, &old, "a", 1, reply, sizeof(reply), 10);
		s = fake_sent(fake_nsent() - 1);
		TAP_OK(s && s->name.seo_family == 41 &&
		       !memcmp((char *)&s->name + 2, (char *)&old + 2,
			       sizeof(old) - 2),
		       "call: stale seo_family replaced, rest unchanged");
		use_family_file("/nonexistent/eorpc-family");
		unlink(path);
		free(path);
	}
	TAP_OK(eorpc__fd_stashed(fd) == 0 && eorpc__fd_waiters(fd) == 0,
	       "call: nothing stashed, no waiter left");
	eorpc_close(fd);
	fake_uninstall();
}

static void call_errors(void)
{
	static const int errs[] = { ETIMEDOUT, ECANCELED, ECONNRESET, ESTALE,
				    ESHUTDOWN, ECONNREFUSED, ECONNABORTED };
	static char big[EORPC_MAX_MSG_LEN + 1];
	char reply[16];
	uint64_t tag;
	size_t i;
	int fd;

	setup();
	fd = fake_fd();
	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		/* Application-chosen tags: send, then the fake fails it. */
		tag = 100 + i;
		TAP_OK(eorpc_send(fd, &server, "q", 1, tag, 10, 0) == 0,
		       "errors: eorpc_send tag %llu", (unsigned long long)tag);
		fake_push_error(tag, errs[i]);
		CHECK_ERR(eorpc_wait(fd, tag, reply, sizeof(reply), 0), errs[i],
			  "errors: eorpc_wait gives the call's error %d (%s)",
			  errs[i], strerror(errs[i]));
	}

	/* Oversized request: refused before sendmsg. */
	i = (size_t)fake_nsent();
	CHECK_ERR(eorpc_call(fd, &server, big, sizeof(big), reply, sizeof(reply), 1),
		  EMSGSIZE, "errors: request > EORPC_MAX_MSG_LEN -> EMSGSIZE");
	TAP_OK((size_t)fake_nsent() == i, "errors: ...without calling sendmsg");
	CHECK_ERR(eorpc_send(fd, &server, big, sizeof(big), 1, 1, 0), EMSGSIZE,
		  "errors: eorpc_send > EORPC_MAX_MSG_LEN -> EMSGSIZE");
	TAP_OK(eorpc_send(fd, &server, big, EORPC_MAX_MSG_LEN, 1, 1, 0) == 0,
	       "errors: exactly EORPC_MAX_MSG_LEN is sent");
	CHECK_ERR(eorpc_call(fd, &server, NULL, 3, reply, sizeof(reply), 1),
		  EINVAL, "errors: NULL request with a length -> EINVAL");
	CHECK_ERR(eorpc_call(fd, &server, "a", 1, NULL, 3, 1), EINVAL,
		  "errors: NULL reply with a capacity -> EINVAL");

	/* sendmsg fails: the call never started, tag reported 0. */
	fake_fail_send(EAGAIN);
	tag = 99;
	CHECK_ERR(eorpc_call_tagged(fd, &server, "a", 1, reply, sizeof(reply),
				    1, &tag), EAGAIN,
		  "errors: sendmsg EAGAIN passed on");
	TAP_OK(tag == 0, "errors: ...and *tag = 0 (call not started)");
	TAP_OK(eorpc__fd_waiters(fd) == 0, "errors: ...no waiter left behind");

	/* Bad descriptors. */
	CHECK_ERR(eorpc_call(-1, &server, "a", 1, reply, sizeof(reply), 1), EBADF,
		  "errors: fd -1 -> EBADF");
	CHECK_ERR(eorpc_recv_reply(1000000, reply, sizeof(reply), NULL, NULL, 0),
		  EBADF, "errors: unopened fd -> EBADF");
	CHECK_ERR(eorpc_wait(fd, 1, reply, sizeof(reply), MSG_PEEK), EINVAL,
		  "errors: eorpc_wait flags other than MSG_DONTWAIT -> EINVAL");
	CHECK_ERR(eorpc_recv_reply(fd, reply, sizeof(reply), NULL, NULL, MSG_PEEK),
		  EINVAL, "errors: eorpc_recv_reply MSG_PEEK -> EINVAL");
	eorpc_close(fd);
	fake_uninstall();
}

/*
 * The fake replies to nothing by itself here; a thread learns the tag of
 * the call from the sent log and queues completions around it.
 */
struct script {
	int fd;
	int n_before;		/* foreign completions queued before ours */
	size_t reply_len;
	int eintr;		/* recvmsg fails with EINTR before ours */
};

static void *kernel_thread(void *arg)
{
	struct script *sc = arg;
	const struct fake_sent *s;
	static char payload[EORPC_MAX_PAYLOAD];
	int i;

	while (fake_nsent() == 0)
		usleep(1000);
	s = fake_sent(0);
	for (i = 0; i < sc->n_before; i++) {
		char b[16];

		snprintf(b, sizeof(b), "other%d", i);
		if (i % 2)
			fake_push_error(500 + i, ECONNRESET);
		else
			fake_push_reply(500 + i, b, strlen(b) + 1);
	}
	if (sc->eintr)
		fake_push_errno(EINTR);
	else {
		memset(payload, 'r', sizeof(payload));
		fake_push_reply(s->tag, payload, sc->reply_len);
	}
	return NULL;
}

static void stash(void)
{
	struct script sc = { 0 };
	pthread_t t;
	char reply[64];
	uint64_t tag;
	int cerr, fd, i, order_ok = 1;
	ssize_t n;

	setup();
	fd = fake_fd();
	sc.fd = fd;
	sc.n_before = 4;
	sc.reply_len = 10;
	pthread_create(&t, NULL, kernel_thread, &sc);
	n = eorpc_call(fd, &server, "mine", 4, reply, sizeof(reply), 100);
	pthread_join(t, NULL);
	TAP_OK(n == 10 && reply[0] == 'r',
	       "stash: the call gets its own reply past 4 foreign completions");
	TAP_OK(eorpc__fd_stashed(fd) == 4, "stash: the 4 others are stashed");
	TAP_OK(fake_nrecv() == 5, "stash: 5 recvmsg calls so far");

	for (i = 0; i < 4; i++) {
		char want[16];

		tag = 0;
		cerr = -1;
		memset(reply, 0, sizeof(reply));
		n = eorpc_recv_reply(fd, reply, sizeof(reply), &tag, &cerr,
				     MSG_DONTWAIT);
		snprintf(want, sizeof(want), "other%d", i);
		if (i % 2)
			order_ok &= n == 0 && cerr == ECONNRESET &&
				    tag == (uint64_t)(500 + i);
		else
			order_ok &= n == (ssize_t)strlen(want) + 1 && cerr == 0 &&
				    !strcmp(reply, want) &&
				    tag == (uint64_t)(500 + i);
	}
	TAP_OK(order_ok, "stash: eorpc_recv_reply returns them in arrival order, "
	       "replies and errors intact");
	TAP_OK(fake_nrecv() == 5, "stash: ...without touching the socket");
	CHECK_ERR(eorpc_recv_reply(fd, reply, sizeof(reply), &tag, &cerr,
				   MSG_DONTWAIT), EAGAIN,
		  "stash: then empty: EAGAIN from the socket");
	TAP_OK(eorpc__fd_stashed(fd) == 0, "stash: empty");
	eorpc_close(fd);
	fake_uninstall();
}

static void stash_wait_for_stashed(void)
{
	char reply[16];
	uint64_t t1 = 11, t2 = 12;
	int fd;

	setup();
	fd = fake_fd();
	fake_push_reply(t2, "two", 3);
	fake_push_reply(t1, "one", 3);
	TAP_OK(eorpc_wait(fd, t1, reply, sizeof(reply), 0) == 3 &&
	       !memcmp(reply, "one", 3),
	       "wait: tag 11 found behind tag 12");
	TAP_OK(eorpc__fd_stashed(fd) == 1, "wait: tag 12 stashed");
	TAP_OK(eorpc_wait(fd, t2, reply, sizeof(reply), MSG_DONTWAIT) == 3 &&
	       !memcmp(reply, "two", 3) && fake_nrecv() == 2,
	       "wait: tag 12 from the stash, no recvmsg");
	CHECK_ERR(eorpc_wait(fd, 13, reply, sizeof(reply), MSG_DONTWAIT), EAGAIN,
		  "wait: MSG_DONTWAIT and nothing there -> EAGAIN");
	/* A stashed completion for another tag survives a DONTWAIT miss. */
	fake_push_reply(20, "twenty", 6);
	CHECK_ERR(eorpc_wait(fd, 21, reply, sizeof(reply), MSG_DONTWAIT), EAGAIN,
		  "wait: DONTWAIT for 21 reads 20, then EAGAIN");
	TAP_OK(eorpc__fd_stashed(fd) == 1 &&
	       eorpc_wait(fd, 20, reply, sizeof(reply), 0) == 6,
	       "wait: ...and 20 is kept for its owner");
	eorpc_close(fd);
	fake_uninstall();
}

static void emsgsize(void)
{
	struct script sc = { 0 };
	pthread_t t;
	char reply[8];
	uint64_t tag;
	int cerr = -1, fd;
	ssize_t n;

	setup();
	fd = fake_fd();
	sc.fd = fd;
	sc.reply_len = 100;
	pthread_create(&t, NULL, kernel_thread, &sc);
	memset(reply, 0, sizeof(reply));
	errno = 0;
	n = eorpc_call(fd, &server, "q", 1, reply, sizeof(reply), 100);
	pthread_join(t, NULL);
	TAP_OK(n == -1 && errno == EMSGSIZE, "emsgsize: 100-byte reply, cap 8");
	TAP_OK(!memcmp(reply, "rrrrrrrr", 8), "emsgsize: first 8 bytes copied");
	TAP_OK(eorpc__fd_stashed(fd) == 0 && fake_queued() == 0,
	       "emsgsize: completion consumed, not stashed");

	/* Same through recv_reply, from the stash and from the socket. */
	fake_push_reply(77, "0123456789", 10);
	errno = 0;
	tag = 0;
	n = eorpc_recv_reply(fd, reply, 4, &tag, &cerr, 0);
	TAP_OK(n == -1 && errno == EMSGSIZE && tag == 77 &&
	       !memcmp(reply, "0123", 4),
	       "emsgsize: recv_reply: EMSGSIZE with the tag and a prefix");
	fake_push_reply(78, "0123456789", 10);
	fake_push_reply(79, "abc", 3);
	eorpc_wait(fd, 79, reply, sizeof(reply), 0);	/* stashes 78 */
	tag = 0;
	errno = 0;
	n = eorpc_recv_reply(fd, reply, 7, &tag, &cerr, 0);
	TAP_OK(n == -1 && errno == EMSGSIZE && tag == 78 &&
	       eorpc__fd_stashed(fd) == 0,
	       "emsgsize: recv_reply of a stashed long reply");
	/* MSG_TRUNC from the kernel itself (reply > library buffer). */
	{
		unsigned char ctl[64];
		uint64_t t80 = 80;
		size_t cl = cm_put(ctl, sizeof(ctl), 0, SOL_EORPC,
				   EORPC_CMSG_USER_TAG, &t80, 8);

		fake_push_raw(ctl, cl, MSG_TRUNC, "abc", 3);
		errno = 0;
		n = eorpc_recv_reply(fd, reply, sizeof(reply), &tag, &cerr, 0);
		TAP_OK(n == -1 && errno == EMSGSIZE && tag == 80,
		       "emsgsize: MSG_TRUNC from recvmsg -> EMSGSIZE");
	}
	eorpc_close(fd);
	fake_uninstall();
}

static void eintr(void)
{
	struct script sc = { 0 };
	pthread_t t;
	char reply[16];
	uint64_t tag = 0;
	int fd;
	ssize_t n;

	setup();
	fd = fake_fd();
	sc.fd = fd;
	sc.eintr = 1;
	pthread_create(&t, NULL, kernel_thread, &sc);
	errno = 0;
	n = eorpc_call_tagged(fd, &server, "q", 1, reply, sizeof(reply), 100,
			      &tag);
	pthread_join(t, NULL);
	TAP_OK(n == -1 && errno == EINTR, "eintr: interrupted wait -> EINTR");
	TAP_OK(tag != 0 && tag == fake_sent(0)->tag,
	       "eintr: the tag of the call still in flight is reported");
	TAP_OK(eorpc__fd_waiters(fd) == 0, "eintr: waiter unregistered");
	fake_push_reply(999, "other", 5);
	fake_push_reply(tag, "late", 4);
	n = eorpc_wait(fd, tag, reply, sizeof(reply), 0);
	TAP_OK(n == 4 && !memcmp(reply, "late", 4),
	       "eintr: eorpc_wait collects the reply later");
	TAP_OK(fake_nsent() == 1, "eintr: no second request was sent");
	TAP_OK(eorpc__fd_stashed(fd) == 1, "eintr: the other completion stashed");

	/* EAGAIN (SO_RCVTIMEO / O_NONBLOCK) behaves the same. */
	fake_push_errno(EAGAIN);
	fake_set_mode(FAKE_QUIET);
	errno = 0;
	n = eorpc_call_tagged(fd, &server, "q", 1, reply, sizeof(reply), 100,
			      &tag);
	TAP_OK(n == -1 && errno == EAGAIN && tag != 0,
	       "eintr: EAGAIN from recvmsg leaves the call in flight, tag set");
	fake_push_error(tag, ECANCELED);
	CHECK_ERR(eorpc_wait(fd, tag, reply, sizeof(reply), 0), ECANCELED,
		  "eintr: ...its cancellation is collected by eorpc_wait");
	eorpc_close(fd);
	fake_uninstall();
}

static void send_and_recv(void)
{
	char buf[32];
	const struct fake_sent *s;
	uint64_t tag = 0;
	int cerr = -1, fd;
	ssize_t n;

	setup();
	fd = fake_fd();
	TAP_OK(eorpc_send(fd, &server, "ev", 2, 0x1234, 250, MSG_DONTWAIT) == 0,
	       "send: eorpc_send returns 0");
	s = fake_sent(0);
	TAP_OK(s && s->tag == 0x1234 && s->has_deadline && s->deadline_ms == 250 &&
	       s->flags == MSG_DONTWAIT && s->len == 2 && s->has_name,
	       "send: tag, deadline, flags and payload as given");
	TAP_OK(eorpc_send(fd, NULL, "ev", 2, 5, EORPC_DEADLINE_DEFAULT, 0) == 0 &&
	       (s = fake_sent(1)) && !s->has_deadline && s->has_tag && s->tag == 5 &&
	       !s->has_name,
	       "send: EORPC_DEADLINE_DEFAULT sends no deadline");
	TAP_OK(eorpc_send(fd, &server, "ev", 2, 0, 0, 0) == 0 &&
	       (s = fake_sent(2)) && s->has_tag && s->tag == 0 && s->has_deadline &&
	       s->deadline_ms == 0,
	       "send: tag 0 and deadline 0 sent explicitly");
	fake_fail_send(ENOBUFS);
	CHECK_ERR(eorpc_send(fd, &server, "ev", 2, 1, 1, 0), ENOBUFS,
		  "send: sendmsg error passed on");

	fake_push_reply(0x1234, "answer", 6);
	n = eorpc_recv_reply(fd, buf, sizeof(buf), &tag, &cerr, MSG_DONTWAIT);
	TAP_OK(n == 6 && tag == 0x1234 && cerr == 0 && !memcmp(buf, "answer", 6),
	       "recv_reply: reply, tag, call_error 0");
	fake_push_reply(3, NULL, 0);
	cerr = -1;
	n = eorpc_recv_reply(fd, buf, sizeof(buf), &tag, &cerr, 0);
	TAP_OK(n == 0 && tag == 3 && cerr == 0,
	       "recv_reply: empty reply is 0 with call_error 0");
	fake_push_error(4, ETIMEDOUT);
	n = eorpc_recv_reply(fd, buf, sizeof(buf), &tag, &cerr, 0);
	TAP_OK(n == 0 && tag == 4 && cerr == ETIMEDOUT,
	       "recv_reply: failed call is 0 with call_error ETIMEDOUT");
	fake_push_error(5, ESTALE);
	tag = 0;
	CHECK_ERR(eorpc_recv_reply(fd, buf, sizeof(buf), &tag, NULL, 0), ESTALE,
		  "recv_reply: NULL call_error: -1 with the call's errno");
	TAP_OK(tag == 5, "recv_reply: ...tag still set");
	fake_push_reply(6, "x", 1);
	TAP_OK(eorpc_recv_reply(fd, buf, sizeof(buf), NULL, NULL, 0) == 1,
	       "recv_reply: NULL tag and call_error accepted");
	fake_push_errno(EINTR);
	CHECK_ERR(eorpc_recv_reply(fd, buf, sizeof(buf), &tag, &cerr, 0), EINTR,
		  "recv_reply: EINTR passed on");

	TAP_OK(eorpc_cancel(fd, 0xabcdef) == 0 && fake_calls()->n_setsockopt == 1 &&
	       fake_calls()->sso_level == SOL_EORPC &&
	       fake_calls()->sso_name == EORPC_CANCEL &&
	       fake_calls()->sso_len == 8 &&
	       (memcpy(&tag, fake_calls()->sso_val, 8), tag == 0xabcdef),
	       "cancel: setsockopt(SOL_EORPC, EORPC_CANCEL, &u64 tag, 8)");
	fake_fail_setsockopt(ENOENT);
	CHECK_ERR(eorpc_cancel(fd, 1), ENOENT, "cancel: ENOENT passed on");
	eorpc_close(fd);
	fake_uninstall();
}

static void bad_completions(void)
{
	unsigned char ctl[256];
	char buf[16];
	uint64_t tag = 7, rid = 1;
	int32_t err = ETIMEDOUT;
	int cerr, fd;
	size_t cl;
	ssize_t n;

	setup();
	fd = fake_fd();

	/* No tag: names no call (the kernel always sends one). */
	cl = cm_put(ctl, sizeof(ctl), 0, SOL_EORPC, EORPC_CMSG_REQUEST_ID, &rid, 8);
	fake_push_raw(ctl, cl, 0, "d", 1);
	CHECK_ERR(eorpc_recv_reply(fd, buf, sizeof(buf), &tag, &cerr, 0), EPROTO,
		  "bad: completion without USER_TAG -> EPROTO");
	fake_push_raw(NULL, 0, 0, "e", 1);
	CHECK_ERR(eorpc_recv_reply(fd, buf, sizeof(buf), &tag, &cerr, 0), EPROTO,
		  "bad: data without any control message -> EPROTO");
	/* Nothing at all: end of file after shutdown(SHUT_RD). */
	fake_push_raw(NULL, 0, 0, NULL, 0);
	CHECK_ERR(eorpc_recv_reply(fd, buf, sizeof(buf), &tag, &cerr, 0),
		  ESHUTDOWN, "bad: end of file -> ESHUTDOWN");
	fake_push_raw(NULL, 0, 0, NULL, 0);
	CHECK_ERR(eorpc_wait(fd, 1234, buf, sizeof(buf), 0), ESHUTDOWN,
		  "bad: waiting for a tag at end of file -> ESHUTDOWN, no loop");
	TAP_OK(eorpc__fd_stashed(fd) == 0, "bad: end of file stashes nothing");

	/* Malformed control data: EPROTO, and the next message still works. */
	tag = 7;
	cl = cm_put(ctl, sizeof(ctl), 0, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 4);
	fake_push_raw(ctl, cl, 0, "f", 1);
	CHECK_ERR(eorpc_recv_reply(fd, buf, sizeof(buf), &tag, &cerr, 0), EPROTO,
		  "bad: short USER_TAG -> EPROTO");
	cl = cm_put(ctl, sizeof(ctl), 0, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 8);
	cl = cm_put(ctl, sizeof(ctl), cl, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 8);
	fake_push_raw(ctl, cl, 0, "f", 1);
	CHECK_ERR(eorpc_recv_reply(fd, buf, sizeof(buf), &tag, &cerr, 0), EPROTO,
		  "bad: duplicate USER_TAG -> EPROTO");
	err = 0;
	cl = cm_put(ctl, sizeof(ctl), 0, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 8);
	cl = cm_put(ctl, sizeof(ctl), cl, SOL_EORPC, EORPC_CMSG_ERROR, &err, 4);
	fake_push_raw(ctl, cl, 0, NULL, 0);
	CHECK_ERR(eorpc_recv_reply(fd, buf, sizeof(buf), &tag, &cerr, 0), EPROTO,
		  "bad: ERROR 0 -> EPROTO");
	cl = cm_put(ctl, sizeof(ctl), 0, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 8);
	memset(ctl + 4, 0xff, 4);	/* cmsg_len high bytes: huge */
	fake_push_raw(ctl, cl, 0, "g", 1);
	CHECK_ERR(eorpc_recv_reply(fd, buf, sizeof(buf), &tag, &cerr, 0), EPROTO,
		  "bad: cmsg_len beyond the buffer -> EPROTO");
	TAP_OK(eorpc__fd_stashed(fd) == 0, "bad: nothing stashed from bad ones");

	/* Control data truncated by the kernel: tag survives -> usable. */
	tag = 8;
	err = ECONNREFUSED;
	cl = cm_put(ctl, sizeof(ctl), 0, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 8);
	cl = cm_put(ctl, sizeof(ctl), cl, SOL_EORPC, EORPC_CMSG_ERROR, &err, 4);
	fake_push_raw(ctl, cl - 8, MSG_CTRUNC, NULL, 0);
	n = eorpc_recv_reply(fd, buf, sizeof(buf), &tag, &cerr, 0);
	TAP_OK(n == 0 && tag == 8 && cerr == EPROTO,
	       "bad: MSG_CTRUNC may have cut an ERROR: call fails with EPROTO");
	/* Truncated before the tag: nobody's completion. */
	fake_push_raw(ctl, 8, MSG_CTRUNC, NULL, 0);
	CHECK_ERR(eorpc_recv_reply(fd, buf, sizeof(buf), &tag, &cerr, 0), EPROTO,
		  "bad: MSG_CTRUNC before the tag -> EPROTO");

	/* Control data longer than the library's buffer: fake truncates. */
	{
		unsigned char huge[EORPC_CMSG_BUFSZ * 2];
		uint64_t junk = 0, t9 = 9;
		size_t off = 0;

		off = cm_put(huge, sizeof(huge), off, SOL_EORPC,
			     EORPC_CMSG_USER_TAG, &t9, 8);
		while (off + CMSG_SPACE(8) <= sizeof(huge))
			off = cm_put(huge, sizeof(huge), off, SOL_SOCKET, 99,
				     &junk, 8);
		fake_push_raw(huge, off, 0, "h", 1);
		n = eorpc_recv_reply(fd, buf, sizeof(buf), &tag, &cerr, 0);
		TAP_OK(n == 0 && tag == 9 && cerr == EPROTO,
		       "bad: oversized control data: tag read, outcome EPROTO");
	}
	eorpc_close(fd);
	fake_uninstall();
}

void suite_call(void)
{
	basic_call();
	call_errors();
	stash();
	stash_wait_for_stashed();
	emsgsize();
	eintr();
	send_and_recv();
	bad_completions();
}
