/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a bank client does, and its ledger. Pure logic, fed completions by
 * the client program.
 *
 * Client N is the only one to take money out of account N: it transfers
 * random amounts (1..max) from N to random other accounts, and queries
 * random accounts. It records every transfer the bank executed. The sum of
 * all clients' ledgers then predicts every final balance exactly:
 *   final[a] = initial - sent by a + sum of what others sent to a,
 * and a transfer executed twice (or lost) would break that equation even
 * though it conserves the total.
 */
#ifndef EXAMPLES_BANK_WORKLOAD_H
#define EXAMPLES_BANK_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "bank_msg.h"

enum { BANK_WL_MAX_SLOTS = 64 };

struct bank_workload {
	uint32_t id, accounts;
	uint64_t max_amount, rng;
	struct bank_request slot[BANK_WL_MAX_SLOTS];
	uint64_t *sent_to;	/* per account: money we moved there */
	uint64_t sent;		/* total moved out of account id */
	uint64_t transfers, rejected, queries;
	uint64_t failed;	/* calls that ended without a reply */
	uint64_t bad_replies;	/* malformed, negative, or unexpected */
};

/*
 * @id < @accounts (2..BANK_MAX_ACCOUNTS); @max_amount >= 1.
 * Return: 0, or -1 with errno EINVAL or ENOMEM.
 */
int bank_workload_init(struct bank_workload *w, uint32_t id, uint32_t accounts,
		       uint64_t max_amount, uint64_t seed);
void bank_workload_free(struct bank_workload *w);

/* The next call for pipeline slot @slot. Return: its length, or -1. */
ssize_t bank_workload_next(struct bank_workload *w, unsigned int slot,
			   void *buf, size_t cap);
void bank_workload_done(struct bank_workload *w, unsigned int slot,
			const void *reply, size_t len, int err);

/*
 * Write the ledger as "sent=ACCT:AMOUNT,..." (accounts that got money, in
 * order; "sent=-" if none) to @out.
 */
void bank_workload_print_ledger(const struct bank_workload *w, FILE *out);

#endif
