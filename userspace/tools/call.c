// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * eorpc call ADDR PAYLOAD: one call, the reply on standard output, and an
 * exit status that tells how the call ended (cli.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libeorpc.h>

#include "cli.h"

/* A call from the shell should not hang forever by default. */
enum { DEFAULT_DEADLINE_MS = 10000 };

static void usage(FILE *f)
{
	fprintf(f,
"Usage: eorpc call [OPTIONS] ADDR PAYLOAD\n"
"       eorpc call [OPTIONS] ADDR -        (payload from standard input)\n"
"\n"
"Make one call to the AF_EORPC server at ADDR (1.2.3.4:port, [v6]:port or\n"
"host:port) and write its reply, byte for byte, to standard output.\n"
"\n"
"Options:\n"
"  -d, --deadline MS   give up after MS milliseconds (default %d;\n"
"                      0: no deadline, retry until interrupted)\n"
"  -b, --bind ADDR     bind the client socket to ADDR first\n"
"  -v, --verbose       print the round trip time and outcome on stderr\n"
"  -h, --help          this text\n"
"\n"
"Exit status: 0 reply received; 10-15 the call ended without a reply and\n"
"the request may have executed (10 deadline, 11 cancelled, 12 server reset,\n"
"13 session lost, 14 shut down, 15 protocol error); 20-21 it certainly did\n"
"not (20 refused, 21 never sent); 2 bad usage or address; 3 module not\n"
"loaded; 1 other errors. See eorpc(1).\n", DEFAULT_DEADLINE_MS);
}

int call_parse_args(int argc, char **argv, struct call_opts *o)
{
	static const struct option longopts[] = {
		{ "deadline", required_argument, NULL, 'd' },
		{ "bind", required_argument, NULL, 'b' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->deadline_ms = DEFAULT_DEADLINE_MS;
	optind = 0;	/* GNU: restart scanning, also between unit tests */
	opterr = 0;	/* our own messages, which name the option */
	while ((c = getopt_long(argc, argv, "+d:b:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (parse_u64(optarg, 0, INT32_MAX, &v)) {
				cli_usage_err("--deadline: '%s' is not a number of milliseconds",
					      optarg);
				return -1;
			}
			o->deadline_ms = v;
			break;
		case 'b':
			o->bind = optarg;
			break;
		case 'v':
			o->verbose = true;
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
	if (argc - optind != 2) {
		cli_usage_err("expected ADDR and PAYLOAD, got %d argument%s",
			      argc - optind, argc - optind == 1 ? "" : "s");
		return -1;
	}
	o->addr = argv[optind];
	o->payload = argv[optind + 1];
	return 0;
}

static int parse_addr(struct sockaddr_eorpc *sa, const char *text,
		      const char *what)
{
	if (!eorpc_addr_parse(sa, text))
		return 0;
	cli_err(errno, "%s '%s'", what, text);
	return status_of_setup_error(errno);
}

int cmd_call(int argc, char **argv)
{
	static char reply[EORPC_MAX_MSG_LEN];
	struct sockaddr_eorpc server, local;
	struct call_opts o;
	char *req = NULL;
	size_t req_len;
	uint64_t t0;
	ssize_t n;
	int rc, fd, err;

	rc = call_parse_args(argc, argv, &o);
	if (rc)
		return rc > 0 ? ST_OK : ST_USAGE;
	rc = parse_addr(&server, o.addr, "server address");
	if (!rc && o.bind)
		rc = parse_addr(&local, o.bind, "--bind address");
	if (rc)
		return rc;

	if (!strcmp(o.payload, "-")) {
		if (read_all(STDIN_FILENO, &req, &req_len, EORPC_MAX_MSG_LEN)) {
			err = errno;
			cli_err(err, "reading the request from standard input%s",
				err == EMSGSIZE ? " (at most 1 MiB)" : "");
			return err == EMSGSIZE ? ST_USAGE : ST_FAIL;
		}
	} else {
		req_len = strlen(o.payload);
		if (req_len > EORPC_MAX_MSG_LEN) {
			cli_usage_err("the payload is %zu bytes; at most %d fit in a call",
				      req_len, EORPC_MAX_MSG_LEN);
			return ST_USAGE;
		}
	}

	fd = eorpc_client_open(SOCK_CLOEXEC);
	if (fd < 0) {
		err = errno;
		cli_err(err, "opening an AF_EORPC socket%s",
			err == EAFNOSUPPORT ? " (is the eorpc module loaded?)" : "");
		free(req);
		return status_of_setup_error(err);
	}
	if (o.bind) {
		local.seo_family = server.seo_family;
		if (bind(fd, (struct sockaddr *)&local, sizeof(local))) {
			err = errno;
			cli_err(err, "binding to %s", o.bind);
			eorpc_close(fd);
			free(req);
			return ST_FAIL;
		}
	}

	t0 = now_ns();
	n = eorpc_call(fd, &server, req ? req : o.payload, req_len, reply,
		       sizeof(reply), o.deadline_ms);
	err = n < 0 ? errno : 0;
	if (o.verbose)
		fprintf(stderr, "%s: %s after %.3f ms: %s\n", cli_prog, o.addr,
			(now_ns() - t0) / 1e6,
			n >= 0 ? "reply received" : eorpc_strerror(err));
	eorpc_close(fd);
	free(req);
	if (n < 0) {
		if (!o.verbose) {
			if (eorpc_may_have_executed(err) >= 0)
				fprintf(stderr, "%s: call to %s: %s\n", cli_prog,
					o.addr, eorpc_strerror(err));
			else
				cli_err(err, "call to %s", o.addr);
		}
		return status_of_call_error(err);
	}
	if (write_all(STDOUT_FILENO, reply, n)) {
		cli_err(errno, "writing the reply to standard output");
		return ST_FAIL;
	}
	return ST_OK;
}
