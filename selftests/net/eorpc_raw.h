/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers the hardening selftests share: a small encoder of AF_EORPC
 * datagrams written from kmod/PROTOCOL.md (deliberately not kmod/wire.h: a
 * test that shared the module's encoder would agree with its bugs), a tiny
 * echo server in a namespace (eorpc_netns.h makes them), and counters read
 * from another process's namespace.
 */
#ifndef EORPC_SELFTEST_RAW_H
#define EORPC_SELFTEST_RAW_H

#include <dirent.h>
#include <endian.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include "eorpc_util.h"
#include "eorpc_netns.h"

/* ---- the wire format, as PROTOCOL.md describes it ---- */

enum {
	EOW_VERSION = 1,
	EOW_HDR_LEN = 56,
	EOW_FRAG_DATA = 1344,
	EOW_MAX_MSG = 1 << 20,
	EOW_COOKIE_LEN = 16,
	EOW_WELCOME_LEN = 8,
};

enum eow_type {
	EOW_HELLO = 1, EOW_WELCOME, EOW_REQUEST, EOW_REPLY, EOW_BUSY, EOW_ACK,
	EOW_ERROR, EOW_COOKIE, EOW_NEED_REQUEST, EOW_NEED_REPLY,
};

enum { EOW_F_RETRANS = 1, EOW_F_CLOSE = 2, EOW_F_ACK_NOW = 4 };

/* Header fields in host order; eow_put() writes them big-endian. */
struct eow_hdr {
	uint8_t version, type, flags, code;
	uint16_t frag, reserved;
	uint32_t msg_len, reserved2;
	uint64_t client_epoch, server_epoch, session_id, request_id, ack;
};

static inline void eow_put(uint8_t *buf, const struct eow_hdr *h)
{
	uint16_t v16;
	uint32_t v32;
	uint64_t v64[5];

	buf[0] = h->version;
	buf[1] = h->type;
	buf[2] = h->flags;
	buf[3] = h->code;
	v16 = htobe16(h->frag);
	memcpy(buf + 4, &v16, 2);
	v16 = htobe16(h->reserved);
	memcpy(buf + 6, &v16, 2);
	v32 = htobe32(h->msg_len);
	memcpy(buf + 8, &v32, 4);
	v32 = htobe32(h->reserved2);
	memcpy(buf + 12, &v32, 4);
	v64[0] = htobe64(h->client_epoch);
	v64[1] = htobe64(h->server_epoch);
	v64[2] = htobe64(h->session_id);
	v64[3] = htobe64(h->request_id);
	v64[4] = htobe64(h->ack);
	memcpy(buf + 16, v64, sizeof(v64));
}

/* Parse a header; -1 if @len is shorter than one. No validation: tests look. */
static inline int eow_get(const uint8_t *buf, size_t len, struct eow_hdr *h)
{
	uint64_t v64[5];
	uint32_t v32;
	uint16_t v16;

	if (len < EOW_HDR_LEN)
		return -1;
	h->version = buf[0];
	h->type = buf[1];
	h->flags = buf[2];
	h->code = buf[3];
	memcpy(&v16, buf + 4, 2);
	h->frag = be16toh(v16);
	memcpy(&v16, buf + 6, 2);
	h->reserved = be16toh(v16);
	memcpy(&v32, buf + 8, 4);
	h->msg_len = be32toh(v32);
	memcpy(&v32, buf + 12, 4);
	h->reserved2 = be32toh(v32);
	memcpy(v64, buf + 16, sizeof(v64));
	h->client_epoch = be64toh(v64[0]);
	h->server_epoch = be64toh(v64[1]);
	h->session_id = be64toh(v64[2]);
	h->request_id = be64toh(v64[3]);
	h->ack = be64toh(v64[4]);
	return 0;
}

/* A HELLO: header plus a 16-byte cookie (all zero: "I have none"). */
static inline size_t eow_hello(uint8_t *buf, uint64_t client_epoch,
			       const uint8_t *cookie)
{
	struct eow_hdr h = { .version = EOW_VERSION, .type = EOW_HELLO,
			     .client_epoch = client_epoch };

	eow_put(buf, &h);
	if (cookie)
		memcpy(buf + EOW_HDR_LEN, cookie, EOW_COOKIE_LEN);
	else
		memset(buf + EOW_HDR_LEN, 0, EOW_COOKIE_LEN);
	return EOW_HDR_LEN + EOW_COOKIE_LEN;
}

/* One datagram from a plain UDP socket: 0, or -1 if not all of it went. */
static inline int eow_send_to(int us, const struct sockaddr_in *to,
			      const void *buf, size_t len)
{
	return sendto(us, buf, len, 0, (const struct sockaddr *)to,
		      sizeof(*to)) == (ssize_t)len ? 0 : -1;
}

/* HELLO, COOKIE, HELLO with the cookie, WELCOME: a session from a UDP socket. */
static inline int eow_handshake(int us, const struct sockaddr_in *srv,
				uint64_t epoch, struct eow_hdr *welcome,
				size_t *cookie_len)
{
	uint8_t buf[1500], cookie[EOW_COOKIE_LEN];
	struct eow_hdr h;
	ssize_t n;

	if (eow_send_to(us, srv, buf, eow_hello(buf, epoch, NULL)))
		return -1;
	n = recv(us, buf, sizeof(buf), 0);
	if (eow_get(buf, n < 0 ? 0 : n, &h) || h.type != EOW_COOKIE ||
	    h.client_epoch != epoch)
		return -2;
	*cookie_len = n - EOW_HDR_LEN;
	if (*cookie_len != EOW_COOKIE_LEN)
		return -3;
	memcpy(cookie, buf + EOW_HDR_LEN, EOW_COOKIE_LEN);
	if (eow_send_to(us, srv, buf, eow_hello(buf, epoch, cookie)))
		return -4;
	n = recv(us, buf, sizeof(buf), 0);
	if (eow_get(buf, n < 0 ? 0 : n, welcome) || welcome->type != EOW_WELCOME ||
	    welcome->client_epoch != epoch || !welcome->session_id ||
	    n != EOW_HDR_LEN + EOW_WELCOME_LEN)
		return -5;
	return 0;
}

/*
 * A WELCOME for @hello, as a stand-in server in a test answers: server
 * epoch 0x5e5e, session 0x1d1d, window 32, timeout 120 s.
 */
static inline size_t eow_welcome_for(uint8_t *buf, const struct eow_hdr *hello)
{
	struct eow_hdr h = { .version = EOW_VERSION, .type = EOW_WELCOME,
			     .client_epoch = hello->client_epoch,
			     .server_epoch = 0x5e5e, .session_id = 0x1d1d };
	uint32_t body[2] = { htobe32(32), htobe32(120000) };

	eow_put(buf, &h);
	memcpy(buf + EOW_HDR_LEN, body, sizeof(body));
	return EOW_HDR_LEN + EOW_WELCOME_LEN;
}

/* xorshift64*: reproducible from a printed seed, unlike rand() across libcs. */
static inline uint64_t eo_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/* ---- counters ---- */

/*
 * Counter @name of the namespace process @pid lives in (/proc/PID/net is
 * that namespace's /proc/net); pid 0 means our own. -1 if absent.
 */
static inline long long eo_stat_of(pid_t pid, const char *name)
{
	char path[64], key[64];
	long long v, found = -1;
	FILE *f;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/net/eorpc/stats", pid);
	else
		snprintf(path, sizeof(path), "/proc/net/eorpc/stats");
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", key, &v) == 2)
		if (!strcmp(key, name))
			found = v;
	fclose(f);
	return found;
}

/*
 * Shrink every slab cache: return empty slabs (and empty the debug kernel's
 * KASAN quarantine), so what slab memory is left is what is in use.
 */
static inline void eo_shrink_slabs(void)
{
	DIR *dir = opendir("/sys/kernel/slab");
	struct dirent *d;
	char path[300];
	int fd;

	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 d->d_name);
		fd = open(path, O_WRONLY);
		if (fd < 0)
			continue;
		/* A cache that cannot shrink is measured as it is. */
		if (write(fd, "1", 1) < 0)
			errno = 0;
		close(fd);
	}
	closedir(dir);
}

