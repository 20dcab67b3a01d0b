// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One request, one run of the user's command: the request goes to its
 * standard input while its standard output is read, both through poll(), so
 * a command that writes before it has read everything cannot deadlock us.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "serve_cmd.h"

static void child(char **argv, int in, int out, const char *peer,
		  uint64_t call_id)
{
	char id[24];

	snprintf(id, sizeof(id), "%llu", (unsigned long long)call_id);
	setenv("EORPC_CLIENT", peer, 1);
	setenv("EORPC_CALL_ID", id, 1);
	signal(SIGPIPE, SIG_DFL);
	if (dup2(in, STDIN_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0)
		_exit(126);
	execvp(argv[0], argv);
	cli_err(errno, "running '%s'", argv[0]);
	_exit(errno == ENOENT ? 127 : 126);
}

/* Feed @in and collect stdout until the command closes it. */
static size_t pump(int to, int from, const char *in, size_t in_len, char *out,
		   size_t cap, const char *name)
{
	size_t sent = 0, got = 0, dropped = 0;
	char sink[4096];
	struct pollfd p[2];
	ssize_t n;

	if (!in_len) {
		close(to);
		to = -1;
	}
	while (from >= 0) {
		p[0] = (struct pollfd){ .fd = from, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = to, .events = POLLOUT };
		if (poll(p, to >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			cli_err(errno, "waiting for '%s'", name);
			break;
		}
		if (to >= 0 && p[1].revents) {
			n = write(to, in + sent, in_len - sent);
			if (n > 0)
				sent += n;
			/* EPIPE: the command did not want (all of) its input. */
			if (n < 0 || sent == in_len) {
				close(to);
				to = -1;
			}
		}
		if (p[0].revents) {
			if (got < cap)
				n = read(from, out + got, cap - got);
			else
				n = read(from, sink, sizeof(sink));
			if (n <= 0 && !(n < 0 && errno == EINTR)) {
				close(from);
				from = -1;
			} else if (n > 0 && got < cap) {
				got += n;
			} else if (n > 0) {
				dropped += n;
			}
		}
	}
	if (to >= 0)
		close(to);
	if (dropped)
		fprintf(stderr, "%s: '%s' wrote %zu bytes more than a reply holds; dropped\n",
			cli_prog, name, dropped);
	return got;
}

size_t serve_run_cmd(char **argv, const void *in, size_t in_len, char *out,
		     size_t cap, const char *peer, uint64_t call_id)
{
	int to[2], from[2], status;
	size_t got;
	pid_t pid;

	if (pipe2(to, O_CLOEXEC) || pipe2(from, O_CLOEXEC)) {
		cli_err(errno, "creating pipes for '%s'", argv[0]);
		return 0;
	}
	pid = fork();
	if (pid < 0) {
		cli_err(errno, "starting '%s'", argv[0]);
		close(to[0]), close(to[1]), close(from[0]), close(from[1]);
		return 0;
	}
	if (!pid)
		child(argv, to[0], from[1], peer, call_id);
	close(to[0]);
	close(from[1]);
	got = pump(to[1], from[0], in, in_len, out, cap, argv[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	/* The reply is what it printed; a failure is still worth a word. */
	if (WIFEXITED(status) && WEXITSTATUS(status))
		fprintf(stderr, "%s: '%s' exited with status %d\n", cli_prog,
			argv[0], WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(stderr, "%s: '%s' killed by signal %d\n", cli_prog,
			argv[0], WTERMSIG(status));
	return got;
}
