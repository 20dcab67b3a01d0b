// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * eorpc_handover_send()/eorpc_handover_recv() over a real unix socket pair.
 * No module here: the family file says 2 (AF_INET), so a listening TCP
 * socket stands in for the AF_EORPC server socket being handed over.
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "tap.h"

struct sender {
	int unix_fd, fd;
	const void *state;
	size_t len;
	int rc, err;
	pthread_t th;
};

static void *send_thread(void *arg)
{
	struct sender *s = arg;

	s->rc = eorpc_handover_send(s->unix_fd, s->fd, s->state, s->len);
	s->err = errno;
	return NULL;
}

static void start_send(struct sender *s, int unix_fd, int fd,
		       const void *state, size_t len)
{
	*s = (struct sender){ .unix_fd = unix_fd, .fd = fd, .state = state,
			      .len = len };
	if (pthread_create(&s->th, NULL, send_thread, s))
		abort();
}

static int tcp_socket(int listening)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    (listening && listen(fd, 1)))
		abort();
	return fd;
}

static int same_file(int a, int b)
{
	struct stat sa, sb;

	return !fstat(a, &sa) && !fstat(b, &sb) && sa.st_ino == sb.st_ino &&
	       sa.st_dev == sb.st_dev;
}

static void pair(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		abort();
}

static void round_trip(void)
{
	enum { BIG = 1 << 20 };	/* far more than a socket buffer holds */
	unsigned char *big = malloc(BIG);
	struct sender s;
	void *state = NULL;
	size_t len = 1, i;
	int sv[2], srv, fd = -1, rc;

	if (!big)
		abort();
	for (i = 0; i < BIG; i++)
		big[i] = (unsigned char)(i * 7 + 3);
	srv = tcp_socket(1);
	pair(sv);
	start_send(&s, sv[0], srv, big, BIG);
	rc = eorpc_handover_recv(sv[1], &fd, &state, &len, BIG);
	TAP_OK(rc == 0 && eorpc_handover_ack(sv[1]) == 0,
	       "handover: the successor acknowledges once it holds everything");
	pthread_join(s.th, NULL);
	TAP_OK(rc == 0 && s.rc == 0, "handover: 1 MiB of state, both sides return 0");
	TAP_OK(rc == 0 && same_file(fd, srv),
	       "handover: the received descriptor is the sender's socket");
	TAP_OK(rc == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC,
	       "handover: ...received close-on-exec");
	TAP_OK(rc == 0 && len == BIG && state && !memcmp(state, big, BIG),
	       "handover: the state arrives whole and unchanged");
	free(state);
	if (fd >= 0)
		close(fd);
	close(sv[0]);
	close(sv[1]);

	/* No state at all. */
	pair(sv);
	start_send(&s, sv[0], srv, NULL, 0);
	state = big;
	rc = eorpc_handover_recv(sv[1], &fd, &state, &len, 0);
	eorpc_handover_ack(sv[1]);
	pthread_join(s.th, NULL);
	TAP_OK(rc == 0 && s.rc == 0 && !state && len == 0 && same_file(fd, srv),
	       "handover: empty state gives NULL, 0 and the socket");
	if (!rc)
		close(fd);
	close(sv[0]);
	close(sv[1]);
	close(srv);
	free(big);
}

/* The receiver refuses: nothing kept, and the sender learns it. */
static void refused(int srv, size_t max_len, int want, const char *what)
{
	static const char st[100] = "state";
	struct sender s;
	void *state = NULL;
	size_t len = 0;
	int sv[2], fd = -1, before;

	pair(sv);
	before = dup(0);	/* the lowest free descriptor, to see leaks */
	close(before);
	start_send(&s, sv[0], srv, st, sizeof(st));
	CHECK_ERR(eorpc_handover_recv(sv[1], &fd, &state, &len, max_len), want,
		  "handover: %s", what);
	TAP_OK(fd == -1 && !state && fcntl(before, F_GETFD) == -1,
	       "handover: ...keeps no descriptor and no state");
	/* The sender waits for the acknowledgement: closing is the refusal. */
	close(sv[1]);
	pthread_join(s.th, NULL);
	TAP_OK(s.rc == -1 && s.err == ECONNABORTED,
	       "handover: ...the sender gets ECONNABORTED and keeps serving");
	close(sv[0]);
}

