// SPDX-License-Identifier: GPL-2.0
/*
 * Soak: many calls, end to end, over a lossy veth link, with a workload
 * whose final state proves every execution.
 *
 *   [ns eosc-PID] C clients, W calls in flight each --- veth (netem both
 *   ways) --- [ns esos-PID] one server
 *            10.78.0.2                                    10.78.0.1
 *
 * Every call carries a unique token (its global call number). The server
 * application appends the token to its log (server state in shared memory)
 * and replies with the position it was appended at: a second execution
 * would append the token twice, a lost one would leave it out, and a reply
 * matched to the wrong call would name a position holding another token.
 * At the end the log is compared with what every client saw.
 *
 * Calls carry no deadline, so G3 says every one completes; a client that
 * sees no completion for --stall-s seconds gives up and counts the calls it
 * still has in flight as lost. Memory gauges (ServerSessions,
 * ServerStateBytes, the server socket's receive memory, the client
 * namespace's sockets, unreclaimable slab) are read before the clients
 * start and again after they closed; they must come back.
 *
 * Runs in a guest: selftests/soak/run. Exit 0 all good, 1 a check failed,
 * 2 usage, 3 setup failed.
 */
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include "eorpc_raw.h"
#include "../lib/tap.h"

enum { SOAK_PORT = 4242, MAX_CLIENTS = 256, HIST_MS = 10000 };
#define REQ_MAGIC 0x534f414bU	/* "SOAK" */
#define REP_MAGIC 0x52455053U	/* "REPS" */

struct soak_req {
	uint32_t magic;
	uint32_t client;
	uint32_t token;		/* global call number */
	uint32_t len;		/* whole request, padding included */
	uint8_t pad[];
};

struct soak_rep {
	uint32_t magic;
	uint32_t token;		/* echoed */
	uint32_t pos;		/* where the server's log holds it */
	uint32_t check;		/* token ^ pos ^ magic: the reply is whole */
};

/* Per client, written by that client only. */
struct soak_client {
	uint64_t started, completed, failed, mismatched, bad_tag, lost;
	uint64_t max_us;
	int last_error;		/* the call's errno, or a syscall's */
	int stalled;
	uint32_t hist[HIST_MS + 1];	/* latency, 1 ms buckets, last: longer */
};

/* pos[] values besides position + 1. */
enum { POS_NONE = 0, POS_FAILED = UINT32_MAX };

struct soak_shm {
	/* server application state */
	uint64_t executions;	/* log entries appended (may exceed cap) */
	uint64_t bad_requests;
	uint64_t log_cap;
	int stall_reported;	/* the first stalled client printed state */
	/* clients */
	struct soak_client cl[MAX_CLIENTS];
	/* followed by uint32_t log[log_cap], uint32_t pos[calls] */
};

static struct {
	uint64_t calls;
	int clients, inflight, payload, stall_s, progress_s, rcvbuf;
	int rto_min, rto_initial, rto_max;
	long long slab_tolerance_kb;
	const char *netem;
} opt = {
	.calls = 1000000, .clients = 32, .inflight = 32, .payload = 64,
	.stall_s = 120, .progress_s = 60, .rcvbuf = 0,
	.rto_min = 5, .rto_initial = 20, .rto_max = 50,
	.slab_tolerance_kb = 1024,
	.netem = "loss 50% duplicate 20% delay 1ms 1ms reorder 25% 50%",
};

static struct soak_shm *shm;
static uint32_t *slog, *spos;
static char srv_ns[32], cli_ns[32];
static struct sockaddr_eorpc server;
static pid_t srv_pid;

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000;
}

/* Client c's calls: tokens [first, first + count). */
static void client_range(int c, uint64_t *first, uint64_t *count)
{
	uint64_t base = opt.calls / opt.clients, extra = opt.calls % opt.clients;

	*first = c * base + ((uint64_t)c < extra ? (uint64_t)c : extra);
	*count = base + ((uint64_t)c < extra);
}

/* ---- the server application: append, reply with the position ---- */

