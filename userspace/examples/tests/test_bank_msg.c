// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bank/bank_msg.h"
#include "tap.h"

static unsigned char buf[64], out[64];

static int req_fails(size_t len, int err)
{
	struct bank_request rq;

	errno = 0;
	return bank_request_decode(&rq, buf, len) == -1 && errno == err;
}

static int rep_fails(size_t len, int err)
{
	struct bank_reply rp;

	errno = 0;
	return bank_reply_decode(&rp, buf, len) == -1 && errno == err;
}

static int enc_fails(struct bank_request rq, int err)
{
	errno = 0;
	return bank_request_encode(&rq, buf, sizeof(buf)) == -1 && errno == err;
}

static void random_input(void)
{
	struct bank_request rq;
	struct bank_reply rp;
	int i, accepted = 0, same = 1;
	size_t len, j;

	srand(11);
	for (i = 0; i < 20000; i++) {
		len = (i & 1) ? BANK_REQ_LEN : (size_t)rand() % 32;
		for (j = 0; j < len; j++)
			buf[j] = (unsigned char)(rand() % 4 ? 0 : rand());
		buf[0] = BANK_VERSION;
		if (!bank_request_decode(&rq, buf, len)) {
			accepted++;
			same &= bank_request_encode(&rq, out, sizeof(out)) ==
				(ssize_t)len && !memcmp(out, buf, len);
		}
		if (!bank_reply_decode(&rp, buf, len))
			same &= bank_reply_encode(&rp, out, sizeof(out)) ==
				(ssize_t)len && !memcmp(out, buf, len);
	}
	TAP_OK(accepted > 0 && same,
	       "random input: no crash; %d accepted requests re-encode identically",
	       accepted);
}

void suite_bank_msg(void)
{
	struct bank_request rq = { BANK_TRANSFER, 3, 5, 700 }, d;
	struct bank_reply rp = { BANK_OK, -2 }, e;
	size_t i;
	int ok;

	printf("# suite bank_msg\n");
	TAP_OK(bank_request_encode(&rq, buf, sizeof(buf)) == BANK_REQ_LEN &&
	       buf[0] == 1 && buf[1] == BANK_TRANSFER && buf[7] == 3 &&
	       buf[11] == 5 && buf[18] == 700 >> 8 && buf[19] == (700 & 0xff),
	       "request layout: version, op, account, to, amount (big-endian)");
	TAP_OK(!bank_request_decode(&d, buf, BANK_REQ_LEN) &&
	       d.op == BANK_TRANSFER && d.account == 3 && d.to == 5 &&
	       d.amount == 700, "request round trip");
	ok = 1;
	for (i = 0; i < BANK_REQ_LEN; i++)
		ok &= req_fails(i, EBADMSG);
	TAP_OK(ok && req_fails(BANK_REQ_LEN + 1, EBADMSG),
	       "a request of any other length is EBADMSG");
	buf[0] = 7;
	TAP_OK(req_fails(BANK_REQ_LEN, EPROTONOSUPPORT),
	       "another version is EPROTONOSUPPORT");
	buf[0] = 1;
	buf[3] = 1;
	TAP_OK(req_fails(BANK_REQ_LEN, EBADMSG), "reserved bits set is EBADMSG");
	buf[3] = 0;
	buf[1] = 3;
	TAP_OK(req_fails(BANK_REQ_LEN, EBADMSG), "op 3 is EBADMSG");
	buf[1] = BANK_QUERY;
	TAP_OK(req_fails(BANK_REQ_LEN, EBADMSG),
	       "a Query with a destination or an amount is EBADMSG");
	buf[1] = BANK_TRANSFER;
	buf[12] = 0x80;
	TAP_OK(req_fails(BANK_REQ_LEN, EBADMSG), "an amount past INT64_MAX is EBADMSG");
	TAP_OK(enc_fails((struct bank_request){ BANK_TRANSFER, 1, 2, 0 }, EINVAL),
	       "encoding a zero transfer is EINVAL");
	TAP_OK(enc_fails((struct bank_request){ BANK_QUERY, 1, 0, 5 }, EINVAL),
	       "encoding a Query with an amount is EINVAL");
	errno = 0;
	rq = (struct bank_request){ BANK_QUERY, 1, 0, 0 };
	TAP_OK(bank_request_encode(&rq, buf, BANK_REQ_LEN - 1) == -1 &&
	       errno == ENOBUFS, "encoding into too small a buffer is ENOBUFS");

	TAP_OK(bank_reply_encode(&rp, buf, sizeof(buf)) == BANK_REP_LEN &&
	       !bank_reply_decode(&e, buf, BANK_REP_LEN) && e.status == BANK_OK &&
	       e.balance == -2, "reply round trip (a negative balance survives)");
	ok = 1;
	for (i = 0; i < BANK_REP_LEN; i++)
		ok &= rep_fails(i, EBADMSG);
	TAP_OK(ok && rep_fails(BANK_REP_LEN + 1, EBADMSG),
	       "a reply of any other length is EBADMSG");
	buf[1] = BANK_INSUFFICIENT;
	TAP_OK(rep_fails(BANK_REP_LEN, EBADMSG),
	       "a failure carrying a balance is EBADMSG");
	buf[1] = BANK_STATUS_MAX + 1;
	TAP_OK(rep_fails(BANK_REP_LEN, EBADMSG), "an unknown status is EBADMSG");
	buf[1] = BANK_OK;
	buf[5] = 1;
	TAP_OK(rep_fails(BANK_REP_LEN, EBADMSG), "reserved bits set is EBADMSG");
	random_input();
}
