// SPDX-License-Identifier: LGPL-2.1-or-later
/* Command lines of call, serve and bench: what is accepted, what is not. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "cli.h"
#include "tap.h"

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))
#define CALL_PARSE(o, ...) call_parse_args(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), o)
#define SERVE_PARSE(o, ...) serve_parse_args(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), o)
#define BENCH_PARSE(o, ...) bench_parse_args(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), o)

/* Usage errors print to stderr; keep the TAP stream readable. */
static int quiet(void)
{
	int saved = dup(2);

	fflush(stderr);
	if (!freopen("/dev/null", "w", stderr))
		return -1;
	return saved;
}

static void loud(int saved)
{
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
}

static void call_args(void)
{
	struct call_opts o;
	int q;

	TAP_OK(CALL_PARSE(&o, "call", "1.2.3.4:5", "hi") == 0 &&
	       !strcmp(o.addr, "1.2.3.4:5") && !strcmp(o.payload, "hi") &&
	       o.deadline_ms > 0 && !o.verbose,
	       "call args: ADDR PAYLOAD, a default deadline");
	TAP_OK(CALL_PARSE(&o, "call", "-d", "0", "--bind", "0.0.0.0:9", "-v",
			  "h:1", "-") == 0 &&
	       o.deadline_ms == 0 && !strcmp(o.bind, "0.0.0.0:9") && o.verbose &&
	       !strcmp(o.payload, "-"),
	       "call args: --deadline 0, --bind, -v, payload '-' (stdin)");
	q = quiet();
	TAP_OK(CALL_PARSE(&o, "call", "h:1") == -1, "call args: PAYLOAD missing");
	TAP_OK(CALL_PARSE(&o, "call", "h:1", "a", "b") == -1,
	       "call args: one argument too many");
	TAP_OK(CALL_PARSE(&o, "call", "-d", "-5", "h:1", "x") == -1 &&
	       CALL_PARSE(&o, "call", "-d", "10ms", "h:1", "x") == -1 &&
	       CALL_PARSE(&o, "call", "-d", "99999999999", "h:1", "x") == -1,
	       "call args: negative, suffixed or overflowing --deadline refused");
	TAP_OK(CALL_PARSE(&o, "call", "--frob", "h:1", "x") == -1 &&
	       CALL_PARSE(&o, "call", "h:1", "x", "-d") == -1,
	       "call args: unknown option, option after the payload");
	loud(q);
	/* --help prints to stdout: send it away too. */
	q = dup(1);
	fflush(stdout);
	if (freopen("/dev/null", "w", stdout)) {
		int r = CALL_PARSE(&o, "call", "--help");

		fflush(stdout);
		dup2(q, 1);
		close(q);
		TAP_OK(r == 1, "call args: --help asks for exit 0");
	}
}

static void serve_args(void)
{
	struct serve_opts o;
	int q;

	TAP_OK(SERVE_PARSE(&o, "serve") == 0 && o.addr && !o.cmd && !o.count,
	       "serve args: no arguments: default address, echo");
	TAP_OK(SERVE_PARSE(&o, "serve", "[::1]:7", "-n", "3", "--", "tr", "-d",
			   "x") == 0 &&
	       !strcmp(o.addr, "[::1]:7") && o.count == 3 && o.cmd &&
	       !strcmp(o.cmd[0], "tr") && !strcmp(o.cmd[1], "-d") &&
	       !strcmp(o.cmd[2], "x") && !o.cmd[3],
	       "serve args: options after ADDR; CMD's own options left to CMD");
	TAP_OK(SERVE_PARSE(&o, "serve", "--handover-listen", "/run/a",
			   "-F", "/run/b") == 0 &&
	       !strcmp(o.handover_listen, "/run/a") &&
	       !strcmp(o.handover_from, "/run/b"),
	       "serve args: --handover-listen and --handover-from (-F) paths");
	TAP_OK(SERVE_PARSE(&o, "serve", "h:1") == 0 && !o.reuseport &&
	       SERVE_PARSE(&o, "serve", "--reuseport", "h:1") == 0 &&
	       o.reuseport && SERVE_PARSE(&o, "serve", "-R") == 0 && o.reuseport,
	       "serve args: --reuseport (-R), off by default");
	q = quiet();
	TAP_OK(SERVE_PARSE(&o, "serve", "h:1", "--") == -1,
	       "serve args: '--' without a command");
	TAP_OK(SERVE_PARSE(&o, "serve", "h:1", "tr") == -1,
	       "serve args: a command without '--'");
	TAP_OK(SERVE_PARSE(&o, "serve", "-n", "0") == -1,
	       "serve args: --count 0 refused");
	loud(q);
}

