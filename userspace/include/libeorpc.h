/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libeorpc: helpers for AF_EORPC, exactly-once RPC over UDP.
 *
 * The kernel contract lives in <linux/eorpc.h>; this library only wraps it:
 * it discovers the address family number at run time, builds and parses the
 * control messages, and offers a blocking call, an event-loop form and the
 * server receive/reply pair. See libeorpc(3).
 *
 * Thread safety: every function may be called from several threads at once.
 * Completions read from a client socket on behalf of one call but belonging
 * to another are kept in a per-descriptor stash and handed to their owner;
 * release that state with eorpc_close() (or close the descriptor and let the
 * library notice, from the socket's inode, that the descriptor number was
 * reused).
 */
#ifndef LIBEORPC_H
#define LIBEORPC_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <linux/eorpc.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Room for the longest text eorpc_addr_format() writes, with its NUL:
 * "[" IPv6 (45) "%" interface (15) "]:" port (5) NUL.
 */
#define EORPC_ADDRSTRLEN	70

/*
 * User tags with this bit set are reserved for eorpc_call(); tags chosen by
 * the application for eorpc_send() should leave it clear.
 */
#define EORPC_TAG_LIBRARY	(UINT64_C(1) << 63)

/*
 * deadline_ms value for eorpc_send(): attach no EORPC_CMSG_DEADLINE_MS, so
 * the socket's EORPC_DEFAULT_DEADLINE_MS applies.
 */
#define EORPC_DEADLINE_DEFAULT	UINT_MAX

/**
 * eorpc_family() - the address family number AF_EORPC uses on this host
 *
 * Reads EORPC_FAMILY_SYSFS (or the file named by the environment variable
 * EORPC_FAMILY_FILE, honoured unless the program runs set-user-ID). A number
 * read successfully is cached for the life of the process; failures are not
 * cached, so a later call sees a module loaded in the meantime.
 *
 * Return: the family number (> 0), or -1 with errno set: EAFNOSUPPORT if the
 * file does not exist (module not loaded), EINVAL if it holds no valid
 * number, or the error of open(2)/read(2).
 */
int eorpc_family(void);

/**
 * eorpc_socket() - create an AF_EORPC socket
 * @type_flags: 0 or an OR of SOCK_NONBLOCK and SOCK_CLOEXEC
 *
 * Return: socket(eorpc_family(), SOCK_DGRAM | @type_flags, 0): a descriptor,
 * or -1 with errno (EINVAL for other flags, see eorpc_family(), socket(2)).
 */
int eorpc_socket(int type_flags);

/**
 * eorpc_addr_parse() - fill a socket address from text
 * @sa: the address to fill; left untouched on failure
 * @text: "1.2.3.4:80", "[2001:db8::1]:80", "[fe80::1%eth0]:80" (scope by
 *	interface name or number), or "hostname:80" (resolved with
 *	getaddrinfo(3), first IPv4 or IPv6 result). The port is decimal,
 *	0-65535; IPv6 literals need brackets, IPv4 literals must not have them.
 *
 * @sa->seo_family is eorpc_family() when that succeeds, else
 * EORPC_FAMILY_DEFAULT; errno is left alone in that case.
 *
 * Return: 0, or -1 with errno: EINVAL for malformed text, ENODEV for an
 * unknown scope interface, ENOENT when a host name does not resolve,
 * EAGAIN/ENOMEM for transient resolver failures.
 */
int eorpc_addr_parse(struct sockaddr_eorpc *sa, const char *text);

/**
 * eorpc_addr_format() - write a socket address as text
 * @sa: the address
 * @buf: where to write the NUL-terminated text
 * @len: size of @buf; EORPC_ADDRSTRLEN always suffices
 *
 * Writes the forms eorpc_addr_parse() reads; a scope id is written as the
 * interface name when one exists, else as its number.
 *
 * Return: the length of the text (without the NUL), or -1 with errno:
 * EINVAL (NULL argument), EAFNOSUPPORT (@sa->seo_transport is neither
 * AF_INET nor AF_INET6), ENOSPC (@buf too small; it then holds a truncated,
 * NUL-terminated text if @len > 0).
 */
