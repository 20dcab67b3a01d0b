// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the transmit seam's recorder. eorpc_udp_send() asks
 * eorpc_tx_seam() first; in a KUnit test that started a recorder for the
 * socket, the datagram is appended to the recorder's list and not sent.
 */
#include <kunit/test.h>
#include <linux/sched.h>
#include "../tx_seam.h"
#include "tx_record.h"

static const char recorder_name[] = "eorpc_tx_recorder";

/**
 * eorpc_tx_record_start() - record @ep's datagrams for the rest of @test
 * @test: the running test
 * @r: the recorder, zeroed and alive until the test's resources are
 *	freed (kunit_kzalloc()): the test's list of resources holds it
 * @ep: the socket
 *
 * Return: 0, or -EEXIST if the test records already.
 */
int eorpc_tx_record_start(struct kunit *test, struct eorpc_tx_recorder *r,
			  struct eorpc_sock *ep)
{
	r->test = test;
	r->ep = ep;
	INIT_LIST_HEAD(&r->sent);
	r->lost = 0;
	return kunit_add_named_resource(test, NULL, NULL, &r->res,
					recorder_name, r);
}

/* Return: the oldest record not yet taken, or NULL. */
struct eorpc_tx_record *eorpc_tx_record_next(struct eorpc_tx_recorder *r)
{
	struct eorpc_tx_record *rec;

	rec = list_first_entry_or_null(&r->sent, struct eorpc_tx_record, link);
	if (rec)
		list_del(&rec->link);
	return rec;
}

unsigned int eorpc_tx_record_count(struct eorpc_tx_recorder *r)
{
	return list_count_nodes(&r->sent);
}

/*
 * Called for every datagram the module sends. Only the thread of a KUnit
 * test has current->kunit_test; every other sender goes on to its UDP
 * socket.
 */
bool eorpc_tx_seam(struct eorpc_sock *ep, const struct sockaddr_eorpc *to,
		   const struct eorpc_pkt *pkt, const void *data, u32 len)
{
	struct kunit *test = current->kunit_test;
	struct eorpc_tx_recorder *r;
	struct eorpc_tx_record *rec;
	struct kunit_resource *res;

	if (!test)
		return false;
	res = kunit_find_named_resource(test, recorder_name);
	if (!res)
		return false;
	r = res->data;
	kunit_put_resource(res);
	if (r->ep != ep)
		return false;
	/* The datagram may be sent from softirq (sm_receive()). */
	rec = kunit_kzalloc(test, struct_size(rec, data, len),
			    in_softirq() ? GFP_ATOMIC : GFP_KERNEL);
	if (!rec) {
		r->lost++;
		return true;
	}
	rec->to = *to;
	rec->pkt = *pkt;
	rec->len = len;
	if (len)
		memcpy(rec->data, data, len);
	list_add_tail(&rec->link, &r->sent);
	return true;
}
