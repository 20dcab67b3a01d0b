// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <string.h>
#include <time.h>

#include "opts.h"
#include "pipeline.h"

uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* The user tag of a slot's call: never 0, never the library's bit. */
static uint64_t slot_tag(unsigned int slot)
{
	return (uint64_t)slot + 1;
}

int pipeline_run(int fd, const struct sockaddr_eorpc *server, uint64_t calls,
		 unsigned int inflight, unsigned int deadline_ms,
		 const struct pipeline_ops *ops, void *ctx,
		 struct pipeline_result *res)
{
	static unsigned char req[EORPC_MAX_MSG_LEN], rep[EORPC_MAX_MSG_LEN];
	uint64_t sent_at[CLIENT_MAX_INFLIGHT], started = 0, ended = 0, tag;
	int busy[CLIENT_MAX_INFLIGHT] = { 0 };
	uint64_t t0 = now_us();
	unsigned int slot, outstanding = 0;
	int call_error;
	ssize_t n;

	memset(res, 0, sizeof(*res));
	if (!inflight || inflight > CLIENT_MAX_INFLIGHT) {
		errno = EINVAL;
		return -1;
	}
	while (ended < calls) {
		/* Fill free slots while the workload has something to send. */
		for (slot = 0; slot < inflight && started < calls; slot++) {
			if (busy[slot])
				continue;
			n = ops->next(ctx, slot, req, sizeof(req));
			if (n < 0)
				break;
			if (eorpc_send(fd, server, req, (size_t)n,
				       slot_tag(slot), deadline_ms, 0) < 0)
				return -1;
			busy[slot] = 1;
			sent_at[slot] = now_us();
			started++;
			outstanding++;
		}
		if (!outstanding) {
			errno = EDEADLK;
			return -1;
		}
		n = eorpc_recv_reply(fd, rep, sizeof(rep), &tag, &call_error, 0);
		if (n < 0 && errno == EINTR)
			continue;
		/* A reply over EORPC_MAX_MSG_LEN cannot come; count it failed. */
		if (n < 0 && errno == EMSGSIZE)
			call_error = EMSGSIZE;
		else if (n < 0)
			return -1;
		if (tag < 1 || tag > inflight || !busy[tag - 1]) {
			errno = EPROTO;	/* a completion for no call of ours */
			return -1;
		}
		slot = (unsigned int)(tag - 1);
		busy[slot] = 0;
		outstanding--;
		ended++;
		if (now_us() - sent_at[slot] > res->max_latency_us)
			res->max_latency_us = now_us() - sent_at[slot];
		if (call_error) {
			res->failed++;
			res->last_error = call_error;
			ops->done(ctx, slot, NULL, 0, call_error);
		} else {
			res->completed++;
			ops->done(ctx, slot, rep, (size_t)n, 0);
		}
	}
	res->elapsed_us = now_us() - t0;
	return 0;
}
