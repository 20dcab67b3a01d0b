/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A fake AF_EORPC kernel for the unit tests: installed in the library's
 * system call table, it records what the library sends and returns crafted
 * messages (with SOL_EORPC control messages) from recvmsg.
 */
#ifndef EORPC_FAKE_H
#define EORPC_FAKE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "libeorpc.h"

/* One sendmsg the library made, decoded with the libc CMSG_* macros. */
struct fake_sent {
	int fd;
	int flags;
	int has_name;
	socklen_t namelen;
	struct sockaddr_eorpc name;
	unsigned char *data;
	size_t len;
	int n_cmsg;		/* all control messages */
	int has_tag, has_deadline, has_call_id;
	uint64_t tag, call_id;
	uint32_t deadline_ms;
	int bad_cmsg;		/* wrong level, length or unknown type */
};

enum fake_mode {
	FAKE_QUIET,		/* sendmsg only records */
	FAKE_ECHO,		/* each tagged send queues an echo reply */
	FAKE_ECHO_SHUFFLE,	/* ... at a random place in the queue */
};

void fake_install(void);	/* reset and install */
void fake_uninstall(void);	/* back to libc, free everything */
void fake_set_mode(enum fake_mode mode);
int fake_fd(void);		/* a real descriptor to use as a socket */

void fake_push_reply(uint64_t tag, const void *data, size_t len);
void fake_push_error(uint64_t tag, int err);
void fake_push_request(uint64_t call_id, const struct sockaddr_eorpc *from,
		       const void *data, size_t len);
void fake_push_raw(const void *control, size_t controllen, int msg_flags,
		   const void *data, size_t len);
void fake_push_errno(int err);	/* recvmsg fails once with err */
size_t fake_queued(void);

/* Next sendmsg / bind / listen / socket fails with err. */
void fake_fail_send(int err);
void fake_fail_socket(int err);
void fake_fail_bind(int err);
void fake_fail_listen(int err);
void fake_fail_setsockopt(int err);

int fake_nsent(void);
const struct fake_sent *fake_sent(int i);
int fake_nrecv(void);		/* recvmsg calls that returned something */
int fake_blocked(void);		/* threads blocked in recvmsg now */

/* Last socket()/bind()/listen()/setsockopt() arguments. */
struct fake_calls {
	int n_socket, socket_domain, socket_type, socket_proto, socket_fd;
	int n_bind, bind_fd;
	socklen_t bind_len;
	struct sockaddr_eorpc bind_addr;
	int n_listen, listen_fd;
	int n_setsockopt, sso_level, sso_name;
	socklen_t sso_len;
	unsigned char sso_val[16];
};
const struct fake_calls *fake_calls(void);

/* Control buffer builder for crafted messages. */
size_t cm_put(void *buf, size_t cap, size_t off, int level, int type,
	      const void *data, size_t len);

#endif
