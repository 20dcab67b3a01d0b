// SPDX-License-Identifier: LGPL-2.1-or-later
/* eorpc bench's command line (apart, so the unit tests can reach it). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f,
"Usage: eorpc bench server [OPTIONS] [ADDR]\n"
"       eorpc bench client [OPTIONS] ADDR\n"
"       eorpc bench close [OPTIONS] [ADDR]\n"
"\n"
"Request/reply load: every call sends SIZE bytes and the server echoes them.\n"
"The same program drives AF_EORPC, raw UDP ping-pong and TCP (4-byte length\n"
"framing), so their numbers compare. The server listens on ADDR (default\n"
"0.0.0.0:4243); the client prints P50/P99 latency and throughput.\n"
"\n"
"Close rate: N AF_EORPC sockets, each bound to an ephemeral port on ADDR's\n"
"address (default 127.0.0.1:0; the port must be 0), are opened, then closed\n"
"one after another under the clock; the same for N UDP sockets, in turns,\n"
"round after round. Prints the closes per second of each (median, min and\n"
"max over the rounds) and their ratio.\n"
"\n"
"Server and client:\n"
"  -t, --transport T     eorpc (default), udp or tcp\n"
"Server:\n"
"  -T, --threads N       threads answering calls (default 1)\n"
"  -r, --ready-file FILE once listening, write the bound address to FILE\n"
"      --reuseport       share ADDR with other servers started so\n"
"                        (EORPC_REUSEPORT, SO_REUSEPORT for UDP and TCP)\n"
"Client:\n"
"  -s, --size BYTES      request (and reply) size, 8..1M, K/M suffix\n"
"                        allowed (default 64; UDP at most 65507)\n"
"  -w, --inflight N      calls in flight per client (default 1, at most 1024)\n"
"  -c, --clients N       concurrent clients (default 1)\n"
"  -p, --processes       clients are processes (default: threads)\n"
"  -S, --sessions N      client sockets in all, spread over the clients, calls\n"
"                        going round-robin over them; each does one call\n"
"                        before timing starts (default: one per client)\n"
"  -d, --duration SEC    run this long (default 2)\n"
"  -n, --count N         or make N calls per client\n"
"  -l, --loss-timeout MS UDP: count a call lost when its reply is this late,\n"
"                        and send a new one (default 100)\n"
"  -D, --deadline MS     AF_EORPC: per-call deadline (default 0: none)\n"
"  -b, --batch N         AF_EORPC: up to N messages per system call, calls\n"
"                        with sendmmsg and completions with recvmmsg (client,\n"
"                        one socket per client), requests with recvmmsg and\n"
"                        replies with sendmmsg (server); 1..64 (default 1:\n"
"                        one sendmsg/recvmsg each)\n"
"      --csv             one CSV line (with a header line)\n"
"      --no-header       no CSV header line\n"
"      --label TEXT      extra CSV column, e.g. the netem settings\n"
"  -B, --bind ADDR,...   UDP and TCP: bind the sockets to these local\n"
"                        addresses in turn (port 0), for more sockets than\n"
"                        one address has ephemeral ports (AF_EORPC: ignored)\n"
"      --perf-ctl CTL,ACK  perf stat --control fifos: write 'enable' to CTL\n"
"                        (and wait for 'ack' on ACK) when timing starts,\n"
"                        'disable' when it ends, so perf counts only the\n"
"                        timed calls (threads only, not with -p)\n"
"Close:\n"
"  -N, --sockets N       sockets per round and transport (default 2000,\n"
"                        at most 100000)\n"
"  -R, --rounds N        timed rounds per transport (default 5)\n"
"      --csv             a CSV header line and one line per transport\n"
"      --no-header       no CSV header line\n"
"  -h, --help            this text\n"
"\n"
"Calls that fail (AF_EORPC errors, UDP losses) are counted, not timed.\n"
"See eorpc(1).\n");
}

const char *transport_name(enum transport t)
{
	return t == TR_UDP ? "udp" : t == TR_TCP ? "tcp" : "eorpc";
}

static int bad(const char *opt, const char *arg, const char *what)
{
	cli_usage_err("%s: '%s' is not %s", opt, arg, what);
	return -1;
}

static int check(struct bench_opts *o)
{
	uint64_t max = o->transport == TR_UDP ? BENCH_MAX_UDP : EORPC_MAX_MSG_LEN;

	if (o->mode == BENCH_CLOSE)
		return 0;	/* the load's options do not apply */
	if (o->size < BENCH_MIN_SIZE || o->size > max) {
		cli_usage_err("--size: %zu bytes is outside %d..%llu for %s",
			      o->size, BENCH_MIN_SIZE, (unsigned long long)max,
			      transport_name(o->transport));
		return -1;
	}
	if (o->perf_ctl && (o->processes || !strchr(o->perf_ctl, ','))) {
		cli_usage_err("--perf-ctl wants CTL,ACK and client threads");
		return -1;
	}
	if (!o->sessions)
		o->sessions = o->clients;
	if (o->sessions < o->clients) {
		cli_usage_err("--sessions %u is fewer than --clients %u",
			      o->sessions, o->clients);
		return -1;
	}
	if (o->batch > 1 && o->transport != TR_EORPC) {
		cli_usage_err("--batch is for the eorpc transport");
		return -1;
	}
	/* A batch is one socket's: the client's round-robin has none. */
	if (o->batch > 1 && o->mode == BENCH_CLIENT && o->sessions != o->clients) {
		cli_usage_err("--batch takes one socket per client (no --sessions)");
		return -1;
	}
	return 0;
}

