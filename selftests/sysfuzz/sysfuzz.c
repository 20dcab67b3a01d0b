// SPDX-License-Identifier: GPL-2.0
/*
 * sysfuzz: a system-call fuzzer for the AF_EORPC socket family (TAP output).
 *
 * Worker threads (and the processes they fork) run random operations on a
 * shared table of AF_EORPC sockets: socket, bind, listen, connect, calls
 * (sendmsg with random control messages, sizes and flags), server replies,
 * recvmsg, socket options, shutdown, close, dup, poll, epoll, signals, fork,
 * network namespaces torn down under their sockets, and delete_module. The
 * sockets call each other on 127.0.0.1 and ::1, so the protocol runs, not
 * only the argument checks.
 *
 * It checks more than "no crash":
 *  - every errno is one eorpc(7) (or udp(7), socket(7) for what the socket
 *    layer does) allows for that operation and those arguments; an argument
 *    fault the fuzzer planted must fail;
 *  - values: SO_TYPE/SO_DOMAIN/SO_PROTOCOL/SO_ERROR, EORPC_WINDOW,
 *    EORPC_MAX_MSG, addresses
 *    the kernel returns, POLLERR never set, POLLHUP/POLLRDHUP only after
 *    shutdown, recvmsg lengths and MSG_TRUNC, payload bytes intact;
 *  - the guarantees, from ids carried in every payload and recorded in
 *    memory shared by all workers: no request delivered twice (G2) or after
 *    its sendmsg failed, no call completed twice, a reply only for a
 *    delivered request and carrying that request's id (G1, G6), a call error
 *    that is documented and fits what happened (ETIMEDOUT needs a deadline,
 *    ECANCELED a cancel, ESHUTDOWN a shutdown; ECONNREFUSED and ECONNABORTED
 *    never for a delivered request: G4);
 *  - nothing hangs (a watchdog), no fd leaks, and once every socket is
 *    closed the namespace holds no socket, session or server state and the
 *    module's reference count drops to 0.
 *
 * Reproducible from --seed: each worker (and each child process) has its
 * own generator, seeded from the seed and its index, so its sequence of
 * operations is the same on every run. How the workers interleave (and so
 * the results) is not.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <net/if.h>
#include <linux/sockios.h>
#include "../lib/tap.h"
#include "../net/eorpc_util.h"

#define NSLOTS		12	/* sockets per process */
#define MAXW		8	/* worker threads */
#define NEP		64	/* server endpoints remembered */
#define NCALLS		(1u << 21)	/* calls tracked (ids beyond: unchecked) */
#define NSOCK		(1u << 16)	/* sockets tracked */
#define NPEND		32
#define TRACE		48
#define BUFSZ		(EORPC_MAX_MSG_LEN + 4096)
#define HDR		16	/* payload header: magic, length, id */
#define REQ_MAGIC	0x52455121u	/* "REQ!" */
#define REP_MAGIC	0x52455021u	/* "REP!" */
#define STALL_S		60	/* one operation this long is a hang */

/* ---- shared by every thread and process (MAP_SHARED) ---- */

enum {
	CI_PENDING = 1,		/* sendmsg issued */
	CI_STARTED = 2,		/* sendmsg returned the length */
	CI_FAILED = 4,		/* sendmsg failed: must never be delivered */
	CI_DEADLINE = 8,	/* a deadline may apply */
	CI_CANCEL = 16,		/* EORPC_CANCEL named its tag */
	CI_DELIVERED = 32,	/* a server's recvmsg returned it */
	CI_COMPLETED = 64,	/* the client's recvmsg returned its end */
	CI_NOTAG = 128,		/* sent without a tag */
	CI_NOTRUN = 256,	/* ended "certainly not executed" */
};

struct callinfo {
	_Atomic uint32_t flags;
	uint32_t sock;		/* sockinfo serial of the sender */
	uint32_t len;
	uint16_t port;		/* destination port, 0 if not known */
};

enum {
	SI_DEADLINE = 1,	/* a default deadline was set */
	SI_SHUT_RD = 2,
	SI_SHUT_WR = 4,
	SI_LISTEN = 8,
	SI_REUSEPORT = 16,	/* EORPC_REUSEPORT was set: calls EOPNOTSUPP */
};

struct sockinfo {
	_Atomic uint32_t serial;
	_Atomic uint32_t flags;
};

struct endpoint {
	_Atomic uint32_t gen;	/* 0: empty */
	int nsid;
	uint16_t transport, port;
	int any;		/* bound to the wildcard address */
};

enum { ST_OPS, ST_ERRS, ST_CALLS, ST_DELIV, ST_REPLIES, ST_CERR, ST_SRVREP,
	ST_FORKS, ST_NETNS, ST_ADOPT, ST_UNLOAD, ST_EINTR, ST_PEEK, ST_TRUNC,
	/* In the order of call_errs[]. */
	ST_TIMEDOUT, ST_CANCELED, ST_RESET, ST_STALE, ST_SHUTDOWN, ST_REFUSED,
	ST_ABORTED, ST_EOF, ST_N };
static const char *const st_name[ST_N] = {
	"ops", "errors", "calls started", "requests delivered",
	"completions with a reply", "completions with an error",
	"replies sent", "forks", "netns children", "sockets adopted from a netns",
	"delete_module refused", "EINTR", "MSG_PEEK reads", "truncated reads",
	"ETIMEDOUT", "ECANCELED", "ECONNRESET", "ESTALE", "ESHUTDOWN",
	"ECONNREFUSED", "ECONNABORTED", "end of file reads",
};

struct shared {
	_Atomic uint32_t next_id, next_sock, next_ep, next_nsid;
	_Atomic int failures;
	_Atomic int stop;
	_Atomic uint64_t st[ST_N];
	struct endpoint ep[NEP];
	struct sockinfo si[NSOCK];
	struct callinfo ci[NCALLS];
};
static struct shared *sh;

/* ---- per process ---- */

struct slot {
	pthread_rwlock_t lk;	/* read: using fd; write: replacing it */
	pthread_mutex_t mu;	/* the lists below */
	int fd;			/* -1: empty */
	uint32_t sock;		/* sockinfo serial */
	int nsid;		/* network namespace: 0 the main one */
	int forked;		/* a child process shares it (and its lists) */
	int npend, nans, nsent;
	uint64_t pend[NPEND];	/* call ids received, not answered */
	uint32_t pend_id[NPEND];	/* their request ids (0: unknown) */
	uint64_t ans[16];	/* call ids answered */
	uint64_t sent[16];	/* tags of calls sent */
};
static struct slot slots[NSLOTS];
static pthread_rwlock_t g_lock;	/* read: an op; write: fork */
static int g_nsid;		/* this process's namespace */
static int g_af;
static uint64_t g_seed;
static int g_verbose;
static int g_child;		/* in a child process */

struct trace_ent { uint32_t op; int slot; long ret; int err; uint64_t arg; };

struct worker {
	int idx;
	uint64_t rng;
	uint64_t ops, nops;
	pthread_t th;
	pid_t tid;
	timer_t timer;
	int have_timer;
	int epfd;
	int forks;
	_Atomic uint64_t op_start;	/* ns, 0 when idle */
	_Atomic uint32_t cur_op;
	struct trace_ent tr[TRACE];
	unsigned trn;
	uint8_t *buf, *guard;	/* BUFSZ bytes, then an inaccessible page */
	uint8_t rbuf[BUFSZ];
	pid_t kids[16];
	int nkids;
};
static struct worker workers[MAXW];
static int nworkers = 3;

enum op {
	OP_SOCKET, OP_BIND, OP_LISTEN, OP_CONNECT, OP_CALL, OP_REPLY, OP_RECV,
	OP_SETSOCKOPT, OP_GETSOCKOPT, OP_CANCEL, OP_SHUTDOWN, OP_CLOSE, OP_DUP,
	OP_NAME, OP_POLL, OP_EPOLL, OP_SIGNAL, OP_MISC, OP_FORK, OP_NETNS,
	OP_UNLOAD, OP_N
};
static const char *const op_name[OP_N] = {
	"socket", "bind", "listen", "connect", "call", "reply", "recvmsg",
	"setsockopt", "getsockopt", "cancel", "shutdown", "close", "dup",
	"getname", "poll", "epoll", "signal", "misc", "fork", "netns",
	"delete_module",
};
/* Relative weights: mostly traffic, the expensive ones rarely. */
static const int op_weight[OP_N] = {
	[OP_SOCKET] = 60, [OP_BIND] = 50, [OP_LISTEN] = 40, [OP_CONNECT] = 30,
	[OP_CALL] = 260, [OP_REPLY] = 150, [OP_RECV] = 280,
	[OP_SETSOCKOPT] = 40, [OP_GETSOCKOPT] = 30, [OP_CANCEL] = 20,
	[OP_SHUTDOWN] = 8, [OP_CLOSE] = 30, [OP_DUP] = 10, [OP_NAME] = 15,
	[OP_POLL] = 30, [OP_EPOLL] = 20, [OP_SIGNAL] = 10, [OP_MISC] = 15,
	[OP_FORK] = 1, [OP_NETNS] = 1, [OP_UNLOAD] = 2,
};
static int op_total;
static int no_fork_ops;		/* children: neither fork nor netns */

/* ---- small helpers ---- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rnd64(struct worker *w)
{
	return splitmix(&w->rng);
}

static uint32_t rnd(struct worker *w, uint32_t n)
{
	return n ? rnd64(w) % n : 0;
}

static int chance(struct worker *w, int pct)
{
	return (int)rnd(w, 100) < pct;
}

static void stat_add(int i, uint64_t v)
{
	atomic_fetch_add(&sh->st[i], v);
}

/* An allowed errno set; errnos go up to 133. */
struct eset { uint64_t b[3]; };

static void es_add(struct eset *s, int e)
{
	if (e > 0 && e < 192)
		s->b[e / 64] |= 1ull << (e % 64);
}

static int es_has(const struct eset *s, int e)
{
	return e > 0 && e < 192 && (s->b[e / 64] >> (e % 64)) & 1;
}

#define ES(...) es_make((const int[]){ __VA_ARGS__, 0 })
static struct eset es_make(const int *e)
{
	struct eset s = { { 0 } };

	while (*e)
		es_add(&s, *e++);
	return s;
}

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * Output with write(2), not stdio: a child forked while another thread
 * held a stdio lock would block on it forever.
 */
static void __attribute__((format(printf, 1, 2))) out(const char *fmt, ...)
{
	char b[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(b) - 1)
		n = sizeof(b) - 1;
	if (n > 0 && write(1, b, n) < 0)
		_exit(4);
}

static void dump_trace(struct worker *w)
{
	unsigned i, n = w->trn < TRACE ? w->trn : TRACE;

	out("#   worker %d (pid %d) last %u operations, oldest first:\n",
	       w->idx, getpid(), n);
	for (i = w->trn - n; i != w->trn; i++) {
		struct trace_ent *t = &w->tr[i % TRACE];

		out("#     %-13s slot %2d arg %#" PRIx64 " -> %ld %s\n",
		       op_name[t->op], t->slot, t->arg, t->ret,
		       t->ret < 0 ? strerror(t->err) : "");
	}
}

static void dump_stack(const char *path)
{
	char b[4096];
	int fd = open(path, O_RDONLY), n;

	n = fd < 0 ? 0 : read(fd, b, sizeof(b) - 1);
	if (fd >= 0)
		close(fd);
	b[n > 0 ? n : 0] = 0;
	out("%s", b);
}

/* A failed check: say what, where and how to repeat it. */
static void __attribute__((format(printf, 2, 3)))
fail(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	char msg[600];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&out_lock);
	out("# FAIL seed %" PRIu64 " worker %d%s op %" PRIu64 " (%s): %s\n",
	    g_seed, w->idx, g_child ? " (child)" : "", w->ops,
	    op_name[atomic_load(&w->cur_op)], msg);
	dump_trace(w);
	pthread_mutex_unlock(&out_lock);
	if (atomic_fetch_add(&sh->failures, 1) >= 20)
		atomic_store(&sh->stop, 1);
}

