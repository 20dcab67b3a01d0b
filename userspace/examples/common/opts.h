/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Command-line handling shared by the example programs: strict number
 * parsing (a typo must be an error, not a silent 0) and the options every
 * client takes.
 */
#ifndef EXAMPLES_OPTS_H
#define EXAMPLES_OPTS_H

#include <getopt.h>
#include <stdint.h>
#include <libeorpc.h>

/* Exit statuses of the example programs. */
enum {
	EXIT_CHECK = 1,		/* a call failed or a check found a wrong result */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_SYSTEM = 3,	/* the system said no: socket, module missing... */
};

/*
 * Parse a decimal number in [min, max]. No sign, no spaces, no trailing
 * characters. Return: 0, or -1 with errno EINVAL (not a number) or ERANGE.
 */
int parse_u64(const char *text, uint64_t min, uint64_t max, uint64_t *out);

struct client_opts {
	struct sockaddr_eorpc server;
	const char *server_text;
	uint64_t calls;		/* calls the workload makes */
	uint64_t inflight;	/* calls kept outstanding at once */
	uint64_t seed;
	uint64_t id;		/* this client's number; names its keys/account */
	uint64_t deadline_ms;	/* per call; 0: retry until the reply comes */
};

/* Longest window a session allows (net.eorpc.window's maximum). */
#define CLIENT_MAX_INFLIGHT 64

/* getopt_long entries for the options above; values are the short letters. */
#define CLIENT_LONGOPTS							\
	{ "server", required_argument, NULL, 's' },			\
	{ "calls", required_argument, NULL, 'n' },			\
	{ "inflight", required_argument, NULL, 'w' },			\
	{ "seed", required_argument, NULL, 'S' },			\
	{ "id", required_argument, NULL, 'i' },				\
	{ "deadline-ms", required_argument, NULL, 'd' }
#define CLIENT_SHORTOPTS "s:n:w:S:i:d:"
#define CLIENT_OPTS_HELP						\
	"  -s, --server ADDR      server address (default 127.0.0.1:4242)\n" \
	"  -n, --calls N          calls to make (default 100)\n"	\
	"  -w, --inflight N       calls outstanding at once, 1-64 (default 1)\n" \
	"  -S, --seed N           workload seed, printed in the summary (default 1)\n" \
	"  -i, --id N             client number, 0-999 (default 0)\n"	\
	"  -d, --deadline-ms N    give up on a call after N ms; 0 = never (default 0)\n"

void client_opts_init(struct client_opts *o);

/*
 * Handle option @c with argument @arg if it is one of CLIENT_LONGOPTS.
 * Return: 0 handled, 1 not a client option, -1 bad value (said on stderr).
 */
int client_opt(struct client_opts *o, const char *prog, int c, const char *arg);

/* Resolve the server address. Return: 0, or -1 (said on stderr). */
int client_opts_finish(struct client_opts *o, const char *prog);

/*
 * Open the client socket, once the command line has been checked.
 * Return: the descriptor, or -1 (said on stderr, naming the likely cause).
 */
int client_socket(const char *prog);

/* Parse "ADDR" for a server's --listen. Return: 0, or -1 (said on stderr). */
int parse_addr(struct sockaddr_eorpc *sa, const char *text, const char *prog);

#endif
