// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bank-client: the bank's client.
 *
 * Without a command it runs the workload of bank_workload.h (transfers out
 * of account --id, queries) and prints one "summary bank ..." line holding
 * its ledger. "audit" queries every account; "query" and "transfer" make
 * one call.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <libeorpc.h>

#include "../common/opts.h"
#include "../common/pipeline.h"
#include "bank_workload.h"

static const char *prog = "bank-client";

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [OPTIONS]                     run the workload\n"
		"       %s [OPTIONS] query ACCOUNT       print its balance\n"
		"       %s [OPTIONS] transfer FROM TO AMOUNT\n"
		"       %s [OPTIONS] audit               every balance and the total\n"
		"\n"
		"The workload transfers 1..--max-amount from account --id to random\n"
		"other accounts and queries random accounts. Last line:\n"
		"  summary bank id= seed= calls= completed= failed= last_error=\n"
		"  transfers= rejected= queries= bad_replies= out= sent=ACCT:AMOUNT,...\n"
		"  max_latency_ms= elapsed_ms=\n"
		"audit prints \"balance ACCOUNT AMOUNT\" lines, then \"total AMOUNT\".\n"
		"\n"
		"Options:\n" CLIENT_OPTS_HELP
		"  -a, --accounts N       accounts the server has (default 16)\n"
		"  -m, --max-amount N     largest transfer (default 10)\n"
		"  -h, --help             this text\n"
		"\n"
		"Exit status: 0 success; 1 a call failed, was refused or got a bad\n"
		"reply; 2 usage; 3 system error (e.g. the eorpc module is not loaded).\n",
		prog, prog, prog, prog);
}

