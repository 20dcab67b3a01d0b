/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The bank server's application: decode, execute, encode. Once per request
 * the kernel delivers; retries and duplicates never reach it.
 */
#ifndef EXAMPLES_BANK_SERVICE_H
#define EXAMPLES_BANK_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "bank.h"

struct bank_counters {
	uint64_t transfers;	/* executed (money moved) */
	uint64_t rejected;	/* transfers refused: funds, account, self */
	uint64_t queries;
	uint64_t bad;		/* malformed requests */
};

/*
 * Serve one request into @rep (@cap >= BANK_REP_LEN). Malformed input gets
 * a BANK_BAD_REQUEST reply. Return: the reply's length.
 */
size_t bank_serve(struct bank *b, struct bank_counters *c, const void *req,
		  size_t len, void *rep, size_t cap);

#endif
