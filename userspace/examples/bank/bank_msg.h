/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The bank protocol's messages, fixed size, integers big-endian:
 *
 *   request (20 bytes): u8 version (1) | u8 op | u16 0 | u32 account
 *                       | u32 to | u64 amount
 *   reply (16 bytes):   u8 version (1) | u8 status | u16 0 | u32 0
 *                       | s64 balance
 *
 * op 1 Transfer: @amount (1..INT64_MAX) from @account to @to; the reply's
 * balance is @account's afterwards. op 2 Query: @account's balance; @to and
 * @amount are 0. A failed operation's balance is 0.
 */
#ifndef EXAMPLES_BANK_MSG_H
#define EXAMPLES_BANK_MSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bank.h"

enum {
	BANK_VERSION = 1,
	BANK_REQ_LEN = 20,
	BANK_REP_LEN = 16,
};

enum bank_op { BANK_TRANSFER = 1, BANK_QUERY = 2 };

struct bank_request {
	enum bank_op op;
	uint32_t account, to;
	uint64_t amount;
};

struct bank_reply {
	enum bank_status status;
	int64_t balance;
};

/*
 * Return: the length, or -1 with errno EINVAL (fields the decoder would
 * reject) or ENOBUFS (@cap too small).
 */
ssize_t bank_request_encode(const struct bank_request *rq, void *buf,
			    size_t cap);
ssize_t bank_reply_encode(const struct bank_reply *rp, void *buf, size_t cap);

/* Return: 0, or -1 with errno EBADMSG or EPROTONOSUPPORT (version). */
int bank_request_decode(struct bank_request *rq, const void *buf, size_t len);
int bank_reply_decode(struct bank_reply *rp, const void *buf, size_t len);

#endif