static void errors(void)
{
	char junk[32] = "not a handover header, no fd...";
	void *state = NULL;
	size_t len;
	int sv[2], fd = -1, srv;

	srv = tcp_socket(1);
	refused(srv, 99, EMSGSIZE, "state longer than max_len is EMSGSIZE");
	close(srv);
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		abort();
	refused(sv[0], 1000, EPROTOTYPE, "a socket of another family is EPROTOTYPE");
	close(sv[0]);
	close(sv[1]);

	pair(sv);
	if (write(sv[0], junk, sizeof(junk)) != sizeof(junk))
		abort();
	CHECK_ERR(eorpc_handover_recv(sv[1], &fd, &state, &len, 1000), EPROTO,
		  "handover: bytes without a descriptor are EPROTO");
	close(sv[0]);
	CHECK_ERR(eorpc_handover_recv(sv[1], &fd, &state, &len, 1000),
		  ECONNABORTED, "handover: a closed connection is ECONNABORTED");
	close(sv[1]);

	CHECK_ERR(eorpc_handover_send(-1, 0, NULL, 0), EINVAL,
		  "handover: send with no unix socket is EINVAL");
	CHECK_ERR(eorpc_handover_send(0, 0, NULL, 5), EINVAL,
		  "handover: send of NULL state with a length is EINVAL");
	pair(sv);
	if (write(sv[1], "X", 1) != 1)
		abort();
	CHECK_ERR(eorpc_handover_send(sv[0], 0, NULL, 0), EPROTO,
		  "handover: a wrong acknowledgement byte is EPROTO");
	close(sv[1]);
	close(sv[0]);
	CHECK_ERR(eorpc_handover_recv(0, NULL, &state, &len, 0), EINVAL,
		  "handover: recv without a place for the descriptor is EINVAL");
}

static void accept_successor(const char *path)
{
	struct timeval tv = { 0 };
	socklen_t tl = sizeof(tv);
	int l = eorpc_handover_listen(path), c, a;

	CHECK_ERR(eorpc_handover_accept(&l, path), EAGAIN,
		  "handover_accept: nobody connected is EAGAIN");
	TAP_OK(l >= 0 && access(path, F_OK) == 0,
	       "handover_accept: ...and keeps the listener and the path");
	c = eorpc_handover_connect(path);
	a = eorpc_handover_accept(&l, path);
	TAP_OK(a >= 0 && l == -1 && access(path, F_OK) == -1 &&
	       errno == ENOENT && fcntl(a, F_GETFD) == FD_CLOEXEC,
	       "handover_accept: closes the listener, frees the path");
	TAP_OK(a >= 0 && !getsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &tv, &tl) &&
	       tv.tv_sec == 30, "handover_accept: 30 s receive timeout");
	TAP_OK(c >= 0 && a >= 0 && write(c, "y", 1) == 1 &&
	       read(a, &tv, 1) == 1, "handover_accept: connected to the successor");
	CHECK_ERR(eorpc_handover_accept(&l, path), EINVAL,
		  "handover_accept: a closed listener is EINVAL");
	close(a);
	close(c);
}

static void paths(void)
{
	char *dir = strdup("/tmp/libeorpc-ho.XXXXXX"), path[200], longp[200];
	int l, c, a, l2;

	if (!dir || !mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/s", dir);
	l = eorpc_handover_listen(path);
	TAP_OK(l >= 0 && (fcntl(l, F_GETFL) & O_NONBLOCK) &&
	       fcntl(l, F_GETFD) == FD_CLOEXEC,
	       "handover_listen: non-blocking, close-on-exec");
	c = eorpc_handover_connect(path);
	a = accept(l, NULL, NULL);
	TAP_OK(c >= 0 && a >= 0 && write(c, "x", 1) == 1,
	       "handover_connect: reaches the listener");
	/* A second server on the path replaces a stale socket file. */
	l2 = eorpc_handover_listen(path);
	TAP_OK(l2 >= 0, "handover_listen: a file left at the path is replaced");
	close(a);
	close(c);
	close(l);
	close(l2);
	unlink(path);
	CHECK_ERR(eorpc_handover_connect(path), ENOENT,
		  "handover_connect: nobody there is ENOENT");
	accept_successor(path);
	memset(longp, 'p', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = 0;
	CHECK_ERR(eorpc_handover_listen(longp), ENAMETOOLONG,
		  "handover_listen: a path longer than sun_path is ENAMETOOLONG");
	CHECK_ERR(eorpc_handover_connect(NULL), EINVAL,
		  "handover_connect: NULL path is EINVAL");
	rmdir(dir);
	free(dir);
}

void suite_handover(void)
{
	char *path = tmpfile_with("2\n");

	use_family_file(path);
	round_trip();
	errors();
	paths();
	use_family_file("/nonexistent/eorpc-family");
	unlink(path);
	free(path);
}
