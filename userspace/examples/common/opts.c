// SPDX-License-Identifier: LGPL-2.1-or-later
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"

int parse_u64(const char *text, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull would accept " 12", "+12" and "-1" (as a huge number). */
	if (!text || !isdigit((unsigned char)text[0])) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtoull(text, &end, 10);
	if (*end) {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

void client_opts_init(struct client_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->server_text = "127.0.0.1:4242";
	o->calls = 100;
	o->inflight = 1;
	o->seed = 1;
}

static int number(const char *prog, const char *name, const char *arg,
		  uint64_t min, uint64_t max, uint64_t *out)
{
	if (!parse_u64(arg, min, max, out))
		return 0;
	fprintf(stderr, "%s: --%s: '%s' is not a number from %llu to %llu\n",
		prog, name, arg, (unsigned long long)min,
		(unsigned long long)max);
	return -1;
}

int client_opt(struct client_opts *o, const char *prog, int c, const char *arg)
{
	switch (c) {
	case 's':
		o->server_text = arg;
		return 0;
	case 'n':
		return number(prog, "calls", arg, 0, 100000000, &o->calls);
	case 'w':
		return number(prog, "inflight", arg, 1, CLIENT_MAX_INFLIGHT,
			      &o->inflight);
	case 'S':
		return number(prog, "seed", arg, 0, UINT64_MAX, &o->seed);
	case 'i':
		return number(prog, "id", arg, 0, 999, &o->id);
	case 'd':
		return number(prog, "deadline-ms", arg, 0, INT32_MAX,
			      &o->deadline_ms);
	}
	return 1;
}

int parse_addr(struct sockaddr_eorpc *sa, const char *text, const char *prog)
{
	if (!eorpc_addr_parse(sa, text))
		return 0;
	fprintf(stderr, "%s: bad address '%s': %s\n", prog, text,
		strerror(errno));
	return -1;
}

int client_opts_finish(struct client_opts *o, const char *prog)
{
	return parse_addr(&o->server, o->server_text, prog);
}

int client_socket(const char *prog)
{
	int fd = eorpc_client_open(SOCK_CLOEXEC), err = errno;

	if (fd < 0)
		fprintf(stderr, "%s: cannot open an AF_EORPC socket: %s%s\n", prog,
			strerror(err), err == EAFNOSUPPORT ?
			" (is the eorpc module loaded?)" : "");
	return fd;
}
