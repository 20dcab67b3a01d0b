/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The request loop every example server shares: receive a request, let the
 * application compute the reply, send it. Nothing here knows about retries
 * or duplicates: the kernel delivers each request once.
 */
#ifndef EXAMPLES_SERVE_H
#define EXAMPLES_SERVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct serve_stats {
	uint64_t requests;	/* delivered to the application */
	uint64_t reply_errors;	/* eorpc_reply() failed (e.g. client gone) */
};

struct serve_ops {
	/*
	 * Compute the reply to @req (@len bytes) into @rep (@cap bytes,
	 * EORPC_MAX_PAYLOAD) and return its length. Must answer malformed
	 * input too, with the protocol's error reply.
	 */
	size_t (*handle)(void *ctx, const void *req, size_t len, void *rep,
			 size_t cap);
	/* Print one "summary ..." line of the counters to @out. */
	void (*report)(void *ctx, const struct serve_stats *st, FILE *out);
};

/*
 * Open a server socket on @listen, print "listening ADDR" on stdout (the
 * signal that clients may start), and serve until SIGINT or SIGTERM; then
 * print the summary. SIGUSR1 prints the summary and goes on.
 *
 * Return: a process exit status: 0 after a signal, EXIT_SYSTEM if the socket
 * could not be opened or failed.
 */
int serve(const char *prog, const char *listen, const struct serve_ops *ops,
	  void *ctx);

#endif
