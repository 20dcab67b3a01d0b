// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The client side: starting calls and collecting their completions.
 *
 * Completions of all calls on a socket arrive on one queue, in any order.
 * One thread at a time reads the socket (st->reading); a completion it reads
 * that is not its own goes into the stash, and the other threads sleep on
 * st->cond until the reader leaves or stashes something. eorpc_recv_reply()
 * takes any completion except those a thread is blocked on (st->waiters),
 * so an event loop and blocking callers can share a socket.
 *
 * The reader receives into a private EORPC_MAX_MSG_LEN buffer, and the stash
 * entry for a foreign completion is allocated before recvmsg, so nothing is
 * ever read and then lost for want of memory or of room in a caller's
 * buffer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "internal.h"

/* What a completion said, once handed to a caller. */
struct outcome {
	int valid;
	uint64_t tag;
	int error;
};

union ctlbuf {
	unsigned char buf[EORPC_CMSG_BUFSZ];
	struct cmsghdr align;
};

static uint64_t tag_counter;

static uint64_t new_tag(void)
{
	uint64_t n = __atomic_add_fetch(&tag_counter, 1, __ATOMIC_RELAXED);

	return n | EORPC_TAG_LIBRARY;
}

static int send_call(int fd, const struct sockaddr_eorpc *server,
		     const void *req, size_t len, uint64_t tag,
		     int with_deadline, uint32_t deadline_ms, int flags)
{
	struct sockaddr_eorpc to;
	union ctlbuf ctl;
	struct iovec iov;
	struct msghdr msg;
	int family, saved;

	if (len > EORPC_MAX_MSG_LEN) {
		errno = EMSGSIZE;
		return -1;
	}
	if (!req && len) {
		errno = EINVAL;
		return -1;
	}
	memset(&msg, 0, sizeof(msg));
	if (server) {
		to = *server;
		/* An address parsed before the module was loaded. */
		saved = errno;
		family = eorpc_family();
		errno = saved;
		if (family > 0)
			to.seo_family = (__kernel_sa_family_t)family;
		msg.msg_name = &to;
		msg.msg_namelen = sizeof(to);
	}
	iov.iov_base = (void *)req;
	iov.iov_len = len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = eorpc__cmsg_build_call(ctl.buf, sizeof(ctl.buf),
						    tag, with_deadline,
						    deadline_ms);
	if (eorpc__sys()->sendmsg(fd, &msg, flags) < 0)
		return -1;
	return 0;
}

int eorpc_send(int fd, const struct sockaddr_eorpc *server,
	       const void *req, size_t len, uint64_t tag,
	       unsigned int deadline_ms, int flags)
{
	return send_call(fd, server, req, len, tag,
			 deadline_ms != EORPC_DEADLINE_DEFAULT, deadline_ms,
			 flags);
}

int eorpc_cancel(int fd, uint64_t tag)
{
	return eorpc__sys()->setsockopt(fd, SOL_EORPC, EORPC_CANCEL, &tag,
					sizeof(tag));
}

/* ---- collecting completions ---- */

static void waiter_add(struct eorpc__fd *st, struct eorpc__waiter *w,
		       uint64_t tag)
{
	pthread_mutex_lock(&st->lock);
	w->tag = tag;
	w->next = st->waiters;
	st->waiters = w;
	pthread_mutex_unlock(&st->lock);
}

static void waiter_del(struct eorpc__fd *st, struct eorpc__waiter *w)
{
	struct eorpc__waiter **pp;

	pthread_mutex_lock(&st->lock);
	for (pp = &st->waiters; *pp; pp = &(*pp)->next) {
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	}
	pthread_mutex_unlock(&st->lock);
}

/* Under st->lock: does the caller take a completion with @tag? */
static int wanted(const struct eorpc__fd *st, int any, uint64_t want,
		  uint64_t tag)
{
	const struct eorpc__waiter *w;

	if (!any)
		return tag == want;
	for (w = st->waiters; w; w = w->next)
		if (w->tag == tag)
			return 0;	/* a blocked thread owns it */
	return 1;
}

