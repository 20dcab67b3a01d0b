// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kv-client: the key-value store's client.
 *
 * Without a command it runs the workload of kv_workload.h (Appends of unique
 * tokens, Puts, Gets, pipelined), then reads back every own key and compares
 * it with the local model; it ends with one "summary kv ..." line of
 * key=value fields for scripts. With a command it makes that one call.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libeorpc.h>

#include "../common/opts.h"
#include "../common/pipeline.h"
#include "kv_msg.h"
#include "kv_workload.h"

static const char *prog = "kv-client";

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [OPTIONS]                   run the workload, check it\n"
		"       %s [OPTIONS] get KEY           print KEY's value\n"
		"       %s [OPTIONS] put KEY VALUE\n"
		"       %s [OPTIONS] append KEY VALUE\n"
		"\n"
		"The workload Appends unique tokens to own keys (cID.kN) and to\n"
		"\"shared\", Puts and Gets own keys, keeps a local model, and at the\n"
		"end Gets every own key and compares. Last line:\n"
		"  summary kv id= seed= calls= completed= failed= last_error= get= put=\n"
		"  append= shared_appends= refused= mismatches= doubles= max_latency_ms=\n"
		"  elapsed_ms=\n"
		"\n"
		"Options:\n" CLIENT_OPTS_HELP
		"  -k, --keys N           own keys, at least --inflight (default 8)\n"
		"  -h, --help             this text\n"
		"\n"
		"Exit status: 0 all calls completed and every check passed; 1 a call\n"
		"failed, a check failed, or (get) the key does not exist; 2 usage;\n"
		"3 system error (e.g. the eorpc module is not loaded).\n",
		prog, prog, prog, prog);
}

static ssize_t wl_next(void *ctx, unsigned int slot, void *buf, size_t cap)
{
	return kv_workload_next(ctx, slot, buf, cap);
}

static void wl_done(void *ctx, unsigned int slot, const void *reply,
		    size_t len, int err)
{
	kv_workload_done(ctx, slot, reply, len, err);
}

/* Encode @rq into @req. Return: its length, or -1 (said on stderr). */
static ssize_t encode(const struct kv_request *rq, void *req, size_t cap)
{
	ssize_t n = kv_request_encode(rq, req, cap);

	if (n < 0)
		fprintf(stderr, "%s: %s: the key must be 1-%d printable characters "
			"without spaces, the value at most %d bytes\n", prog,
			kv_op_name(rq->op), KV_KEY_MAX, KV_VALUE_MAX);
	return n;
}

/* One blocking call. Return: the reply length, or -1 (said on stderr). */
static ssize_t call(int fd, const struct client_opts *o, enum kv_op op,
		    const void *req, size_t len, void *rep, size_t cap)
{
	ssize_t n = eorpc_call(fd, &o->server, req, len, rep, cap,
			       (int)o->deadline_ms);

	if (n < 0)
		fprintf(stderr, "%s: %s to %s: %s\n", prog, kv_op_name(op),
			o->server_text, eorpc_strerror(errno));
	return n;
}

/* get/put/append from the command line. */
static int one_call(const struct client_opts *o, int argc, char **argv)
{
	static unsigned char rep[KV_REP_MAX], req[KV_REQ_MAX];
	struct kv_request rq = { 0 };
	struct kv_reply rp;
	ssize_t n;
	int fd;

	if (!strcmp(argv[0], "get") && argc == 2)
		rq.op = KV_GET;
	else if (!strcmp(argv[0], "put") && argc == 3)
		rq.op = KV_PUT;
	else if (!strcmp(argv[0], "append") && argc == 3)
		rq.op = KV_APPEND;
	else {
		fprintf(stderr, "%s: '%s' with %d argument(s): expected get KEY, put KEY VALUE or append KEY VALUE\n"
			"Try '%s --help'.\n", prog, argv[0], argc - 1, prog);
		return EXIT_USAGE;
	}
	rq.key = argv[1];
	rq.key_len = strlen(argv[1]);
	if (argc == 3) {
		rq.value = argv[2];
		rq.value_len = strlen(argv[2]);
	}
	/* Check the request before needing the module. */
	n = encode(&rq, req, sizeof(req));
	if (n < 0)
		return EXIT_USAGE;
	fd = client_socket(prog);
	if (fd < 0)
		return EXIT_SYSTEM;
	n = call(fd, o, rq.op, req, (size_t)n, rep, sizeof(rep));
	eorpc_close(fd);
	if (n < 0)
		return EXIT_CHECK;
	if (kv_reply_decode(&rp, rep, (size_t)n)) {
		fprintf(stderr, "%s: malformed reply: %s\n", prog,
			strerror(errno));
		return EXIT_CHECK;
	}
	if (rp.status != KV_OK) {
		fprintf(stderr, "%s: %s %s: %s\n", prog, argv[0], argv[1],
			kv_status_name(rp.status));
		return EXIT_CHECK;
	}
	if (rq.op == KV_GET)
		printf("%.*s\n", (int)rp.data_len, rp.data);
	else
		printf("%u\n", rp.size);
	return 0;
}

