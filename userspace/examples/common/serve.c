// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include <libeorpc.h>

#include "opts.h"
#include "serve.h"

/*
 * Signals arrive through a signalfd polled next to the socket: a flag set
 * by a handler could be missed between checking it and blocking in
 * recvmsg(), leaving the server deaf to SIGTERM.
 */
static int signals_open(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/* Serve every request queued now. Return: 0, or -1 on a socket failure. */
static int drain(int fd, const struct serve_ops *ops, void *ctx,
		 struct serve_stats *st)
{
	static unsigned char req[EORPC_MAX_PAYLOAD], rep[EORPC_MAX_PAYLOAD];
	uint64_t call_id;
	ssize_t n;
	size_t len;

	for (;;) {
		n = eorpc_recv_request(fd, req, sizeof(req), &call_id, NULL,
				       MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		/*
		 * Never with a buffer of EORPC_MAX_PAYLOAD, but a truncated
		 * request was delivered and must be answered: as malformed.
		 */
		if (n < 0 && errno == EMSGSIZE)
			n = 0;
		if (n < 0)
			return -1;
		st->requests++;
		len = ops->handle(ctx, req, (size_t)n, rep, sizeof(rep));
		/* The client may have closed or given up meanwhile. */
		if (eorpc_reply(fd, call_id, rep, len, 0) < 0)
			st->reply_errors++;
	}
}

int serve(const char *prog, const char *listen, const struct serve_ops *ops,
	  void *ctx)
{
	char text[EORPC_ADDRSTRLEN];
	struct serve_stats st = { 0 };
	struct signalfd_siginfo si;
	struct sockaddr_eorpc addr;
	struct pollfd pfd[2];
	int fd, sfd;

	if (parse_addr(&addr, listen, prog))
		return EXIT_USAGE;
	sfd = signals_open();
	if (sfd < 0) {
		fprintf(stderr, "%s: signalfd: %s\n", prog, strerror(errno));
		return EXIT_SYSTEM;
	}
	fd = eorpc_server_open(&addr, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot serve on %s: %s%s\n", prog, listen,
			strerror(errno), errno == EAFNOSUPPORT ?
			" (is the eorpc module loaded?)" : "");
		close(sfd);
		return EXIT_SYSTEM;
	}
	if (eorpc_addr_format(&addr, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), "%s", listen);
	printf("listening %s\n", text);
	fflush(stdout);

	pfd[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: poll: %s\n", prog, strerror(errno));
			break;
		}
		if ((pfd[0].revents & (POLLIN | POLLERR)) &&
		    drain(fd, ops, ctx, &st) < 0) {
			fprintf(stderr, "%s: receive: %s\n", prog,
				strerror(errno));
			break;
		}
		if (!(pfd[1].revents & POLLIN) ||
		    read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		ops->report(ctx, &st, stdout);
		fflush(stdout);
		if (si.ssi_signo != SIGUSR1) {
			eorpc_close(fd);
			close(sfd);
			return 0;
		}
	}
	ops->report(ctx, &st, stdout);
	eorpc_close(fd);
	close(sfd);
	return EXIT_SYSTEM;
}