static void record(struct worker *w, int op, int slot, uint64_t arg,
		   long ret, int err)
{
	struct trace_ent *t = &w->tr[w->trn++ % TRACE];

	t->op = op;
	t->slot = slot;
	t->arg = arg;
	t->ret = ret;
	t->err = err;
	if (ret < 0)
		stat_add(ST_ERRS, 1);
	if (ret < 0 && err == EINTR)
		stat_add(ST_EINTR, 1);
}

/*
 * The core assertion: @ret/@err of a call whose arguments had a planted
 * fault (@faulty) must be a failure, and any failure's errno must be in
 * @ok.
 */
static void expect(struct worker *w, const char *what, long ret, int err,
		   struct eset ok, int faulty)
{
	if (ret >= 0 && faulty)
		fail(w, "%s succeeded (%ld) despite a planted argument fault",
		     what, ret);
	else if (ret < 0 && !es_has(&ok, err))
		fail(w, "%s: unexpected errno %d (%s)", what, err,
		     strerror(err));
}

/* ---- shared records ---- */

static struct callinfo *ci_of(uint64_t id)
{
	return id && id < NCALLS ? &sh->ci[id] : NULL;
}

static struct sockinfo *si_of(uint32_t serial)
{
	struct sockinfo *si = &sh->si[serial % NSOCK];

	return serial && atomic_load(&si->serial) == serial ? si : NULL;
}

static uint32_t si_new(void)
{
	uint32_t s = atomic_fetch_add(&sh->next_sock, 1) + 1;
	struct sockinfo *si = &sh->si[s % NSOCK];

	atomic_store(&si->flags, 0);
	atomic_store(&si->serial, s);
	return s;
}

static void si_set(uint32_t serial, uint32_t f)
{
	struct sockinfo *si = si_of(serial);

	if (si)
		atomic_fetch_or(&si->flags, f);
}

/* Flags of a socket; all set (so no check fails) if no longer tracked. */
static uint32_t si_flags(uint32_t serial)
{
	struct sockinfo *si = si_of(serial);

	return si ? atomic_load(&si->flags) : ~0u;
}

/* ---- slots ---- */

/* Take a random slot for use; -1 if none is open. Read-locked on success. */
static int slot_get(struct worker *w, int want_open)
{
	int start = rnd(w, NSLOTS);

	for (int i = 0; i < NSLOTS; i++) {
		int s = (start + i) % NSLOTS;

		if (want_open && slots[s].fd < 0)
			continue;
		pthread_rwlock_rdlock(&slots[s].lk);
		if (!want_open || slots[s].fd >= 0)
			return s;
		pthread_rwlock_unlock(&slots[s].lk);
	}
	return -1;
}

static void slot_put(int s)
{
	pthread_rwlock_unlock(&slots[s].lk);
}

static void slot_reset(struct slot *sl)
{
	sl->fd = -1;
	sl->sock = 0;
	sl->nsid = 0;
	sl->forked = 0;
	sl->npend = sl->nans = sl->nsent = 0;
}

/* Write-lock a slot to replace its socket; -1 if busy (never wait). */
static int slot_grab(struct worker *w, int want_empty)
{
	int start = rnd(w, NSLOTS);

	for (int i = 0; i < NSLOTS; i++) {
		int s = (start + i) % NSLOTS;

		if (pthread_rwlock_trywrlock(&slots[s].lk))
			continue;
		if (want_empty < 0 || (want_empty ? slots[s].fd < 0 :
				       slots[s].fd >= 0))
			return s;
		pthread_rwlock_unlock(&slots[s].lk);
	}
	return -1;
}

/* ---- addresses ---- */

static struct sockaddr_eorpc addr_loop(int transport, uint16_t port, int any)
{
	struct sockaddr_eorpc a;

	if (transport == AF_INET)
		a = eo_addr4(any ? "0.0.0.0" : "127.0.0.1", port);
	else
		a = eo_addr6(any ? "::" : "::1", port);
	return a;
}

static void check_addr(struct worker *w, const char *what,
		       const struct sockaddr_eorpc *a, socklen_t len,
		       int need_port)
{
	if (len != sizeof(*a)) {
		fail(w, "%s: address length %u, not %zu", what, len,
		     sizeof(*a));
		return;
	}
	if (a->seo_family != g_af || a->seo_reserved ||
	    (a->seo_transport != AF_INET && a->seo_transport != AF_INET6) ||
	    (need_port && !a->seo_port) ||
	    (a->seo_transport == AF_INET &&
	     (a->seo_scope_id || memcmp(a->seo_addr6 + 4, "\0\0\0\0\0\0\0\0\0\0\0\0", 12))))
		fail(w, "%s: bad address: family %u transport %u port %u "
		     "reserved %u scope %u", what, a->seo_family,
		     a->seo_transport, ntohs(a->seo_port), a->seo_reserved,
		     a->seo_scope_id);
}

/*
 * A random address, maybe with a fault in it. *@fault gets the errno the
 * fault must produce (0: none). @dest: the address names a peer.
 */
enum { AF_OK, AF_SHORT, AF_FAMILY, AF_TRANSPORT, AF_RESERVED, AF_SCOPE,
	AF_WILD, AF_PORT0, AF_NFAULT };

static socklen_t fuzz_addr(struct worker *w, struct sockaddr_eorpc *a,
			   int dest, int *fault, int nsid)
{
	int kind = chance(w, 88) ? AF_OK : 1 + (int)rnd(w, AF_NFAULT - 1);
	socklen_t len = sizeof(*a);

	*fault = 0;
	if (dest) {
		/* A server someone registered, in this namespace. */
		struct endpoint *e = NULL;

		for (int i = 0; i < 8 && !e; i++) {
			struct endpoint *c = &sh->ep[rnd(w, NEP)];

			if (atomic_load(&c->gen) && c->nsid == nsid)
				e = c;
		}
		if (e && chance(w, 90)) {
			int t = e->transport;

			/* A wildcard IPv6 server also takes IPv4 peers. */
			if (e->any && t == AF_INET6 && chance(w, 30))
				t = AF_INET;
			*a = addr_loop(t, e->port, 0);
			if (e->any && t == AF_INET6 && chance(w, 15))
				inet_pton(AF_INET6, "::ffff:127.0.0.1",
					  a->seo_addr6);
		} else {
			/* Most likely nothing there: ICMP says refused. */
			*a = addr_loop(chance(w, 60) ? AF_INET : AF_INET6,
				       20000 + rnd(w, 40000), 0);
		}
	} else {
		switch (rnd(w, 10)) {
		case 0: case 1: case 2: case 3:
			*a = addr_loop(AF_INET, 0, 0);
			break;
		case 4: case 5: case 6:
			*a = addr_loop(AF_INET6, 0, 0);
			break;
		case 7:
			*a = addr_loop(AF_INET, 0, 1);
			break;
		case 8:
			*a = addr_loop(AF_INET6, 0, 1);
			break;
		default: {
			/* A port someone has: EADDRINUSE, mostly. */
			struct endpoint *e = &sh->ep[rnd(w, NEP)];

			*a = addr_loop(chance(w, 50) ? AF_INET : AF_INET6,
				       atomic_load(&e->gen) ? e->port :
				       20000 + rnd(w, 40000), 0);
		}
		}
	}
	switch (kind) {
	case AF_SHORT:
		/* 0 would mean no address at all. */
		len = 1 + rnd(w, sizeof(*a) - 1);
		*fault = EINVAL;
		break;
	case AF_FAMILY:
		a->seo_family = chance(w, 50) ? AF_INET : rnd(w, 65536);
		if (a->seo_family == g_af)
			a->seo_family++;
		*fault = EAFNOSUPPORT;
		break;
	case AF_TRANSPORT:
		a->seo_transport = chance(w, 50) ? AF_UNIX : rnd(w, 65536);
		if (a->seo_transport == AF_INET || a->seo_transport == AF_INET6)
			a->seo_transport = 0;
		*fault = EAFNOSUPPORT;
		break;
	case AF_RESERVED:
		a->seo_reserved = 1 + rnd(w, 65535);
		*fault = EINVAL;
		break;
	case AF_SCOPE:
		if (a->seo_transport == AF_INET) {
			a->seo_scope_id = 1 + rnd(w, 100);
			*fault = EINVAL;
		}
		break;
	case AF_WILD:
		if (dest) {
			struct sockaddr_eorpc z = addr_loop(a->seo_transport,
							    ntohs(a->seo_port), 1);
			*a = z;
			*fault = EINVAL;
		}
		break;
	case AF_PORT0:
		if (dest) {
			a->seo_port = 0;
			*fault = EINVAL;
		}
		break;
	}
	/* A longer address is accepted. */
	if (!*fault && chance(w, 5))
		len = sizeof(*a) + rnd(w, 100);
	return len;
}

/* For failure messages: what an address and a msghdr held. */
static void describe(char *d, size_t sz, const struct msghdr *m, int flags,
		     size_t len, int fault)
{
	const struct sockaddr_eorpc *a = m ? m->msg_name : NULL;
	char ab[64] = "-";
	size_t o;

	if (a)
		snprintf(ab, sizeof(ab), "fam %u tr %u port %u res %u scope %u "
			 "addr %08x", a->seo_family, a->seo_transport,
			 ntohs(a->seo_port), a->seo_reserved, a->seo_scope_id,
			 ntohl(a->seo_addr4));
	o = snprintf(d, sz, "[name %s namelen %u len %zu flags %#x fault %d "
		     "ctl %zu:", ab, m ? m->msg_namelen : 0, len, flags, fault,
		     m ? (size_t)m->msg_controllen : 0);
	if (m && m->msg_controllen >= sizeof(struct cmsghdr)) {
		for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c && o < sz;
		     c = CMSG_NXTHDR((struct msghdr *)m, c))
			o += snprintf(d + o, sz - o, " %d/%d/%zu", c->cmsg_level,
				      c->cmsg_type, (size_t)c->cmsg_len);
	}
	if (o < sz)
		snprintf(d + o, sz - o, "]");
}

/* ---- timers and signals ---- */

static void on_signal(int sig)
{
	(void)sig;
}

/*
 * Before an operation that may block: a signal to this thread after @ms,
 * so a wait always ends (EINTR) and signals hit waits often.
 */
static void arm(struct worker *w, int ms)
{
	/*
	 * Repeating: a signal that lands before the call starts to wait
	 * would otherwise leave it waiting for good.
	 */
	struct itimerspec it = {
		.it_value = { .tv_sec = ms / 1000,
			      .tv_nsec = (ms % 1000) * 1000000L },
		.it_interval = { .tv_nsec = 5000000L },
	};

	if (w->have_timer)
		timer_settime(w->timer, 0, &it, NULL);
}

static void disarm(struct worker *w)
{
	struct itimerspec it = { { 0, 0 }, { 0, 0 } };

	if (w->have_timer)
		timer_settime(w->timer, 0, &it, NULL);
}

static void worker_timer(struct worker *w)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID,
				.sigev_signo = SIGUSR1 };

	w->tid = syscall(SYS_gettid);
	sev._sigev_un._tid = w->tid;	/* sigev_notify_thread_id */
	w->have_timer = !timer_create(CLOCK_MONOTONIC, &sev, &w->timer);
	if (!w->have_timer)
		fail(w, "timer_create: %s", strerror(errno));
}

/* ---- payloads ---- */

static void put_hdr(uint8_t *b, uint32_t magic, uint32_t len, uint64_t id)
{
	memcpy(b, &magic, 4);
	memcpy(b + 4, &len, 4);
	memcpy(b + 8, &id, 8);
}

static uint8_t pat(uint32_t magic, uint64_t id, uint32_t i)
{
	return magic == REQ_MAGIC ? (uint8_t)(id + i) : (uint8_t)(id * 31 + i);
}

static void fill(uint8_t *b, uint32_t len, uint32_t magic, uint64_t id)
{
	if (len < HDR) {
		memset(b, 0xee, len);
		return;
	}
	put_hdr(b, magic, len, id);
	for (uint32_t i = HDR; i < len; i++)
		b[i] = pat(magic, id, i);
}

/*
 * Check what recvmsg returned of a message: its header, that the length
 * and MSG_TRUNC agree with the length the sender wrote, and every byte.
 * Returns the id (0 if the header was not there or not ours).
 */
