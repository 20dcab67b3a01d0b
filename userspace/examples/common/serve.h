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
	 * EORPC_MAX_MSG_LEN) and return its length. Must answer malformed
	 * input too, with the protocol's error reply.
	 */
	size_t (*handle)(void *ctx, const void *req, size_t len, void *rep,
			 size_t cap);
	/* Print one "summary ..." line of the counters to @out. */
	void (*report)(void *ctx, const struct serve_stats *st, FILE *out);
	/*
	 * Optional, for a zero-downtime restart: the application's state as
	 * a malloc'd buffer for the successor (return 0, or -1 with errno),
	 * and loading it in the successor. NULL: the server has no state.
	 */
	int (*save)(void *ctx, void **buf, size_t *len);
	int (*load)(void *ctx, const void *buf, size_t len);
};

/*
 * Zero-downtime restart (both NULL: none). With @listen_path the server
 * accepts a successor on that unix socket path: on a connection it stops
 * reading requests (it holds none: each is answered before the next is
 * read), sends the socket and its state (eorpc_handover_send()), prints its
 * summary and "handover sent", and exits 0 once the successor acknowledged;
 * if the successor fails first, it goes on serving. With @from_path it takes
 * the socket and state from the server listening there instead of opening
 * one, and prints "handover received" before "listening ADDR".
 */
struct serve_handover {
	const char *listen_path;
	const char *from_path;
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

/* serve() with a zero-downtime restart, as @h says. */
int serve_handover(const char *prog, const char *listen,
		   const struct serve_handover *h, const struct serve_ops *ops,
		   void *ctx);

#endif
