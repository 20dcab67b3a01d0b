// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * eorpc bench's clients: each keeps W calls in flight over its sockets
 * (round-robin), timing every call from send to completion. Every client
 * waits in epoll, however many sockets it has, so the 1-session point pays
 * for the same receive path as the others and the points compare.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "cli.h"

/* How often a waiting client looks at the clock (and for UDP losses). */
enum { TICK_MS = 50, PRIME_TRIES = 50 };

struct slot {
	uint64_t seq, sent;
	unsigned int conn;
	bool busy, pending;
};

/*
 * What brackets the timed part of a run: the namespace's UDP counters and,
 * with --perf-ctl, perf stat's events, so set-up and teardown (session
 * handshakes, opening and closing sockets) are not counted per call.
 */
struct gate {
	int ctl, ack;		/* perf's control and ack fifos, or -1 */
	uint64_t in, out;	/* Udp InDatagrams, OutDatagrams at the start */
};

/* Storage of one message of a batch. */
struct bmsg {
	struct iovec iov;
	union {
		char b[BNET_CTL_SIZE];
		struct cmsghdr align;
	} ctl;
};

struct worker {
	const struct bench_opts *o;
	const struct bench_addr *a;
	unsigned int first_session, nconns;
	struct bconn *conns;
	struct slot *slots;
	char *buf, *rbuf;
	uint64_t gen;
	unsigned int next_conn;
	int ep;
	struct bench_result r;
	struct bmsg *bm;		/* --batch: one per slot */
	struct mmsghdr *mv;		/* --batch: sends and receives */
	unsigned int *todo;		/* --batch: slots to send */
	pthread_barrier_t *barrier;	/* threads */
	struct gate *gate;		/* threads: opened by one of them */
	int start_fd;			/* processes: readable at start */
};

static unsigned int tick_ms(const struct bench_opts *o)
{
	if (o->transport == TR_UDP && o->loss_timeout_ms < TICK_MS)
		return o->loss_timeout_ms;
	return TICK_MS;
}

static void fail(struct worker *w, const char *what)
{
	if (!w->r.err) {
		w->r.err = errno ? errno : EIO;
		cli_err(w->r.err, "%s %s (%s)", what, w->o->addr,
			transport_name(w->o->transport));
	}
}

/*
 * Send slot @i's call: 0 sent, 1 pending (the socket is full: AF_EORPC
 * sends never block here, since a client blocked in sendmsg reads no
 * replies and its receive queue would fill for good), -1 error.
 */
static int try_send(struct worker *w, unsigned int i)
{
	struct slot *s = &w->slots[i];

	if (!bnet_send(w->o, w->a, &w->conns[s->conn], s->seq, w->buf)) {
		s->pending = false;
		return 0;
	}
	if (errno == EAGAIN) {
		s->pending = true;
		return 1;
	}
	s->busy = false;
	return -1;
}

/* A sequence number names the slot (low 16 bits) and its use. */
static int issue(struct worker *w, unsigned int i)
{
	struct slot *s = &w->slots[i];

	s->seq = (++w->gen << 16) | i;
	s->conn = w->next_conn;
	w->next_conn = (w->next_conn + 1) % w->nconns;
	/* The application's view: the call starts when it asks to send. */
	s->sent = now_ns();
	s->busy = true;
	return try_send(w, i) < 0 ? -1 : 0;
}

static void flush_pending(struct worker *w)
{
	unsigned int i;

	for (i = 0; i < w->o->inflight; i++)
		if (w->slots[i].busy && w->slots[i].pending &&
		    try_send(w, i) < 0) {
			fail(w, "sending a call to");
			return;
		}
}

/* Next completion on @c: 1, 0 (none yet) or -1. */
static int next(struct worker *w, struct bconn *c, uint64_t *seq, int *err,
		int flags)
{
	return bnet_recv(w->o, c, w->rbuf, w->o->size + 4096, seq, err, flags);
}