static uint64_t check_body(struct worker *w, const char *what,
			   const uint8_t *b, size_t cap, ssize_t n,
			   int mflags, int rflags, uint32_t magic)
{
	uint32_t m, len;
	uint64_t id;
	size_t copied = n;

	if (rflags & MSG_TRUNC)
		copied = n < (ssize_t)cap ? (size_t)n : cap;
	if (copied > cap) {
		fail(w, "%s: returned %zd for a %zu-byte buffer", what, n, cap);
		return 0;
	}
	if (copied < HDR)
		return 0;
	memcpy(&m, b, 4);
	memcpy(&len, b + 4, 4);
	memcpy(&id, b + 8, 8);
	if (m != magic) {
		/* Replies to requests too short to carry an id say so. */
		if (!(magic == REP_MAGIC && m == 0xeeeeeeee))
			fail(w, "%s: payload magic %#x, not %#x", what, m, magic);
		return 0;
	}
	if ((mflags & MSG_TRUNC) != (len > cap ? MSG_TRUNC : 0))
		fail(w, "%s: %u-byte message into %zu bytes: msg_flags %#x",
		     what, len, cap, mflags);
	if (n != (rflags & MSG_TRUNC ? (ssize_t)len :
		  (ssize_t)(len < cap ? len : cap)))
		fail(w, "%s: returned %zd for a %u-byte message, %zu-byte "
		     "buffer, flags %#x", what, n, len, cap, rflags);
	for (size_t i = HDR; i < copied; i++)
		if (b[i] != pat(magic, id, i)) {
			fail(w, "%s: byte %zu of message %" PRIu64
			     " (%u bytes) is %#x, not %#x", what, i, id, len,
			     b[i], pat(magic, id, i));
			break;
		}
	if (mflags & MSG_TRUNC)
		stat_add(ST_TRUNC, 1);
	return id;
}

/* ---- control messages ---- */

static void add_cmsg(struct msghdr *m, size_t *off, int level, int type,
		     const void *data, size_t dlen, ssize_t lenfix)
{
	struct cmsghdr *c = (struct cmsghdr *)((char *)m->msg_control + *off);

	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(dlen) + lenfix;
	memcpy(CMSG_DATA(c), data, dlen);
	*off += CMSG_SPACE(dlen);
}

/* Random send flags; *@fault = EOPNOTSUPP if one is not allowed. */
static int send_flags(struct worker *w, int *fault)
{
	static const int bad[] = { MSG_OOB, MSG_DONTROUTE, 0x10 /* MSG_PROBE */,
		MSG_TRUNC, MSG_CONFIRM, MSG_MORE, MSG_WAITFORONE, MSG_FASTOPEN,
		MSG_ZEROCOPY, MSG_ERRQUEUE, MSG_PEEK, MSG_WAITALL };
	int f = 0;

	*fault = 0;
	if (chance(w, 85))
		f |= MSG_DONTWAIT;
	if (chance(w, 20))
		f |= MSG_NOSIGNAL;
	if (chance(w, 10))
		f |= MSG_EOR;
	if (chance(w, 10))
		f |= MSG_BATCH;
	if (chance(w, 4)) {
		f |= bad[rnd(w, sizeof(bad) / sizeof(bad[0]))];
		*fault = EOPNOTSUPP;
	}
	return f;
}

static uint32_t fuzz_len(struct worker *w, int *fault)
{
	*fault = 0;
	switch (rnd(w, 40)) {
	case 0: case 1:
		return 0;
	case 2: case 3:
		return 1 + rnd(w, HDR - 1);
	case 4:
		*fault = EMSGSIZE;
		return EORPC_MAX_MSG_LEN + 1 + rnd(w, 4000);
	case 5:
		/* The largest message is rare: 781 datagrams each way. */
		return rnd(w, 8) ? EORPC_MAX_PAYLOAD : EORPC_MAX_MSG_LEN;
	case 6: case 7: case 8:
		return 4096 + rnd(w, EORPC_MAX_PAYLOAD - 4096);
	case 9: case 10: case 11: case 12: case 13:
		return 1300 + rnd(w, 2800);	/* one to three fragments */
	default:
		return HDR + rnd(w, 600);
	}
}

/* Split @len bytes at @b into up to 4 iovecs (some empty). */
static int fuzz_iov(struct worker *w, struct iovec *iov, uint8_t *b, size_t len)
{
	int n = 1 + rnd(w, 4);
	size_t off = 0;

	for (int i = 0; i < n; i++) {
		size_t l = i == n - 1 ? len - off : rnd(w, len - off + 1);

		iov[i].iov_base = b + off;
		iov[i].iov_len = l;
		off += l;
	}
	return n;
}

/* ---- the operations ---- */

static void op_socket(struct worker *w)
{
	int s = slot_grab(w, -1), type = SOCK_DGRAM, proto = 0, fd, e;
	struct eset ok = ES(EMFILE, ENFILE, ENOMEM, ENOBUFS);
	int faulty = 0;

	if (s < 0)
		return;
	if (slots[s].fd >= 0) {
		close(slots[s].fd);
		slot_reset(&slots[s]);
	}
	switch (rnd(w, 20)) {
	case 0:
		type = chance(w, 50) ? SOCK_STREAM : (int)rnd(w, 12);
		if (type == SOCK_DGRAM)
			type = SOCK_SEQPACKET;
		es_add(&ok, type >= 11 || type == 0 ? EINVAL : ESOCKTNOSUPPORT);
		es_add(&ok, ESOCKTNOSUPPORT);
		faulty = 1;
		break;
	case 1:
		proto = chance(w, 50) ? IPPROTO_UDP : (int)(1 + rnd(w, 300));
		es_add(&ok, EPROTONOSUPPORT);
		faulty = 1;
		break;
	}
	if (chance(w, 30))
		type |= SOCK_NONBLOCK;
	if (chance(w, 30))
		type |= SOCK_CLOEXEC;
	fd = socket(g_af, type, proto);
	e = errno;
	record(w, OP_SOCKET, s, type, fd, e);
	expect(w, "socket", fd, e, ok, faulty);
	if (fd >= 0) {
		slots[s].fd = fd;
		slots[s].sock = si_new();
		slots[s].nsid = g_nsid;
	}
	pthread_rwlock_unlock(&slots[s].lk);
}

static void op_bind(struct worker *w)
{
	struct sockaddr_eorpc a;
	int s = slot_get(w, 1), fault, r, e;
	socklen_t len;

	if (s < 0)
		return;
	len = fuzz_addr(w, &a, 0, &fault, slots[s].nsid);
	/* Bound already: EINVAL; the UDP layer's own errors. */
	struct eset ok = ES(EINVAL, EADDRINUSE, ENOMEM);

	if (chance(w, 3)) {
		/* Not a local address: the UDP layer says so. */
		a = eo_addr4("192.0.2.1", 0);
		es_add(&ok, EADDRNOTAVAIL);
		fault = EADDRNOTAVAIL;
	}
	es_add(&ok, fault);
	r = bind(slots[s].fd, (struct sockaddr *)&a, len);
	e = errno;
	record(w, OP_BIND, s, ntohs(a.seo_port), r, e);
	expect(w, "bind", r, e, ok, fault);
	if (!r) {
		struct sockaddr_eorpc got;
		socklen_t gl = sizeof(got);

		if (getsockname(slots[s].fd, (struct sockaddr *)&got, &gl))
			fail(w, "getsockname after bind: %s", strerror(errno));
		else
			check_addr(w, "getsockname after bind", &got, gl, 1);
	}
	slot_put(s);
}