/* /proc/meminfo's @key ("Slab", "SUnreclaim"...) in kB, -1 if absent. */
static inline long long eo_meminfo_kb(const char *key)
{
	long long v, found = -1;
	char k[64];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld kB\n", k, &v) == 2)
		if (!strncmp(k, key, strlen(key)) && k[strlen(key)] == ':')
			found = v;
	fclose(f);
	return found;
}

static inline uint64_t eo_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/*
 * Poll counter @name of @pid's namespace until it reaches @want (the module
 * counts in a work item, after the sender's sendto() returned) or 10 s
 * pass; returns its last value.
 */
static inline long long eo_wait_stat(pid_t pid, const char *name,
				     long long want)
{
	uint64_t end = eo_now_ms() + 10000;
	long long v;

	while ((v = eo_stat_of(pid, name)) < want && eo_now_ms() < end)
		usleep(10000);
	return v;
}

static inline int eo_is_debug_kernel(void)
{
	const char *k = getenv("EORPC_KERNEL");

	return k && !strcmp(k, "debug");
}

/* ---- an echo server that counts deliveries ---- */

enum { EO_ECHO_SLOTS = 4096 };

/*
 * Shared with the server child: how often each request (named by its first
 * four bytes, a number the test chooses) reached the application.
 */
struct eo_echo_counts {
	uint32_t delivered[EO_ECHO_SLOTS];
	uint32_t total;
};