static ssize_t hand_out(const struct eorpc__done *d, const void *data,
			void *buf, size_t cap, struct outcome *o)
{
	size_t n = d->len < cap ? d->len : cap;

	o->valid = 1;
	o->tag = d->tag;
	o->error = d->error;
	if (d->error)
		return 0;
	if (n)
		memcpy(buf, data, n);
	if (d->trunc || d->len > cap) {
		errno = EMSGSIZE;
		return -1;
	}
	return (ssize_t)d->len;
}

/* Receive one completion into st->rxbuf (caller is the reader). */
static int read_one(int fd, struct eorpc__fd *st, int flags,
		    struct eorpc__done *d)
{
	struct eorpc_cmsg_info info;
	union ctlbuf ctl;
	struct iovec iov;
	struct msghdr msg;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	iov.iov_base = st->rxbuf;
	iov.iov_len = EORPC_MAX_MSG_LEN;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	n = eorpc__sys()->recvmsg(fd, &msg, flags);
	if (n < 0)
		return -1;
	if (msg.msg_controllen > sizeof(ctl.buf))
		msg.msg_controllen = sizeof(ctl.buf);
	if (eorpc__cmsg_parse(ctl.buf, msg.msg_controllen, msg.msg_flags,
			      &info) < 0) {
		errno = EPROTO;
		return -1;
	}
	/*
	 * The kernel puts a USER_TAG on every completion. Nothing at all is
	 * the end of file of a socket shut down for reading; anything else
	 * without a tag names nobody's call.
	 */
	if (!(info.have & EORPC_CMSG_HAVE(EORPC_CMSG_USER_TAG))) {
		if (n == 0 && msg.msg_controllen == 0 &&
		    !(msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
			errno = ESHUTDOWN;
		else
			errno = EPROTO;
		return -1;
	}
	memset(d, 0, sizeof(*d));
	d->tag = info.tag;
	if (info.have & EORPC_CMSG_HAVE(EORPC_CMSG_ERROR))
		d->error = info.error;
	else if (info.ctrunc)	/* an ERROR may have been cut off */
		d->error = EPROTO;
	d->trunc = !!(msg.msg_flags & MSG_TRUNC);
	d->len = (size_t)n;
	if (d->len > EORPC_MAX_MSG_LEN) {
		d->len = EORPC_MAX_MSG_LEN;
		d->trunc = 1;
	}
	return 0;
}

/*
 * Take a completion: the one with tag @want, or (@any) any not owned by a
 * waiter. Returns as hand_out(), or -1 with errno.
 */
static ssize_t take(struct eorpc__fd *st, int fd, int any, uint64_t want,
		    void *buf, size_t cap, int flags, struct outcome *o)
{
	struct eorpc__done **pp, *d, got;
	ssize_t ret;
	int rc, saved;

	pthread_mutex_lock(&st->lock);
	for (;;) {
		for (pp = &st->head; (d = *pp) != NULL; pp = &d->next)
			if (wanted(st, any, want, d->tag))
				break;
		if (d) {
			*pp = d->next;
			if (st->tailp == &d->next)
				st->tailp = pp;
			st->nstash--;
			pthread_mutex_unlock(&st->lock);
			ret = hand_out(d, d->data, buf, cap, o);
			EORPC_SAVE_ERRNO(free(d->data); free(d));
			return ret;
		}
		if (st->reading) {
			if (flags & MSG_DONTWAIT) {
				pthread_mutex_unlock(&st->lock);
				errno = EAGAIN;
				return -1;
			}
			pthread_cond_wait(&st->cond, &st->lock);
			continue;
		}

		/* Become the reader; allocate first so nothing gets lost. */
		if (!st->rxbuf)
			st->rxbuf = malloc(EORPC_MAX_MSG_LEN);
		if (!st->spare)
			st->spare = malloc(sizeof(*st->spare));
		if (!st->rxbuf || !st->spare) {
			pthread_mutex_unlock(&st->lock);
			errno = ENOMEM;
			return -1;
		}
		st->reading = 1;
		pthread_mutex_unlock(&st->lock);

		rc = read_one(fd, st, flags, &got);
		saved = errno;

		pthread_mutex_lock(&st->lock);
		st->reading = 0;
		pthread_cond_broadcast(&st->cond);
		if (rc < 0) {
			pthread_mutex_unlock(&st->lock);
			errno = saved;
			return -1;
		}
		if (wanted(st, any, want, got.tag)) {
			/* Nobody else can read into rxbuf while we hold the lock. */
			ret = hand_out(&got, st->rxbuf, buf, cap, o);
			saved = errno;
			pthread_mutex_unlock(&st->lock);
			errno = saved;
			return ret;
		}

		/* Someone else's: stash it, giving it the receive buffer. */
		d = st->spare;
		st->spare = NULL;
		*d = got;
		d->next = NULL;
		d->data = realloc(st->rxbuf, got.len ? got.len : 1);
		if (!d->data)
			d->data = st->rxbuf;
		st->rxbuf = NULL;
		*st->tailp = d;
		st->tailp = &d->next;
		st->nstash++;
	}
}

/* eorpc_call()/eorpc_wait() result: a failed call becomes -1/errno. */
static ssize_t call_result(ssize_t n, const struct outcome *o)
{
	if (n >= 0 && o->error) {
		errno = o->error;
		return -1;
	}
	return n;
}

ssize_t eorpc_call_tagged(int fd, const struct sockaddr_eorpc *server,
			  const void *req, size_t req_len,
			  void *reply, size_t reply_cap, int timeout_ms,
			  uint64_t *tagp)
{
	struct outcome o = { 0 };
	struct eorpc__waiter w;
	struct eorpc__fd *st;
	uint64_t tag;
	ssize_t n;

	if (tagp)
		*tagp = 0;
	if (!reply && reply_cap) {
		errno = EINVAL;
		return -1;
	}
	st = eorpc__fd_get(fd);
	if (!st)
		return -1;
	tag = new_tag();
	/* Before sending: an event loop must not take our completion. */
	waiter_add(st, &w, tag);
	if (send_call(fd, server, req, req_len, tag, timeout_ms >= 0,
		      timeout_ms > 0 ? (uint32_t)timeout_ms : 0, 0) < 0) {
		EORPC_SAVE_ERRNO(waiter_del(st, &w); eorpc__fd_put(st));
		return -1;
	}
	if (tagp)
		*tagp = tag;
	n = take(st, fd, 0, tag, reply, reply_cap, 0, &o);
	EORPC_SAVE_ERRNO(waiter_del(st, &w); eorpc__fd_put(st));
	return call_result(n, &o);
}

ssize_t eorpc_call(int fd, const struct sockaddr_eorpc *server,
		   const void *req, size_t req_len,
		   void *reply, size_t reply_cap, int timeout_ms)
{
	return eorpc_call_tagged(fd, server, req, req_len, reply, reply_cap,
				 timeout_ms, NULL);
}

ssize_t eorpc_wait(int fd, uint64_t tag, void *reply, size_t reply_cap,
		   int flags)
{
	struct outcome o = { 0 };
	struct eorpc__waiter w;
	struct eorpc__fd *st;
	ssize_t n;

	if ((flags & ~MSG_DONTWAIT) || (!reply && reply_cap)) {
		errno = EINVAL;
		return -1;
	}
	st = eorpc__fd_get(fd);
	if (!st)
		return -1;
	waiter_add(st, &w, tag);
	n = take(st, fd, 0, tag, reply, reply_cap, flags, &o);
	EORPC_SAVE_ERRNO(waiter_del(st, &w); eorpc__fd_put(st));
	return call_result(n, &o);
}

ssize_t eorpc_recv_reply(int fd, void *buf, size_t cap, uint64_t *tag,
			 int *call_error, int flags)
{
	struct outcome o = { 0 };
	struct eorpc__fd *st;
	ssize_t n;

	if ((flags & ~MSG_DONTWAIT) || (!buf && cap)) {
		errno = EINVAL;
		return -1;
	}
	st = eorpc__fd_get(fd);
	if (!st)
		return -1;
	n = take(st, fd, 1, 0, buf, cap, flags, &o);
	eorpc__fd_put(st);
	if (o.valid && tag)
		*tag = o.tag;
	if (n < 0)
		return -1;
	if (o.error && !call_error) {
		errno = o.error;
		return -1;
	}
	if (call_error)
		*call_error = o.error;
	return n;
}
