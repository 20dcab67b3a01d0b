// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * eorpc bench close: how fast AF_EORPC sockets close, against UDP sockets
 * measured the same way in the same run (an AF_EORPC socket owns a UDP
 * socket, so UDP is the floor).
 *
 * A round opens N sockets bound to ephemeral ports, untimed, then closes
 * them one after another under the clock. The two transports take turns and
 * swap who goes first each round, so a change in the machine's load, or
 * work one transport's closes leave behind, falls on both alike.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libeorpc.h>

#include "bench.h"
#include "cli.h"

/* Descriptors open besides the sockets: stdio, libeorpc's family lookup. */
#define CLOSE_SPARE_FDS		16
/* Untimed round first: qemu translates guest code on its first use. */
#define CLOSE_WARMUP_SOCKETS	32

/* AF_EORPC first: the ratio printed is [0] to [1]. */
static const enum transport close_transports[] = { TR_EORPC, TR_UDP };
#define NR_CLOSE_TRANSPORTS \
	(sizeof(close_transports) / sizeof(close_transports[0]))

/* Enough descriptors for @n sockets: the soft limit goes up to the hard one. */
static int raise_nofile(unsigned int n)
{
	rlim_t need = (rlim_t)n + CLOSE_SPARE_FDS;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl)) {
		cli_err(errno, "getrlimit(RLIMIT_NOFILE)");
		return -1;
	}
	if (rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max < need) {
		cli_err(EMFILE, "%u sockets need %llu descriptors; the hard RLIMIT_NOFILE is %llu",
			n, (unsigned long long)need,
			(unsigned long long)rl.rlim_max);
		return -1;
	}
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		cli_err(errno, "raising RLIMIT_NOFILE to %llu",
			(unsigned long long)rl.rlim_cur);
		return -1;
	}
	return 0;
}