/* Wait for the reply to @seq on @c; UDP resends it when it is late. */
static int prime_wait(struct worker *w, struct bconn *c, uint64_t seq)
{
	uint64_t got, start = now_ns();
	unsigned int tries = 1;
	int err, rc;

	for (;;) {
		rc = next(w, c, &got, &err, 0);
		if (rc < 0)
			return -1;
		if (rc && got == seq) {
			errno = err;
			return err ? -1 : 0;
		}
		/* UDP: a few ticks; the others: their own retransmissions. */
		if (now_ns() - start < (w->o->transport == TR_UDP ?
					(uint64_t)tick_ms(w->o) * 4000000 :
					30000000000ull))
			continue;
		/* Only UDP loses calls; AF_EORPC and TCP retransmit. */
		if (w->o->transport != TR_UDP || tries++ == PRIME_TRIES) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (bnet_send(w->o, w->a, c, seq, w->buf))
			return -1;
		start = now_ns();
	}
}

/*
 * One untimed call on every socket: the AF_EORPC session handshake, the TCP
 * connection and the server's per-client state are then in place, so the
 * timed part measures calls, not set-up. Sockets go in batches, their calls
 * in flight together, so 10,000 sessions take seconds, not minutes.
 */
static int prime(struct worker *w)
{
	enum { BATCH = 64 };
	unsigned int i, j, end;
	uint64_t seq;

	for (i = 0; i < w->nconns; i = end) {
		end = i + BATCH < w->nconns ? i + BATCH : w->nconns;
		for (j = i; j < end; j++) {
			seq = ((uint64_t)1 << 62) | j;
			if (!bnet_send(w->o, w->a, &w->conns[j], seq, w->buf))
				continue;
			/* AF_EORPC out of room: collect, send the rest later. */
			if (errno != EAGAIN || j == i)
				return -1;
			end = j;
			break;
		}
		for (j = i; j < end; j++)
			if (prime_wait(w, &w->conns[j], ((uint64_t)1 << 62) | j))
				return -1;
	}
	return 0;
}

static int setup(struct worker *w)
{
	const struct bench_opts *o = w->o;
	struct epoll_event ev = { .events = EPOLLIN };
	unsigned int i;

	w->ep = -1;
	w->conns = calloc(w->nconns, sizeof(*w->conns));
	w->slots = calloc(o->inflight, sizeof(*w->slots));
	w->buf = calloc(1, o->size);
	w->rbuf = malloc(o->size + 4096);
	if (o->batch > 1) {
		unsigned int n = o->inflight > o->batch ? o->inflight : o->batch;

		w->bm = calloc(n, sizeof(*w->bm));
		w->mv = calloc(n, sizeof(*w->mv));
		w->todo = calloc(o->inflight, sizeof(*w->todo));
		free(w->rbuf);
		w->rbuf = malloc((size_t)o->batch * (o->size + 4096));
		if (!w->bm || !w->mv || !w->todo)
			w->rbuf = NULL;	/* fails below */
	}
	if (!w->conns || !w->slots || !w->buf || !w->rbuf) {
		fail(w, "allocating memory for");
		return -1;
	}
	for (i = 0; i < w->nconns; i++)
		w->conns[i].fd = -1;
	w->ep = epoll_create1(EPOLL_CLOEXEC);
	if (w->ep < 0) {
		fail(w, "creating an epoll instance for");
		return -1;
	}
	for (i = 0; i < w->nconns; i++) {
		/*
		 * The timed receives wait in epoll; the timeout only bounds
		 * the blocking ones of the untimed first calls (prime).
		 */
		if (bnet_client_open(o, w->a, &w->conns[i],
				     w->first_session + i, tick_ms(o))) {
			fail(w, "opening a client socket to");
			return -1;
		}
		ev.data.u32 = i;
		if (w->ep >= 0 &&
		    epoll_ctl(w->ep, EPOLL_CTL_ADD, w->conns[i].fd, &ev)) {
			fail(w, "adding a socket to epoll for");
			return -1;
		}
	}
	if (prime(w)) {
		fail(w, "first call on each socket to");
		return -1;
	}
	return 0;
}

