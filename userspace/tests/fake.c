// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "fake.h"

/* A blocking fake recvmsg gives up after this long (a test bug, not a hang). */
#define FAKE_BLOCK_SECONDS	10

struct fake_in {
	struct fake_in *next;
	int err;
	unsigned char *data;
	size_t len;
	unsigned char control[EORPC_CMSG_BUFSZ * 2];
	size_t controllen;
	int msg_flags;
	int has_name;
	struct sockaddr_eorpc name;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static struct fake_in *q_head;
static size_t q_len;
static struct fake_sent *sent;
static int n_sent, cap_sent, n_recv, n_blocked;
static enum fake_mode mode;
static int err_send, err_socket, err_bind, err_listen, err_sso;
static struct fake_calls calls;
static unsigned int seed = 12345;

size_t cm_put(void *buf, size_t cap, size_t off, int level, int type,
	      const void *data, size_t len)
{
	struct cmsghdr h;

	if (off + CMSG_SPACE(len) > cap)
		abort();
	memset((char *)buf + off, 0, CMSG_SPACE(len));
	memset(&h, 0, sizeof(h));
	h.cmsg_len = CMSG_LEN(len);
	h.cmsg_level = level;
	h.cmsg_type = type;
	memcpy((char *)buf + off, &h, sizeof(h));
	memcpy((char *)buf + off + CMSG_LEN(0), data, len);
	return off + CMSG_SPACE(len);
}

/* Under lock. @pos < 0: at the tail; else at index @pos. */
static void enqueue(struct fake_in *in, long pos)
{
	struct fake_in **pp = &q_head;

	while (*pp && pos != 0) {
		pp = &(*pp)->next;
		pos--;
	}
	in->next = *pp;
	*pp = in;
	q_len++;
	pthread_cond_broadcast(&cond);
}

static struct fake_in *new_in(const void *data, size_t len)
{
	struct fake_in *in = calloc(1, sizeof(*in));

	if (!in)
		abort();
	in->data = malloc(len ? len : 1);
	if (!in->data)
		abort();
	if (len)
		memcpy(in->data, data, len);
	in->len = len;
	return in;
}

static void push(struct fake_in *in)
{
	pthread_mutex_lock(&lock);
	enqueue(in, -1);
	pthread_mutex_unlock(&lock);
}

void fake_push_reply(uint64_t tag, const void *data, size_t len)
{
	struct fake_in *in = new_in(data, len);
	uint64_t rid = 1000 + tag % 1000;

	in->controllen = cm_put(in->control, sizeof(in->control), 0, SOL_EORPC,
				EORPC_CMSG_USER_TAG, &tag, sizeof(tag));
	in->controllen = cm_put(in->control, sizeof(in->control),
				in->controllen, SOL_EORPC,
				EORPC_CMSG_REQUEST_ID, &rid, sizeof(rid));
	push(in);
}

void fake_push_error(uint64_t tag, int err)
{
	struct fake_in *in = new_in(NULL, 0);
	int32_t e = err;

	in->controllen = cm_put(in->control, sizeof(in->control), 0, SOL_EORPC,
				EORPC_CMSG_USER_TAG, &tag, sizeof(tag));
	in->controllen = cm_put(in->control, sizeof(in->control),
				in->controllen, SOL_EORPC, EORPC_CMSG_ERROR,
				&e, sizeof(e));
	push(in);
}

void fake_push_request(uint64_t call_id, const struct sockaddr_eorpc *from,
		       const void *data, size_t len)
{
	struct fake_in *in = new_in(data, len);
	uint64_t rid = 7;

	in->controllen = cm_put(in->control, sizeof(in->control), 0, SOL_EORPC,
				EORPC_CMSG_REQUEST_ID, &rid, sizeof(rid));
	in->controllen = cm_put(in->control, sizeof(in->control),
				in->controllen, SOL_EORPC, EORPC_CMSG_CALL_ID,
				&call_id, sizeof(call_id));
	if (from) {
		in->has_name = 1;
		in->name = *from;
	}
	push(in);
}

void fake_push_raw(const void *control, size_t controllen, int msg_flags,
		   const void *data, size_t len)
{
	struct fake_in *in = new_in(data, len);

	if (controllen > sizeof(in->control))
		abort();
	if (controllen)
		memcpy(in->control, control, controllen);
	in->controllen = controllen;
	in->msg_flags = msg_flags;
	push(in);
}

void fake_push_errno(int err)
{
	struct fake_in *in = new_in(NULL, 0);

	in->err = err;
	push(in);
}

size_t fake_queued(void)
{
	size_t n;

	pthread_mutex_lock(&lock);
	n = q_len;
	pthread_mutex_unlock(&lock);
	return n;
}

static ssize_t f_recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct timespec until;
	struct fake_in *in;
	size_t n, cl;
	int msg_flags, rc;