static void register_server(int fd, int nsid)
{
	struct sockaddr_eorpc a;
	socklen_t len = sizeof(a);
	struct endpoint *e;
	uint32_t g;

	if (getsockname(fd, (struct sockaddr *)&a, &len) || !a.seo_port)
		return;
	g = atomic_fetch_add(&sh->next_ep, 1) + 1;
	e = &sh->ep[g % NEP];
	atomic_store(&e->gen, 0);
	e->nsid = nsid;
	e->transport = a.seo_transport;
	e->port = ntohs(a.seo_port);
	e->any = a.seo_transport == AF_INET ? !a.seo_addr4 :
		 !memcmp(a.seo_addr6, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	atomic_store(&e->gen, g);
}

static void op_listen(struct worker *w)
{
	int s = slot_get(w, 1), r, e;

	if (s < 0)
		return;
	/* Autobind first, sometimes, so more sockets end up serving. */
	if (chance(w, 60)) {
		struct sockaddr_eorpc a = addr_loop(chance(w, 60) ? AF_INET :
						    AF_INET6, 0, chance(w, 20));

		bind(slots[s].fd, (struct sockaddr *)&a, sizeof(a));
	}
	si_set(slots[s].sock, SI_LISTEN);
	r = listen(slots[s].fd, rnd(w, 3) ? (int)rnd(w, 10) : (int)rnd64(w));
	e = errno;
	record(w, OP_LISTEN, s, 0, r, e);
	expect(w, "listen", r, e, ES(EDESTADDRREQ, ENOMEM), 0);
	if (!r)
		register_server(slots[s].fd, slots[s].nsid);
	slot_put(s);
}

static void op_connect(struct worker *w)
{
	struct sockaddr_eorpc a;
	int s = slot_get(w, 1), fault, r, e;
	socklen_t len;
	struct eset ok = ES(EAFNOSUPPORT, EADDRINUSE, ENOMEM);

	if (s < 0)
		return;
	len = fuzz_addr(w, &a, 1, &fault, slots[s].nsid);
	if (chance(w, 8)) {
		/* AF_UNSPEC removes the default destination. */
		a.seo_family = AF_UNSPEC;
		len = chance(w, 50) ? sizeof(sa_family_t) : sizeof(a);
		fault = 0;
	}
	es_add(&ok, fault);
	r = connect(slots[s].fd, (struct sockaddr *)&a, len);
	e = errno;
	record(w, OP_CONNECT, s, ntohs(a.seo_port), r, e);
	if (si_flags(slots[s].sock) & SI_REUSEPORT)
		es_add(&ok, EOPNOTSUPP);
	{
		struct msghdr m = { .msg_name = &a, .msg_namelen = len };
		char d[300] = "connect ";

		describe(d + 8, sizeof(d) - 8, &m, 0, 0, fault);
		expect(w, d, r, e, ok, fault);
	}
	slot_put(s);
}

/* Remember a tag sent from a slot, for cancels. */
static void note_sent(struct slot *sl, uint64_t tag)
{
	pthread_mutex_lock(&sl->mu);
	sl->sent[sl->nsent++ % 16] = tag;
	pthread_mutex_unlock(&sl->mu);
}

static void op_call(struct worker *w)
{
	union { char b[256]; struct cmsghdr a; } ctl;
	struct sockaddr_eorpc a;
	struct iovec iov[4];
	struct msghdr m = { 0 };
	struct eset ok = ES(EAGAIN, EINTR, EPIPE, EAFNOSUPPORT, ENOMEM,
			    EADDRINUSE);
	int s = slot_get(w, 1), fault = 0, afault, lfault, ffault, flags, e;
	uint32_t len, cif = CI_PENDING;
	uint64_t id = atomic_fetch_add(&sh->next_id, 1) + 1, tag = id;
	struct callinfo *ci = ci_of(id);
	size_t off = 0;
	ssize_t r;

	if (s < 0)
		return;
	memset(&ctl, 0, sizeof(ctl));
	len = fuzz_len(w, &lfault);
	fill(w->buf, len < BUFSZ ? len : BUFSZ, REQ_MAGIC, id);
	if (lfault) {
		/* Too long: the iovec need not be readable, nothing is read. */
		iov[0].iov_base = w->buf;
		iov[0].iov_len = chance(w, 50) ? len : 16u << 20;
		m.msg_iovlen = 1;
		len = iov[0].iov_len;
	} else {
		m.msg_iovlen = fuzz_iov(w, iov, w->buf, len);
	}
	m.msg_iov = iov;
	if (chance(w, 15)) {
		es_add(&ok, EDESTADDRREQ);	/* unless connect()ed */
	} else {
		m.msg_namelen = fuzz_addr(w, &a, 1, &afault, slots[s].nsid);
		m.msg_name = &a;
		if (afault)
			fault = afault;
		es_add(&ok, afault);
	}
	m.msg_control = ctl.b;
	if (chance(w, 85)) {
		add_cmsg(&m, &off, SOL_EORPC, EORPC_CMSG_USER_TAG, &tag, 8, 0);
	} else {
		cif |= CI_NOTAG;
		tag = 0;
	}
	if (chance(w, 60)) {
		/* Mostly short, so calls to nobody end. */
		uint32_t d = chance(w, 10) ? 0 : chance(w, 80) ?
			     5 + rnd(w, 400) : rnd(w, 5000);

		if (d)
			cif |= CI_DEADLINE;
		add_cmsg(&m, &off, SOL_EORPC, EORPC_CMSG_DEADLINE_MS, &d, 4, 0);
	} else if (si_flags(slots[s].sock) & SI_DEADLINE) {
		cif |= CI_DEADLINE;
	}
	if (chance(w, 6)) {
		/* A control message the kernel must refuse. */
		uint64_t v = rnd64(w) | 1;

		switch (rnd(w, 5)) {
		case 0:
			add_cmsg(&m, &off, chance(w, 50) ? SOL_SOCKET : SOL_IP,
				 EORPC_CMSG_USER_TAG, &v, 8, 0);
			break;
		case 1:
			add_cmsg(&m, &off, SOL_EORPC, chance(w, 50) ?
				 EORPC_CMSG_ERROR : 6 + rnd(w, 100), &v, 8, 0);
			break;
		case 2:
			/* 20 or 28 bytes: a tag is CMSG_LEN(8), 24. */
			if (chance(w, 50))
				add_cmsg(&m, &off, SOL_EORPC,
					 EORPC_CMSG_USER_TAG, &v, 4, 0);
			else
				add_cmsg(&m, &off, SOL_EORPC,
					 EORPC_CMSG_USER_TAG, &v, 8,
					 chance(w, 50) ? 4 : -4);
			break;
		case 3:
			add_cmsg(&m, &off, SOL_EORPC, EORPC_CMSG_DEADLINE_MS,
				 &v, 8, 0);
			break;
		case 4:
			/* A call id with a (nonzero) tag or a deadline. */
			add_cmsg(&m, &off, SOL_EORPC, EORPC_CMSG_CALL_ID, &v, 8,
				 0);
			if (!tag)
				add_cmsg(&m, &off, SOL_EORPC,
					 EORPC_CMSG_DEADLINE_MS, &v, 4, 0);
			break;
		}
		fault = EINVAL;
		es_add(&ok, EINVAL);
	}
	m.msg_controllen = off;
	if (chance(w, 2)) {
		/* cmsg_len past the buffer. */
		struct cmsghdr *c = (struct cmsghdr *)ctl.b;

		if (off) {
			c->cmsg_len = off + 8 + rnd(w, 100);
			fault = EINVAL;
			es_add(&ok, EINVAL);
		}
	}
	flags = send_flags(w, &ffault);
	if (ffault) {
		fault = ffault;
		es_add(&ok, ffault);
	}
	if (lfault) {
		fault = lfault;
		es_add(&ok, lfault);
	}
	if (chance(w, 1) && !lfault && len) {
		/* Unreadable request bytes. */
		iov[0].iov_base = w->guard;
		iov[0].iov_len = len;
		m.msg_iovlen = 1;
		fault = EFAULT;
		es_add(&ok, EFAULT);
	}
	if (ci) {
		ci->sock = slots[s].sock;
		ci->len = len;
		ci->port = m.msg_name && !fault ? ntohs(a.seo_port) : 0;
		atomic_store(&ci->flags, cif);
	}
	if (!(flags & MSG_DONTWAIT))
		arm(w, 1 + rnd(w, 20));
	r = sendmsg(slots[s].fd, &m, flags);
	e = errno;
	disarm(w);
	record(w, OP_CALL, s, id, r, e);
	/* A reuseport member makes no calls (checked after: flags race). */
	if (si_flags(slots[s].sock) & SI_REUSEPORT)
		es_add(&ok, EOPNOTSUPP);
	{
		char d[400] = "sendmsg (call) ";

		describe(d + 15, sizeof(d) - 15, &m, flags, len, fault);
		expect(w, d, r, e, ok, fault);
	}
	if (r >= 0 && (size_t)r != len)
		fail(w, "sendmsg returned %zd for a %u-byte request", r, len);
	if (ci)
		atomic_fetch_or(&ci->flags, r >= 0 ? CI_STARTED : CI_FAILED);
	if (r >= 0) {
		stat_add(ST_CALLS, 1);
		note_sent(&slots[s], tag);
	} else if (ci && (atomic_load(&ci->flags) & CI_DELIVERED)) {
		fail(w, "request %" PRIu64 " delivered, but its sendmsg failed "
		     "(%s)", id, strerror(e));
	}
	slot_put(s);
}

/* Answer a request received on a slot, or a call id that is not one. */
static void op_reply(struct worker *w)
{
	union { char b[128]; struct cmsghdr a; } ctl;
	struct iovec iov[4];
	struct msghdr m = { .msg_control = ctl.b };
	struct eset ok = ES(ENOMEM);
	int s = slot_get(w, 1), fault = 0, lfault, ffault, flags, e, known = 0;
	int forked;
	uint64_t call_id = 0, v;
	uint32_t rid = 0, len;
	size_t off = 0;
	ssize_t r;
	struct slot *sl;

	if (s < 0)
		return;
	sl = &slots[s];
	pthread_mutex_lock(&sl->mu);
	forked = sl->forked;
	if (sl->npend && chance(w, 90)) {
		int i = chance(w, 70) ? 0 : (int)rnd(w, sl->npend);

		call_id = sl->pend[i];
		rid = sl->pend_id[i];
		sl->pend[i] = sl->pend[sl->npend - 1];
		sl->pend_id[i] = sl->pend_id[sl->npend - 1];
		sl->npend--;
		known = 1;
	} else if (sl->nans && chance(w, 50)) {
		/* Answered already: ENOENT, always. */
		call_id = sl->ans[rnd(w, sl->nans < 16 ? sl->nans : 16)];
		fault = ENOENT;
	}
	pthread_mutex_unlock(&sl->mu);
	if (!call_id) {
		/*
		 * Never given: ENOENT. A call id's high half counts the
		 * socket's deliveries, which never reach 2^31 here.
		 */
		call_id = chance(w, 30) ? 0 : rnd64(w) | 1ull << 63;
		fault = ENOENT;
		es_add(&ok, ENOENT);
	}
	/* Two processes answering one request: the second gets ENOENT. */
	if (forked || fault)
		es_add(&ok, ENOENT);
	len = fuzz_len(w, &lfault);
	fill(w->buf, len < BUFSZ ? len : BUFSZ, REP_MAGIC, rid);
	if (len >= HDR && !rid)
		memset(w->buf, 0xee, HDR);	/* no id to echo */
	if (lfault) {
		iov[0].iov_base = w->buf;
		iov[0].iov_len = len;
		m.msg_iovlen = 1;
		fault = lfault;
		es_add(&ok, lfault);
	} else {
		m.msg_iovlen = fuzz_iov(w, iov, w->buf, len);
	}
	m.msg_iov = iov;
	add_cmsg(&m, &off, SOL_EORPC, EORPC_CMSG_CALL_ID, &call_id, 8, 0);
	if (chance(w, 4)) {
		v = 1 + rnd(w, 1000);
		add_cmsg(&m, &off, SOL_EORPC, chance(w, 50) ?
			 EORPC_CMSG_USER_TAG : EORPC_CMSG_DEADLINE_MS, &v,
			 8, 0);
		/* The deadline is 4 bytes: 8 is wrong too. */
		fault = EINVAL;
		es_add(&ok, EINVAL);
	}
	m.msg_controllen = off;
	if (chance(w, 30)) {
		/* msg_name is ignored on a reply. */
		static struct sockaddr_eorpc junk;

		m.msg_name = &junk;
		m.msg_namelen = rnd(w, sizeof(junk) + 1);
	}
	flags = send_flags(w, &ffault);
	if (ffault) {
		fault = ffault;
		es_add(&ok, ffault);
	}
	r = sendmsg(sl->fd, &m, flags);
	e = errno;
	record(w, OP_REPLY, s, call_id, r, e);
	{
		char d[400] = "sendmsg (reply) ";

		describe(d + 16, sizeof(d) - 16, &m, flags, len, fault);
		expect(w, d, r, e, ok, fault);
	}
	if (r >= 0) {
		stat_add(ST_SRVREP, 1);
		pthread_mutex_lock(&sl->mu);
		sl->ans[sl->nans++ % 16] = call_id;
		pthread_mutex_unlock(&sl->mu);
	} else if (known && (e != ENOENT)) {
		/* Not answered: keep it for a later try. */
		pthread_mutex_lock(&sl->mu);
		if (sl->npend < NPEND) {
			sl->pend[sl->npend] = call_id;
			sl->pend_id[sl->npend++] = rid;
		}
		pthread_mutex_unlock(&sl->mu);
	}
	slot_put(s);
}

static const int call_errs[] = { ETIMEDOUT, ECANCELED, ECONNRESET, ESTALE,
	ESHUTDOWN, ECONNREFUSED, ECONNABORTED };

static void check_completion(struct worker *w, struct slot *sl, ssize_t n,
			     const struct msghdr *m, int rflags, size_t cap,
			     uint64_t tag, int has_tag, int cerr, int has_err)
{
	struct callinfo *ci = ci_of(tag);
	uint32_t f = ci ? atomic_load(&ci->flags) : 0;
	const struct sockaddr_eorpc *from = m->msg_name;
	int peek = rflags & MSG_PEEK, i;

	if (!has_tag) {
		if (!(m->msg_flags & MSG_CTRUNC))
			fail(w, "completion without EORPC_CMSG_USER_TAG");
		return;
	}
	if (ci && !(f & CI_PENDING))
		fail(w, "completion for tag %" PRIu64 ", never sent", tag);
	if (ci && (f & CI_FAILED))
		fail(w, "completion for call %" PRIu64 " whose sendmsg failed",
		     tag);
	if (from && m->msg_namelen)
		check_addr(w, "completion's msg_name", from, m->msg_namelen, 1);
	from = from && m->msg_namelen == sizeof(*from) ? from : NULL;
	if (ci && ci->port && from && ntohs(from->seo_port) != ci->port)
		fail(w, "completion of call %" PRIu64 " from port %u, sent to "
		     "%u", tag, ntohs(from->seo_port), ci->port);
	if (ci && !peek && (atomic_fetch_or(&ci->flags, CI_COMPLETED) &
			    CI_COMPLETED))
		fail(w, "call %" PRIu64 " completed twice", tag);
	if (has_err) {
		for (i = 0; i < (int)(sizeof(call_errs) / sizeof(int)); i++)
			if (cerr == call_errs[i])
				break;
		if (i == (int)(sizeof(call_errs) / sizeof(int))) {
			fail(w, "call %" PRIu64 " ended with errno %d (%s), not a "
			     "documented call error", tag, cerr, strerror(cerr));
			return;
		}
		if (n)
			fail(w, "failed call returned %zd bytes", n);
		if (peek)
			return;
		stat_add(ST_CERR, 1);
		stat_add(ST_TIMEDOUT + i, 1);
		if (!ci)
			return;
		/* A default deadline set while it was sent counts too. */
		if (cerr == ETIMEDOUT && !(f & CI_DEADLINE) &&
		    !(si_flags(ci->sock) & SI_DEADLINE))
			fail(w, "call %" PRIu64 " timed out without a deadline",
			     tag);
		if (cerr == ECANCELED && !(f & CI_CANCEL))
			fail(w, "call %" PRIu64 " cancelled, never by us", tag);
		if (cerr == ESHUTDOWN && !(si_flags(ci->sock) & SI_SHUT_WR))
			fail(w, "call %" PRIu64 " ESHUTDOWN, socket not shut "
			     "down", tag);
		if ((cerr == ECONNREFUSED || cerr == ECONNABORTED) &&
		    (atomic_fetch_or(&ci->flags, CI_NOTRUN) & CI_DELIVERED))
			fail(w, "call %" PRIu64 " failed with %s (certainly not "
			     "executed), but its request was delivered", tag,
			     strerror(cerr));
		return;
	}
	{
		uint64_t rid = check_body(w, "reply", w->rbuf, cap, n,
					  m->msg_flags, rflags, REP_MAGIC);

		if (peek)
			return;
		/* A cut control buffer may have lost the error. */
		if (!(m->msg_flags & MSG_CTRUNC))
			stat_add(ST_REPLIES, 1);
		if (rid && tag && rid != tag)
			fail(w, "call %" PRIu64 " completed with the reply to "
			     "request %" PRIu64, tag, rid);
		if (rid && !tag && (ci = ci_of(rid)) &&
		    !(atomic_load(&ci->flags) & CI_NOTAG))
			fail(w, "untagged completion carries the reply to "
			     "tagged call %" PRIu64, rid);
		/* A reply exists only once the server got the request. */
		if (ci && rid && !(atomic_load(&ci->flags) & CI_DELIVERED))
			fail(w, "call %" PRIu64 " got a reply, request never "
			     "delivered", tag);
	}
	(void)sl;
}

static void check_request(struct worker *w, struct slot *sl, ssize_t n,
			  const struct msghdr *m, int rflags, size_t cap,
			  uint64_t call_id, int has_call_id)
{
	const struct sockaddr_eorpc *from = m->msg_name;
	uint64_t id;
	struct callinfo *ci;

	if (rflags & MSG_PEEK) {
		if (has_call_id)
			fail(w, "MSG_PEEK of a request returned a call id");
		stat_add(ST_PEEK, 1);
	} else if (!has_call_id) {
		fail(w, "request without EORPC_CMSG_CALL_ID");
		return;
	} else if (!call_id) {
		fail(w, "call id 0");
	}
	if (from && m->msg_namelen)
		check_addr(w, "request's msg_name", from, m->msg_namelen, 1);
	id = check_body(w, "request", w->rbuf, cap, n, m->msg_flags, rflags,
			REQ_MAGIC);
	if (rflags & MSG_PEEK)
		return;
	stat_add(ST_DELIV, 1);
	ci = ci_of(id);
	if (ci) {
		uint32_t f = atomic_fetch_or(&ci->flags, CI_DELIVERED);

		if (f & CI_DELIVERED)
			fail(w, "request %" PRIu64 " delivered twice (G2)", id);
		if (!(f & CI_PENDING) || (f & CI_FAILED))
			fail(w, "request %" PRIu64 " delivered, but its sendmsg "
			     "%s", id, f & CI_FAILED ? "failed" : "never ran");
		/* After a timeout it may run; after these, never. */
		if (f & CI_NOTRUN)
			fail(w, "request %" PRIu64 " delivered after its call "
			     "failed as certainly not executed (G4)", id);
	}
	pthread_mutex_lock(&sl->mu);
	if (sl->npend < NPEND) {
		sl->pend[sl->npend] = call_id;
		sl->pend_id[sl->npend++] = id < 1ull << 32 ? id : 0;
	}
	pthread_mutex_unlock(&sl->mu);
}

static void op_recv(struct worker *w)
{
	static const size_t ctl_sizes[] = { 0, 8, 16, 23, 24, 32, 40, 48, 56,
					    64, 256, 256, 256, 256 };
	union { char b[256]; struct cmsghdr a; } ctl;
	struct sockaddr_eorpc from;
	struct iovec iov[4];
	struct msghdr m = { 0 };
	struct eset ok = ES(EAGAIN, EINTR, ENOMEM);
	int s = slot_get(w, 1), fault = 0, flags = 0, e;
	size_t cap, ctl_in;
	ssize_t n;
	uint64_t tag = 0, call_id = 0;
	int guard = 0, is_read = 0;
	socklen_t name_in = 0;
	int has_tag = 0, has_call = 0, has_err = 0, cerr = 0, nctl = 0;
	struct cmsghdr *c;

	if (s < 0)
		return;
	switch (rnd(w, 10)) {
	case 0:
		cap = 0;
		break;
	case 1: case 2:
		cap = rnd(w, 64);
		break;
	case 3:
		cap = rnd(w, 5000);
		break;
	default:
		cap = BUFSZ;
	}
	m.msg_iov = iov;
	m.msg_iovlen = fuzz_iov(w, iov, w->rbuf, cap);
	if (chance(w, 1) && cap) {
		iov[0].iov_base = w->guard;
		iov[0].iov_len = cap;
		m.msg_iovlen = 1;
		guard = 1;
		es_add(&ok, EFAULT);	/* only if there is a message */
	}
	if (chance(w, 85)) {
		m.msg_name = &from;
		m.msg_namelen = chance(w, 90) ? sizeof(from) : rnd(w, 40);
		name_in = m.msg_namelen;
	}
	memset(&ctl, 0xa5, sizeof(ctl));
	m.msg_control = ctl.b;
	m.msg_controllen = ctl_sizes[rnd(w, sizeof(ctl_sizes) / sizeof(size_t))];
	ctl_in = m.msg_controllen;
	/* A request at the head with no room for its call id. */
	if (m.msg_controllen < CMSG_SPACE(8))
		es_add(&ok, EINVAL);
	if (chance(w, 80))
		flags |= MSG_DONTWAIT;
	if (chance(w, 8))
		flags |= MSG_PEEK;
	if (chance(w, 8))
		flags |= MSG_TRUNC;
	if (chance(w, 5))
		flags |= MSG_WAITALL;
	if (chance(w, 5))
		flags |= MSG_NOSIGNAL;
	if (chance(w, 4)) {
		static const int bad[] = { MSG_ERRQUEUE, MSG_OOB, MSG_CTRUNC,
			MSG_DONTROUTE, MSG_EOR, MSG_CMSG_CLOEXEC, MSG_CONFIRM,
			MSG_MORE, MSG_ZEROCOPY };

		flags |= bad[rnd(w, sizeof(bad) / sizeof(int))];
		fault = EOPNOTSUPP;
		es_add(&ok, EOPNOTSUPP);
	}
	if (!(flags & MSG_DONTWAIT))
		arm(w, 1 + rnd(w, 25));
	if (chance(w, 3) && !fault && !m.msg_name) {
		/* read(): no control buffer, so requests are EINVAL. */
		arm(w, 1 + rnd(w, 25));	/* read() ignores MSG_DONTWAIT */
		n = read(slots[s].fd, iov[0].iov_base, iov[0].iov_len);
		is_read = 1;
		es_add(&ok, EINVAL);
	} else {
		n = recvmsg(slots[s].fd, &m, flags);
	}
	e = errno;
	disarm(w);
	record(w, OP_RECV, s, flags, n, e);
	expect(w, "recvmsg", n, e, ok, fault);
	if (n < 0) {
		slot_put(s);
		return;
	}
	if (guard && n > 0)
		fail(w, "recvmsg into an unreadable buffer returned %zd", n);
	if (is_read || guard) {
		slot_put(s);
		return;
	}
	if (name_in < sizeof(from))
		m.msg_name = NULL;	/* partly written: nothing to check */
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		nctl++;
		/* Cut short by MSG_CTRUNC: its value is not there. */
		if (c->cmsg_len < CMSG_LEN(c->cmsg_type == EORPC_CMSG_ERROR ?
					   sizeof(int) : 8)) {
			if (!(m.msg_flags & MSG_CTRUNC))
				fail(w, "control message of %zu bytes, no "
				     "MSG_CTRUNC", (size_t)c->cmsg_len);
			continue;
		}
		if (c->cmsg_level != SOL_EORPC) {
			fail(w, "control message of level %d", c->cmsg_level);
			continue;
		}
		switch (c->cmsg_type) {
		case EORPC_CMSG_USER_TAG:
			memcpy(&tag, CMSG_DATA(c), 8);
			has_tag = 1;
			break;
		case EORPC_CMSG_CALL_ID:
			memcpy(&call_id, CMSG_DATA(c), 8);
			has_call = 1;
			break;
		case EORPC_CMSG_REQUEST_ID:
			break;
		case EORPC_CMSG_ERROR:
			memcpy(&cerr, CMSG_DATA(c), sizeof(int));
			has_err = 1;
			break;
		default:
			fail(w, "control message of type %d", c->cmsg_type);
		}
	}
	if (has_tag && has_call)
		fail(w, "both a user tag and a call id");
	if (has_call) {
		check_request(w, &slots[s], n, &m, flags, cap, call_id, 1);
	} else if (has_tag || has_err) {
		check_completion(w, &slots[s], n, &m, flags, cap, tag,
				 has_tag, cerr, has_err);
	} else if (m.msg_flags & MSG_CTRUNC) {
		/* A completion whose tag did not fit: cannot tell more. */
	} else if (flags & MSG_PEEK) {
		/* A peeked request carries no call id; or end of file. */
		if (n || (flags & MSG_TRUNC))
			check_request(w, &slots[s], n, &m, flags, cap, 0, 0);
	} else if (n) {
		fail(w, "recvmsg returned %zd bytes with no call id or tag "
		     "(controllen %zu, msg_flags %#x)", n, ctl_in,
		     m.msg_flags);
	} else if (ctl_in >= CMSG_SPACE(8)) {
		/* End of file: only after shutdown(SHUT_RD). */
		stat_add(ST_EOF, 1);
		if (!(si_flags(slots[s].sock) & SI_SHUT_RD))
			fail(w, "recvmsg returned 0 bytes and no control "
			     "message on a socket not shut down for reading");
	}
	slot_put(s);
}