/* Get every own key and compare with the model. */
static void verify(int fd, const struct client_opts *o, struct kv_workload *w)
{
	static unsigned char rep[KV_REP_MAX];
	unsigned char req[KV_REQ_HDR + KV_KEY_MAX];
	char key[KV_KEY_MAX + 1];
	struct kv_request rq = { .op = KV_GET, .key = key };
	unsigned int k;
	ssize_t n;

	for (k = 0; k < w->nkeys; k++) {
		rq.key_len = kv_workload_key(w, k, key, sizeof(key));
		n = encode(&rq, req, sizeof(req));
		if (n >= 0)
			n = call(fd, o, KV_GET, req, (size_t)n, rep, sizeof(rep));
		if (n < 0) {
			w->failed++;
			continue;
		}
		if (kv_workload_verify(w, k, rep, (size_t)n))
			fprintf(stderr, "%s: key %s differs from the model\n",
				prog, key);
	}
}

static int workload(const struct client_opts *o, unsigned int keys)
{
	static const struct pipeline_ops ops = { wl_next, wl_done };
	struct pipeline_result res;
	struct kv_workload w;
	int ok, fd;

	if (kv_workload_init(&w, (unsigned int)o->id, keys, o->seed)) {
		fprintf(stderr, "%s: %s\n", prog, strerror(errno));
		return EXIT_SYSTEM;
	}
	fd = client_socket(prog);
	if (fd < 0) {
		kv_workload_free(&w);
		return EXIT_SYSTEM;
	}
	if (pipeline_run(fd, &o->server, o->calls, (unsigned int)o->inflight,
			 (unsigned int)o->deadline_ms, &ops, &w, &res)) {
		fprintf(stderr, "%s: calls to %s: %s\n", prog, o->server_text,
			strerror(errno));
		kv_workload_free(&w);
		eorpc_close(fd);
		return EXIT_SYSTEM;
	}
	verify(fd, o, &w);
	eorpc_close(fd);
	printf("summary kv id=%llu seed=%llu calls=%llu completed=%llu "
	       "failed=%llu last_error=%s get=%llu put=%llu append=%llu "
	       "shared_appends=%llu refused=%llu mismatches=%llu doubles=%llu "
	       "max_latency_ms=%llu elapsed_ms=%llu\n",
	       (unsigned long long)o->id, (unsigned long long)o->seed,
	       (unsigned long long)o->calls, (unsigned long long)res.completed,
	       (unsigned long long)w.failed,
	       res.last_error ? strerrorname_np(res.last_error) : "-",
	       (unsigned long long)w.get, (unsigned long long)w.put,
	       (unsigned long long)w.append,
	       (unsigned long long)w.shared_appends,
	       (unsigned long long)w.refused, (unsigned long long)w.mismatches,
	       (unsigned long long)w.doubles,
	       (unsigned long long)res.max_latency_us / 1000,
	       (unsigned long long)res.elapsed_us / 1000);
	ok = !w.failed && !w.mismatches && !w.doubles &&
	     res.completed == o->calls;
	kv_workload_free(&w);
	return ok ? 0 : EXIT_CHECK;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLIENT_LONGOPTS,
		{ "keys", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct client_opts o;
	uint64_t keys = 8;
	int c, rc;

	client_opts_init(&o);
	while ((c = getopt_long(argc, argv, "+" CLIENT_SHORTOPTS "k:h",
				longopts, NULL)) != -1) {
		rc = client_opt(&o, prog, c, optarg);
		if (rc < 0)
			return EXIT_USAGE;
		if (!rc)
			continue;
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		if (c == 'k' && !parse_u64(optarg, 1, KV_WL_MAX_KEYS, &keys))
			continue;
		if (c == 'k')
			fprintf(stderr, "%s: --keys: '%s' is not a number from 1 to %d\n",
				prog, optarg, KV_WL_MAX_KEYS);
		else
			fprintf(stderr, "Try '%s --help'.\n", prog);
		return EXIT_USAGE;
	}
	if (keys < o.inflight) {
		fprintf(stderr, "%s: --keys (%llu) must be at least --inflight (%llu)\n",
			prog, (unsigned long long)keys,
			(unsigned long long)o.inflight);
		return EXIT_USAGE;
	}
	if (client_opts_finish(&o, prog))
		return EXIT_USAGE;
	if (optind < argc)
		return one_call(&o, argc - optind, argv + optind);
	return workload(&o, (unsigned int)keys);
}