static void complete(struct worker *w, uint64_t seq, int call_err,
		     uint64_t now, uint64_t end, uint64_t *issued)
{
	unsigned int i = seq & 0xffff;
	struct slot *s;

	if (i >= w->o->inflight || !w->slots[i].busy || w->slots[i].seq != seq)
		return;		/* a UDP reply we had given up on */
	s = &w->slots[i];
	s->busy = false;
	if (now > end)
		return;
	if (call_err) {
		w->r.errors++;
	} else {
		w->r.completed++;
		samples_add(&w->r.lat, now - s->sent);
	}
	if (w->o->count && *issued >= w->o->count)
		return;
	if (!issue(w, i))
		(*issued)++;
	else
		fail(w, "sending a call to");
}

/* UDP has no retransmission: a late reply means a lost call. */
static void expire(struct worker *w, uint64_t now, uint64_t *issued)
{
	uint64_t limit = (uint64_t)w->o->loss_timeout_ms * 1000000;
	unsigned int i;

	for (i = 0; i < w->o->inflight; i++) {
		if (!w->slots[i].busy || w->slots[i].pending ||
		    now - w->slots[i].sent < limit)
			continue;
		w->slots[i].busy = false;
		w->r.lost++;
		if (w->o->count && *issued >= w->o->count)
			continue;
		if (!issue(w, i))
			(*issued)++;
		else
			fail(w, "sending a call to");
	}
}

static bool any_busy(const struct worker *w)
{
	unsigned int i;

	for (i = 0; i < w->o->inflight; i++)
		if (w->slots[i].busy)
			return true;
	return false;
}

/* Everything @c has ready (epoll said it has something). */
static void drain(struct worker *w, struct bconn *c, uint64_t end,
		  uint64_t *issued)
{
	uint64_t seq;
	int err, rc;

	while ((rc = next(w, c, &seq, &err, MSG_DONTWAIT)) > 0)
		complete(w, seq, err, now_ns(), end, issued);
	if (rc < 0)
		fail(w, "receiving a reply from");
}

/* --batch: start slot @i's next call; its send waits in w->todo. */
static void batch_issue(struct worker *w, unsigned int i, unsigned int *ntodo)
{
	struct slot *s = &w->slots[i];

	s->seq = (++w->gen << 16) | i;
	s->conn = 0;
	s->sent = now_ns();
	s->busy = true;
	w->todo[(*ntodo)++] = i;
}

/* --batch: send the calls waiting in w->todo, one sendmmsg per batch. */
static void batch_send(struct worker *w, unsigned int ntodo)
{
	const struct bench_opts *o = w->o;
	unsigned int i, k, n;
	int r;

	for (i = 0; i < ntodo; i += n) {
		n = ntodo - i < o->batch ? ntodo - i : o->batch;
		for (k = 0; k < n; k++)
			bnet_eorpc_call_msg(o, w->a, &w->conns[0],
					    w->slots[w->todo[i + k]].seq, w->buf,
					    &w->mv[k].msg_hdr, &w->bm[k].iov,
					    w->bm[k].ctl.b);
		r = bnet_sendmmsg(w->conns[0].fd, w->mv, n, MSG_DONTWAIT);
		if (r < 0 && errno != EAGAIN) {
			fail(w, "sending calls to");
			return;
		}
		/* The socket is full: the rest go one by one when it drains. */
		for (k = r < 0 ? 0 : (unsigned int)r; k < n; k++)
			w->slots[w->todo[i + k]].pending = true;
	}
}

/*
 * --batch, AF_EORPC, one socket: completions come in by recvmmsg (as many
 * as are queued once one is), and the calls they free go out together.
 */
