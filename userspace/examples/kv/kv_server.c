// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kv-server: the key-value store on an AF_EORPC server socket. The whole
 * server is kv_serve() behind the shared request loop: it does nothing
 * about lost, duplicated or retransmitted requests, because the kernel
 * delivers each request exactly once.
 */
#include <stdio.h>
#include <string.h>

#include "../common/opts.h"
#include "../common/serve.h"
#include "kv_service.h"

static const char *prog = "kv-server";

struct server {
	struct kv_store store;
	struct kv_counters count;
};

static size_t handle(void *ctx, const void *req, size_t len, void *rep,
		     size_t cap)
{
	struct server *s = ctx;

	return kv_serve(&s->store, &s->count, req, len, rep, cap);
}

static void report(void *ctx, const struct serve_stats *st, FILE *out)
{
	struct server *s = ctx;

	fprintf(out, "summary kv-server requests=%llu get=%llu put=%llu "
		"append=%llu bad=%llu refused=%llu keys=%zu reply_errors=%llu\n",
		(unsigned long long)st->requests,
		(unsigned long long)s->count.get,
		(unsigned long long)s->count.put,
		(unsigned long long)s->count.append,
		(unsigned long long)s->count.bad,
		(unsigned long long)s->count.refused, s->store.count,
		(unsigned long long)st->reply_errors);
}

/* Zero-downtime restart: the store moves to the successor whole. */
static int save(void *ctx, void **buf, size_t *len)
{
	struct server *s = ctx;

	return kv_store_save(&s->store, buf, len);
}

static int load(void *ctx, const void *buf, size_t len)
{
	struct server *s = ctx;

	return kv_store_load(&s->store, buf, len);
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [OPTIONS]\n"
		"\n"
		"Serve a key-value store (Get, Put, Append) over AF_EORPC. Prints\n"
		"\"listening ADDR\" once clients may call, and on SIGINT/SIGTERM (exit)\n"
		"or SIGUSR1 (go on) one line of counters:\n"
		"  summary kv-server requests= get= put= append= bad= refused= keys=\n"
		"  reply_errors=\n"
		"\n"
		"Options:\n"
		"  -l, --listen ADDR      address to serve on (default 0.0.0.0:4242)\n"
		"  -m, --max-keys N       keys the store may hold (default %d)\n"
		"  -H, --handover-listen PATH\n"
		"                         accept a successor on this unix socket: on a\n"
		"                         connection, hand it the socket and the store,\n"
		"                         print the summary and \"handover sent\", exit 0\n"
		"  -F, --handover-from PATH\n"
		"                         take the socket and the store from the server\n"
		"                         listening on PATH (--listen is then ignored)\n"
		"  -h, --help             this text\n"
		"\n"
		"Exit status: 0 after SIGINT/SIGTERM, 2 usage, 3 system error.\n",
		prog, KV_KEYS_DEFAULT);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "max-keys", required_argument, NULL, 'm' },
		{ "handover-listen", required_argument, NULL, 'H' },
		{ "handover-from", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct serve_ops ops = { handle, report, save, load };
	struct serve_handover h = { NULL, NULL };
	const char *listen = "0.0.0.0:4242";
	uint64_t max_keys = KV_KEYS_DEFAULT;
	struct server s = { 0 };
	int c, rc;

	while ((c = getopt_long(argc, argv, "l:m:H:F:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			listen = optarg;
			break;
		case 'm':
			if (!parse_u64(optarg, 1, 100000000, &max_keys))
				break;
			fprintf(stderr, "%s: --max-keys: '%s' is not a number from 1 to 100000000\n",
				prog, optarg);
			return EXIT_USAGE;
		case 'H':
			h.listen_path = optarg;
			break;
		case 'F':
			h.from_path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help'.\n", prog);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", prog,
			argv[optind]);
		return EXIT_USAGE;
	}
	if (kv_store_init(&s.store, max_keys)) {
		perror(prog);
		return EXIT_SYSTEM;
	}
	rc = serve_handover(prog, listen, &h, &ops, &s);
	kv_store_free(&s.store);
	return rc;
}