static inline struct eo_echo_counts *eo_echo_counts_new(void)
{
	void *p = mmap(NULL, sizeof(struct eo_echo_counts),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * Fork a server: the child enters namespace @ns (NULL: ours), runs @setup,
 * which returns its socket (or -1: the child exits 11), then @serve, which
 * never returns. Returns the child's pid once @setup succeeded, or -1.
 */
static inline pid_t eo_fork_server(const char *ns, int (*setup)(void *arg),
				   void (*serve)(int fd, void *arg), void *arg)
{
	int ready[2], fd;
	pid_t pid;
	char c;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		close(ready[0]);
		if (ns && eo_ns_enter(ns))
			_exit(10);
		fd = setup(arg);
		if (fd < 0 || write(ready[1], "r", 1) != 1)
			_exit(11);
		close(ready[1]);
		serve(fd, arg);
		_exit(12);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		close(ready[0]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	close(ready[0]);
	return pid;
}

struct eo_echo_args {
	const struct sockaddr_eorpc *addr;
	struct eo_echo_counts *counts;
	size_t reply_len;
	int rcvbuf;
};

static inline int eo_echo_setup(void *arg)
{
	struct eo_echo_args *e = arg;
	int fd = eo_socket();

	if (fd < 0 || (e->rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUF,
					       &e->rcvbuf, sizeof(e->rcvbuf))) ||
	    bind(fd, (const struct sockaddr *)e->addr, sizeof(*e->addr)) ||
	    listen(fd, 0))
		return -1;
	return fd;
}

static inline void eo_echo_serve(int fd, void *arg)
{
	static uint8_t buf[EOW_MAX_MSG];
	struct eo_echo_args *e = arg;
	struct eo_rx rx;
	uint32_t slot;
	ssize_t n;

	for (;;) {
		n = eo_recv(fd, buf, sizeof(buf), &rx, 0);
		if (n < 0)
			_exit(12);
		if (e->counts && n >= 4) {
			memcpy(&slot, buf, 4);
			__atomic_add_fetch(&e->counts->delivered[slot % EO_ECHO_SLOTS],
					   1, __ATOMIC_SEQ_CST);
		}
		if (e->counts)
			__atomic_add_fetch(&e->counts->total, 1, __ATOMIC_SEQ_CST);
		if ((size_t)n < e->reply_len) {
			memset(buf + n, 'r', e->reply_len - n);
			n = e->reply_len;
		}
		if (eo_reply(fd, rx.call_id, buf, n) < 0)
			_exit(13);
	}
}

/*
 * Fork a server listening on @addr, in namespace @ns (NULL: ours), that
 * echoes every request, padded to @reply_len bytes when that is larger,
 * with SO_RCVBUF @rcvbuf (0: the default). Returns its pid once it
 * listens, or -1.
 */
static inline pid_t eo_echo_server_rcvbuf(const char *ns,
					  const struct sockaddr_eorpc *addr,
					  struct eo_echo_counts *counts,
					  size_t reply_len, int rcvbuf)
{
	struct eo_echo_args e = { addr, counts, reply_len, rcvbuf };

	return eo_fork_server(ns, eo_echo_setup, eo_echo_serve, &e);
}

static inline pid_t eo_echo_server(const char *ns,
				   const struct sockaddr_eorpc *addr,
				   struct eo_echo_counts *counts, size_t reply_len)
{
	return eo_echo_server_rcvbuf(ns, addr, counts, reply_len, 0);
}

static inline void eo_kill(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/*
 * One blocking call numbered @slot (its first four bytes) on @fd; returns
 * the reply length, or -1 with *@err = the call's errno (or the syscall's).
 */
static inline ssize_t eo_call(int fd, const struct sockaddr_eorpc *to,
			      uint32_t slot, size_t len, int deadline_ms, int *err)
{
	static uint8_t req[EOW_MAX_MSG], rep[EOW_MAX_MSG];
	struct eo_rx rx;
	ssize_t n;

	*err = 0;
	if (len < 4)
		len = 4;
	memset(req, 'q', len);
	memcpy(req, &slot, 4);
	if (eo_send(fd, to, req, len, slot, deadline_ms, 0) < 0) {
		*err = errno;
		return -1;
	}
	n = eo_recv(fd, rep, sizeof(rep), &rx, 0);
	if (n < 0) {
		*err = errno;
		return -1;
	}
	if (rx.error) {
		*err = rx.error;
		return -1;
	}
	return n;
}

#endif /* EORPC_SELFTEST_RAW_H */
