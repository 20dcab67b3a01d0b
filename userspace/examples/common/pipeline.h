/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The client side every example shares: keep up to N calls in flight on one
 * socket (eorpc_send/eorpc_recv_reply, the event-loop form of libeorpc) and
 * hand each outcome back to the workload. Retransmission and duplicate
 * suppression are the kernel's job; nothing here retries.
 */
#ifndef EXAMPLES_PIPELINE_H
#define EXAMPLES_PIPELINE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <libeorpc.h>

struct pipeline_ops {
	/*
	 * Write the request for the call about to use @slot (0..inflight-1,
	 * free until its done()) into @buf (@cap bytes). Return its length,
	 * or -1 if no call can start until one in flight ends.
	 */
	ssize_t (*next)(void *ctx, unsigned int slot, void *buf, size_t cap);
	/* The call in @slot ended: @err is 0 and @reply valid, or its errno. */
	void (*done)(void *ctx, unsigned int slot, const void *reply,
		     size_t len, int err);
};

struct pipeline_result {
	uint64_t completed;	/* calls that got a reply */
	uint64_t failed;	/* calls that ended with an error */
	int last_error;		/* errno of the last failed call */
	uint64_t max_latency_us; /* longest call, send to completion */
	uint64_t elapsed_us;
};

/*
 * Make @calls calls to @server, @inflight (1..64) at a time, each with
 * deadline @deadline_ms (0: none).
 *
 * Return: 0 once every call ended (failed calls are counted, not fatal), or
 * -1 with errno when the socket failed or the workload could start nothing
 * with nothing in flight (EDEADLK).
 */
int pipeline_run(int fd, const struct sockaddr_eorpc *server, uint64_t calls,
		 unsigned int inflight, unsigned int deadline_ms,
		 const struct pipeline_ops *ops, void *ctx,
		 struct pipeline_result *res);

/* Monotonic time in microseconds. */
uint64_t now_us(void);

#endif