static void serve(int fd)
{
	static uint8_t buf[EORPC_MAX_MSG_LEN];
	struct soak_req *rq = (struct soak_req *)buf;
	struct soak_rep rp = { .magic = REP_MAGIC };
	struct eo_rx rx;
	uint64_t pos;
	ssize_t n;

	for (;;) {
		n = eo_recv(fd, buf, sizeof(buf), &rx, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			_exit(12);
		}
		if (!rx.has_call_id)
			_exit(13);
		if (n < (ssize_t)sizeof(*rq) || rq->magic != REQ_MAGIC ||
		    rq->len != (uint32_t)n || rq->token >= opt.calls) {
			shm->bad_requests++;
			rp.token = UINT32_MAX;
			rp.pos = UINT32_MAX;
		} else {
			/* The non-idempotent part: every execution appends. */
			pos = shm->executions++;
			if (pos < shm->log_cap)
				slog[pos] = rq->token;
			rp.token = rq->token;
			rp.pos = pos;
		}
		rp.check = rp.token ^ rp.pos ^ REP_MAGIC;
		if (eo_reply(fd, rx.call_id, &rp, sizeof(rp)) < 0)
			_exit(14);
	}
}

static pid_t start_server(void)
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
		if (eo_ns_enter(srv_ns))
			_exit(10);
		fd = eo_socket();
		/* Root may go past rmem_max: fewer drops at the socket, so
		 * the loss measured is netem's. */
		if (fd < 0 || (opt.rcvbuf &&
			       setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE,
					  &opt.rcvbuf, sizeof(opt.rcvbuf))) ||
		    bind(fd, (const struct sockaddr *)&server, sizeof(server)) ||
		    listen(fd, 0) || write(ready[1], "r", 1) != 1)
			_exit(11);
		close(ready[1]);
		serve(fd);
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

/* ---- a client: W calls in flight on one socket until all are done ---- */

static void print_file(const char *what, const char *path)
{
	char line[256];
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("# %s: %s: %s\n", what, path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f))
		printf("# %s: %s", what, line);
	fclose(f);
}

/*
 * A client saw nothing complete for stall_s seconds: the first one to say
 * so prints what the kernel holds, the clients' sockets still open, so a
 * failed run shows whether calls were stuck in the client (its timer, a
 * wakeup) or at the server.
 */
static void report_stall(int c, int fd, uint64_t in_flight)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char path[64];

	if (__atomic_exchange_n(&shm->stall_reported, 1, __ATOMIC_SEQ_CST))
		return;
	printf("# client %d: nothing completed for %d s, %" PRIu64 " calls in flight; poll now says %s\n",
	       c, opt.stall_s, in_flight,
	       poll(&pfd, 1, 0) > 0 ? "readable (a wakeup was lost)" :
				      "not readable");
	print_file("client ns sessions", "/proc/self/net/eorpc/sessions");
	print_file("client ns sockets", "/proc/self/net/eorpc/sockets");
	print_file("client ns stats", "/proc/self/net/eorpc/stats");
	snprintf(path, sizeof(path), "/proc/%d/net/eorpc/sessions", srv_pid);
	print_file("server ns sessions", path);
	snprintf(path, sizeof(path), "/proc/%d/net/eorpc/sockets", srv_pid);
	print_file("server ns sockets", path);
	snprintf(path, sizeof(path), "/proc/%d/net/eorpc/stats", srv_pid);
	print_file("server ns stats", path);
}

static void note_latency(struct soak_client *me, uint64_t us)
{
	uint64_t ms = us / 1000;

	me->hist[ms < HIST_MS ? ms : HIST_MS]++;
	if (us > me->max_us)
		me->max_us = us;
}

