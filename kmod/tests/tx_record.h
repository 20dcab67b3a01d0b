/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit: recording what a test's socket sends, through the transmit seam
 * (../tx_seam.h). A recorder belongs to one test and one socket; records
 * are freed with the test.
 */
#ifndef _EORPC_TX_RECORD_H
#define _EORPC_TX_RECORD_H

#include <kunit/resource.h>
#include <linux/list.h>
#include "../eorpc.h"

/**
 * struct eorpc_tx_record - one datagram, as eorpc_udp_send() was given it
 * @link: in eorpc_tx_recorder.sent, oldest first
 * @to: its destination
 * @pkt: its header fields (data_off and data_len unset)
 * @len: bytes of @data
 * @data: what follows the header
 */
struct eorpc_tx_record {
	struct list_head	link;
	struct sockaddr_eorpc	to;
	struct eorpc_pkt	pkt;
	u32			len;
	u8			data[];
};

/**
 * struct eorpc_tx_recorder - where a test's socket's datagrams go
 * @res: the test's named resource that finds it
 * @test: the test
 * @ep: the socket recorded; other sockets send as usual
 * @sent: records not yet taken
 * @lost: datagrams not recorded for lack of memory
 */
struct eorpc_tx_recorder {
	struct kunit_resource	res;
	struct kunit		*test;
	struct eorpc_sock	*ep;
	struct list_head	sent;
	unsigned int		lost;
};

int eorpc_tx_record_start(struct kunit *test, struct eorpc_tx_recorder *r,
			  struct eorpc_sock *ep);
struct eorpc_tx_record *eorpc_tx_record_next(struct eorpc_tx_recorder *r);
unsigned int eorpc_tx_record_count(struct eorpc_tx_recorder *r);

#endif /* _EORPC_TX_RECORD_H */
