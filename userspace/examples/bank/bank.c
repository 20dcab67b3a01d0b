// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"

int bank_init(struct bank *b, uint32_t accounts, int64_t initial)
{
	uint32_t i;

	memset(b, 0, sizeof(*b));
	if (!accounts || accounts > BANK_MAX_ACCOUNTS || initial < 0 ||
	    (initial && accounts > INT64_MAX / initial)) {
		errno = EINVAL;
		return -1;
	}
	b->balance = malloc(accounts * sizeof(*b->balance));
	if (!b->balance)
		return -1;
	for (i = 0; i < accounts; i++)
		b->balance[i] = initial;
	b->accounts = accounts;
	return 0;
}

void bank_free(struct bank *b)
{
	free(b->balance);
	memset(b, 0, sizeof(*b));
}

enum bank_status bank_transfer(struct bank *b, uint32_t from, uint32_t to,
			       uint64_t amount, int64_t *from_balance)
{
	if (from >= b->accounts || to >= b->accounts)
		return BANK_NO_ACCOUNT;
	if (from == to || !amount)
		return BANK_BAD_REQUEST;
	/*
	 * Balances never go below zero and sum to the fixed total, so the
	 * destination cannot overflow once the source had the money.
	 */
	if (amount > (uint64_t)b->balance[from])
		return BANK_INSUFFICIENT;
	b->balance[from] -= (int64_t)amount;
	b->balance[to] += (int64_t)amount;
	*from_balance = b->balance[from];
	return BANK_OK;
}

enum bank_status bank_query(const struct bank *b, uint32_t account,
			    int64_t *balance)
{
	if (account >= b->accounts)
		return BANK_NO_ACCOUNT;
	*balance = b->balance[account];
	return BANK_OK;
}

int64_t bank_total(const struct bank *b)
{
	int64_t sum = 0;
	uint32_t i;

	for (i = 0; i < b->accounts; i++)
		sum += b->balance[i];
	return sum;
}

const char *bank_status_name(enum bank_status st)
{
	static const char *const names[] = {
		[BANK_OK] = "ok",
		[BANK_NO_ACCOUNT] = "no such account",
		[BANK_INSUFFICIENT] = "insufficient funds",
		[BANK_BAD_REQUEST] = "bad request",
	};

	if ((unsigned int)st > BANK_STATUS_MAX)
		return "unknown status";
	return names[st];
}
