// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * eorpc serve [ADDR] [-- CMD ARGS]: an echo server, or one that runs CMD per
 * request (request on its stdin, its stdout is the reply). The kernel makes
 * each request arrive once, so CMD runs once per call, whatever the network.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include <libeorpc.h>

#include "cli.h"
#include "serve_cmd.h"

#define DEFAULT_ADDR "0.0.0.0:4242"

static volatile sig_atomic_t stopping;

static void usage(FILE *f)
{
	fprintf(f,
"Usage: eorpc serve [OPTIONS] [ADDR] [-- CMD [ARG...]]\n"
"\n"
"Listen on ADDR (default " DEFAULT_ADDR "; port 0 picks a free one) and\n"
"answer every call: with the request itself, or with the standard output of\n"
"CMD, run once per request with the request on its standard input and\n"
"EORPC_CLIENT and EORPC_CALL_ID in its environment.\n"
"\n"
"Options:\n"
"  -n, --count N          exit after answering N calls\n"
"  -r, --ready-file FILE  once listening, write the bound address to FILE\n"
"  -q, --quiet            no 'listening on' line\n"
"  -v, --verbose          one line per call on stderr\n"
"  -H, --handover-listen PATH\n"
"                         accept a successor process on this unix socket and\n"
"                         hand it the server socket (zero-downtime restart)\n"
"  -F, --handover-from PATH\n"
"                         take the server socket from the one listening on\n"
"                         PATH instead of opening one (ADDR is ignored)\n"
"  -R, --reuseport        share ADDR with other servers started with -R by\n"
"                         the same user: sessions are spread over them\n"
"  -h, --help             this text\n"
"\n"
"SIGINT or SIGTERM stops it (exit 0). See eorpc(1).\n");
}

int serve_parse_args(int argc, char **argv, struct serve_opts *o)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "ready-file", required_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "handover-listen", required_argument, NULL, 'H' },
		{ "handover-from", required_argument, NULL, 'F' },
		{ "reuseport", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, i, dash = -1;

	memset(o, 0, sizeof(*o));
	o->addr = DEFAULT_ADDR;
	/* Everything after "--" is CMD: getopt must not see its options. */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			dash = i;
			break;
		}
	if (dash >= 0) {
		if (dash + 1 >= argc) {
			cli_usage_err("'--' must be followed by a command");
			return -1;
		}
		o->cmd = argv + dash + 1;
		argc = dash;
	}
	/* Options may follow ADDR: CMD was cut off above, so permuting is safe. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "n:r:qvH:F:Rh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_u64(optarg, 1, UINT64_MAX, &o->count)) {
				cli_usage_err("--count: '%s' is not a positive number",
					      optarg);
				return -1;
			}
			break;
		case 'r':
			o->ready_file = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'H':
			o->handover_listen = optarg;
			break;
		case 'F':
			o->handover_from = optarg;
			break;
		case 'R':
			o->reuseport = true;
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
		cli_usage_err("unexpected argument '%s' (a command goes after '--')",
			      argv[optind + 1]);
		return -1;
	}
	if (argc - optind == 1)
		o->addr = argv[optind];
	return 0;
}

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* Written whole under a temporary name, so a reader never sees half. */
static int write_ready_file(const char *path, const char *text)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "%s\n", text);
	if (fclose(f) || rename(tmp, path))
		return -1;
	return 0;
}

static int open_server(const struct serve_opts *o, char *bound)
{
	struct sockaddr_eorpc sa;
	socklen_t len = sizeof(sa);
	int fd, err;

	if (eorpc_addr_parse(&sa, o->addr)) {
		err = errno;
		cli_err(err, "address '%s'", o->addr);
		return -status_of_setup_error(err);
	}
	fd = eorpc_server_open(&sa, SOCK_CLOEXEC |
			       (o->reuseport ? EORPC_SERVER_REUSEPORT : 0));
	if (fd < 0) {
		err = errno;
		cli_err(err, "listening on %s%s", o->addr,
			err == EAFNOSUPPORT ? " (is the eorpc module loaded?)" : "");
		return -(err == EAFNOSUPPORT ? ST_NOMODULE : ST_FAIL);
	}
	if (getsockname(fd, (struct sockaddr *)&sa, &len) ||
	    eorpc_addr_format(&sa, bound, EORPC_ADDRSTRLEN) < 0) {
		cli_err(errno, "reading the bound address");
		eorpc_close(fd);
		return -ST_FAIL;
	}
	return fd;
}

static int handover_listen(const char *path)
{
	int fd = eorpc_handover_listen(path);

	if (fd < 0)
		cli_err(errno, "handover socket %s", path);
	return fd;
}