int eorpc_addr_format(const struct sockaddr_eorpc *sa, char *buf, size_t len);

/**
 * eorpc_server_open() - open a server socket
 * @addr: local address to bind (its seo_family is replaced by the number in
 *	use, so an address parsed before the module was loaded still works)
 * @flags: 0 or an OR of SOCK_NONBLOCK, SOCK_CLOEXEC and
 *	EORPC_SERVER_REUSEPORT
 *
 * socket(), bind() and listen(): only a listening AF_EORPC socket serves.
 * With EORPC_SERVER_REUSEPORT, EORPC_REUSEPORT is set before bind(): other
 * server sockets of the same user may bind the same address and port (one
 * per process or thread, say), the kernel spreads new client sessions over
 * them and keeps each session with its socket (eorpc(7)).
 *
 * Return: the descriptor, or -1 with errno of the step that failed (the
 * socket is closed then).
 */
int eorpc_server_open(const struct sockaddr_eorpc *addr, int flags);

/* eorpc_server_open(): join a reuseport group; no SOCK_* flag has this bit. */
#define EORPC_SERVER_REUSEPORT	0x1

/**
 * eorpc_client_open() - open a client socket
 * @flags: 0 or an OR of SOCK_NONBLOCK and SOCK_CLOEXEC
 *
 * The kernel binds the socket to an ephemeral port on its first call.
 *
 * Return: the descriptor, or -1 with errno.
 */
int eorpc_client_open(int flags);

/**
 * eorpc_close() - forget the library's state for a socket and close it
 * @fd: the socket
 *
 * Frees the stash of completions not yet collected. Do not call it while
 * another thread still uses @fd.
 *
 * Return: close(2)'s result.
 */
int eorpc_close(int fd);

/**
 * eorpc_call() - make one call and wait for its outcome
 * @fd: client socket
 * @server: server address, or NULL on a connect()ed socket
 * @req: request payload (may be NULL if @req_len is 0)
 * @req_len: request length, at most EORPC_MAX_MSG_LEN
 * @reply: buffer for the reply
 * @reply_cap: size of @reply
 * @timeout_ms: call deadline in milliseconds, sent as EORPC_CMSG_DEADLINE_MS;
 *	0 means no deadline (retry until the socket closes), a negative value
 *	sends no deadline message so the socket's EORPC_DEFAULT_DEADLINE_MS
 *	applies
 *
 * Sends the request under a fresh user tag and reads completions until the
 * one with that tag arrives; completions of other calls read meanwhile are
 * stashed for eorpc_recv_reply() and eorpc_wait().
 *
 * Return: the reply length, or -1 with errno set to the call's outcome
 * (ETIMEDOUT, ECANCELED, ECONNRESET, ESTALE, ESHUTDOWN: may have executed;
 * ECONNREFUSED, ECONNABORTED: certainly not executed; see
 * eorpc_may_have_executed()), to EMSGSIZE if the reply was longer than
 * @reply_cap (the call did complete; @reply holds its first @reply_cap
 * bytes), to ESHUTDOWN if the socket reached end of file (shut down for
 * reading) first, to EPROTO if the kernel returned a completion the library
 * cannot read, or to the error of a system call. EINTR, and EAGAIN on a
 * non-blocking socket or when SO_RCVTIMEO expires, leave the call in flight:
 * use eorpc_call_tagged() to be able to wait for it again.
 */
ssize_t eorpc_call(int fd, const struct sockaddr_eorpc *server,
		   const void *req, size_t req_len,
		   void *reply, size_t reply_cap, int timeout_ms);

