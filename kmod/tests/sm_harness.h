/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit harness for the client and server state machines. Each test gets
 * an AF_EORPC socket in init_net without a UDP socket, live work item or
 * live timer. Datagrams go in as the work item would hand them over, or as
 * the UDP hook does in softirq (sm_receive()) (an skb with
 * IPv4 and UDP headers in front), what the socket sends is recorded through
 * the transmit seam, and time passes only when a test calls the timer scans
 * with a "now" of its choice. Calls take the socket lock as the work item
 * and the system calls do.
 */
#ifndef _EORPC_SM_HARNESS_H
#define _EORPC_SM_HARNESS_H

#include <kunit/test.h>
#include "../eorpc.h"
#include "../netns.h"
#include "tx_record.h"

/* The addresses of a test: the socket and the peer it talks to. */
#define SM_LOCAL_IP	0x0a000001	/* 10.0.0.1 */
#define SM_PEER_IP	0x0a000002	/* 10.0.0.2 */
enum { SM_LOCAL_PORT = 7000, SM_PEER_PORT = 7001 };

/* The net.eorpc.* a test may change. */
struct sm_tunables {
	unsigned int	rto_min_ms;
	unsigned int	rto_max_ms;
	unsigned int	rto_initial_ms;
	unsigned int	window;
	unsigned int	session_timeout_ms;
	unsigned int	max_sessions;
	unsigned long	max_history_bytes;
	unsigned int	session_max_reply_bytes;
	unsigned int	max_msg_bytes;
};

/**
 * struct sm_harness - one test's socket and what it sent
 * @test: the test
 * @ep: the socket
 * @tx: its datagrams, oldest first
 * @peer: the default peer (SM_PEER_IP:SM_PEER_PORT)
 * @udp_stand_in: what ep->udp points to, so that a client call does not
 *	bind a UDP socket; never used: every send stops at the seam
 * @wq: the socket's wait queue, which a struct socket would hold
 * @stats: the namespace's counters when the test started
 * @tunables: net.eorpc.* when the test started, put back after it
 * @sessions: server sessions in the namespace when the test started
 */
struct sm_harness {
	struct kunit		*test;
	struct eorpc_sock	*ep;
	struct eorpc_tx_recorder tx;
	struct sockaddr_eorpc	peer;
	struct socket		udp_stand_in;
	struct socket_wq	wq;
	u64			stats[EORPC_STAT_MAX];
	struct sm_tunables	tunables;
	int			sessions;
};

int sm_suite_init(struct kunit_suite *suite);
void sm_suite_exit(struct kunit_suite *suite);
int sm_init(struct kunit *test);
void sm_exit(struct kunit *test);

static inline struct sm_harness *sm(struct kunit *test)
{
	return test->priv;
}

static inline struct eorpc_net *sm_net(struct sm_harness *h)
{
	return eorpc_net(sock_net(&h->ep->sk));
}

void sm_addr(struct sockaddr_eorpc *a, u32 ip, u16 port);
u64 sm_stat(struct sm_harness *h, enum eorpc_stat stat);
int sm_work_runs(struct sm_harness *h);

struct eorpc_tx_record *sm_sent(struct sm_harness *h);
unsigned int sm_sent_count(struct sm_harness *h);
void sm_sent_clear(struct sm_harness *h);

void sm_input(struct sm_harness *h, const struct sockaddr_eorpc *from,
	      const struct eorpc_pkt *pkt, const void *data, u32 len);
void sm_receive(struct sm_harness *h, const struct sockaddr_eorpc *from,
		const struct eorpc_pkt *pkt, const void *data, u32 len);
void sm_timer_fires(struct sm_harness *h);
ktime_t sm_client_timers(struct sm_harness *h, ktime_t now);
ktime_t sm_server_timers(struct sm_harness *h, ktime_t now);

int sm_call(struct sm_harness *h, const void *req, u32 len, u64 tag,
	    s64 deadline_ms);
unsigned int sm_recvq_len(struct sm_harness *h);
struct eorpc_call *sm_completion(struct sm_harness *h, u64 tag);

int sm_listen(struct sm_harness *h);
u64 sm_deliver(struct sm_harness *h);
int sm_reply(struct sm_harness *h, u64 call_id, const void *data, u32 len);

#endif /* _EORPC_SM_HARNESS_H */