static void op_setsockopt(struct worker *w)
{
	static const int sol[] = { SO_RCVBUF, SO_SNDBUF, SO_RCVTIMEO_OLD,
		SO_SNDTIMEO_OLD, SO_RCVTIMEO_NEW, SO_SNDTIMEO_NEW, SO_RCVBUFFORCE,
		SO_SNDBUFFORCE, SO_REUSEADDR, SO_REUSEPORT, SO_PRIORITY, SO_MARK,
		SO_BINDTODEVICE, SO_KEEPALIVE, SO_RCVLOWAT, SO_TYPE, 9999 };
	union { uint64_t u64[4]; uint32_t u32; struct timeval tv;
		char name[IFNAMSIZ]; } v;
	int s = slot_get(w, 1), level, opt, r, e, faulty = 0;
	socklen_t len;
	struct eset ok = ES(ENOMEM);

	if (s < 0)
		return;
	memset(&v, 0, sizeof(v));
	len = sizeof(v.u32);
	if (chance(w, 45)) {
		level = SOL_EORPC;
		opt = chance(w, 90) ? EORPC_DEFAULT_DEADLINE_MS :
		      chance(w, 50) ? EORPC_WINDOW : (int)rnd(w, 20);
		v.u32 = chance(w, 50) ? 0 : chance(w, 80) ? 5 + rnd(w, 500) :
			(uint32_t)rnd64(w);
		if (opt == EORPC_DEFAULT_DEADLINE_MS && v.u32)
			si_set(slots[s].sock, SI_DEADLINE);
		/* Before the call: a racing sendmsg must find the flag. */
		if (opt == EORPC_REUSEPORT && v.u32)
			si_set(slots[s].sock, SI_REUSEPORT);
		if (opt == EORPC_WINDOW || opt == EORPC_MAX_MSG) {
			es_add(&ok, EPERM);	/* read-only */
			faulty = 1;
		} else if (opt != EORPC_DEFAULT_DEADLINE_MS &&
			   opt != EORPC_CANCEL && opt != EORPC_REUSEPORT) {
			es_add(&ok, ENOPROTOOPT);
			faulty = 1;
		} else if (opt == EORPC_CANCEL) {
			/* The tag may be a call's: say it was cancelled. */
			struct callinfo *ci = ci_of(v.u64[0]);

			if (ci)
				atomic_fetch_or(&ci->flags, CI_CANCEL);
			len = 8;
			es_add(&ok, ENOENT);
		}
		if (chance(w, 10)) {
			socklen_t want = opt == EORPC_CANCEL ? 8 : 4;

			len = rnd(w, 12);
			if (len != want &&
			    (opt == EORPC_CANCEL ||
			     opt == EORPC_DEFAULT_DEADLINE_MS)) {
				es_add(&ok, EINVAL);
				faulty = 1;
			}
			if (len < 4 && opt == EORPC_REUSEPORT) {
				es_add(&ok, EINVAL);
				faulty = 1;
			}
		}
	} else if (chance(w, 90)) {
		level = SOL_SOCKET;
		opt = sol[rnd(w, sizeof(sol) / sizeof(int))];
		switch (opt) {
		case SO_RCVTIMEO_OLD: case SO_SNDTIMEO_OLD:
		case SO_RCVTIMEO_NEW: case SO_SNDTIMEO_NEW:
			len = opt == SO_RCVTIMEO_NEW || opt == SO_SNDTIMEO_NEW ?
			      16 : sizeof(v.tv);
			/* Short waits, or none; sometimes out of range. */
			v.u64[0] = chance(w, 70) ? 0 : rnd(w, 2);
			v.u64[1] = rnd(w, 50000);
			if (chance(w, 5)) {
				v.u64[1] = 1000000 + rnd(w, 1000);
				es_add(&ok, EDOM);
				faulty = 1;
			}
			break;
		case SO_BINDTODEVICE:
			strcpy(v.name, chance(w, 50) ? "lo" : "nosuchdev0");
			len = strlen(v.name) + 1;
			es_add(&ok, ENODEV);
			break;
		case 9999:
			es_add(&ok, ENOPROTOOPT);
			faulty = 1;
			break;
		case SO_TYPE:
			es_add(&ok, ENOPROTOOPT);	/* get-only */
			faulty = 1;
			break;
		default:
			v.u32 = chance(w, 50) ? rnd(w, 4096) : (uint32_t)rnd64(w);
			if (opt == SO_PRIORITY && v.u32 > 6)
				v.u32 = rnd(w, 7);
			/* The socket layer allows it on IP sockets only. */
			if (opt == SO_REUSEPORT && v.u32) {
				es_add(&ok, EOPNOTSUPP);
				faulty = 1;
			}
			break;
		}
		if (chance(w, 5)) {
			len = rnd(w, 4);
			if (opt != SO_BINDTODEVICE) {
				es_add(&ok, EINVAL);
				faulty = faulty || len < 4;
			}
		}
	} else {
		/* The IP and UDP layers are not ours: ENOPROTOOPT. */
		static const int lv[] = { SOL_IP, SOL_IPV6, IPPROTO_UDP, IPPROTO_TCP };

		level = lv[rnd(w, 4)];
		opt = rnd(w, 80);
		v.u32 = rnd64(w);
		es_add(&ok, ENOPROTOOPT);
		faulty = 1;
	}
	r = setsockopt(slots[s].fd, level, opt, &v, len);
	e = errno;
	record(w, OP_SETSOCKOPT, s, (uint64_t)level << 32 | opt, r, e);
	expect(w, "setsockopt", r, e, ok, faulty);
	slot_put(s);
}