/**
 * eorpc_call_tagged() - eorpc_call() that tells the call's tag
 * @fd: see eorpc_call()
 * @server: see eorpc_call()
 * @req: see eorpc_call()
 * @req_len: see eorpc_call()
 * @reply: see eorpc_call()
 * @reply_cap: see eorpc_call()
 * @timeout_ms: see eorpc_call()
 * @tag: if not NULL, set to the call's user tag (nonzero, with
 *	EORPC_TAG_LIBRARY set) once the request was handed to the kernel, and
 *	to 0 if it never was
 *
 * After -1 with EINTR or EAGAIN and a nonzero *@tag, the call is still in
 * flight: collect its outcome with eorpc_wait(), or cancel it with
 * eorpc_cancel().
 *
 * Return: as eorpc_call().
 */
ssize_t eorpc_call_tagged(int fd, const struct sockaddr_eorpc *server,
			  const void *req, size_t req_len,
			  void *reply, size_t reply_cap, int timeout_ms,
			  uint64_t *tag);

/**
 * eorpc_wait() - wait for the outcome of the call with a given tag
 * @fd: client socket
 * @tag: the call's user tag
 * @reply: buffer for the reply
 * @reply_cap: size of @reply
 * @flags: 0 or MSG_DONTWAIT
 *
 * Takes the completion from the stash, or reads completions (stashing the
 * others) until it arrives. Only one thread may wait for a given tag.
 *
 * Return: as eorpc_call(); -1 with EAGAIN if @flags has MSG_DONTWAIT and the
 * completion is not there yet.
 */
ssize_t eorpc_wait(int fd, uint64_t tag, void *reply, size_t reply_cap,
		   int flags);

/**
 * eorpc_send() - start a call without waiting (event-loop form)
 * @fd: client socket
 * @server: server address, or NULL on a connect()ed socket
 * @req: request payload (may be NULL if @len is 0)
 * @len: request length, at most EORPC_MAX_MSG_LEN
 * @tag: user tag returned with the completion (keep EORPC_TAG_LIBRARY clear)
 * @deadline_ms: EORPC_CMSG_DEADLINE_MS to send (0: no deadline), or
 *	EORPC_DEADLINE_DEFAULT for the socket's default
 * @flags: sendmsg(2) flags, e.g. MSG_DONTWAIT
 *
 * Return: 0, or -1 with errno (EMSGSIZE above EORPC_MAX_MSG_LEN; EAGAIN when
 * the socket's send buffer (SO_SNDBUF), which holds the requests of calls in
 * flight and of calls waiting for window space, is full on a non-blocking
 * send; sendmsg(2) errors). On failure
 * the call was not started.
 */
int eorpc_send(int fd, const struct sockaddr_eorpc *server,
	       const void *req, size_t len, uint64_t tag,
	       unsigned int deadline_ms, int flags);

/**
 * eorpc_recv_reply() - collect the next completion (event-loop form)
 * @fd: client socket
 * @buf: buffer for the reply
 * @cap: size of @buf
 * @tag: if not NULL, set to the completed call's user tag
 * @call_error: if not NULL, set to 0 for a reply, or to the call's positive
 *	errno when it ended without one
 * @flags: 0 or MSG_DONTWAIT
 *
 * Stashed completions come first (except those a thread is waiting for in
 * eorpc_call()/eorpc_wait()), then the socket is read. Stashed completions
 * do not make the socket readable for poll(2): an event loop sharing a
 * socket with blocking callers should drain with MSG_DONTWAIT until EAGAIN.
 *
 * Return:
 * * the reply length, with *@call_error = 0;
 * * 0 with *@call_error = the call's errno when it ended without a reply
 *   (EPROTO if its control data came back truncated, so the library cannot
 *   tell success from failure); with @call_error NULL, -1 and errno = that
 *   error instead;
 * * -1 with errno EMSGSIZE when the reply is longer than @cap: *@tag is set,
 *   @buf holds the first @cap bytes, the completion is consumed;
 * * -1 with errno ESHUTDOWN at end of file (the socket was shut down for
 *   reading and holds no more completions; *@tag is not set);
 * * -1 with errno EPROTO for a completion whose control data is malformed
 *   or names no call (it is consumed), or with the errno of recvmsg(2)
 *   (EAGAIN, EINTR, ...).
 */