static void run_batch(struct worker *w)
{
	const struct bench_opts *o = w->o;
	uint64_t start, end, now, seq, issued = 0;
	unsigned int i, k, ntodo = 0;
	size_t cap = o->size + 4096;
	int n, err;

	start = now_ns();
	end = o->count ? UINT64_MAX : start + (uint64_t)(o->seconds * 1e9);
	for (i = 0; i < o->inflight && (!o->count || issued < o->count); i++, issued++)
		batch_issue(w, i, &ntodo);
	batch_send(w, ntodo);
	while (!w->r.err) {
		now = now_ns();
		if (now >= end || (o->count && !any_busy(w)))
			break;
		flush_pending(w);
		for (k = 0; k < o->batch; k++) {
			w->bm[k].iov = (struct iovec){ w->rbuf + k * cap, cap };
			w->mv[k].msg_hdr = (struct msghdr){
				.msg_iov = &w->bm[k].iov, .msg_iovlen = 1,
				.msg_control = w->bm[k].ctl.b,
				.msg_controllen = sizeof(w->bm[k].ctl.b) };
		}
		/* SO_RCVTIMEO bounds the wait for the first: the clock is seen. */
		n = recvmmsg(w->conns[0].fd, w->mv, o->batch, MSG_WAITFORONE, NULL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0) {
			fail(w, "receiving replies from");
			break;
		}
		now = now_ns();
		ntodo = 0;
		for (k = 0; k < (unsigned int)n; k++) {
			struct slot *s;

			if (bnet_eorpc_completion(&w->mv[k].msg_hdr, w->mv[k].msg_len,
						  &seq, &err) < 0) {
				fail(w, "receiving a reply from");
				break;
			}
			i = seq & 0xffff;
			if (i >= o->inflight || !w->slots[i].busy ||
			    w->slots[i].seq != seq)
				continue;
			s = &w->slots[i];
			s->busy = false;
			if (now > end)
				continue;
			if (err) {
				w->r.errors++;
			} else {
				w->r.completed++;
				samples_add(&w->r.lat, now - s->sent);
			}
			if (!o->count || issued < o->count) {
				batch_issue(w, i, &ntodo);
				issued++;
			}
		}
		batch_send(w, ntodo);
	}
	now = now_ns();
	w->r.seconds = ((o->count || now < end) ? now : end) - start;
	w->r.seconds /= 1e9;
}

static void run(struct worker *w)
{
	const struct bench_opts *o = w->o;
	struct epoll_event evs[64];
	uint64_t start, end, now, issued = 0;
	unsigned int i;
	int n, k;

	start = now_ns();
	end = o->count ? UINT64_MAX : start + (uint64_t)(o->seconds * 1e9);
	for (i = 0; i < o->inflight && (!o->count || issued < o->count); i++) {
		if (issue(w, i)) {
			fail(w, "sending a call to");
			return;
		}
		issued++;
	}
	while (!w->r.err) {
		now = now_ns();
		if (now >= end || (o->count && !any_busy(w)))
			break;
		flush_pending(w);
		if (o->transport == TR_UDP)
			expire(w, now, &issued);
		n = epoll_wait(w->ep, evs, 64, tick_ms(o));
		if (n < 0 && errno != EINTR) {
			fail(w, "waiting in epoll for");
			break;
		}
		for (k = 0; k < n; k++)
			drain(w, &w->conns[evs[k].data.u32], end, &issued);
	}
	now = now_ns();
	w->r.seconds = ((o->count || now < end) ? now : end) - start;
	w->r.seconds /= 1e9;
}

static void teardown(struct worker *w)
{
	unsigned int i;

	for (i = 0; w->conns && i < w->nconns; i++)
		bnet_close(&w->conns[i]);
	if (w->ep >= 0)
		close(w->ep);
	free(w->conns);
	free(w->slots);
	free(w->buf);
	free(w->rbuf);
	free(w->bm);
	free(w->mv);
	free(w->todo);
}

/* Udp InDatagrams and OutDatagrams of this namespace; 0 if unreadable. */
static void udp_counters(uint64_t *in, uint64_t *out)
{
	unsigned long long v[8];
	char line[512];
	bool header = true;
	FILE *f = fopen("/proc/net/snmp", "re");

	*in = *out = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Udp: ", 5))
			continue;
		/* The first Udp: line names the columns, the second has them. */
		if (header) {
			header = false;
			continue;
		}
		/* InDatagrams NoPorts InErrors OutDatagrams ... */
		if (sscanf(line + 5, "%llu %llu %llu %llu", &v[0], &v[1], &v[2],
			   &v[3]) == 4) {
			*in = v[0];
			*out = v[3];
		}
		break;
	}
	if (f)
		fclose(f);
}