int bench_parse_args(int argc, char **argv, struct bench_opts *o)
{
	enum { OPT_CSV = 256, OPT_NO_HEADER, OPT_LABEL, OPT_PERF_CTL,
	       OPT_REUSEPORT };
	static const struct option longopts[] = {
		{ "transport", required_argument, NULL, 't' },
		{ "threads", required_argument, NULL, 'T' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "size", required_argument, NULL, 's' },
		{ "inflight", required_argument, NULL, 'w' },
		{ "clients", required_argument, NULL, 'c' },
		{ "processes", no_argument, NULL, 'p' },
		{ "sessions", required_argument, NULL, 'S' },
		{ "duration", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'n' },
		{ "loss-timeout", required_argument, NULL, 'l' },
		{ "deadline", required_argument, NULL, 'D' },
		{ "batch", required_argument, NULL, 'b' },
		{ "csv", no_argument, NULL, OPT_CSV },
		{ "no-header", no_argument, NULL, OPT_NO_HEADER },
		{ "label", required_argument, NULL, OPT_LABEL },
		{ "perf-ctl", required_argument, NULL, OPT_PERF_CTL },
		{ "reuseport", no_argument, NULL, OPT_REUSEPORT },
		{ "bind", required_argument, NULL, 'B' },
		{ "sockets", required_argument, NULL, 'N' },
		{ "rounds", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->size = 64;
	o->inflight = o->clients = o->threads = o->batch = 1;
	o->seconds = 2;
	o->loss_timeout_ms = 100;
	o->close_sockets = 2000;
	o->close_rounds = 5;
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 1;
	}
	if (argc >= 2 && !strcmp(argv[1], "server")) {
		o->mode = BENCH_SERVER;
	} else if (argc >= 2 && !strcmp(argv[1], "client")) {
		o->mode = BENCH_CLIENT;
	} else if (argc >= 2 && !strcmp(argv[1], "close")) {
		o->mode = BENCH_CLOSE;
	} else {
		cli_usage_err("say 'server', 'client' or 'close'");
		return -1;
	}
	argc--, argv++;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+t:T:r:s:w:c:pS:d:n:l:D:b:N:R:B:h",
				longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (!strcmp(optarg, "eorpc"))
				o->transport = TR_EORPC;
			else if (!strcmp(optarg, "udp"))
				o->transport = TR_UDP;
			else if (!strcmp(optarg, "tcp"))
				o->transport = TR_TCP;
			else
				return bad("--transport", optarg, "eorpc, udp or tcp");
			break;
		case 'T':
			if (parse_u64(optarg, 1, 64, &v))
				return bad("--threads", optarg, "a number in 1..64");
			o->threads = v;
			break;
		case 'r':
			o->ready_file = optarg;
			break;
		case 's':
			if (parse_size(optarg, EORPC_MAX_MSG_LEN, &v))
				return bad("--size", optarg, "a size of at most 1M");
			o->size = v;
			break;
		case 'w':
			if (parse_u64(optarg, 1, BENCH_MAX_INFLIGHT, &v))
				return bad("--inflight", optarg, "a number in 1..1024");
			o->inflight = v;
			break;
		case 'c':
			if (parse_u64(optarg, 1, BENCH_MAX_CLIENTS, &v))
				return bad("--clients", optarg, "a number in 1..256");
			o->clients = v;
			break;
		case 'p':
			o->processes = true;
			break;
		case 'S':
			if (parse_u64(optarg, 1, BENCH_MAX_SESSIONS, &v))
				return bad("--sessions", optarg, "a number in 1..100000");
			o->sessions = v;
			break;
		case 'd':
			if (parse_seconds(optarg, &o->seconds))
				return bad("--duration", optarg, "a number of seconds");
			break;
		case 'n':
			if (parse_u64(optarg, 1, UINT32_MAX, &o->count))
				return bad("--count", optarg, "a positive number");
			break;
		case 'l':
			if (parse_u64(optarg, 1, 600000, &v))
				return bad("--loss-timeout", optarg, "a number of milliseconds");
			o->loss_timeout_ms = v;
			break;
		case 'D':
			if (parse_u64(optarg, 0, UINT32_MAX, &v))
				return bad("--deadline", optarg, "a number of milliseconds");
			o->deadline_ms = v;
			break;
		case 'b':
			if (parse_u64(optarg, 1, BENCH_MAX_BATCH, &v))
				return bad("--batch", optarg, "a number in 1..64");
			o->batch = v;
			break;
		case OPT_CSV:
			o->csv = true;
			break;
		case OPT_NO_HEADER:
			o->no_header = true;
			break;
		case OPT_LABEL:
			o->label = optarg;
			break;
		case OPT_REUSEPORT:
			o->reuseport = true;
			break;
		case OPT_PERF_CTL:
			o->perf_ctl = optarg;
			break;
		case 'B':
			o->bind = optarg;
			break;
		case 'N':
			if (parse_u64(optarg, 1, BENCH_MAX_CLOSE_SOCKETS, &v))
				return bad("--sockets", optarg, "a number in 1..100000");
			o->close_sockets = v;
			break;
		case 'R':
			if (parse_u64(optarg, 1, BENCH_MAX_CLOSE_ROUNDS, &v))
				return bad("--rounds", optarg, "a number in 1..1000");
			o->close_rounds = v;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			cli_usage_err("unknown option or missing argument '%s'",
				      argv[optind - 1]);
			return -1;
		}
	}
	if (argc - optind > 1) {
		cli_usage_err("unexpected argument '%s'", argv[optind + 1]);
		return -1;
	}
	if (argc - optind == 1) {
		o->addr = argv[optind];
	} else if (o->mode == BENCH_SERVER) {
		o->addr = "0.0.0.0:4243";
	} else if (o->mode == BENCH_CLOSE) {
		o->addr = "127.0.0.1:0";
	} else {
		cli_usage_err("the client needs the server's ADDR");
		return -1;
	}
	return check(o);
}
