// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bank-server: the bank on an AF_EORPC server socket. bank_serve() behind
 * the shared request loop; no retry or duplicate handling anywhere, the
 * kernel delivers each request exactly once.
 */
#include <stdio.h>

#include "../common/opts.h"
#include "../common/serve.h"
#include "bank_service.h"

static const char *prog = "bank-server";

struct server {
	struct bank bank;
	struct bank_counters count;
};

static size_t handle(void *ctx, const void *req, size_t len, void *rep,
		     size_t cap)
{
	struct server *s = ctx;

	return bank_serve(&s->bank, &s->count, req, len, rep, cap);
}

static void report(void *ctx, const struct serve_stats *st, FILE *out)
{
	struct server *s = ctx;

	fprintf(out, "summary bank-server requests=%llu transfers=%llu "
		"rejected=%llu queries=%llu bad=%llu accounts=%u total=%lld "
		"reply_errors=%llu\n",
		(unsigned long long)st->requests,
		(unsigned long long)s->count.transfers,
		(unsigned long long)s->count.rejected,
		(unsigned long long)s->count.queries,
		(unsigned long long)s->count.bad, s->bank.accounts,
		(long long)bank_total(&s->bank),
		(unsigned long long)st->reply_errors);
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [OPTIONS]\n"
		"\n"
		"Serve a bank (Transfer, Query) over AF_EORPC: accounts 0..N-1, each\n"
		"starting with the same balance. Prints \"listening ADDR\" once clients\n"
		"may call, and on SIGINT/SIGTERM (exit) or SIGUSR1 (go on):\n"
		"  summary bank-server requests= transfers= rejected= queries= bad=\n"
		"  accounts= total= reply_errors=\n"
		"\n"
		"Options:\n"
		"  -l, --listen ADDR      address to serve on (default 0.0.0.0:4243)\n"
		"  -a, --accounts N       number of accounts, 1-%d (default 16)\n"
		"  -b, --balance N        initial balance of each (default 1000)\n"
		"  -h, --help             this text\n"
		"\n"
		"Exit status: 0 after SIGINT/SIGTERM, 2 usage, 3 system error.\n",
		prog, BANK_MAX_ACCOUNTS);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "accounts", required_argument, NULL, 'a' },
		{ "balance", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct serve_ops ops = { .handle = handle, .report = report };
	const char *listen = "0.0.0.0:4243";
	uint64_t accounts = 16, balance = 1000;
	struct server s = { 0 };
	int c, rc;

	while ((c = getopt_long(argc, argv, "l:a:b:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			listen = optarg;
			break;
		case 'a':
			if (!parse_u64(optarg, 1, BANK_MAX_ACCOUNTS, &accounts))
				break;
			fprintf(stderr, "%s: --accounts: '%s' is not a number from 1 to %d\n",
				prog, optarg, BANK_MAX_ACCOUNTS);
			return EXIT_USAGE;
		case 'b':
			if (!parse_u64(optarg, 0, INT64_MAX, &balance))
				break;
			fprintf(stderr, "%s: --balance: '%s' is not a number from 0 to %lld\n",
				prog, optarg, (long long)INT64_MAX);
			return EXIT_USAGE;
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
	if (bank_init(&s.bank, (uint32_t)accounts, (int64_t)balance)) {
		fprintf(stderr, "%s: %llu accounts of %llu: the total does not fit in 64 bits\n",
			prog, (unsigned long long)accounts,
			(unsigned long long)balance);
		return EXIT_USAGE;
	}
	rc = serve(prog, listen, &ops, &s);
	bank_free(&s.bank);
	return rc;
}
