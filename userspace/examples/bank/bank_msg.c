// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>

#include "../common/wire.h"
#include "bank_msg.h"

static int request_valid(const struct bank_request *rq)
{
	if (rq->op == BANK_QUERY)
		return !rq->to && !rq->amount;
	return rq->op == BANK_TRANSFER && rq->amount &&
	       rq->amount <= (uint64_t)INT64_MAX;
}

static int reply_valid(const struct bank_reply *rp)
{
	if ((unsigned int)rp->status > BANK_STATUS_MAX)
		return 0;
	return rp->status == BANK_OK || !rp->balance;
}

ssize_t bank_request_encode(const struct bank_request *rq, void *buf,
			    size_t cap)
{
	unsigned char *p = buf;

	if (!request_valid(rq)) {
		errno = EINVAL;
		return -1;
	}
	if (cap < BANK_REQ_LEN) {
		errno = ENOBUFS;
		return -1;
	}
	p[0] = BANK_VERSION;
	p[1] = (unsigned char)rq->op;
	put_u16(p + 2, 0);
	put_u32(p + 4, rq->account);
	put_u32(p + 8, rq->to);
	put_u64(p + 12, rq->amount);
	return BANK_REQ_LEN;
}

int bank_request_decode(struct bank_request *rq, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	struct bank_request r;

	if (len >= 1 && p[0] != BANK_VERSION) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	if (len != BANK_REQ_LEN || get_u16(p + 2))
		goto bad;
	r.op = (enum bank_op)p[1];
	r.account = get_u32(p + 4);
	r.to = get_u32(p + 8);
	r.amount = get_u64(p + 12);
	if (!request_valid(&r))
		goto bad;
	*rq = r;
	return 0;
bad:
	errno = EBADMSG;
	return -1;
}

ssize_t bank_reply_encode(const struct bank_reply *rp, void *buf, size_t cap)
{
	unsigned char *p = buf;

	if (!reply_valid(rp)) {
		errno = EINVAL;
		return -1;
	}
	if (cap < BANK_REP_LEN) {
		errno = ENOBUFS;
		return -1;
	}
	p[0] = BANK_VERSION;
	p[1] = (unsigned char)rp->status;
	put_u16(p + 2, 0);
	put_u32(p + 4, 0);
	put_u64(p + 8, (uint64_t)rp->balance);
	return BANK_REP_LEN;
}

int bank_reply_decode(struct bank_reply *rp, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	struct bank_reply r;

	if (len >= 1 && p[0] != BANK_VERSION) {
		errno = EPROTONOSUPPORT;
		return -1;
	}
	if (len != BANK_REP_LEN || get_u16(p + 2) || get_u32(p + 4))
		goto bad;
	r.status = (enum bank_status)p[1];
	r.balance = (int64_t)get_u64(p + 8);
	if (!reply_valid(&r))
		goto bad;
	*rp = r;
	return 0;
bad:
	errno = EBADMSG;
	return -1;
}