/* Tell perf stat @cmd and wait for its ack. */
static void perf_cmd(struct gate *g, const char *cmd)
{
	char ack[8];

	if (g->ctl < 0)
		return;
	if (write_all(g->ctl, cmd, strlen(cmd)) ||
	    read(g->ack, ack, sizeof(ack)) <= 0)
		cli_err(errno ? errno : EPIPE, "--perf-ctl: '%s' not acknowledged",
			cmd);
}

static void gate_init(const struct bench_opts *o, struct gate *g)
{
	char *ctl, *ack;

	g->ctl = g->ack = -1;
	if (!o->perf_ctl)
		return;
	ctl = strdup(o->perf_ctl);
	ack = ctl ? strchr(ctl, ',') : NULL;
	if (ack) {
		*ack++ = 0;
		g->ctl = open(ctl, O_WRONLY | O_CLOEXEC);
		g->ack = open(ack, O_RDONLY | O_CLOEXEC);
	}
	if (g->ctl < 0 || g->ack < 0)
		cli_err(errno ? errno : EINVAL, "--perf-ctl %s: counting everything",
			o->perf_ctl);
	free(ctl);
}

static void gate_open(struct gate *g)
{
	perf_cmd(g, "enable\n");
	udp_counters(&g->in, &g->out);
}

/* Leaves the datagrams counted while open in g->in and g->out. */
static void gate_close(struct gate *g)
{
	uint64_t in, out;

	udp_counters(&in, &out);
	perf_cmd(g, "disable\n");
	g->in = in - g->in;
	g->out = out - g->out;
	if (g->ctl >= 0)
		close(g->ctl);
	if (g->ack >= 0)
		close(g->ack);
	g->ctl = g->ack = -1;
}