/* One completion from the queue; 0, or -1 with errno (EAGAIN: none). */
static int complete_one(int fd, struct soak_client *me, uint64_t first,
			uint64_t count, const uint64_t *sent_at)
{
	struct soak_rep rp;
	struct eo_rx rx;
	uint64_t t;
	ssize_t n;

	n = eo_recv(fd, &rp, sizeof(rp), &rx, MSG_DONTWAIT);
	if (n < 0)
		return -1;
	/* G6: the tag names one of our calls, still in flight. */
	if (!rx.has_tag || rx.tag < first || rx.tag >= first + count ||
	    spos[rx.tag] != POS_NONE || !sent_at[rx.tag - first]) {
		me->bad_tag++;
		return 0;
	}
	t = rx.tag;
	note_latency(me, now_us() - sent_at[t - first]);
	if (rx.error) {
		me->failed++;
		me->last_error = rx.error;
		spos[t] = POS_FAILED;
		return 0;
	}
	/* G1: the reply is the one the server computed for this call. */
	if (n != sizeof(rp) || rp.magic != REP_MAGIC || rp.token != t ||
	    rp.check != (rp.token ^ rp.pos ^ REP_MAGIC) || rp.pos == UINT32_MAX) {
		me->mismatched++;
		spos[t] = POS_FAILED;
		return 0;
	}
	spos[t] = rp.pos + 1;
	me->completed++;
	return 0;
}

static int run_client(int c)
{
	struct soak_client *me = &shm->cl[c];
	size_t len = opt.payload < (int)sizeof(struct soak_req) ?
		     sizeof(struct soak_req) : (size_t)opt.payload;
	uint64_t first, count, next = 0, done, *sent_at;
	struct soak_req *rq = calloc(1, len);
	struct pollfd pfd;
	int fd, r;

	client_range(c, &first, &count);
	sent_at = calloc(count ? count : 1, sizeof(*sent_at));
	fd = eo_socket();
	if (!rq || !sent_at || fd < 0) {
		me->last_error = errno;
		return 3;
	}
	rq->magic = REQ_MAGIC;
	rq->client = c;
	rq->len = len;
	memset(rq->pad, 'a' + c % 26, len - sizeof(*rq));
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		done = me->completed + me->failed + me->mismatched;
		if (done == count)
			break;
		while (next < count && next - done < (uint64_t)opt.inflight) {
			rq->token = first + next;
			sent_at[next] = now_us();
			/* No deadline: the call is retried until it completes. */
			if (eo_send(fd, &server, rq, len, rq->token, 0, 0) < 0) {
				me->last_error = errno;
				return 4;
			}
			me->started++;
			next++;
		}
		r = poll(&pfd, 1, opt.stall_s * 1000);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			me->last_error = errno;
			return 5;
		}
		if (!r) {
			/* G3 broken: nothing completed for stall_s seconds. */
			me->stalled = 1;
			me->lost = next - done;
			report_stall(c, fd, me->lost);
			break;
		}
		/* Drain what is queued: one poll for many completions. */
		while (!complete_one(fd, me, first, count, sent_at))
			;
		if (errno != EAGAIN && errno != EINTR) {
			me->last_error = errno;
			return 6;
		}
	}
	close(fd);
	return me->stalled ? 7 : 0;
}

/* ---- gauges ---- */

struct gauges {
	long long sessions, state_bytes, srv_rmem, srv_sockets, cli_sockets;
	long long slab_kb, sunreclaim_kb;
};

/*
 * Sockets listed in /proc/PID/net/eorpc/sockets (PID's namespace) and the
 * rmem of its server sockets.
 */
static long long ns_sockets(pid_t pid, long long *rmem)
{
	char path[64], line[256], local[80], role[16];
	long long count = 0, r;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/eorpc/sockets", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (rmem)
		*rmem = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%79s %15s %lld", local, role, &r) != 3)
			continue;	/* the header */
		count++;
		if (rmem && !strcmp(role, "server"))
			*rmem += r;
	}
	fclose(f);
	return count;
}

static void read_gauges(pid_t srv, struct gauges *g)
{
	g->sessions = eo_stat_of(srv, "ServerSessions");
	g->state_bytes = eo_stat_of(srv, "ServerStateBytes");
	g->srv_sockets = ns_sockets(srv, &g->srv_rmem);
	g->cli_sockets = ns_sockets(getpid(), NULL);
	eo_shrink_slabs();
	g->slab_kb = eo_meminfo_kb("Slab");
	g->sunreclaim_kb = eo_meminfo_kb("SUnreclaim");
}