	(void)fd;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += FAKE_BLOCK_SECONDS;
	pthread_mutex_lock(&lock);
	while (!q_head) {
		if (flags & MSG_DONTWAIT) {
			pthread_mutex_unlock(&lock);
			errno = EAGAIN;
			return -1;
		}
		n_blocked++;
		rc = pthread_cond_timedwait(&cond, &lock, &until);
		n_blocked--;
		if (rc == ETIMEDOUT) {
			pthread_mutex_unlock(&lock);
			errno = EDEADLK;	/* the test would have hung */
			return -1;
		}
	}
	in = q_head;
	q_head = in->next;
	q_len--;
	pthread_mutex_unlock(&lock);

	if (in->err) {
		errno = in->err;
		free(in->data);
		free(in);
		return -1;
	}
	msg_flags = in->msg_flags;
	n = in->len;
	if (msg->msg_iovlen != 1)
		abort();
	if (n > msg->msg_iov[0].iov_len) {
		n = msg->msg_iov[0].iov_len;
		msg_flags |= MSG_TRUNC;
	}
	if (n)
		memcpy(msg->msg_iov[0].iov_base, in->data, n);
	cl = in->controllen;
	if (cl > msg->msg_controllen) {
		cl = msg->msg_controllen;
		msg_flags |= MSG_CTRUNC;
	}
	if (cl)
		memcpy(msg->msg_control, in->control, cl);
	msg->msg_controllen = cl;
	if (msg->msg_name) {
		if (in->has_name) {
			socklen_t nl = sizeof(in->name);

			memcpy(msg->msg_name, &in->name,
			       nl < msg->msg_namelen ? nl : msg->msg_namelen);
			msg->msg_namelen = nl;
		} else {
			msg->msg_namelen = 0;
		}
	}
	msg->msg_flags = msg_flags;
	free(in->data);
	free(in);
	pthread_mutex_lock(&lock);
	n_recv++;
	pthread_mutex_unlock(&lock);
	return (ssize_t)n;
}

static void decode_sent(struct fake_sent *s, const struct msghdr *msg)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR((struct msghdr *)msg, c)) {
		size_t dlen = c->cmsg_len - CMSG_LEN(0);

		s->n_cmsg++;
		if (c->cmsg_level != SOL_EORPC) {
			s->bad_cmsg = 1;
			continue;
		}
		switch (c->cmsg_type) {
		case EORPC_CMSG_USER_TAG:
			if (dlen != 8 || s->has_tag)
				s->bad_cmsg = 1;
			s->has_tag = 1;
			memcpy(&s->tag, CMSG_DATA(c), 8);
			break;
		case EORPC_CMSG_DEADLINE_MS:
			if (dlen != 4 || s->has_deadline)
				s->bad_cmsg = 1;
			s->has_deadline = 1;
			memcpy(&s->deadline_ms, CMSG_DATA(c), 4);
			break;
		case EORPC_CMSG_CALL_ID:
			if (dlen != 8 || s->has_call_id)
				s->bad_cmsg = 1;
			s->has_call_id = 1;
			memcpy(&s->call_id, CMSG_DATA(c), 8);
			break;
		default:
			s->bad_cmsg = 1;
		}
	}
}

static ssize_t f_sendmsg(int fd, const struct msghdr *msg, int flags)
{
	struct fake_sent s;
	size_t i, len = 0;

	pthread_mutex_lock(&lock);
	if (err_send) {
		errno = err_send;
		err_send = 0;
		pthread_mutex_unlock(&lock);
		return -1;
	}
	memset(&s, 0, sizeof(s));
	s.fd = fd;
	s.flags = flags;
	if (msg->msg_name) {
		s.has_name = 1;
		s.namelen = msg->msg_namelen;
		memcpy(&s.name, msg->msg_name,
		       msg->msg_namelen < sizeof(s.name) ? msg->msg_namelen
							 : sizeof(s.name));
	}
	for (i = 0; i < msg->msg_iovlen; i++)
		len += msg->msg_iov[i].iov_len;
	s.data = malloc(len ? len : 1);
	if (!s.data)
		abort();
	s.len = 0;
	for (i = 0; i < msg->msg_iovlen; i++) {
		if (msg->msg_iov[i].iov_len)
			memcpy(s.data + s.len, msg->msg_iov[i].iov_base,
			       msg->msg_iov[i].iov_len);
		s.len += msg->msg_iov[i].iov_len;
	}
	decode_sent(&s, msg);
	if (n_sent == cap_sent) {
		cap_sent = cap_sent ? cap_sent * 2 : 16;
		sent = realloc(sent, (size_t)cap_sent * sizeof(*sent));
		if (!sent)
			abort();
	}
	sent[n_sent++] = s;

	if (mode != FAKE_QUIET && s.has_tag) {
		struct fake_in *in = new_in(s.data, s.len);
		uint64_t tag = s.tag;

		in->controllen = cm_put(in->control, sizeof(in->control), 0,
					SOL_EORPC, EORPC_CMSG_USER_TAG, &tag,
					sizeof(tag));
		enqueue(in, mode == FAKE_ECHO_SHUFFLE ?
			(long)(rand_r(&seed) % (q_len + 1)) : -1);
	}
	pthread_mutex_unlock(&lock);
	return (ssize_t)len;
}

