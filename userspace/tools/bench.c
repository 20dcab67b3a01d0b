// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * eorpc bench: parse, run the server, the clients or the close rate, print
 * the result.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cli.h"

static void print_human(const struct bench_opts *o, const struct bench_result *r,
			const struct samples *s)
{
	double rate = r->seconds > 0 ? r->completed / r->seconds : 0;

	printf("%s: %s, %zu B, %u in flight x %u client%s (%s), %u session%s, %.2f s\n",
	       cli_prog, transport_name(o->transport), o->size, o->inflight,
	       o->clients, o->clients == 1 ? "" : "s",
	       o->processes ? "processes" : "threads", o->sessions,
	       o->sessions == 1 ? "" : "s", r->seconds);
	if (o->batch > 1)
		printf("  batches of up to %u messages per recvmmsg/sendmmsg%s\n",
		       o->batch, bnet_batch_refused ? "; sendmmsg sent one "
		       "each (the module refuses MSG_BATCH)" : "");
	printf("  calls %llu (%.0f/s, %.2f MiB/s each way), lost %llu, failed %llu\n",
	       (unsigned long long)r->completed, rate,
	       rate * o->size / (1024.0 * 1024.0),
	       (unsigned long long)r->lost, (unsigned long long)r->errors);
	printf("  latency (us): p50 %.1f  p99 %.1f  mean %.1f  max %.1f\n",
	       samples_percentile(s, 50) / 1e3, samples_percentile(s, 99) / 1e3,
	       samples_mean(s) / 1e3, samples_percentile(s, 100) / 1e3);
	printf("  UDP datagrams in this namespace: %llu in, %llu out\n",
	       (unsigned long long)r->udp_in, (unsigned long long)r->udp_out);
}

static void print_csv(const struct bench_opts *o, const struct bench_result *r,
		      const struct samples *s)
{
	double rate = r->seconds > 0 ? r->completed / r->seconds : 0;

	if (!o->no_header)
		printf("transport,size,inflight,clients,sessions,mode,seconds,calls,"
		       "lost,failed,calls_per_s,mib_per_s,p50_us,p99_us,mean_us,"
		       "max_us,label,udp_in,udp_out\n");
	printf("%s,%zu,%u,%u,%u,%s,%.3f,%llu,%llu,%llu,%.1f,%.3f,%.1f,%.1f,%.1f,%.1f,%s,%llu,%llu\n",
	       transport_name(o->transport), o->size, o->inflight, o->clients,
	       o->sessions, o->processes ? "processes" : "threads", r->seconds,
	       (unsigned long long)r->completed, (unsigned long long)r->lost,
	       (unsigned long long)r->errors, rate,
	       rate * o->size / (1024.0 * 1024.0),
	       samples_percentile(s, 50) / 1e3, samples_percentile(s, 99) / 1e3,
	       samples_mean(s) / 1e3, samples_percentile(s, 100) / 1e3,
	       o->label ? o->label : "", (unsigned long long)r->udp_in,
	       (unsigned long long)r->udp_out);
}

int cmd_bench(int argc, char **argv)
{
	struct bench_result r;
	struct bench_opts o;
	struct bench_addr a;
	int rc;

	rc = bench_parse_args(argc, argv, &o);
	if (rc)
		return rc > 0 ? ST_OK : ST_USAGE;
	if (bench_addr_parse(&a, o.addr)) {
		cli_err(errno, "address '%s'", o.addr);
		return status_of_setup_error(errno);
	}
	if (o.mode == BENCH_SERVER)
		return bench_serve(&o, &a);
	if (o.mode == BENCH_CLOSE)
		return bench_close(&o, &a);

	memset(&r, 0, sizeof(r));
	bench_run_clients(&o, &a, &r);
	if (r.err) {
		samples_free(&r.lat);
		return status_of_call_error(r.err);
	}
	samples_sort(&r.lat);
	if (o.csv)
		print_csv(&o, &r, &r.lat);
	else
		print_human(&o, &r, &r.lat);
	samples_free(&r.lat);
	/* A run in which nothing completed measured nothing. */
	if (!r.completed) {
		fprintf(stderr, "%s: no call completed\n", cli_prog);
		return ST_FAIL;
	}
	return ST_OK;
}