/* The module's own gauges back where they were. */
static bool eorpc_gauges_back(const struct gauges *a, const struct gauges *b)
{
	return b->sessions == a->sessions && b->state_bytes == a->state_bytes &&
	       b->srv_rmem == a->srv_rmem && b->srv_sockets == a->srv_sockets &&
	       b->cli_sockets == a->cli_sockets;
}

/* ---- counters: both namespaces, as deltas over the run ---- */

static const char *const cli_counters[] = {
	"Calls", "CallsCompleted", "CallsFailed", "RequestsSent",
	"Retransmits", "HellosSent", "AcksSent", "RepliesReceived",
	"StaleReplies", "BusyReceived", "ErrorsReceived",
};

static const char *const srv_counters[] = {
	"RequestsDelivered", "RepliesSent", "DupAnsweredFromHistory",
	"DupAnsweredBusy", "DupFragments", "StaleRequests", "SessionsCreated",
	"SessionsClosed", "SessionsExpired", "SessionsEvicted",
	"HistoryFreed", "RepliesOrphaned", "ErrorsSent", "RequestsBusyMemory",
};

#define NCLI (sizeof(cli_counters) / sizeof(cli_counters[0]))
#define NSRV (sizeof(srv_counters) / sizeof(srv_counters[0]))

/* Every counter of a namespace's stats file, for the drops and errors. */
struct allstats {
	int n;
	char name[96][40];
	long long v[96];
};

static void read_all(pid_t pid, struct allstats *s)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/net/eorpc/stats", pid);
	s->n = 0;
	f = fopen(path, "r");
	if (!f)
		return;
	while (s->n < 96 && fscanf(f, "%39s %lld", s->name[s->n], &s->v[s->n]) == 2)
		s->n++;
	fclose(f);
}

static long long stat_delta(const struct allstats *a, const struct allstats *b,
			    const char *name)
{
	long long va = 0, vb = -1;

	for (int i = 0; i < a->n; i++)
		if (!strcmp(a->name[i], name))
			va = a->v[i];
	for (int i = 0; i < b->n; i++)
		if (!strcmp(b->name[i], name))
			vb = b->v[i];
	return vb < 0 ? -1 : vb - va;
}

/* Packets netem sent and dropped on one device of a namespace. */
static void link_packets(const char *ns, const char *dev, long long *sent,
			 long long *dropped)
{
	char cmd[160], line[256];
	long long b, p, d;
	FILE *f;

	*sent = *dropped = 0;
	snprintf(cmd, sizeof(cmd), "tc -n %s -s qdisc show dev %s", ns, dev);
	f = popen(cmd, "r");
	if (!f)
		return;
	/* " Sent 1234 bytes 56 pkt (dropped 7, overlimits 0 requeues 0)" */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " Sent %lld bytes %lld pkt (dropped %lld", &b,
			   &p, &d) == 3) {
			*sent += p;
			*dropped += d;
		}
	pclose(f);
}

/* ---- setup ---- */

static int setup_link(void)
{
	if (eo_ns_pair(srv_ns, cli_ns))
		return -1;
	/*
	 * A LAN-sized retransmission timer (the defaults suit slower paths):
	 * with half the packets lost each way, most calls need several tries,
	 * and the RTO sets the pace. Its cap also bounds the longest wait.
	 */
	if (eo_sh("for ns in %s %s; do ip netns exec $ns sysctl -qw "
		  "net.eorpc.rto_min_ms=%d net.eorpc.rto_initial_ms=%d "
		  "net.eorpc.rto_max_ms=%d || exit 1; done", srv_ns, cli_ns,
		  opt.rto_min, opt.rto_initial, opt.rto_max))
		return -1;
	if (opt.netem[0] &&
	    (eo_sh("tc -n %s qdisc add dev veth0 root netem %s", srv_ns, opt.netem) ||
	     eo_sh("tc -n %s qdisc add dev veth1 root netem %s", cli_ns, opt.netem)))
		return -1;
	return 0;
}

static void cleanup(void)
{
	eo_ns_del(srv_ns, cli_ns);
}

/* ---- the report ---- */

static uint64_t hist_quantile(const uint32_t *hist, uint64_t total, double q)
{
	uint64_t want = total * q, seen = 0;

	for (int i = 0; i <= HIST_MS; i++) {
		seen += hist[i];
		if (seen > want)
			return i;
	}
	return HIST_MS;
}