/* One blocking call. Return: 0 with *@rp filled, or -1 (said on stderr). */
static int call(int fd, const struct client_opts *o,
		const struct bank_request *rq, struct bank_reply *rp)
{
	unsigned char req[BANK_REQ_LEN], rep[BANK_REP_LEN];
	ssize_t n = bank_request_encode(rq, req, sizeof(req));

	if (n < 0) {
		fprintf(stderr, "%s: bad request: %s\n", prog, strerror(errno));
		return -1;
	}
	n = eorpc_call(fd, &o->server, req, (size_t)n, rep, sizeof(rep),
		       (int)o->deadline_ms);
	if (n < 0) {
		fprintf(stderr, "%s: call to %s: %s\n", prog, o->server_text,
			eorpc_strerror(errno));
		return -1;
	}
	if (bank_reply_decode(rp, rep, (size_t)n)) {
		fprintf(stderr, "%s: malformed reply: %s\n", prog,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int audit(int fd, const struct client_opts *o, uint32_t accounts)
{
	struct bank_request rq = { .op = BANK_QUERY };
	struct bank_reply rp;
	int64_t total = 0;

	for (rq.account = 0; rq.account < accounts; rq.account++) {
		if (call(fd, o, &rq, &rp))
			return EXIT_CHECK;
		if (rp.status != BANK_OK) {
			fprintf(stderr, "%s: account %u: %s\n", prog,
				rq.account, bank_status_name(rp.status));
			return EXIT_CHECK;
		}
		printf("balance %u %lld\n", rq.account, (long long)rp.balance);
		total += rp.balance;
	}
	printf("total %lld\n", (long long)total);
	return 0;
}

static int number_arg(const char *what, const char *text, uint64_t max,
		      uint64_t *out)
{
	if (!parse_u64(text, 0, max, out))
		return 0;
	fprintf(stderr, "%s: %s: '%s' is not a number from 0 to %llu\n", prog,
		what, text, (unsigned long long)max);
	return -1;
}

static int one_call(const struct client_opts *o, uint32_t accounts,
		    int argc, char **argv)
{
	struct bank_request rq = { 0 };
	struct bank_reply rp;
	uint64_t a = 0, to = 0, amount = 0;
	int fd, rc;

	if (!strcmp(argv[0], "audit") && argc == 1) {
		fd = client_socket(prog);
		if (fd < 0)
			return EXIT_SYSTEM;
		rc = audit(fd, o, accounts);
		eorpc_close(fd);
		return rc;
	}
	if (!strcmp(argv[0], "query") && argc == 2) {
		rq.op = BANK_QUERY;
		if (number_arg("ACCOUNT", argv[1], UINT32_MAX, &a))
			return EXIT_USAGE;
	} else if (!strcmp(argv[0], "transfer") && argc == 4) {
		rq.op = BANK_TRANSFER;
		if (number_arg("FROM", argv[1], UINT32_MAX, &a) ||
		    number_arg("TO", argv[2], UINT32_MAX, &to) ||
		    number_arg("AMOUNT", argv[3], INT64_MAX, &amount))
			return EXIT_USAGE;
		if (!amount) {
			fprintf(stderr, "%s: AMOUNT must be at least 1\n", prog);
			return EXIT_USAGE;
		}
	} else {
		fprintf(stderr, "%s: '%s' with %d argument(s): expected query ACCOUNT, transfer FROM TO AMOUNT or audit\n"
			"Try '%s --help'.\n", prog, argv[0], argc - 1, prog);
		return EXIT_USAGE;
	}
	rq.account = (uint32_t)a;
	rq.to = (uint32_t)to;
	rq.amount = amount;
	fd = client_socket(prog);
	if (fd < 0)
		return EXIT_SYSTEM;
	rc = call(fd, o, &rq, &rp);
	eorpc_close(fd);
	if (rc)
		return EXIT_CHECK;
	if (rp.status != BANK_OK) {
		fprintf(stderr, "%s: %s: %s\n", prog, argv[0],
			bank_status_name(rp.status));
		return EXIT_CHECK;
	}
	printf("%lld\n", (long long)rp.balance);
	return 0;
}

static ssize_t wl_next(void *ctx, unsigned int slot, void *buf, size_t cap)
{
	return bank_workload_next(ctx, slot, buf, cap);
}

static void wl_done(void *ctx, unsigned int slot, const void *reply,
		    size_t len, int err)
{
	bank_workload_done(ctx, slot, reply, len, err);
}

static int workload(const struct client_opts *o, uint32_t accounts,
		    uint64_t max_amount)
{
	static const struct pipeline_ops ops = { wl_next, wl_done };
	struct pipeline_result res;
	struct bank_workload w;
	int ok, err, fd;

	if (bank_workload_init(&w, (uint32_t)o->id, accounts, max_amount,
			       o->seed)) {
		err = errno;
		fprintf(stderr, "%s: %s\n", prog, err == EINVAL ?
			"--id must be below --accounts (at least 2)" :
			strerror(err));
		return err == EINVAL ? EXIT_USAGE : EXIT_SYSTEM;
	}
	fd = client_socket(prog);
	if (fd < 0) {
		bank_workload_free(&w);
		return EXIT_SYSTEM;
	}
	if (pipeline_run(fd, &o->server, o->calls, (unsigned int)o->inflight,
			 (unsigned int)o->deadline_ms, &ops, &w, &res)) {
		fprintf(stderr, "%s: calls to %s: %s\n", prog, o->server_text,
			strerror(errno));
		bank_workload_free(&w);
		eorpc_close(fd);
		return EXIT_SYSTEM;
	}
	eorpc_close(fd);
	printf("summary bank id=%llu seed=%llu calls=%llu completed=%llu "
	       "failed=%llu last_error=%s transfers=%llu rejected=%llu "
	       "queries=%llu bad_replies=%llu out=%llu ",
	       (unsigned long long)o->id, (unsigned long long)o->seed,
	       (unsigned long long)o->calls, (unsigned long long)res.completed,
	       (unsigned long long)w.failed,
	       res.last_error ? strerrorname_np(res.last_error) : "-",
	       (unsigned long long)w.transfers, (unsigned long long)w.rejected,
	       (unsigned long long)w.queries,
	       (unsigned long long)w.bad_replies,
	       (unsigned long long)w.sent);
	bank_workload_print_ledger(&w, stdout);
	printf(" max_latency_ms=%llu elapsed_ms=%llu\n",
	       (unsigned long long)res.max_latency_us / 1000,
	       (unsigned long long)res.elapsed_us / 1000);
	ok = !w.failed && !w.bad_replies && res.completed == o->calls;
	bank_workload_free(&w);
	return ok ? 0 : EXIT_CHECK;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLIENT_LONGOPTS,
		{ "accounts", required_argument, NULL, 'a' },
		{ "max-amount", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t accounts = 16, max_amount = 10;
	struct client_opts o;
	int c, rc;

	client_opts_init(&o);
	o.server_text = "127.0.0.1:4243";
	while ((c = getopt_long(argc, argv, "+" CLIENT_SHORTOPTS "a:m:h",
				longopts, NULL)) != -1) {
		rc = client_opt(&o, prog, c, optarg);
		if (rc < 0)
			return EXIT_USAGE;
		if (!rc)
			continue;
		switch (c) {
		case 'h':
			usage(stdout);
			return 0;
		case 'a':
			if (!parse_u64(optarg, 1, BANK_MAX_ACCOUNTS, &accounts))
				continue;
			fprintf(stderr, "%s: --accounts: '%s' is not a number from 1 to %d\n",
				prog, optarg, BANK_MAX_ACCOUNTS);
			return EXIT_USAGE;
		case 'm':
			if (!parse_u64(optarg, 1, INT64_MAX, &max_amount))
				continue;
			fprintf(stderr, "%s: --max-amount: '%s' is not a number from 1 to %lld\n",
				prog, optarg, (long long)INT64_MAX);
			return EXIT_USAGE;
		default:
			fprintf(stderr, "Try '%s --help'.\n", prog);
			return EXIT_USAGE;
		}
	}
	if (client_opts_finish(&o, prog))
		return EXIT_USAGE;
	if (optind < argc)
		return one_call(&o, (uint32_t)accounts, argc - optind,
				argv + optind);
	return workload(&o, (uint32_t)accounts, max_amount);
}
