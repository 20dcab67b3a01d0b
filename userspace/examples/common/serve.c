// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
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
	static unsigned char req[EORPC_MAX_MSG_LEN], rep[EORPC_MAX_MSG_LEN];
	uint64_t call_id;
	ssize_t n;
	size_t len;

	for (;;) {
		n = eorpc_recv_request(fd, req, sizeof(req), &call_id, NULL,
				       MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		/*
		 * Never with a buffer of EORPC_MAX_MSG_LEN, but a truncated
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

/* Largest state a successor accepts from its predecessor. */
#define HANDOVER_MAX_STATE (1UL << 32)

static int handover_listen(const char *path, const char *prog)
{
	int fd = eorpc_handover_listen(path);

	if (fd < 0)
		fprintf(stderr, "%s: handover socket %s: %s\n", prog, path,
			strerror(errno));
	return fd;
}

/* Take the socket and the state from the server at @path. */
static int handover_take(const char *path, const char *prog,
			 const struct serve_ops *ops, void *ctx)
{
	void *state = NULL;
	size_t len = 0;
	int c, fd = -1;

	c = eorpc_handover_connect(path);
	if (c < 0) {
		fprintf(stderr, "%s: cannot reach the running server at %s: %s\n",
			prog, path, strerror(errno));
		goto fail;
	}
	if (eorpc_handover_recv(c, &fd, &state, &len, HANDOVER_MAX_STATE)) {
		fprintf(stderr, "%s: handover from %s: %s\n", prog, path,
			strerror(errno));
		goto fail;
	}
	/* Load before acknowledging: until then the predecessor serves on. */
	if ((len && (!ops->load || ops->load(ctx, state, len))) ||
	    eorpc_handover_ack(c)) {
		fprintf(stderr, "%s: handover from %s: loading the state: %s\n",
			prog, path, ops->load ? strerror(errno) : "no loader");
		close(fd);
		fd = -1;
		goto fail;
	}
	printf("handover received state_bytes=%zu\n", len);
fail:
	free(state);
	if (c >= 0)
		close(c);
	return fd;
}

/*
 * A successor connected on @hfd: hand the socket over. Return: 1 handed
 * over (exit), 0 not (the successor failed; go on serving).
 */
static int handover_give(int *hfd, const char *path, int fd, const char *prog,
			 const struct serve_ops *ops, void *ctx,
			 const struct serve_stats *st)
{
	void *state = NULL;
	size_t len = 0;
	int c, rc = 0;

	c = eorpc_handover_accept(hfd, path);
	if (c < 0)
		return 0;
	if (ops->save && ops->save(ctx, &state, &len)) {
		fprintf(stderr, "%s: handover: saving the state: %s\n", prog,
			strerror(errno));
	} else if (eorpc_handover_send(c, fd, state, len)) {
		fprintf(stderr, "%s: handover: %s; serving on\n", prog,
			strerror(errno));
	} else {
		ops->report(ctx, st, stdout);
		printf("handover sent state_bytes=%zu\n", len);
		rc = 1;
	}
	free(state);
	close(c);
	if (!rc)
		*hfd = handover_listen(path, prog);
	return rc;
}

int serve_handover(const char *prog, const char *listen,
		   const struct serve_handover *h, const struct serve_ops *ops,
		   void *ctx)
{
	char text[EORPC_ADDRSTRLEN];
	struct serve_stats st = { 0 };
	struct signalfd_siginfo si;
	struct sockaddr_eorpc addr;
	socklen_t alen = sizeof(addr);
	struct pollfd pfd[3];
	int fd, sfd, hfd = -1, rc = EXIT_SYSTEM;

	if (parse_addr(&addr, listen, prog))
		return EXIT_USAGE;
	sfd = signals_open();
	if (sfd < 0) {
		fprintf(stderr, "%s: signalfd: %s\n", prog, strerror(errno));
		return EXIT_SYSTEM;
	}
	if (h && h->from_path) {
		fd = handover_take(h->from_path, prog, ops, ctx);
		if (fd < 0) {
			close(sfd);
			return EXIT_SYSTEM;
		}
		/* Its address is the predecessor's, whatever --listen says. */
		getsockname(fd, (struct sockaddr *)&addr, &alen);
		/* drain() reads until EAGAIN; the flag is the file's. */
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	} else {
		fd = eorpc_server_open(&addr, SOCK_NONBLOCK | SOCK_CLOEXEC);
	}
	if (fd < 0) {
		fprintf(stderr, "%s: cannot serve on %s: %s%s\n", prog, listen,
			strerror(errno), errno == EAFNOSUPPORT ?
			" (is the eorpc module loaded?)" : "");
		close(sfd);
		return EXIT_SYSTEM;
	}
	if (h && h->listen_path) {
		hfd = handover_listen(h->listen_path, prog);
		if (hfd < 0)
			goto out;
	}
	if (eorpc_addr_format(&addr, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), "%s", listen);
	printf("listening %s\n", text);
	fflush(stdout);

	pfd[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	pfd[2] = (struct pollfd){ .fd = hfd, .events = POLLIN };
	for (;;) {
		if (poll(pfd, hfd >= 0 ? 3 : 2, -1) < 0) {
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
		/*
		 * Between two requests this process holds none unanswered:
		 * the rest wait in the kernel socket for the successor.
		 */
		if (hfd >= 0 && (pfd[2].revents & POLLIN)) {
			if (handover_give(&hfd, h->listen_path, fd, prog, ops,
					  ctx, &st)) {
				fflush(stdout);
				rc = 0;
				goto out;
			}
			/* Failed and could not listen again: serve on without. */
			pfd[2].fd = hfd;
		}
		if (!(pfd[1].revents & POLLIN) ||
		    read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		ops->report(ctx, &st, stdout);
		fflush(stdout);
		if (si.ssi_signo != SIGUSR1) {
			rc = 0;
			goto out;
		}
	}
	ops->report(ctx, &st, stdout);
out:
	if (hfd >= 0) {
		close(hfd);
		unlink(h->listen_path);
	}
	eorpc_close(fd);
	close(sfd);
	return rc;
}

int serve(const char *prog, const char *listen, const struct serve_ops *ops,
	  void *ctx)
{
	return serve_handover(prog, listen, NULL, ops, ctx);
}
