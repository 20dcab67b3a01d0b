/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libeorpc internals. Names starting with "eorpc__" are not exported from the
 * shared library (see libeorpc.map); the unit tests link the static objects
 * and use them directly.
 */
#ifndef LIBEORPC_INTERNAL_H
#define LIBEORPC_INTERNAL_H

#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "libeorpc.h"

/* ---- system call layer (sys.c): replaceable by the tests ---- */

/**
 * struct eorpc_sys_ops - the system calls the library makes on sockets
 *
 * The unit tests install a fake kernel here; production code always uses
 * the libc functions.
 */
struct eorpc_sys_ops {
	int (*socket)(int domain, int type, int protocol);
	int (*bind)(int fd, const struct sockaddr *addr, socklen_t len);
	int (*listen)(int fd, int backlog);
	int (*setsockopt)(int fd, int level, int name, const void *val,
			  socklen_t len);
	ssize_t (*sendmsg)(int fd, const struct msghdr *msg, int flags);
	ssize_t (*recvmsg)(int fd, struct msghdr *msg, int flags);
};

const struct eorpc_sys_ops *eorpc__sys(void);
/* Install @ops (NULL: the libc ones); returns the previous table. */
const struct eorpc_sys_ops *eorpc__set_sys_ops(const struct eorpc_sys_ops *ops);

/* ---- family.c ---- */

/* Parse the text of the family file; family or -1 with errno EINVAL. */
int eorpc__family_parse(const char *text, size_t len);
/* Forget the cached family number (tests). */
void eorpc__family_reset(void);

/* ---- cmsg.c: pure control-message encode/decode ---- */

#define EORPC_CMSG_HAVE(type)	(1u << (type))

/**
 * struct eorpc_cmsg_info - the SOL_EORPC control messages of one message
 * @have: EORPC_CMSG_HAVE(type) for each control message present
 * @ctrunc: the buffer was truncated (MSG_CTRUNC, or a cut-off message)
 */
struct eorpc_cmsg_info {
	unsigned int have;
	int ctrunc;
	uint64_t tag;
	uint32_t deadline_ms;
	uint64_t call_id;
	uint64_t request_id;
	int32_t error;
};

/* Control buffer size that holds every SOL_EORPC message once, and more. */
#define EORPC_CMSG_BUFSZ	256

/*
 * Build the control messages of a client sendmsg: a USER_TAG and, if
 * @with_deadline, a DEADLINE_MS. Returns the msg_controllen to use, or 0 if
 * @cap is too small. Unused bytes are zeroed.
 */
size_t eorpc__cmsg_build_call(void *buf, size_t cap, uint64_t tag,
			      int with_deadline, uint32_t deadline_ms);
/* Build the CALL_ID control message of a server reply; as above. */
size_t eorpc__cmsg_build_reply(void *buf, size_t cap, uint64_t call_id);
/*
 * Parse a control buffer as recvmsg(2) left it. Other levels and unknown
 * SOL_EORPC types are skipped. Returns 0, or -EPROTO for a malformed buffer
 * (bad cmsg_len, wrong payload size, duplicate, nonpositive error) unless the
 * damage is explained by truncation (@msg_flags has MSG_CTRUNC): then the
 * damaged message is skipped and @out->ctrunc is set.
 */
int eorpc__cmsg_parse(const void *control, size_t controllen, int msg_flags,
		      struct eorpc_cmsg_info *out);

/* ---- fdstate.c: per-descriptor stash of completions ---- */

/* One completion read from the socket and not yet handed out. */
struct eorpc__done {
	struct eorpc__done *next;
	uint64_t tag;
	int error;		/* positive errno of a failed call, or 0 */
	int trunc;		/* longer than the library's buffer */
	size_t len;
	void *data;
};

/* A thread waiting for a particular tag (on its own stack). */
struct eorpc__waiter {
	struct eorpc__waiter *next;
	uint64_t tag;
};

struct eorpc__fd {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int refs;	/* table slots + users, under the table lock */
	dev_t dev;		/* identity of the open file, to notice */
	ino_t ino;		/* that the descriptor number was reused */
	int reading;		/* a thread is in recvmsg for this fd */
	struct eorpc__done *head, **tailp;
	size_t nstash;
	struct eorpc__waiter *waiters;
	void *rxbuf;		/* EORPC_MAX_MSG_LEN bytes, reader's */
	struct eorpc__done *spare;	/* preallocated stash entry */
};

/* Find or create the state of @fd (a reference); NULL with errno. */
struct eorpc__fd *eorpc__fd_get(int fd);
void eorpc__fd_put(struct eorpc__fd *st);
/* Number of stashed completions for @fd, 0 if it has no state (tests). */
size_t eorpc__fd_stashed(int fd);
/* Number of registered waiters for @fd (tests). */
size_t eorpc__fd_waiters(int fd);

/* Preserve errno across cleanup. */
#define EORPC_SAVE_ERRNO(expr) do { int e__ = errno; expr; errno = e__; } while (0)

#endif /* LIBEORPC_INTERNAL_H */
