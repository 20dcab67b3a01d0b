/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The eorpc(1) tool: subcommands and the helpers they share.
 */
#ifndef EORPC_CLI_H
#define EORPC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Exit statuses, documented in eorpc(1). A call that ended without a reply
 * exits 10-19 when the request may have executed and 20-29 when it
 * certainly did not, so a script can decide whether a retry is safe from
 * the status alone.
 */
enum cli_status {
	ST_OK = 0,
	ST_FAIL = 1,		/* a system call failed (message says which) */
	ST_USAGE = 2,		/* bad option, argument or address */
	ST_NOMODULE = 3,	/* the eorpc module is not loaded */
	ST_TRUNCATED = 4,	/* the reply did not fit (cannot happen at 64 KiB) */
	ST_DEADLINE = 10,	/* ETIMEDOUT: may have executed */
	ST_CANCELLED = 11,	/* ECANCELED */
	ST_SERVER_RESET = 12,	/* ECONNRESET */
	ST_SESSION_LOST = 13,	/* ESTALE */
	ST_SHUTDOWN = 14,	/* ESHUTDOWN */
	ST_PROTOCOL = 15,	/* EPROTO */
	ST_REFUSED = 20,	/* ECONNREFUSED: certainly not executed */
	ST_NEVER_SENT = 21,	/* ECONNABORTED */
};

/* status.c */
int status_of_call_error(int err);
int status_of_setup_error(int err);
const char *status_name(int status);

/* util.c: messages name the tool, the step and strerror. */
extern const char *cli_prog;
void cli_err(int err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int parse_size(const char *s, uint64_t max, uint64_t *out);
int parse_seconds(const char *s, double *out);
int read_all(int fd, char **buf, size_t *len, size_t max);
int read_file(const char *path, char **buf, size_t max);
int write_all(int fd, const void *buf, size_t len);
uint64_t now_ns(void);

/* One function per subcommand: returns the exit status. */
int cmd_call(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_bench(int argc, char **argv);

/* Argument parsing, apart from the work so the unit tests can reach it. */
struct call_opts {
	const char *addr;
	const char *payload;	/* "-": standard input */
	const char *bind;
	int deadline_ms;	/* 0: none */
	bool verbose;
};
/* 0: run; 1: --help printed (exit 0); -1: usage error printed. */
int call_parse_args(int argc, char **argv, struct call_opts *o);

struct serve_opts {
	const char *addr;
	char **cmd;		/* NULL: echo */
	const char *ready_file;
	uint64_t count;		/* 0: forever */
	bool quiet, verbose;
	const char *handover_listen;	/* unix path a successor connects to */
	const char *handover_from;	/* take the socket from the server there */
	bool reuseport;		/* share the address: EORPC_SERVER_REUSEPORT */
};
int serve_parse_args(int argc, char **argv, struct serve_opts *o);

#endif