static int open_bound(enum transport t, const struct bench_addr *a)
{
	int fd, rc, err;

	if (t == TR_EORPC)
		fd = eorpc_socket(SOCK_CLOEXEC);
	else
		fd = socket(a->ip.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (t == TR_EORPC)
		rc = bind(fd, (const struct sockaddr *)&a->eo, sizeof(a->eo));
	else
		rc = bind(fd, (const struct sockaddr *)&a->ip, a->iplen);
	if (rc) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return fd;
}

/*
 * One round: open @n sockets of @t bound to @a, then close them all, timed.
 * Return: 0 with the time the closes took in *@ns, or an errno (printed).
 */
static int close_round(enum transport t, const struct bench_addr *a,
		       int *fds, unsigned int n, uint64_t *ns)
{
	unsigned int i;
	uint64_t start;
	int err = 0;

	for (i = 0; i < n; i++) {
		fds[i] = open_bound(t, a);
		if (fds[i] < 0) {
			err = errno;
			cli_err(err, "opening %s socket %u of %u",
				transport_name(t), i + 1, n);
			while (i--)
				close(fds[i]);
			return err;
		}
	}
	start = now_ns();
	for (i = 0; i < n; i++)
		if (close(fds[i]) && !err)
			err = errno;
	*ns = now_ns() - start;
	if (err)
		cli_err(err, "closing %s sockets", transport_name(t));
	return err;
}

struct close_rate {
	double median, min, max;	/* closes per second over the rounds */
	double us_per_close;		/* at the median */
};

static double per_second(unsigned int n, uint64_t ns)
{
	return ns ? n * 1e9 / ns : 0;
}

/* @rounds: per round, the ns its closes took; sorted here. */
static void close_rate_of(struct samples *rounds, unsigned int n,
			  struct close_rate *r)
{
	uint64_t median;

	samples_sort(rounds);
	median = samples_percentile(rounds, 50);
	r->median = per_second(n, median);
	r->min = per_second(n, rounds->v[rounds->n - 1]);	/* slowest */
	r->max = per_second(n, rounds->v[0]);
	r->us_per_close = median / 1e3 / n;
}

static void print_close(const struct bench_opts *o, const char *addr,
			const struct close_rate *r)
{
	double ratio = r[1].median > 0 ? r[0].median / r[1].median : 0;
	size_t i;

	if (o->csv) {
		if (!o->no_header)
			printf("transport,sockets,rounds,closes_per_s,min_per_s,"
			       "max_per_s,us_per_close\n");
		for (i = 0; i < NR_CLOSE_TRANSPORTS; i++)
			printf("%s,%u,%u,%.1f,%.1f,%.1f,%.1f\n",
			       transport_name(close_transports[i]),
			       o->close_sockets, o->close_rounds, r[i].median,
			       r[i].min, r[i].max, r[i].us_per_close);
		return;
	}
	printf("%s: close rate, %u sockets on %s (ephemeral ports), %u rounds each\n",
	       cli_prog, o->close_sockets, addr, o->close_rounds);
	for (i = 0; i < NR_CLOSE_TRANSPORTS; i++)
		printf("  %-5s closes/s: median %.1f (min %.1f, max %.1f), %.1f us per close\n",
		       transport_name(close_transports[i]), r[i].median,
		       r[i].min, r[i].max, r[i].us_per_close);
	printf("  %s/%s close rate (medians): %.4f\n",
	       transport_name(close_transports[0]),
	       transport_name(close_transports[1]), ratio);
}

int bench_close(const struct bench_opts *o, const struct bench_addr *a)
{
	struct samples rounds[NR_CLOSE_TRANSPORTS] = { 0 };
	struct close_rate r[NR_CLOSE_TRANSPORTS];
	unsigned int round, warm, k;
	struct bench_addr local = *a;
	char text[EORPC_ADDRSTRLEN];
	int family, err = 0;
	uint64_t ns;
	size_t i;
	int *fds;

	/* Every socket needs a port of its own. */
	if (a->eo.seo_port) {
		cli_usage_err("close: ADDR's port must be 0, each socket gets its own");
		return ST_USAGE;
	}
	/* An address parsed before the module was loaded has no family. */
	family = eorpc_family();
	if (family < 0) {
		err = errno;
		cli_err(err, "AF_EORPC%s", err == EAFNOSUPPORT ?
			" (is the eorpc module loaded?)" : "");
		return err == EAFNOSUPPORT ? ST_NOMODULE : ST_FAIL;
	}
	local.eo.seo_family = (__kernel_sa_family_t)family;
	if (eorpc_addr_format(&local.eo, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), "%s", o->addr);
	if (raise_nofile(o->close_sockets))
		return ST_FAIL;
	fds = calloc(o->close_sockets, sizeof(*fds));
	if (!fds) {
		cli_err(ENOMEM, "descriptor table");
		return ST_FAIL;
	}
	warm = o->close_sockets < CLOSE_WARMUP_SOCKETS ?
	       o->close_sockets : CLOSE_WARMUP_SOCKETS;
	for (i = 0; i < NR_CLOSE_TRANSPORTS && !err; i++)
		err = close_round(close_transports[i], &local, fds, warm, &ns);
	for (round = 0; round < o->close_rounds && !err; round++) {
		for (k = 0; k < NR_CLOSE_TRANSPORTS && !err; k++) {
			/* Odd rounds go in reverse order. */
			i = round & 1 ? NR_CLOSE_TRANSPORTS - 1 - k : k;
			err = close_round(close_transports[i], &local, fds,
					  o->close_sockets, &ns);
			if (!err && samples_add(&rounds[i], ns)) {
				err = ENOMEM;
				cli_err(err, "recording a round");
			}
		}
	}
	if (!err) {
		for (i = 0; i < NR_CLOSE_TRANSPORTS; i++)
			close_rate_of(&rounds[i], o->close_sockets, &r[i]);
		print_close(o, text, r);
	}
	for (i = 0; i < NR_CLOSE_TRANSPORTS; i++)
		samples_free(&rounds[i]);
	free(fds);
	if (!err)
		return ST_OK;
	return err == EAFNOSUPPORT ? ST_NOMODULE : ST_FAIL;
}
