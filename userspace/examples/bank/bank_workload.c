// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../common/rng.h"
#include "bank_workload.h"

int bank_workload_init(struct bank_workload *w, uint32_t id, uint32_t accounts,
		       uint64_t max_amount, uint64_t seed)
{
	memset(w, 0, sizeof(*w));
	if (accounts < 2 || accounts > BANK_MAX_ACCOUNTS || id >= accounts ||
	    !max_amount || max_amount > (uint64_t)INT64_MAX) {
		errno = EINVAL;
		return -1;
	}
	w->sent_to = calloc(accounts, sizeof(*w->sent_to));
	if (!w->sent_to)
		return -1;
	w->id = id;
	w->accounts = accounts;
	w->max_amount = max_amount;
	w->rng = seed ^ ((uint64_t)id * UINT64_C(0x9e3779b97f4a7c15));
	return 0;
}

void bank_workload_free(struct bank_workload *w)
{
	free(w->sent_to);
	w->sent_to = NULL;
}

ssize_t bank_workload_next(struct bank_workload *w, unsigned int slot,
			   void *buf, size_t cap)
{
	struct bank_request *rq;
	uint32_t to;

	if (slot >= BANK_WL_MAX_SLOTS) {
		errno = EINVAL;
		return -1;
	}
	rq = &w->slot[slot];
	memset(rq, 0, sizeof(*rq));
	if (rng_below(&w->rng, 100) < 30) {
		rq->op = BANK_QUERY;
		rq->account = (uint32_t)rng_below(&w->rng, w->accounts);
	} else {
		/* Any account but our own. */
		to = (uint32_t)rng_below(&w->rng, w->accounts - 1);
		rq->op = BANK_TRANSFER;
		rq->account = w->id;
		rq->to = to >= w->id ? to + 1 : to;
		rq->amount = 1 + rng_below(&w->rng, w->max_amount);
	}
	return bank_request_encode(rq, buf, cap);
}

void bank_workload_done(struct bank_workload *w, unsigned int slot,
			const void *reply, size_t len, int err)
{
	const struct bank_request *rq = &w->slot[slot];
	struct bank_reply rp;

	if (err) {
		w->failed++;
		return;
	}
	/* Balances are never negative; accounts we name always exist. */
	if (bank_reply_decode(&rp, reply, len) || rp.balance < 0 ||
	    rp.status == BANK_NO_ACCOUNT || rp.status == BANK_BAD_REQUEST) {
		w->bad_replies++;
		return;
	}
	if (rq->op == BANK_QUERY) {
		w->queries++;
	} else if (rp.status == BANK_OK) {
		w->transfers++;
		w->sent += rq->amount;
		w->sent_to[rq->to] += rq->amount;
	} else {
		w->rejected++;	/* insufficient funds: nothing moved */
	}
}

void bank_workload_print_ledger(const struct bank_workload *w, FILE *out)
{
	const char *sep = "";
	uint32_t a;

	fputs("sent=", out);
	for (a = 0; a < w->accounts; a++) {
		if (!w->sent_to[a])
			continue;
		fprintf(out, "%s%u:%llu", sep, a,
			(unsigned long long)w->sent_to[a]);
		sep = ",";
	}
	if (!*sep)
		fputs("-", out);
}