ssize_t eorpc_recv_reply(int fd, void *buf, size_t cap, uint64_t *tag,
			 int *call_error, int flags);

/**
 * eorpc_recv_request() - receive the next request on a server socket
 * @fd: server socket
 * @buf: buffer for the request
 * @cap: size of @buf (EORPC_MAX_MSG_LEN never truncates)
 * @call_id: set to the call id to answer with eorpc_reply()
 * @client: if not NULL, set to the client's address
 * @flags: recvmsg(2) flags, e.g. MSG_DONTWAIT
 *
 * Return: the request length, or -1 with errno: recvmsg(2) errors,
 * ESHUTDOWN at end of file (shut down for reading), EPROTO if the kernel
 * gave no call id, EMSGSIZE if the request was longer than
 * @cap (then *@call_id is set: the request counts as delivered, and must
 * still be answered).
 */
ssize_t eorpc_recv_request(int fd, void *buf, size_t cap, uint64_t *call_id,
			   struct sockaddr_eorpc *client, int flags);

/**
 * eorpc_reply() - answer a call on a server socket
 * @fd: server socket
 * @call_id: the id eorpc_recv_request() gave
 * @buf: reply payload (may be NULL if @len is 0)
 * @len: reply length, at most EORPC_MAX_MSG_LEN
 * @flags: sendmsg(2) flags
 *
 * Return: 0, or -1 with errno (EMSGSIZE, ENOENT for an unknown or already
 * answered call, sendmsg(2) errors).
 */
int eorpc_reply(int fd, uint64_t call_id, const void *buf, size_t len,
		int flags);

/**
 * eorpc_cancel() - cancel the calls in flight with a given tag
 * @fd: client socket
 * @tag: user tag
 *
 * The calls complete with ECANCELED (or ECONNABORTED if their request was
 * never sent); the completions still have to be collected.
 *
 * Return: 0, or -1 with errno (ENOENT: no call in flight has that tag).
 */
int eorpc_cancel(int fd, uint64_t tag);

/**
 * eorpc_may_have_executed() - classify a call's error
 * @err: a positive errno a call ended with
 *
 * Return: 1 if the server application may have received the request
 * (ETIMEDOUT, ECANCELED, ECONNRESET, ESTALE, ESHUTDOWN, EPROTO), 0 if it
 * certainly did not (ECONNREFUSED, ECONNABORTED), -1 if @err is no call
 * outcome.
 */
int eorpc_may_have_executed(int err);

/**
 * eorpc_strerror() - describe a call's outcome
 * @err: a positive errno a call ended with (0: completed)
 *
 * Return: a static string saying what happened and whether the request may
 * have executed or certainly did not; for other errnos, the system's
 * description. Never NULL; thread-safe.
 */
const char *eorpc_strerror(int err);

/**
 * eorpc_handover_send() - give a server socket to a successor process
 * @unix_fd: a connected AF_UNIX SOCK_STREAM socket to the successor
 * @eorpc_fd: the listening AF_EORPC socket to hand over
 * @state: the application's state for the successor (may be NULL if @len
 *	is 0)
 * @len: bytes of @state
 *
 * Sends a header with @eorpc_fd attached (SCM_RIGHTS), then @state, and
 * waits for the successor's acknowledgement (eorpc_handover_recv() sends it
 * once it holds both). The socket's sessions, history and queued requests
 * live in the kernel and move with the descriptor; the caller must already
 * have answered every request it read (the successor cannot know them) and
 * must read no more. After 0 the successor serves: close @eorpc_fd and exit.
 * After -1 the successor may not have the socket: keep serving. A timeout
 * set on @unix_fd (SO_RCVTIMEO, SO_SNDTIMEO) bounds the wait.
 *
 * Return: 0, or -1 with errno: ECONNABORTED if the successor closed the
 * connection before acknowledging, EPROTO for a wrong acknowledgement,
 * EINVAL for bad arguments, or the error of sendmsg(2)/recv(2).
 */
