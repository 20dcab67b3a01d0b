/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The bank: numbered accounts with balances, and transfers between them.
 * Pure application logic, unaware of any network. A transfer moves money,
 * it never creates or destroys any, so the total stays what it was at the
 * start; a transfer executed twice would still conserve it, which is why
 * the clients also keep a ledger of what they moved (bank_workload.h).
 */
#ifndef EXAMPLES_BANK_H
#define EXAMPLES_BANK_H

#include <stdint.h>

enum {
	BANK_MAX_ACCOUNTS = 1 << 20,
};

/* Outcomes; also the status byte of a reply on the wire. */
enum bank_status {
	BANK_OK = 0,
	BANK_NO_ACCOUNT = 1,	/* no such account number */
	BANK_INSUFFICIENT = 2,	/* the source would go below zero */
	BANK_BAD_REQUEST = 3,	/* malformed, or a transfer to itself */
	BANK_STATUS_MAX = BANK_BAD_REQUEST,
};

struct bank {
	int64_t *balance;
	uint32_t accounts;
};

/*
 * @accounts: 1..BANK_MAX_ACCOUNTS; @initial: each account's balance, >= 0,
 * with a total that fits in int64_t.
 * Return: 0, or -1 with errno EINVAL or ENOMEM.
 */
int bank_init(struct bank *b, uint32_t accounts, int64_t initial);
void bank_free(struct bank *b);

/*
 * Move @amount (> 0) from @from to @to. On success *@from_balance is the
 * source's balance afterwards. On failure nothing changed.
 */
enum bank_status bank_transfer(struct bank *b, uint32_t from, uint32_t to,
			       uint64_t amount, int64_t *from_balance);
enum bank_status bank_query(const struct bank *b, uint32_t account,
			    int64_t *balance);
/* The sum of all balances. */
int64_t bank_total(const struct bank *b);

const char *bank_status_name(enum bank_status st);

#endif