static void op_getsockopt(struct worker *w)
{
	static const int sol[] = { SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_ERROR,
		SO_RCVBUF, SO_SNDBUF, SO_RCVTIMEO_OLD, SO_RCVTIMEO_NEW,
		SO_SNDTIMEO_OLD, SO_ACCEPTCONN, SO_PEEK_OFF, 9999 };
	union { uint64_t u64[4]; uint32_t u32; } v;
	int s = slot_get(w, 1), level, opt, r, e, faulty = 0;
	socklen_t len = sizeof(uint32_t);
	struct eset ok = ES(ENOMEM);

	if (s < 0)
		return;
	memset(&v, 0, sizeof(v));
	if (chance(w, 50)) {
		level = SOL_EORPC;
		opt = chance(w, 90) ? (chance(w, 50) ? EORPC_WINDOW :
				       EORPC_DEFAULT_DEADLINE_MS) :
		      chance(w, 50) ? EORPC_CANCEL : (int)rnd(w, 30);
		if (opt != EORPC_WINDOW && opt != EORPC_DEFAULT_DEADLINE_MS &&
		    opt != EORPC_REUSEPORT && opt != EORPC_MAX_MSG) {
			es_add(&ok, ENOPROTOOPT);
			faulty = 1;
		}
		if (chance(w, 15)) {
			len = chance(w, 50) ? rnd(w, 4) : 4 + rnd(w, 28);
			if (len < 4) {
				es_add(&ok, EINVAL);
				faulty = 1;
			}
		}
	} else {
		level = SOL_SOCKET;
		opt = sol[rnd(w, sizeof(sol) / sizeof(int))];
		len = chance(w, 90) ? sizeof(v) : rnd(w, 4);
		if (opt == 9999 || opt == SO_PEEK_OFF) {
			/* No peek offset here, as for most protocols. */
			es_add(&ok, opt == 9999 ? ENOPROTOOPT : EOPNOTSUPP);
			faulty = opt == 9999;
		}
		if (opt == SO_PEEK_OFF)
			es_add(&ok, ENOPROTOOPT);
	}
	r = getsockopt(slots[s].fd, level, opt, &v, &len);
	e = errno;
	record(w, OP_GETSOCKOPT, s, (uint64_t)level << 32 | opt, r, e);
	expect(w, "getsockopt", r, e, ok, faulty);
	if (!r && level == SOL_EORPC) {
		if (len != 4)
			fail(w, "getsockopt(SOL_EORPC, %d) length %u", opt, len);
		if (opt == EORPC_WINDOW && (v.u32 < 1 || v.u32 > 64 ||
					    (v.u32 & (v.u32 - 1))))
			fail(w, "EORPC_WINDOW %u: not a power of two in 1..64",
			     v.u32);
		if (opt == EORPC_MAX_MSG && (v.u32 < EORPC_MAX_PAYLOAD ||
					     v.u32 > EORPC_MAX_MSG_LEN))
			fail(w, "EORPC_MAX_MSG %u: outside %d..%d", v.u32,
			     EORPC_MAX_PAYLOAD, EORPC_MAX_MSG_LEN);
	} else if (!r && len >= 4) {
		uint32_t want = ~0u;

		switch (opt) {
		case SO_TYPE: want = SOCK_DGRAM; break;
		case SO_DOMAIN: want = g_af; break;
		case SO_PROTOCOL: want = 0; break;
		case SO_ERROR: want = 0; break;	/* errors are completions */
		}
		if (want != ~0u && v.u32 != want)
			fail(w, "getsockopt(SOL_SOCKET, %d) = %u, not %u", opt,
			     v.u32, want);
	}
	slot_put(s);
}

static void op_cancel(struct worker *w)
{
	int s = slot_get(w, 1), r, e;
	uint64_t tag;
	struct slot *sl;
	struct callinfo *ci;

	if (s < 0)
		return;
	sl = &slots[s];
	pthread_mutex_lock(&sl->mu);
	tag = sl->nsent && chance(w, 85) ?
	      sl->sent[rnd(w, sl->nsent < 16 ? sl->nsent : 16)] :
	      chance(w, 50) ? 0 : rnd64(w);
	pthread_mutex_unlock(&sl->mu);
	ci = ci_of(tag);
	if (ci)
		atomic_fetch_or(&ci->flags, CI_CANCEL);
	r = setsockopt(sl->fd, SOL_EORPC, EORPC_CANCEL, &tag, sizeof(tag));
	e = errno;
	record(w, OP_CANCEL, s, tag, r, e);
	expect(w, "EORPC_CANCEL", r, e, ES(ENOENT), 0);
	slot_put(s);
}

static void op_shutdown(struct worker *w)
{
	int s = slot_get(w, 1), how, r, e, faulty = 0;

	if (s < 0)
		return;
	how = rnd(w, 3);
	if (chance(w, 10)) {
		how = chance(w, 50) ? -1 - (int)rnd(w, 5) : 3 + (int)rnd(w, 100);
		faulty = 1;
	}
	if (!faulty)
		si_set(slots[s].sock, how == SHUT_RD ? SI_SHUT_RD :
		       how == SHUT_WR ? SI_SHUT_WR : SI_SHUT_RD | SI_SHUT_WR);
	r = shutdown(slots[s].fd, how);
	e = errno;
	record(w, OP_SHUTDOWN, s, how, r, e);
	expect(w, "shutdown", r, e, ES(EINVAL), faulty);
	slot_put(s);
}

static void op_close(struct worker *w)
{
	int s = slot_grab(w, 0), r, e;

	if (s < 0)
		return;
	r = close(slots[s].fd);
	e = errno;
	record(w, OP_CLOSE, s, 0, r, e);
	expect(w, "close", r, e, ES(0), 0);
	slot_reset(&slots[s]);
	pthread_rwlock_unlock(&slots[s].lk);
}

static void op_dup(struct worker *w)
{
	int d, s, fd, e, nsid, forked;
	uint32_t sock;

	s = slot_get(w, 1);
	if (s < 0)
		return;
	fd = dup(slots[s].fd);
	e = errno;
	sock = slots[s].sock;
	nsid = slots[s].nsid;
	forked = slots[s].forked;
	slot_put(s);
	record(w, OP_DUP, s, 0, fd, e);
	expect(w, "dup", fd, e, ES(EMFILE), 0);
	if (fd < 0)
		return;
	d = slot_grab(w, 1);
	if (d < 0) {
		close(fd);
		return;
	}
	slots[d].fd = fd;
	slots[d].sock = sock;
	slots[d].nsid = nsid;
	slots[d].forked = forked;
	pthread_rwlock_unlock(&slots[d].lk);
}

static void op_getname(struct worker *w)
{
	struct sockaddr_eorpc a;
	socklen_t len = chance(w, 90) ? sizeof(a) : rnd(w, sizeof(a));
	socklen_t asked = len;
	int s = slot_get(w, 1), peer = chance(w, 50), r, e;

	if (s < 0)
		return;
	memset(&a, 0x5a, sizeof(a));
	r = peer ? getpeername(slots[s].fd, (struct sockaddr *)&a, &len) :
		   getsockname(slots[s].fd, (struct sockaddr *)&a, &len);
	e = errno;
	record(w, OP_NAME, s, peer, r, e);
	expect(w, peer ? "getpeername" : "getsockname", r, e,
	       peer ? ES(ENOTCONN) : ES(0), 0);
	if (!r && len != sizeof(a))
		fail(w, "%s: length %u", peer ? "getpeername" : "getsockname",
		     len);
	else if (!r && asked == sizeof(a) && (peer || a.seo_transport))
		check_addr(w, peer ? "getpeername" : "getsockname", &a, len,
			   1);
	else if (!r && asked == sizeof(a) &&
		 (a.seo_family != g_af || a.seo_port || a.seo_reserved))
		fail(w, "getsockname of an unbound socket: family %u port %u",
		     a.seo_family, ntohs(a.seo_port));
	slot_put(s);
}

/* POLLERR never; POLLHUP and POLLRDHUP only after shutdown. */
static void check_events(struct worker *w, const char *what, uint32_t sock,
			 unsigned ev)
{
	uint32_t f = si_flags(sock);

	if (ev & (POLLERR | POLLNVAL | POLLPRI))
		fail(w, "%s: events %#x", what, ev);
	if ((ev & POLLHUP) && (f & (SI_SHUT_RD | SI_SHUT_WR)) !=
	    (SI_SHUT_RD | SI_SHUT_WR))
		fail(w, "%s: POLLHUP on a socket not shut down both ways",
		     what);
	if ((ev & POLLRDHUP) && !(f & SI_SHUT_RD))
		fail(w, "%s: POLLRDHUP on a socket not shut down for reading",
		     what);
}

static void op_poll(struct worker *w)
{
	struct pollfd p[4];
	int idx[4], n = 0, r, e, i;
	unsigned mask = 0;

	/* Locks in slot order, so two polls cannot deadlock. */
	for (i = 0; i < NSLOTS && n < 4; i++) {
		if (slots[i].fd < 0 || !chance(w, 40))
			continue;
		pthread_rwlock_rdlock(&slots[i].lk);
		if (slots[i].fd < 0) {
			pthread_rwlock_unlock(&slots[i].lk);
			continue;
		}
		p[n].fd = slots[i].fd;
		p[n].events = POLLIN | POLLOUT | POLLRDHUP | POLLPRI;
		idx[n++] = i;
		mask |= 1u << i;
	}
	if (!n)
		return;
	r = poll(p, n, rnd(w, 4) ? 0 : (int)rnd(w, 5));
	e = errno;
	record(w, OP_POLL, idx[0], mask, r, e);
	expect(w, "poll", r, e, ES(EINTR, ENOMEM), 0);
	for (i = 0; r > 0 && i < n; i++)
		check_events(w, "poll", slots[idx[i]].sock, p[i].revents);
	for (i = 0; i < n; i++)
		pthread_rwlock_unlock(&slots[idx[i]].lk);
}