static void bench_args(void)
{
	struct bench_opts o;
	int q;

	TAP_OK(BENCH_PARSE(&o, "bench", "client", "-t", "udp", "-s", "1K", "-w",
			   "32", "-c", "4", "-S", "100", "-d", "0.5", "h:1") == 0 &&
	       o.transport == TR_UDP && o.size == 1024 && o.inflight == 32 &&
	       o.clients == 4 && o.sessions == 100 && o.seconds == 0.5 &&
	       o.mode == BENCH_CLIENT,
	       "bench args: client with transport, size suffix, window, clients, sessions, duration");
	TAP_OK(BENCH_PARSE(&o, "bench", "client", "-c", "3", "h:1") == 0 &&
	       o.sessions == 3 && o.transport == TR_EORPC && o.size == 64,
	       "bench args: sessions default to one per client; eorpc and 64 B by default");
	TAP_OK(BENCH_PARSE(&o, "bench", "server", "-t", "tcp", "-T", "2") == 0 &&
	       o.mode == BENCH_SERVER && o.addr && o.threads == 2 &&
	       !o.reuseport,
	       "bench args: server with a default address");
	TAP_OK(BENCH_PARSE(&o, "bench", "server", "--reuseport", "h:1") == 0 &&
	       o.reuseport, "bench args: server --reuseport");
	TAP_OK(BENCH_PARSE(&o, "bench", "client", "-s", "16KiB", "-n", "7",
			   "h:1") == 0 && o.size == 16384 && o.count == 7,
	       "bench args: KiB suffix, --count");
	TAP_OK(BENCH_PARSE(&o, "bench", "client", "-n", "9", "--perf-ctl",
			   "/x/ctl,/x/ack", "h:1") == 0 &&
	       !strcmp(o.perf_ctl, "/x/ctl,/x/ack") && o.count == 9,
	       "bench args: --perf-ctl CTL,ACK");
	TAP_OK(BENCH_PARSE(&o, "bench", "client", "-t", "udp", "-B",
			   "10.0.0.2,10.0.0.3", "h:1") == 0 &&
	       !strcmp(o.bind, "10.0.0.2,10.0.0.3"),
	       "bench args: --bind ADDR,ADDR");
	q = quiet();
	TAP_OK(BENCH_PARSE(&o, "bench", "client", "--perf-ctl", "/x/ctl", "h:1") == -1 &&
	       BENCH_PARSE(&o, "bench", "client", "-p", "--perf-ctl", "a,b",
			   "h:1") == -1,
	       "bench args: --perf-ctl without ACK, or with -p, refused");
	loud(q);
	TAP_OK(BENCH_PARSE(&o, "bench", "close") == 0 &&
	       o.mode == BENCH_CLOSE && !strcmp(o.addr, "127.0.0.1:0") &&
	       o.close_sockets == 2000 && o.close_rounds == 5 && !o.csv,
	       "bench args: close with 2000 sockets, 5 rounds on 127.0.0.1 by default");
	TAP_OK(BENCH_PARSE(&o, "bench", "close", "-N", "10", "--rounds", "3",
			   "--csv", "--no-header", "[::1]:0") == 0 &&
	       o.mode == BENCH_CLOSE && !strcmp(o.addr, "[::1]:0") &&
	       o.close_sockets == 10 && o.close_rounds == 3 && o.csv &&
	       o.no_header,
	       "bench args: close with --sockets, --rounds, CSV, an address");
	TAP_OK(BENCH_PARSE(&o, "bench", "close", "--sockets", "100000", "-R",
			   "1000") == 0 &&
	       o.close_sockets == 100000 && o.close_rounds == 1000,
	       "bench args: close at its limits, 100000 sockets and 1000 rounds");
	TAP_OK(BENCH_PARSE(&o, "bench", "client", "-b", "16", "h:1") == 0 &&
	       o.batch == 16, "bench args: --batch for the eorpc client");
	TAP_OK(BENCH_PARSE(&o, "bench", "client", "-s", "1M", "h:1") == 0 &&
	       o.size == 1 << 20 &&
	       BENCH_PARSE(&o, "bench", "client", "-t", "tcp", "-s", "1M",
			   "h:1") == 0,
	       "bench args: 1 MiB messages over AF_EORPC and TCP");
	TAP_OK(BENCH_PARSE(&o, "bench", "server") == 0 && o.batch == 1,
	       "bench args: no --batch is batches of 1");
	q = quiet();
	TAP_OK(BENCH_PARSE(&o, "bench", "client") == -1,
	       "bench args: a client needs ADDR");
	TAP_OK(BENCH_PARSE(&o, "bench", "h:1") == -1 &&
	       BENCH_PARSE(&o, "bench") == -1,
	       "bench args: 'server', 'client' or 'close' first");
	TAP_OK(BENCH_PARSE(&o, "bench", "client", "-s", "4", "h:1") == -1 &&
	       BENCH_PARSE(&o, "bench", "client", "-s", "1048577", "h:1") == -1 &&
	       BENCH_PARSE(&o, "bench", "client", "-t", "udp", "-s", "64K",
			   "h:1") == -1,
	       "bench args: sizes below 8, above 1 MiB, or above UDP's limit refused");
	TAP_OK(BENCH_PARSE(&o, "bench", "client", "-w", "0", "h:1") == -1 &&
	       BENCH_PARSE(&o, "bench", "client", "-w", "1025", "h:1") == -1,
	       "bench args: window outside 1..1024 refused");
	TAP_OK(BENCH_PARSE(&o, "bench", "client", "-c", "4", "-S", "2",
			   "h:1") == -1,
	       "bench args: fewer sessions than clients refused");
	TAP_OK(BENCH_PARSE(&o, "bench", "client", "-t", "sctp", "h:1") == -1 &&
	       BENCH_PARSE(&o, "bench", "client", "-d", "0", "h:1") == -1 &&
	       BENCH_PARSE(&o, "bench", "client", "-d", "nan", "h:1") == -1,
	       "bench args: unknown transport, zero or NaN duration refused");
	TAP_OK(BENCH_PARSE(&o, "bench", "close", "-N", "0") == -1 &&
	       BENCH_PARSE(&o, "bench", "close", "-N", "100001") == -1 &&
	       BENCH_PARSE(&o, "bench", "close", "--sockets", "2k") == -1,
	       "bench args: close with 0, 100001 or suffixed --sockets refused");
	TAP_OK(BENCH_PARSE(&o, "bench", "close", "-R", "0") == -1 &&
	       BENCH_PARSE(&o, "bench", "close", "--rounds", "1001") == -1,
	       "bench args: close with 0 or 1001 --rounds refused");
	TAP_OK(BENCH_PARSE(&o, "bench", "close", "h:0", "h:1") == -1,
	       "bench args: close takes one ADDR at most");
	TAP_OK(BENCH_PARSE(&o, "bench", "client", "-t", "udp", "-b", "4", "h:1") == -1,
	       "bench args: --batch refused for udp");
	TAP_OK(BENCH_PARSE(&o, "bench", "client", "-b", "4", "-S", "8", "h:1") == -1,
	       "bench args: --batch refused with several sessions per client");
	TAP_OK(BENCH_PARSE(&o, "bench", "client", "-b", "65", "h:1") == -1,
	       "bench args: --batch over 64 refused");
	loud(q);
}

void suite_args(void)
{
	call_args();
	serve_args();
	bench_args();
}
