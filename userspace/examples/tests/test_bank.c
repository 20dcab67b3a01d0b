// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bank/bank.h"
#include "tap.h"

static int balance_is(struct bank *b, uint32_t a, int64_t want)
{
	int64_t v;

	return bank_query(b, a, &v) == BANK_OK && v == want;
}

void suite_bank(void)
{
	struct bank b;
	int64_t after = -1, v;
	unsigned int seed = 9;
	int i, ok;

	printf("# suite bank\n");
	errno = 0;
	TAP_OK(bank_init(&b, 0, 10) == -1 && errno == EINVAL, "no accounts: EINVAL");
	errno = 0;
	TAP_OK(bank_init(&b, 2, -1) == -1 && errno == EINVAL,
	       "a negative balance: EINVAL");
	errno = 0;
	TAP_OK(bank_init(&b, 2, INT64_MAX) == -1 && errno == EINVAL,
	       "a total past int64: EINVAL");
	errno = 0;
	TAP_OK(bank_init(&b, BANK_MAX_ACCOUNTS + 1, 1) == -1 && errno == EINVAL,
	       "too many accounts: EINVAL");
	TAP_OK(bank_init(&b, 3, 100) == 0 && bank_total(&b) == 300, "init, total");
	TAP_OK(bank_transfer(&b, 0, 1, 30, &after) == BANK_OK && after == 70 &&
	       balance_is(&b, 0, 70) && balance_is(&b, 1, 130),
	       "a transfer moves the money and returns the source's balance");
	TAP_OK(bank_transfer(&b, 0, 2, 71, &after) == BANK_INSUFFICIENT &&
	       balance_is(&b, 0, 70) && balance_is(&b, 2, 100),
	       "an overdraft is refused and moves nothing");
	TAP_OK(bank_transfer(&b, 0, 2, 70, &after) == BANK_OK && after == 0,
	       "the whole balance may go");
	TAP_OK(bank_transfer(&b, 1, 2, UINT64_MAX, &after) == BANK_INSUFFICIENT,
	       "a huge amount is refused, not wrapped");
	TAP_OK(bank_transfer(&b, 1, 1, 1, &after) == BANK_BAD_REQUEST,
	       "a transfer to itself is a bad request");
	TAP_OK(bank_transfer(&b, 1, 2, 0, &after) == BANK_BAD_REQUEST,
	       "a zero transfer is a bad request");
	TAP_OK(bank_transfer(&b, 3, 0, 1, &after) == BANK_NO_ACCOUNT &&
	       bank_transfer(&b, 0, 3, 1, &after) == BANK_NO_ACCOUNT,
	       "an unknown account, either side: no such account");
	TAP_OK(bank_query(&b, 3, &v) == BANK_NO_ACCOUNT, "query an unknown account");
	bank_free(&b);

	bank_init(&b, 10, 50);
	ok = 1;
	for (i = 0; i < 20000; i++) {
		bank_transfer(&b, (uint32_t)(rand_r(&seed) % 11),
			      (uint32_t)(rand_r(&seed) % 11),
			      (uint64_t)(rand_r(&seed) % 60), &after);
		for (uint32_t a = 0; a < 10; a++)
			ok &= bank_query(&b, a, &v) == BANK_OK && v >= 0;
	}
	TAP_OK(ok && bank_total(&b) == 500,
	       "20000 random transfers: money conserved, no balance below zero");
	bank_free(&b);
	TAP_OK(!strcmp(bank_status_name(BANK_INSUFFICIENT), "insufficient funds") &&
	       !strcmp(bank_status_name((enum bank_status)9), "unknown status"),
	       "status names");
}