static void op_epoll(struct worker *w)
{
	struct epoll_event ev[8];
	int s, r, e, i;

	if (w->epfd < 0)
		w->epfd = epoll_create1(EPOLL_CLOEXEC);
	s = slot_get(w, 1);
	if (s >= 0) {
		struct epoll_event one = {
			.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP |
				  (chance(w, 30) ? EPOLLET : 0) |
				  (chance(w, 10) ? EPOLLONESHOT : 0),
			.data.u64 = (uint64_t)slots[s].sock << 8 | s,
		};
		int opc = chance(w, 60) ? EPOLL_CTL_ADD : chance(w, 50) ?
			  EPOLL_CTL_MOD : EPOLL_CTL_DEL;

		r = epoll_ctl(w->epfd, opc, slots[s].fd, &one);
		e = errno;
		record(w, OP_EPOLL, s, opc, r, e);
		expect(w, "epoll_ctl", r, e, ES(EEXIST, ENOENT, ENOMEM), 0);
		slot_put(s);
	}
	r = epoll_wait(w->epfd, ev, 8, rnd(w, 4) ? 0 : (int)rnd(w, 5));
	e = errno;
	record(w, OP_EPOLL, -1, 0, r, e);
	expect(w, "epoll_wait", r, e, ES(EINTR), 0);
	for (i = 0; i < r; i++)
		check_events(w, "epoll", ev[i].data.u64 >> 8, ev[i].events);
}

static void op_signal(struct worker *w)
{
	if (g_child) {
		/* The parent's threads may be waiting too. */
		kill(chance(w, 50) ? getpid() : getppid(), SIGUSR2);
	} else {
		struct worker *t = &workers[rnd(w, nworkers)];

		if (t->tid)
			pthread_kill(t->th, SIGUSR2);
	}
	record(w, OP_SIGNAL, -1, 0, 0, 0);
}

/* What the socket layer does with what the family has not. */
static void op_misc(struct worker *w)
{
	int s = slot_get(w, 1), r = 0, e = 0, v = 0, sv[2];
	void *p;

	if (s < 0)
		return;
	switch (rnd(w, 7)) {
	case 0:
		r = accept4(slots[s].fd, NULL, NULL, 0);
		e = errno;
		expect(w, "accept", r, e, ES(EOPNOTSUPP), 1);
		if (r >= 0)
			close(r);
		break;
	case 1: {
		static const unsigned long req[] = { FIONREAD, SIOCOUTQ,
			SIOCGSTAMP_OLD, SIOCATMARK, SIOCPROTOPRIVATE };

		unsigned long rq = req[rnd(w, 5)];

		r = ioctl(slots[s].fd, rq, &v);
		e = errno;
		/* Timestamps are the socket layer's: ENOTTY without them. */
		expect(w, "ioctl", r, e, rq == SIOCGSTAMP_OLD ? ES(ENOTTY) :
		       ES(EOPNOTSUPP), 1);
		break;
	}
	case 2:
		/* Generic ones the VFS handles: work as on any file. */
		v = chance(w, 50);
		r = ioctl(slots[s].fd, chance(w, 80) ? FIONBIO : FIOASYNC, &v);
		e = errno;
		expect(w, "ioctl(FIONBIO/FIOASYNC)", r, e, ES(0), 0);
		break;
	case 3:
		r = fcntl(slots[s].fd, F_GETFL);
		if (r >= 0)
			r = fcntl(slots[s].fd, F_SETFL, r ^ O_NONBLOCK);
		e = errno;
		expect(w, "fcntl", r, e, ES(0), 0);
		break;
	case 4:
		p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, slots[s].fd, 0);
		r = p == MAP_FAILED ? -1 : 0;
		e = errno;
		if (!r)
			munmap(p, 4096);
		/* The socket layer's sock_no_mmap(), as for UDP. */
		expect(w, "mmap", r, e, ES(ENODEV), 1);
		break;
	case 5:
		r = socketpair(g_af, SOCK_DGRAM, 0, sv);
		e = errno;
		if (!r) {
			close(sv[0]);
			close(sv[1]);
		}
		expect(w, "socketpair", r, e, ES(EOPNOTSUPP), 1);
		break;
	default: {
		/* sendto()/send(): the same path as sendmsg without cmsgs. */
		struct sockaddr_eorpc a = addr_loop(AF_INET, 20000 + rnd(w, 40000),
						    0);
		uint32_t len = HDR + rnd(w, 100);

		fill(w->buf, len, REQ_MAGIC, 0);
		r = chance(w, 50) ? sendto(slots[s].fd, w->buf, len,
					   MSG_DONTWAIT, (struct sockaddr *)&a,
					   sizeof(a)) :
				    send(slots[s].fd, w->buf, len, MSG_DONTWAIT);
		e = errno;
		expect(w, "send/sendto", r, e, ES(EAGAIN, EPIPE, EAFNOSUPPORT,
						  EDESTADDRREQ, ENOMEM), 0);
	}
	}
	record(w, OP_MISC, s, 0, r, e);
	slot_put(s);
}

static void op_unload(struct worker *w)
{
	int flags = chance(w, 50) ? O_NONBLOCK : 0;
	long r = syscall(SYS_delete_module, "eorpc", flags);
	int e = errno;

	record(w, OP_UNLOAD, -1, flags, r, e);
	/* Our anchor socket is open: the module must stay. */
	expect(w, "delete_module", r, e, ES(EWOULDBLOCK, EBUSY), 1);
	if (r < 0)
		stat_add(ST_UNLOAD, 1);
	if (!r) {
		printf("Bail out! the module unloaded with sockets open\n");
		fflush(stdout);
		_exit(1);
	}
}

static void run_ops(struct worker *w, uint64_t n);
static struct worker *g_childw;

/* A child stuck for STALL_S: say where, with its kernel stack. */
static void child_hang(int sig)
{
	struct worker *w = g_childw;

	(void)sig;
	out("# HANG seed %" PRIu64 ": child %d (worker %d) stuck in %s; "
	       "kernel stack:\n", g_seed, getpid(), w->idx,
	       op_name[atomic_load(&w->cur_op)]);
	dump_stack("/proc/self/stack");
	dump_trace(w);
	fflush(stdout);
	_exit(3);
}

/* A child process: its own generator, a timer, single-threaded ops. */
static void child_init(struct worker *w, int kind)
{
	g_child = 1;
	no_fork_ops = 1;
	w->rng = g_seed ^ (0x1000ull * (w->idx + 1)) ^ ((uint64_t)w->forks << 32)
		 ^ (uint64_t)kind << 60;
	w->trn = 0;
	w->ops = 0;
	w->epfd = -1;
	w->nkids = 0;
	for (int i = 0; i < NSLOTS; i++) {
		pthread_rwlock_init(&slots[i].lk, NULL);
		pthread_mutex_init(&slots[i].mu, NULL);
	}
	pthread_rwlock_init(&g_lock, NULL);
	pthread_mutex_init(&out_lock, NULL);
	for (int i = 0; i < MAXW; i++)
		workers[i].tid = 0;
	nworkers = 0;
	worker_timer(w);
	/* A hung child says where, and is then counted as a failure. */
	g_childw = w;
	signal(SIGALRM, child_hang);
	alarm(STALL_S);
}

static void reap(struct worker *w, int wait_all)
{
	for (int i = 0; i < w->nkids; i++) {
		int st;
		pid_t r = 0;
		uint64_t t0 = now_ns();

		for (;;) {
			r = waitpid(w->kids[i], &st, WNOHANG);
			if (r || !wait_all)
				break;
			if (now_ns() - t0 > (STALL_S + 5) * 1000000000ull) {
				fail(w, "child %d did not exit", w->kids[i]);
				kill(w->kids[i], SIGKILL);
				waitpid(w->kids[i], &st, 0);
				r = -1;
				break;
			}
			usleep(10000);
		}
		if (!r)
			continue;
		if (r > 0 && !(WIFEXITED(st) && !WEXITSTATUS(st)))
			fail(w, "child %d: %s %d", w->kids[i],
			     WIFEXITED(st) ? "exit status" : "killed by signal",
			     WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		w->kids[i--] = w->kids[--w->nkids];
	}
}

static void op_fork(struct worker *w)
{
	pid_t pid;

	reap(w, 0);
	if (w->nkids >= 16)
		return;
	pthread_rwlock_unlock(&g_lock);
	pthread_rwlock_wrlock(&g_lock);
	w->forks++;
	for (int i = 0; i < NSLOTS; i++)
		if (slots[i].fd >= 0)
			slots[i].forked = 1;
	fflush(stdout);
	pid = fork();
	if (!pid) {
		child_init(w, 1);
		run_ops(w, 20 + rnd(w, 200));
		/* Exit with the sockets open, or close them first. */
		if (chance(w, 50))
			for (int i = 0; i < NSLOTS; i++)
				if (slots[i].fd >= 0)
					close(slots[i].fd);
		fflush(stdout);
		_exit(atomic_load(&sh->failures) ? 1 : 0);
	}
	pthread_rwlock_unlock(&g_lock);
	pthread_rwlock_rdlock(&g_lock);
	record(w, OP_FORK, -1, pid, pid, errno);
	if (pid < 0) {
		fail(w, "fork: %s", strerror(errno));
		return;
	}
	stat_add(ST_FORKS, 1);
	w->kids[w->nkids++] = pid;
}

static int lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	r = ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	if (!r)
		r = ioctl(fd, SIOCSIFFLAGS, &ifr);
	close(fd);
	return r;
}

/*
 * A child in a new network namespace makes sockets there and calls
 * between them, then exits: the namespace goes away with calls in flight,
 * or (sometimes) its sockets are passed to the parent first, which uses
 * them in a namespace no process is in and closes them later.
 */