/* A quantile in ms; the last bucket holds everything from HIST_MS up. */
static const char *quantile_str(char *buf, size_t len, const uint32_t *hist,
				uint64_t total, double q)
{
	uint64_t ms = hist_quantile(hist, total, q);

	snprintf(buf, len, "%s%" PRIu64 " ms", ms == HIST_MS ? ">= " : "", ms);
	return buf;
}

static void usage(const char *argv0, int status)
{
	printf("usage: %s [--calls N] [--clients C] [--inflight W] [--payload BYTES]\n"
	       "       [--netem 'ARGS'] [--rto MIN,INITIAL,MAX] [--rcvbuf BYTES]\n"
	       "       [--stall-s S] [--progress-s S] [--slab-tolerance-kb KB]\n"
	       "Defaults: %" PRIu64 " calls, %d clients x %d in flight, %d-byte requests,\n"
	       "netem '%s' both ways, RTO %d,%d,%d ms, a call lost after %d s\n"
	       "without any completion, slab back within %lld kB.\n",
	       argv0, opt.calls, opt.clients, opt.inflight, opt.payload, opt.netem,
	       opt.rto_min, opt.rto_initial, opt.rto_max, opt.stall_s,
	       opt.slab_tolerance_kb);
	exit(status);
}

static void parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "calls", 1, 0, 'n' }, { "clients", 1, 0, 'c' },
		{ "inflight", 1, 0, 'w' }, { "payload", 1, 0, 'p' },
		{ "netem", 1, 0, 'e' }, { "rto", 1, 0, 'r' },
		{ "rcvbuf", 1, 0, 'b' }, { "stall-s", 1, 0, 's' },
		{ "progress-s", 1, 0, 'g' }, { "slab-tolerance-kb", 1, 0, 't' },
		{ "help", 0, 0, 'h' }, { 0, 0, 0, 0 },
	};
	int o;

	while ((o = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (o) {
		case 'n': opt.calls = strtoull(optarg, NULL, 0); break;
		case 'c': opt.clients = atoi(optarg); break;
		case 'w': opt.inflight = atoi(optarg); break;
		case 'p': opt.payload = atoi(optarg); break;
		case 'e': opt.netem = optarg; break;
		case 'r':
			if (sscanf(optarg, "%d,%d,%d", &opt.rto_min,
				   &opt.rto_initial, &opt.rto_max) != 3)
				usage(argv[0], 2);
			break;
		case 'b': opt.rcvbuf = atoi(optarg); break;
		case 's': opt.stall_s = atoi(optarg); break;
		case 'g': opt.progress_s = atoi(optarg); break;
		case 't': opt.slab_tolerance_kb = atoll(optarg); break;
		case 'h': usage(argv[0], 0); break;
		default: usage(argv[0], 2);
		}
	}
	if (optind != argc || !opt.calls || opt.calls >= UINT32_MAX - 1 ||
	    opt.clients < 1 || opt.clients > MAX_CLIENTS || opt.inflight < 1 ||
	    opt.payload < 0 || opt.payload > EORPC_MAX_MSG_LEN ||
	    opt.stall_s < 1 || opt.progress_s < 1)
		usage(argv[0], 2);
}

static void print_counters(const char *what, const char *const *names, size_t n,
			   const struct allstats *a, const struct allstats *b)
{
	printf("# %s:", what);
	for (size_t i = 0; i < n; i++)
		printf(" %s %lld", names[i], stat_delta(a, b, names[i]));
	printf("\n");
}

/* Drop and error counters that moved, by name. */
static void print_moved(const char *what, const struct allstats *a,
			const struct allstats *b, const char *const *skip,
			size_t nskip)
{
	int any = 0;

	printf("# %s other counters that moved:", what);
	for (int i = 0; i < b->n; i++) {
		long long d = stat_delta(a, b, b->name[i]);
		size_t k;

		if (!d || !strncmp(b->name[i], "Server", 6))
			continue;
		for (k = 0; k < nskip && strcmp(skip[k], b->name[i]); k++)
			;
		if (k < nskip)
			continue;
		printf(" %s %lld", b->name[i], d);
		any = 1;
	}
	printf("%s\n", any ? "" : " none");
}