static int f_socket(int domain, int type, int protocol)
{
	int fd;

	pthread_mutex_lock(&lock);
	calls.n_socket++;
	calls.socket_domain = domain;
	calls.socket_type = type;
	calls.socket_proto = protocol;
	if (err_socket) {
		errno = err_socket;
		err_socket = 0;
		pthread_mutex_unlock(&lock);
		return -1;
	}
	fd = fake_fd();
	calls.socket_fd = fd;
	pthread_mutex_unlock(&lock);
	return fd;
}

static int f_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	pthread_mutex_lock(&lock);
	calls.n_bind++;
	calls.bind_fd = fd;
	calls.bind_len = len;
	memset(&calls.bind_addr, 0, sizeof(calls.bind_addr));
	memcpy(&calls.bind_addr, addr,
	       len < sizeof(calls.bind_addr) ? len : sizeof(calls.bind_addr));
	if (err_bind) {
		errno = err_bind;
		err_bind = 0;
		pthread_mutex_unlock(&lock);
		return -1;
	}
	pthread_mutex_unlock(&lock);
	return 0;
}

static int f_listen(int fd, int backlog)
{
	(void)backlog;
	pthread_mutex_lock(&lock);
	calls.n_listen++;
	calls.listen_fd = fd;
	if (err_listen) {
		errno = err_listen;
		err_listen = 0;
		pthread_mutex_unlock(&lock);
		return -1;
	}
	pthread_mutex_unlock(&lock);
	return 0;
}

static int f_setsockopt(int fd, int level, int name, const void *val,
			socklen_t len)
{
	(void)fd;
	pthread_mutex_lock(&lock);
	calls.n_setsockopt++;
	calls.sso_level = level;
	calls.sso_name = name;
	calls.sso_len = len;
	memcpy(calls.sso_val, val,
	       len < sizeof(calls.sso_val) ? len : sizeof(calls.sso_val));
	if (err_sso) {
		errno = err_sso;
		err_sso = 0;
		pthread_mutex_unlock(&lock);
		return -1;
	}
	pthread_mutex_unlock(&lock);
	return 0;
}

static const struct eorpc_sys_ops fake_ops = {
	.socket = f_socket,
	.bind = f_bind,
	.listen = f_listen,
	.setsockopt = f_setsockopt,
	.sendmsg = f_sendmsg,
	.recvmsg = f_recvmsg,
};

static void clear(void)
{
	struct fake_in *in, *next;
	int i;

	pthread_mutex_lock(&lock);
	for (in = q_head; in; in = next) {
		next = in->next;
		free(in->data);
		free(in);
	}
	q_head = NULL;
	q_len = 0;
	for (i = 0; i < n_sent; i++)
		free(sent[i].data);
	free(sent);
	sent = NULL;
	n_sent = cap_sent = n_recv = 0;
	mode = FAKE_QUIET;
	err_send = err_socket = err_bind = err_listen = err_sso = 0;
	memset(&calls, 0, sizeof(calls));
	pthread_mutex_unlock(&lock);
}

void fake_install(void)
{
	clear();
	eorpc__set_sys_ops(&fake_ops);
}

void fake_uninstall(void)
{
	eorpc__set_sys_ops(NULL);
	clear();
}

void fake_set_mode(enum fake_mode m)
{
	pthread_mutex_lock(&lock);
	mode = m;
	pthread_mutex_unlock(&lock);
}

/*
 * A real socket, so that fstat() gives it an inode of its own as an
 * AF_EORPC socket would have (eventfds all share one anonymous inode).
 */
int fake_fd(void)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	close(sv[1]);
	return sv[0];
}

#define SETTER(name, var)			\
	void name(int err)			\
	{					\
		pthread_mutex_lock(&lock);	\
		var = err;			\
		pthread_mutex_unlock(&lock);	\
	}
SETTER(fake_fail_send, err_send)
SETTER(fake_fail_socket, err_socket)
SETTER(fake_fail_bind, err_bind)
SETTER(fake_fail_listen, err_listen)
SETTER(fake_fail_setsockopt, err_sso)

int fake_nsent(void)
{
	int n;

	pthread_mutex_lock(&lock);
	n = n_sent;
	pthread_mutex_unlock(&lock);
	return n;
}

const struct fake_sent *fake_sent(int i)
{
	const struct fake_sent *s = NULL;

	pthread_mutex_lock(&lock);
	if (i >= 0 && i < n_sent)
		s = &sent[i];
	pthread_mutex_unlock(&lock);
	return s;
}

int fake_blocked(void)
{
	int n;

	pthread_mutex_lock(&lock);
	n = n_blocked;
	pthread_mutex_unlock(&lock);
	return n;
}

int fake_nrecv(void)
{
	int n;

	pthread_mutex_lock(&lock);
	n = n_recv;
	pthread_mutex_unlock(&lock);
	return n;
}

const struct fake_calls *fake_calls(void)
{
	return &calls;
}