/* The server socket and the count of calls answered, from the predecessor. */
static int handover_take(const char *path, char *bound, uint64_t *served)
{
	struct sockaddr_eorpc sa;
	socklen_t len = sizeof(sa);
	void *state = NULL;
	size_t slen = 0;
	int c, fd = -1;

	c = eorpc_handover_connect(path);
	if (c < 0) {
		cli_err(errno, "reaching the running server at %s", path);
		goto out;
	}
	if (eorpc_handover_recv(c, &fd, &state, &slen, sizeof(*served))) {
		cli_err(errno, "taking the socket from %s", path);
		goto out;
	}
	if (slen == sizeof(*served))
		memcpy(served, state, sizeof(*served));
	if (getsockname(fd, (struct sockaddr *)&sa, &len) ||
	    eorpc_addr_format(&sa, bound, EORPC_ADDRSTRLEN) < 0 ||
	    eorpc_handover_ack(c)) {
		cli_err(errno, "taking the socket from %s", path);
		close(fd);
		fd = -1;
	}
out:
	free(state);
	if (c >= 0)
		close(c);
	return fd;
}

/*
 * A successor connected: give it the socket (we hold no request: each was
 * answered before the next was read). Return: 1 handed over, 0 not.
 */
static int handover_give(int *hfd, const char *path, int fd, uint64_t served)
{
	int c = eorpc_handover_accept(hfd, path), rc;

	if (c < 0)
		return 0;
	rc = !eorpc_handover_send(c, fd, &served, sizeof(served));
	if (!rc) {
		cli_err(errno, "handing over to a successor; serving on");
		*hfd = handover_listen(path);
	}
	close(c);
	return rc;
}

/* Wait for a request or a successor. Return: 1 request, 0 other, -1 error. */
static int wait_event(int fd, int *hfd, const struct serve_opts *o,
		      uint64_t served, bool *handed)
{
	struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
			       { .fd = *hfd, .events = POLLIN } };

	if (*hfd < 0)
		return 1;	/* the blocking receive waits */
	if (poll(p, 2, -1) < 0)
		return errno == EINTR ? 0 : -1;
	if (p[1].revents & POLLIN)
		*handed = handover_give(hfd, o->handover_listen, fd, served);
	return !!(p[0].revents & (POLLIN | POLLERR));
}

int cmd_serve(int argc, char **argv)
{
	static char req[EORPC_MAX_MSG_LEN], out[EORPC_MAX_MSG_LEN];
	char bound[EORPC_ADDRSTRLEN], peer[EORPC_ADDRSTRLEN];
	struct sockaddr_eorpc client;
	struct sigaction sa = { .sa_handler = on_stop };
	struct serve_opts o;
	uint64_t served = 0, id;
	bool handed = false;
	int hfd = -1, ev;
	const char *reply;
	ssize_t n;
	size_t rlen;
	int fd, rc;

	rc = serve_parse_args(argc, argv, &o);
	if (rc)
		return rc > 0 ? ST_OK : ST_USAGE;
	if (o.handover_from) {
		fd = handover_take(o.handover_from, bound, &served);
		if (fd < 0)
			return ST_FAIL;
	} else {
		fd = open_server(&o, bound);
		if (fd < 0)
			return -fd;
	}
	if (o.handover_listen) {
		hfd = handover_listen(o.handover_listen);
		if (hfd < 0) {
			eorpc_close(fd);
			return ST_FAIL;
		}
	}
	/* No SA_RESTART: a signal must end the blocking receive. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A command that does not read its input must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	if (!o.quiet)
		fprintf(stderr, "%s: listening on %s (%s)\n", cli_prog, bound,
			o.cmd ? o.cmd[0] : "echo");
	if (o.ready_file && write_ready_file(o.ready_file, bound)) {
		cli_err(errno, "writing the ready file %s", o.ready_file);
		eorpc_close(fd);
		return ST_FAIL;
	}

	rc = ST_OK;
	while (!stopping && !handed && (!o.count || served < o.count)) {
		ev = wait_event(fd, &hfd, &o, served, &handed);
		if (ev < 0) {
			cli_err(errno, "waiting for a request");
			rc = ST_FAIL;
			break;
		}
		if (!ev || handed)
			continue;
		n = eorpc_recv_request(fd, req, sizeof(req), &id, &client,
				       o.handover_listen ? MSG_DONTWAIT : 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			cli_err(errno, "receiving a request");
			rc = ST_FAIL;
			break;
		}
		if (eorpc_addr_format(&client, peer, sizeof(peer)) < 0)
			strcpy(peer, "?");
		reply = req;
		rlen = n;
		if (o.cmd) {
			rlen = serve_run_cmd(o.cmd, req, n, out, sizeof(out),
					     peer, id);
			reply = out;
		}
		if (eorpc_reply(fd, id, reply, rlen, 0))
			/* The client may be gone: the server goes on. */
			cli_err(errno, "replying to call %llu from %s",
				(unsigned long long)id, peer);
		else
			served++;
		if (o.verbose)
			fprintf(stderr, "%s: call %llu from %s: %zd bytes in, %zu out\n",
				cli_prog, (unsigned long long)id, peer, n, rlen);
	}
	if (handed)
		fprintf(stderr, "%s: handed over to a successor after %llu calls\n",
			cli_prog, (unsigned long long)served);
	if (hfd >= 0) {
		close(hfd);
		unlink(o.handover_listen);
	}
	eorpc_close(fd);
	return rc;
}