int main(int argc, char **argv)
{
	uint64_t started = 0, completed = 0, failed = 0, mismatched = 0;
	uint64_t bad_tag = 0, lost = 0, max_us = 0, t0, t1, last_print;
	uint64_t doubles = 0, extra_execs = 0, bogus = 0, reply_not_own = 0;
	uint64_t completed_not_once = 0, executed_unfinished = 0, unfinished = 0;
	uint64_t executions, stored;
	static uint32_t hist[HIST_MS + 1];
	char q50[24], q99[24], q9999[24];
	struct allstats cli0, cli1, srv0, srv1;
	struct gauges g0, g1;
	long long sent_s, drop_s, sent_c, drop_c, slab_diff;
	pid_t srv, pids[MAX_CLIENTS];
	int status, client_fail = 0, last_error = 0, setup_ok;
	uint8_t *count;
	size_t size;
	double secs;
	bool back;

	parse_args(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (eorpc_af() < 0) {
		printf("Bail out! module not loaded (%s)\n", EORPC_FAMILY_SYSFS);
		return 3;
	}
	size = sizeof(*shm) + (opt.calls + opt.calls / 4 + 1024) * 4 +
	       opt.calls * 4;
	shm = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		printf("Bail out! mmap %zu bytes: %s\n", size, strerror(errno));
		return 3;
	}
	/* Room for a quarter more executions than calls: doubles are kept. */
	shm->log_cap = opt.calls + opt.calls / 4 + 1024;
	slog = (uint32_t *)(shm + 1);
	spos = slog + shm->log_cap;

	snprintf(srv_ns, sizeof(srv_ns), "esos-%d", getpid());
	snprintf(cli_ns, sizeof(cli_ns), "eosc-%d", getpid());
	printf("TAP version 13\n");
	printf("# soak: %" PRIu64 " calls, %d clients x %d in flight, %d-byte requests, no deadline\n",
	       opt.calls, opt.clients, opt.inflight, opt.payload);
	printf("# netem both ways: '%s'; rto min/initial/max %d/%d/%d ms; kernel %s\n",
	       opt.netem, opt.rto_min, opt.rto_initial, opt.rto_max,
	       getenv("EORPC_KERNEL") ? getenv("EORPC_KERNEL") : "?");
	atexit(cleanup);
	setup_ok = !setup_link();
	server = eo_addr4("10.78.0.1", SOAK_PORT);
	srv = setup_ok ? start_server() : -1;
	srv_pid = srv;
	if (!setup_ok || srv < 0 || eo_ns_enter(cli_ns)) {
		printf("Bail out! namespaces, netem, sysctls or server failed\n");
		eo_kill(srv);
		return 3;
	}

	/* Baselines: the server listens, no client exists yet. */
	read_gauges(srv, &g0);
	read_all(srv, &srv0);
	read_all(getpid(), &cli0);

	t0 = now_us();
	for (int c = 0; c < opt.clients; c++) {
		pids[c] = fork();
		if (pids[c] < 0) {
			printf("Bail out! fork: %s\n", strerror(errno));
			eo_kill(srv);
			for (int k = 0; k < c; k++)
				eo_kill(pids[k]);
			return 3;
		}
		if (!pids[c])
			_exit(run_client(c));
	}
	/* Progress now and then: a long soak should not look hung. */
	last_print = t0;
	for (int left = opt.clients; left;) {
		pid_t p = waitpid(-1, &status, WNOHANG);

		if (p > 0) {
			left--;
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				client_fail++;
				printf("# a client (pid %d) ended with status 0x%x\n",
				       p, status);
			}
			continue;
		}
		usleep(200000);
		if (now_us() - last_print >= opt.progress_s * 1000000ULL) {
			uint64_t d = 0;

			last_print = now_us();
			for (int c = 0; c < opt.clients; c++)
				d += shm->cl[c].completed + shm->cl[c].failed;
			printf("# progress: %" PRIu64 " of %" PRIu64 " calls done, %.0f s, %.0f calls/s\n",
			       d, opt.calls, (last_print - t0) / 1e6,
			       d / ((last_print - t0) / 1e6));
		}
	}
	t1 = now_us();
	secs = (t1 - t0) / 1e6;

	/* Counters now, before the close and expiry traffic. */
	read_all(srv, &srv1);
	read_all(getpid(), &cli1);
	link_packets(srv_ns, "veth0", &sent_s, &drop_s);
	link_packets(cli_ns, "veth1", &sent_c, &drop_c);

	/*
	 * Every client closed. A session ends with the client's closing ACK,
	 * or, if netem lost that, by expiry: shorten the timeout so that
	 * takes seconds, then wait for the gauges (frees can lag behind
	 * close: the socket's release waits for RCU).
	 */
	eo_sh("ip netns exec %s sysctl -qw net.eorpc.session_timeout_ms=2000", srv_ns);
	{
		uint64_t end = eo_now_ms() + 60000;

		do {
			usleep(500000);
			read_gauges(srv, &g1);
			slab_diff = g1.sunreclaim_kb - g0.sunreclaim_kb;
			back = eorpc_gauges_back(&g0, &g1) &&
			       slab_diff <= opt.slab_tolerance_kb;
		} while (!back && eo_now_ms() < end);
	}

	/* ---- the comparison: the server's log against the clients ---- */
	executions = shm->executions;
	stored = executions < shm->log_cap ? executions : shm->log_cap;
	count = calloc(opt.calls, 1);
	if (!count) {
		printf("Bail out! calloc\n");
		eo_kill(srv);
		return 3;
	}
	for (uint64_t i = 0; i < stored; i++) {
		if (slog[i] >= opt.calls) {
			bogus++;
			continue;
		}
		if (count[slog[i]]++)
			extra_execs++;
		if (count[slog[i]] == 2)
			doubles++;
		if (count[slog[i]] == 255)
			count[slog[i]] = 254;	/* saturate, keep counting */
	}
	for (uint64_t t = 0; t < opt.calls; t++) {
		uint32_t p = spos[t];

		if (p == POS_NONE || p == POS_FAILED) {
			unfinished++;
			if (count[t])
				executed_unfinished++;
			continue;
		}
		if (p - 1 >= stored || slog[p - 1] != t)
			reply_not_own++;
		if (count[t] != 1)
			completed_not_once++;
	}
	for (int c = 0; c < opt.clients; c++) {
		struct soak_client *cl = &shm->cl[c];

		started += cl->started;
		completed += cl->completed;
		failed += cl->failed;
		mismatched += cl->mismatched;
		bad_tag += cl->bad_tag;
		lost += cl->lost;
		if (cl->max_us > max_us)
			max_us = cl->max_us;
		if (cl->last_error)
			last_error = cl->last_error;
		for (int i = 0; i <= HIST_MS; i++)
			hist[i] += cl->hist[i];
	}
	/* Calls never started count as lost too: every call must complete. */
	lost += opt.calls - started;

	printf("# calls                     %" PRIu64 " started of %" PRIu64 "\n",
	       started, opt.calls);
	printf("# completions               %" PRIu64 " with the reply (%" PRIu64 " failed%s%s, %" PRIu64 " mismatched, %" PRIu64 " unknown tags)\n",
	       completed, failed, last_error ? ", last error " : "",
	       last_error ? strerror(last_error) : "", mismatched, bad_tag);
	printf("# executions                %" PRIu64 " appended to the server's log (%" PRIu64 " bad requests)\n",
	       executions, shm->bad_requests);
	printf("# double executions         %" PRIu64 " tokens appended more than once (%" PRIu64 " extra executions)\n",
	       doubles, extra_execs);
	printf("# lost calls                %" PRIu64 " started but never completed\n", lost);
	printf("# log vs clients            %" PRIu64 " replies not naming their own log entry, %" PRIu64 " completed but not run once,\n"
	       "#                           %" PRIu64 " ran without completing, %" PRIu64 " unfinished, %" PRIu64 " foreign tokens\n",
	       reply_not_own, completed_not_once, executed_unfinished, unfinished, bogus);
	printf("# retransmissions           %lld (client Retransmits), %lld requests sent in all\n",
	       stat_delta(&cli0, &cli1, "Retransmits"),
	       stat_delta(&cli0, &cli1, "RequestsSent"));
	printf("# duplicates from history   %lld answered with the saved reply, %lld answered BUSY, %lld stale (server)\n",
	       stat_delta(&srv0, &srv1, "DupAnsweredFromHistory"),
	       stat_delta(&srv0, &srv1, "DupAnsweredBusy"),
	       stat_delta(&srv0, &srv1, "StaleRequests"));
	printf("# link packets              server->client %lld sent, %lld dropped; client->server %lld sent, %lld dropped\n",
	       sent_s, drop_s, sent_c, drop_c);
	printf("# time                      %.1f s, %.0f calls/s\n", secs,
	       completed / secs);
	printf("# latency                   p50 %s, p99 %s, p99.99 %s, max %.0f ms\n",
	       quantile_str(q50, sizeof(q50), hist, completed + failed, 0.5),
	       quantile_str(q99, sizeof(q99), hist, completed + failed, 0.99),
	       quantile_str(q9999, sizeof(q9999), hist, completed + failed, 0.9999),
	       max_us / 1e3);
	print_counters("client namespace", cli_counters, NCLI, &cli0, &cli1);
	print_counters("server namespace", srv_counters, NSRV, &srv0, &srv1);
	print_moved("client namespace", &cli0, &cli1, cli_counters, NCLI);
	print_moved("server namespace", &srv0, &srv1, srv_counters, NSRV);
	printf("# gauges            before      after\n");
	printf("# ServerSessions    %10lld %10lld\n", g0.sessions, g1.sessions);
	printf("# ServerStateBytes  %10lld %10lld\n", g0.state_bytes, g1.state_bytes);
	printf("# server rmem       %10lld %10lld\n", g0.srv_rmem, g1.srv_rmem);
	printf("# server sockets    %10lld %10lld\n", g0.srv_sockets, g1.srv_sockets);
	printf("# client sockets    %10lld %10lld\n", g0.cli_sockets, g1.cli_sockets);
	printf("# Slab kB           %10lld %10lld (%+lld)\n", g0.slab_kb, g1.slab_kb,
	       g1.slab_kb - g0.slab_kb);
	printf("# SUnreclaim kB     %10lld %10lld (%+lld, tolerance %lld)\n",
	       g0.sunreclaim_kb, g1.sunreclaim_kb, slab_diff,
	       opt.slab_tolerance_kb);

	printf("1..7\n");
	TAP_OK(!client_fail, "every client ran to the end (%d did not)", client_fail);
	TAP_OK(!doubles && !extra_execs && !bogus, "no double execution (%" PRIu64 ")", doubles);
	TAP_OK(!lost && !failed && !unfinished && completed == opt.calls,
	       "no lost call: %" PRIu64 " of %" PRIu64 " completed with their reply",
	       completed, opt.calls);
	TAP_OK(executions == opt.calls && !reply_not_own && !completed_not_once &&
	       !executed_unfinished && !mismatched && !bad_tag,
	       "the server's log is exactly the calls the clients completed (%" PRIu64 " executions)",
	       executions);
	TAP_OK(stat_delta(&srv0, &srv1, "RequestsDelivered") == (long long)executions &&
	       stat_delta(&cli0, &cli1, "CallsCompleted") == (long long)completed,
	       "the counters agree: RequestsDelivered %lld, CallsCompleted %lld",
	       stat_delta(&srv0, &srv1, "RequestsDelivered"),
	       stat_delta(&cli0, &cli1, "CallsCompleted"));
	TAP_OK(eorpc_gauges_back(&g0, &g1),
	       "ServerSessions, ServerStateBytes, server rmem and sockets back to their baseline");
	TAP_OK(slab_diff <= opt.slab_tolerance_kb,
	       "unreclaimable slab back to its baseline (%+lld kB, %.2f bytes per call)",
	       slab_diff, slab_diff * 1024.0 / opt.calls);

	eo_kill(srv);
	printf("# result: %s\n", tap_failures() ? "FAIL" : "PASS");
	return tap_failures() ? 1 : 0;
}