static void op_netns(struct worker *w)
{
	int sv[2], pass, n = 0, fds[NSLOTS], nsid;
	struct { uint32_t n, socks[NSLOTS]; } msg = { 0 };
	pid_t pid;
	char cb[CMSG_SPACE(sizeof(fds))];

	reap(w, 0);
	/* A stream: the parent sees the end if the child dies first. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv)) {
		fail(w, "socketpair: %s", strerror(errno));
		return;
	}
	pass = chance(w, 50);
	nsid = atomic_fetch_add(&sh->next_nsid, 1) + 1;
	pthread_rwlock_unlock(&g_lock);
	pthread_rwlock_wrlock(&g_lock);
	w->forks++;
	fflush(stdout);
	pid = fork();
	if (!pid) {
		struct msghdr m = { 0 };
		struct iovec iov = { &msg, sizeof(msg) };
		struct cmsghdr *c;

		child_init(w, 2);
		close(sv[0]);
		/* The parent's sockets are not for this child. */
		for (int i = 0; i < NSLOTS; i++) {
			if (slots[i].fd >= 0)
				close(slots[i].fd);
			slot_reset(&slots[i]);
		}
		if (unshare(CLONE_NEWNET) || lo_up()) {
			fail(w, "unshare(CLONE_NEWNET) or lo up: %s",
			     strerror(errno));
			_exit(1);
		}
		g_nsid = nsid;
		run_ops(w, 30 + rnd(w, 120));
		if (pass) {
			for (int i = 0; i < NSLOTS; i++)
				if (slots[i].fd >= 0) {
					fds[n] = slots[i].fd;
					msg.socks[n++] = slots[i].sock;
				}
			msg.n = n;
			m.msg_iov = &iov;
			m.msg_iovlen = 1;
			if (n) {
				m.msg_control = cb;
				m.msg_controllen = CMSG_SPACE(n * sizeof(int));
				c = CMSG_FIRSTHDR(&m);
				c->cmsg_level = SOL_SOCKET;
				c->cmsg_type = SCM_RIGHTS;
				c->cmsg_len = CMSG_LEN(n * sizeof(int));
				memcpy(CMSG_DATA(c), fds, n * sizeof(int));
			}
			if (sendmsg(sv[1], &m, 0) < 0)
				fail(w, "passing sockets: %s", strerror(errno));
		}
		fflush(stdout);
		_exit(atomic_load(&sh->failures) ? 1 : 0);
	}
	/* Other workers go on while the child runs. */
	pthread_rwlock_unlock(&g_lock);
	close(sv[1]);
	record(w, OP_NETNS, -1, pid, pid, errno);
	if (pid < 0) {
		fail(w, "fork: %s", strerror(errno));
		close(sv[0]);
		pthread_rwlock_rdlock(&g_lock);
		return;
	}
	stat_add(ST_NETNS, 1);
	w->kids[w->nkids++] = pid;
	if (pass) {
		struct pollfd p = { sv[0], POLLIN, 0 };
		struct iovec iov = { &msg, sizeof(msg) };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = cb,
				    .msg_controllen = sizeof(cb) };
		struct cmsghdr *c;
		ssize_t got = 0;

		uint64_t until = now_ns() + (STALL_S + 5) * 1000000000ull;

		/* The child sends, or dies and its end closes. */
		while (poll(&p, 1, 1000) != 1 && now_ns() < until)
			;
		do
			got = recvmsg(sv[0], &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		while (got < 0 && errno == EINTR);
		c = got == sizeof(msg) ? CMSG_FIRSTHDR(&m) : NULL;
		pthread_rwlock_rdlock(&g_lock);
		if (c && c->cmsg_type == SCM_RIGHTS) {
			n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			if (n != (int)msg.n)
				fail(w, "netns child passed %d sockets, said %u",
				     n, msg.n);
			memcpy(fds, CMSG_DATA(c), n * sizeof(int));
			for (int i = 0; i < n; i++) {
				int d = slot_grab(w, 1);

				if (d < 0) {
					close(fds[i]);
					continue;
				}
				slots[d].fd = fds[i];
				slots[d].sock = msg.socks[i];
				slots[d].nsid = nsid;
				stat_add(ST_ADOPT, 1);
				pthread_rwlock_unlock(&slots[d].lk);
			}
		}
	} else {
		pthread_rwlock_rdlock(&g_lock);
	}
	close(sv[0]);
}

static int pick_op(struct worker *w)
{
	for (;;) {
		int r = rnd(w, op_total), i;

		for (i = 0; i < OP_N; i++) {
			r -= op_weight[i];
			if (r < 0)
				break;
		}
		if (no_fork_ops && (i == OP_FORK || i == OP_NETNS))
			continue;
		return i;
	}
}

static void run_ops(struct worker *w, uint64_t n)
{
	static void (*const fn[OP_N])(struct worker *) = {
		op_socket, op_bind, op_listen, op_connect, op_call, op_reply,
		op_recv, op_setsockopt, op_getsockopt, op_cancel, op_shutdown,
		op_close, op_dup, op_getname, op_poll, op_epoll, op_signal,
		op_misc, op_fork, op_netns, op_unload,
	};

	for (uint64_t i = 0; i < n && !atomic_load(&sh->stop); i++) {
		int op = pick_op(w);

		atomic_store(&w->cur_op, op);
		atomic_store(&w->op_start, now_ns());
		pthread_rwlock_rdlock(&g_lock);
		fn[op](w);
		pthread_rwlock_unlock(&g_lock);
		atomic_store(&w->op_start, 0);
		w->ops++;
		stat_add(ST_OPS, 1);
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	worker_timer(w);
	run_ops(w, w->nops);
	reap(w, 1);
	return NULL;
}

/* ---- end-of-run checks ---- */

static int count_fds(void)
{
	char path[64];
	int n = 0;

	for (int fd = 0; fd < 4096; fd++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (!access(path, F_OK))
			n++;
	}
	return n;
}

static int sockets_listed(void)
{
	FILE *f = fopen("/proc/net/eorpc/sockets", "r");
	char line[512];
	int n = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		n++;
	fclose(f);
	return n;
}

static long module_refcnt(void)
{
	FILE *f = fopen("/sys/module/eorpc/refcnt", "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* Wait up to @s seconds for @fn() == @want (releases finish after RCU). */
static long settle(long (*fn)(void), long want, int s)
{
	long v = fn();

	for (int i = 0; i < s * 10 && v != want; i++) {
		usleep(100000);
		v = fn();
	}
	return v;
}

static long l_sockets(void) { return sockets_listed(); }
static long l_sessions(void) { return eo_stat("ServerSessions"); }
static long l_state(void) { return eo_stat("ServerStateBytes"); }

static void *watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		sleep(1);
		for (int i = 0; i < nworkers; i++) {
			struct worker *w = &workers[i];
			uint64_t t = atomic_load(&w->op_start);
			char path[80];

			if (!t || now_ns() - t < STALL_S * 1000000000ull)
				continue;
			out("# HANG seed %" PRIu64 ": worker %d stuck in %s "
			       "for %d s; its kernel stack:\n", g_seed, i,
			       op_name[atomic_load(&w->cur_op)], STALL_S);
			snprintf(path, sizeof(path), "/proc/self/task/%d/stack",
				 w->tid);
			dump_stack(path);
			dump_trace(w);
			out("not ok 1 no operation hangs (seed %" PRIu64 ")\n"
			       "Bail out! hang\n", g_seed);
			fflush(stdout);
			_exit(1);
		}
	}
	return NULL;
}

static void usage(const char *p)
{
	fprintf(stderr, "usage: %s [--seed N] [--ops N] [--threads N] [-v]\n",
		p);
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t ops = 20000;
	struct sigaction sa = { .sa_handler = on_signal };
	int anchor, fds0, bad = 0, have_seed = 0, all = 1;
	pthread_rwlockattr_t ra;
	pthread_t wd;
	uint64_t t0;
	long v;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			g_seed = strtoull(argv[++i], NULL, 0);
			have_seed = 1;
		} else if (!strcmp(argv[i], "--ops") && i + 1 < argc) {
			ops = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--threads") && i + 1 < argc) {
			nworkers = atoi(argv[++i]);
			if (nworkers < 1 || nworkers > MAXW)
				usage(argv[0]);
		} else if (!strcmp(argv[i], "-v")) {
			g_verbose = 1;
		} else {
			usage(argv[0]);
		}
	}
	if (!have_seed) {
		uint64_t x = now_ns() ^ (uint64_t)getpid() << 32;

		g_seed = splitmix(&x) % 1000000000000ull;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* First thing, so any failure, hang or crash can be repeated. */
	printf("# seed %" PRIu64 " (repeat: --seed %" PRIu64 " --ops %" PRIu64
	       " --threads %d)\n", g_seed, g_seed, ops, nworkers);
	printf("1..8\n");

	g_af = eorpc_af();
	anchor = g_af > 0 ? socket(g_af, SOCK_DGRAM | SOCK_CLOEXEC, 0) : -1;
	if (anchor < 0) {
		printf("Bail out! no AF_EORPC (family %d): %s\n", g_af,
		       strerror(errno));
		return 1;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		printf("Bail out! mmap: %s\n", strerror(errno));
		return 1;
	}
	sigaction(SIGUSR1, &sa, NULL);	/* the per-op timer: never restart */
	if (g_seed & 1)
		sa.sa_flags = SA_RESTART;	/* random signals: both ways */
	sigaction(SIGUSR2, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (int i = 0; i < OP_N; i++)
		op_total += op_weight[i];
	/* A fork waits for running ops, and new ops wait for it. */
	pthread_rwlockattr_init(&ra);
	pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_READER_NP);
	pthread_rwlock_init(&g_lock, &ra);
	for (int i = 0; i < NSLOTS; i++) {
		pthread_rwlock_init(&slots[i].lk, NULL);
		pthread_mutex_init(&slots[i].mu, NULL);
		slot_reset(&slots[i]);
	}
	fds0 = count_fds();
	t0 = now_ns();
	for (int i = 0; i < nworkers; i++) {
		struct worker *w = &workers[i];
		uint8_t *m = mmap(NULL, BUFSZ + 8192, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED) {
			printf("Bail out! mmap: %s\n", strerror(errno));
			return 1;
		}
		w->buf = m;
		w->guard = m + ((BUFSZ + 4095) & ~4095ul);
		mprotect(w->guard, 4096, PROT_NONE);
		w->idx = i;
		w->rng = g_seed ^ (0x1000ull * (i + 1));
		w->epfd = -1;
		w->nops = ops / nworkers + (i < (int)(ops % nworkers));
		pthread_create(&w->th, NULL, worker_main, w);
	}
	pthread_create(&wd, NULL, watchdog, NULL);
	for (int i = 0; i < nworkers; i++)
		pthread_join(workers[i].th, NULL);
	t0 = now_ns() - t0;

	/* Done: close everything we opened, then look at what is left. */
	for (int i = 0; i < NSLOTS; i++)
		if (slots[i].fd >= 0) {
			close(slots[i].fd);
			slot_reset(&slots[i]);
		}
	for (int i = 0; i < nworkers; i++) {
		if (workers[i].epfd >= 0)
			close(workers[i].epfd);
		if (workers[i].have_timer)
			timer_delete(workers[i].timer);
	}

	printf("# %" PRIu64 " operations in %.1f s (%.0f/s), %d workers\n",
	       (uint64_t)atomic_load(&sh->st[ST_OPS]), t0 / 1e9,
	       atomic_load(&sh->st[ST_OPS]) / (t0 / 1e9), nworkers);
	for (int i = 1; i < ST_N; i++)
		printf("#   %-30s %" PRIu64 "\n", st_name[i],
		       (uint64_t)atomic_load(&sh->st[i]));

	all &= TAP_OK(!atomic_load(&sh->failures), "every errno allowed, every result "
	    "consistent with eorpc(7) (%d failures)",
	    atomic_load(&sh->failures));

	/* Final scan of every tracked call. */
	for (uint32_t id = 1; id < NCALLS && id <= atomic_load(&sh->next_id);
	     id++) {
		uint32_t f = atomic_load(&sh->ci[id].flags);

		if ((f & CI_FAILED) && (f & (CI_DELIVERED | CI_COMPLETED))) {
			if (bad++ < 5)
				printf("# call %u: sendmsg failed, yet %s\n", id,
				       f & CI_DELIVERED ? "delivered" :
				       "completed");
		}
	}
	all &= TAP_OK(!bad, "no call whose sendmsg failed was delivered or completed "
	    "(%u calls)", atomic_load(&sh->next_id));
	all &= TAP_OK(atomic_load(&sh->st[ST_OPS]) >= ops ||
	    atomic_load(&sh->failures), "every worker and child finished "
	    "its operations (no hang)");
	all &= TAP_OK(ops < 5000 || (atomic_load(&sh->st[ST_REPLIES]) &&
			      atomic_load(&sh->st[ST_DELIV]) &&
			      atomic_load(&sh->st[ST_CERR])),
	    "the protocol ran: requests delivered, replies and call errors "
	    "received");
	v = count_fds();
	all &= TAP_OK(v == fds0, "no fd leak (%ld open, %d at start)", v, fds0);
	v = settle(l_sockets, 1, 10);
	all &= TAP_OK(v == 1, "only the anchor socket left in /proc/net/eorpc/sockets "
	    "(%ld listed)", v);
	{
		long ss = settle(l_sessions, 0, 10), sb = settle(l_state, 0, 5);

		all &= TAP_OK(!ss && !sb, "server state freed: ServerSessions %ld, "
		    "ServerStateBytes %ld", ss, sb);
	}
	close(anchor);
	v = settle(module_refcnt, 0, 20);
	all &= TAP_OK(v == 0 && (ops < 5000 || atomic_load(&sh->st[ST_UNLOAD])),
	    "module reference count back to 0 once every socket is closed "
	    "(%ld); delete_module refused %" PRIu64 " times while open", v,
	    (uint64_t)atomic_load(&sh->st[ST_UNLOAD]));
	printf("# seed %" PRIu64 "\n", g_seed);
	return all ? 0 : 1;
}
