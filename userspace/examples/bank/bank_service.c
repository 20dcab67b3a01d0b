// SPDX-License-Identifier: LGPL-2.1-or-later
#include <stdlib.h>

#include "bank_msg.h"
#include "bank_service.h"

size_t bank_serve(struct bank *b, struct bank_counters *c, const void *req,
		  size_t len, void *rep, size_t cap)
{
	struct bank_reply rp = { .status = BANK_OK };
	struct bank_request rq;
	int64_t balance = 0;
	ssize_t n;

	if (bank_request_decode(&rq, req, len)) {
		c->bad++;
		rp.status = BANK_BAD_REQUEST;
	} else if (rq.op == BANK_QUERY) {
		c->queries++;
		rp.status = bank_query(b, rq.account, &balance);
	} else {
		rp.status = bank_transfer(b, rq.account, rq.to, rq.amount,
					  &balance);
		if (rp.status == BANK_OK)
			c->transfers++;
		else
			c->rejected++;
	}
	if (rp.status == BANK_OK)
		rp.balance = balance;
	n = bank_reply_encode(&rp, rep, cap);
	/* Only a buffer under BANK_REP_LEN fails: a caller bug, not input. */
	if (n < 0)
		abort();
	return (size_t)n;
}