int eorpc_handover_send(int unix_fd, int eorpc_fd, const void *state,
			size_t len);

/**
 * eorpc_handover_recv() - take a server socket from a predecessor
 * @unix_fd: a connected AF_UNIX SOCK_STREAM socket to the predecessor
 * @eorpc_fd: set to the received socket (close-on-exec)
 * @state: set to a malloc(3)ed copy of the state (NULL when empty); free(3)
 *	it
 * @len: set to the length of the state
 * @max_len: longest state accepted
 *
 * Reads what eorpc_handover_send() sent and checks that the descriptor is an
 * AF_EORPC socket. It does not acknowledge: load the state first,
 * then call eorpc_handover_ack(), and only then serve; until the
 * acknowledgement the predecessor may still go on serving, so a successor
 * that fails before it should close the descriptor and the connection.
 * Requests that arrived during the handover are waiting in the socket.
 *
 * Return: 0, or -1 with errno (nothing is kept): ECONNABORTED (connection closed
 * early), EPROTO (not a handover, or no descriptor), EMSGSIZE (state longer
 * than @max_len), EPROTOTYPE (not an AF_EORPC socket), EINVAL (bad
 * arguments), ENOMEM, or the error of recvmsg(2).
 */
int eorpc_handover_recv(int unix_fd, int *eorpc_fd, void **state, size_t *len,
			size_t max_len);

/**
 * eorpc_handover_ack() - tell the predecessor the successor now serves
 * @unix_fd: the connection eorpc_handover_recv() read from
 *
 * Ends the predecessor's eorpc_handover_send() with 0: it closes its copy of
 * the socket and exits.
 *
 * Return: 0, or -1 with errno of send(2).
 */
int eorpc_handover_ack(int unix_fd);

/**
 * eorpc_handover_listen() - the unix socket a successor connects to
 * @path: its file system path
 *
 * A non-blocking, close-on-exec AF_UNIX SOCK_STREAM socket listening on
 * @path; a file already at @path is removed first (a predecessor's stale
 * one). Poll it beside the server socket; when it is readable, take the
 * successor with eorpc_handover_accept() and call eorpc_handover_send().
 *
 * Return: the descriptor, or -1 with errno (ENAMETOOLONG, EINVAL for NULL,
 * socket(2), bind(2), listen(2) errors).
 */
int eorpc_handover_listen(const char *path);

/**
 * eorpc_handover_accept() - take the successor that connected
 * @listen_fd: from eorpc_handover_listen(); closed and set to -1 on success
 * @path: the path it listens on; removed on success, since the successor
 *	binds it for its own successor
 *
 * The connection gets a 30 s SO_RCVTIMEO: a successor that hangs must not
 * stop the server for good (eorpc_handover_send() then fails, and the
 * server may listen again and serve on).
 *
 * Return: a close-on-exec descriptor for eorpc_handover_send(), or -1 with
 * errno (EAGAIN: nobody connected; the listener is kept; EINVAL).
 */
int eorpc_handover_accept(int *listen_fd, const char *path);

/**
 * eorpc_handover_connect() - connect to a running server's handover socket
 * @path: the path it passed to eorpc_handover_listen()
 *
 * Return: a connected, close-on-exec AF_UNIX SOCK_STREAM descriptor for
 * eorpc_handover_recv(), or -1 with errno (ENAMETOOLONG, EINVAL for NULL,
 * connect(2) errors: ENOENT or ECONNREFUSED when no server listens there).
 */
int eorpc_handover_connect(const char *path);

#ifdef __cplusplus
}
#endif

#endif /* LIBEORPC_H */