static void *thread_main(void *arg)
{
	struct worker *w = arg;
	int failed = setup(w);

	/* Everyone waits, set up or not, so nobody waits forever. */
	if (pthread_barrier_wait(w->barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
		gate_open(w->gate);
	/* Nobody starts before the gate is open. */
	pthread_barrier_wait(w->barrier);
	if (!failed && w->o->batch > 1)
		run_batch(w);
	else if (!failed)
		run(w);
	/* Everyone has stopped: close the gate before anyone tears down. */
	if (pthread_barrier_wait(w->barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
		gate_close(w->gate);
	pthread_barrier_wait(w->barrier);
	teardown(w);
	return NULL;
}

/* Enough descriptors for every socket (root may raise the hard limit). */
static void raise_nofile(const struct bench_opts *o)
{
	struct rlimit rl;
	rlim_t need = o->sessions + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= need)
		return;
	rl.rlim_cur = need;
	if (rl.rlim_max < need)
		rl.rlim_max = need;
	setrlimit(RLIMIT_NOFILE, &rl);
}

static void merge(struct bench_result *r, struct worker *w)
{
	r->completed += w->r.completed;
	r->lost += w->r.lost;
	r->errors += w->r.errors;
	if (w->r.seconds > r->seconds)
		r->seconds = w->r.seconds;
	if (!r->err)
		r->err = w->r.err;
	samples_merge(&r->lat, &w->r.lat);
	samples_free(&w->r.lat);
}

static void run_threads(struct worker *ws, unsigned int n,
			struct bench_result *r)
{
	pthread_barrier_t barrier;
	pthread_t *tids = calloc(n, sizeof(*tids));
	unsigned int i, started = 0;
	struct gate gate;

	if (!tids || pthread_barrier_init(&barrier, NULL, n)) {
		r->err = ENOMEM;
		cli_err(r->err, "starting clients");
		free(tids);
		return;
	}
	gate_init(ws[0].o, &gate);
	for (i = 0; i < n; i++) {
		ws[i].barrier = &barrier;
		ws[i].gate = &gate;
		if (pthread_create(&tids[i], NULL, thread_main, &ws[i]))
			break;
		started++;
	}
	if (started < n) {
		/* The barrier can never fill: give up on the whole run. */
		cli_err(EAGAIN, "starting client threads");
		exit(ST_FAIL);
	}
	for (i = 0; i < n; i++) {
		pthread_join(tids[i], NULL);
		merge(r, &ws[i]);
	}
	r->udp_in = gate.in;
	r->udp_out = gate.out;
	pthread_barrier_destroy(&barrier);
	free(tids);
}

/* A child's result through a pipe: counters, then the samples. */
static void child(struct worker *w, int ready_fd, int out)
{
	char c;
	int failed = setup(w);

	if (write_all(ready_fd, "r", 1))
		_exit(ST_FAIL);
	close(ready_fd);
	if (read(w->start_fd, &c, 1) < 0)
		_exit(ST_FAIL);
	if (!failed && w->o->batch > 1)
		run_batch(w);
	else if (!failed)
		run(w);
	teardown(w);
	if (write_all(out, &w->r, sizeof(w->r)) ||
	    write_all(out, w->r.lat.v, w->r.lat.n * sizeof(*w->r.lat.v)))
		_exit(ST_FAIL);
	_exit(ST_OK);
}

static int read_child(int fd, struct worker *w)
{
	struct bench_result got;
	size_t len;
	char *buf;

	if (read_all(fd, &buf, &len, (size_t)1 << 34) || len < sizeof(got)) {
		errno = EPROTO;
		return -1;
	}
	memcpy(&got, buf, sizeof(got));
	w->r = got;
	memset(&w->r.lat, 0, sizeof(w->r.lat));
	if (len != sizeof(got) + got.lat.n * sizeof(uint64_t)) {
		free(buf);
		errno = EPROTO;
		return -1;
	}
	for (size_t i = 0; i < got.lat.n; i++) {
		uint64_t v;

		memcpy(&v, buf + sizeof(got) + i * sizeof(v), sizeof(v));
		samples_add(&w->r.lat, v);
	}
	free(buf);
	return 0;
}

static void run_processes(struct worker *ws, unsigned int n,
			  struct bench_result *r)
{
	int start[2], ready[2], *outs = calloc(n, sizeof(int));
	pid_t *pids = calloc(n, sizeof(pid_t));
	struct gate gate;
	unsigned int i;
	char c;

	if (!outs || !pids || pipe(start) || pipe(ready)) {
		r->err = errno ? errno : ENOMEM;
		cli_err(r->err, "starting client processes");
		goto out;
	}
	for (i = 0; i < n; i++) {
		int p[2];

		if (pipe(p) || (pids[i] = fork()) < 0) {
			cli_err(errno, "starting client processes");
			exit(ST_FAIL);
		}
		if (!pids[i]) {
			close(start[1]);
			close(ready[0]);
			close(p[0]);
			ws[i].start_fd = start[0];
			child(&ws[i], ready[1], p[1]);
		}
		close(p[1]);
		outs[i] = p[0];
	}
	close(start[0]);
	close(ready[1]);
	/* Start together, once every child has its sockets ready. */
	for (i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			break;
	close(ready[0]);
	/* No --perf-ctl here; the datagrams include the children's teardown. */
	gate_init(ws[0].o, &gate);
	gate_open(&gate);
	close(start[1]);
	for (i = 0; i < n; i++) {
		if (read_child(outs[i], &ws[i]) && !r->err) {
			r->err = errno;
			cli_err(r->err, "reading client %u's results", i);
		}
		close(outs[i]);
		waitpid(pids[i], NULL, 0);
		merge(r, &ws[i]);
	}
	gate_close(&gate);
	r->udp_in = gate.in;
	r->udp_out = gate.out;
out:
	free(outs);
	free(pids);
}

void bench_run_clients(const struct bench_opts *o, const struct bench_addr *a,
		       struct bench_result *r)
{
	struct worker *ws = calloc(o->clients, sizeof(*ws));
	unsigned int i, first = 0;

	if (!ws) {
		r->err = ENOMEM;
		cli_err(r->err, "starting clients");
		return;
	}
	raise_nofile(o);
	for (i = 0; i < o->clients; i++) {
		ws[i].o = o;
		ws[i].a = a;
		ws[i].first_session = first;
		ws[i].nconns = o->sessions / o->clients +
			       (i < o->sessions % o->clients);
		first += ws[i].nconns;
	}
	if (o->processes)
		run_processes(ws, o->clients, r);
	else
		run_threads(ws, o->clients, r);
	free(ws);
}
