/* SPDX-License-Identifier: GPL-2.0 */
/* Per network namespace state: tunables, counters, the socket list. */
#ifndef _EORPC_NETNS_H
#define _EORPC_NETNS_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

/* Counters shown in /proc/net/eorpc/stats, in this order. */
#define EORPC_STATS(X)						\
	X(CALLS, "Calls")					\
	X(CALLS_COMPLETED, "CallsCompleted")			\
	X(CALLS_FAILED, "CallsFailed")				\
	X(REQUESTS_SENT, "RequestsSent")			\
	X(RETRANSMITS, "Retransmits")				\
	X(HELLOS_SENT, "HellosSent")				\
	X(ACKS_SENT, "AcksSent")				\
	X(REPLIES_RECEIVED, "RepliesReceived")			\
	X(STALE_REPLIES, "StaleReplies")			\
	X(BUSY_RECEIVED, "BusyReceived")			\
	X(ERRORS_RECEIVED, "ErrorsReceived")			\
	X(REQUESTS_DELIVERED, "RequestsDelivered")		\
	X(REPLIES_SENT, "RepliesSent")				\
	X(DUP_FROM_HISTORY, "DupAnsweredFromHistory")		\
	X(DUP_BUSY, "DupAnsweredBusy")				\
	X(DUP_FRAGMENTS, "DupFragments")			\
	X(STALE_REQUESTS, "StaleRequests")			\
	X(SESSIONS_CREATED, "SessionsCreated")			\
	X(SESSIONS_CLOSED, "SessionsClosed")			\
	X(SESSIONS_EXPIRED, "SessionsExpired")			\
	X(HISTORY_FREED, "HistoryFreed")			\
	X(REPLIES_ORPHANED, "RepliesOrphaned")			\
	X(ERRORS_SENT, "ErrorsSent")				\
	X(RX_DROP_RCVBUF, "RxDropRcvbuf")			\
	X(RX_DROP_BACKLOG, "RxDropBacklog")			\
	X(RX_DROP_NOMEM, "RxDropNomem")				\
	X(RX_DROP_SHORT, "RxDropShort")				\
	X(RX_DROP_VERSION, "RxDropVersion")			\
	X(RX_DROP_TYPE, "RxDropType")				\
	X(RX_DROP_FIELD, "RxDropField")				\
	X(RX_DROP_LEN, "RxDropLen")				\
	X(RX_DROP_SESSION, "RxDropWrongSession")		\
	X(RX_DROP_NOT_CLIENT, "RxDropNotForClient")		\
	X(RX_DROP_ADDRESS, "RxDropWrongAddress")		\
	X(TX_ERRORS, "TxErrors")				\
	X(ERR_TIMEDOUT, "CallErrTimedout")			\
	X(ERR_CANCELED, "CallErrCanceled")			\
	X(ERR_CONNRESET, "CallErrServerReset")			\
	X(ERR_STALE, "CallErrSessionLost")			\
	X(ERR_SHUTDOWN, "CallErrShutdown")			\
	X(ERR_REFUSED, "CallErrRefused")			\
	X(ERR_ABORTED, "CallErrNeverSent")

#define EORPC_STAT_ENUM(name, text) EORPC_STAT_##name,
enum eorpc_stat {
	EORPC_STATS(EORPC_STAT_ENUM)
	EORPC_STAT_MAX
};

struct eorpc_stats {
	u64	v[EORPC_STAT_MAX];
};

/**
 * struct eorpc_net - per network namespace state
 * @rto_min_ms: net.eorpc.rto_min_ms
 * @rto_max_ms: net.eorpc.rto_max_ms
 * @rto_initial_ms: net.eorpc.rto_initial_ms
 * @window: net.eorpc.window (power of two, <= 64)
 * @session_timeout_ms: net.eorpc.session_timeout_ms
 * @sysctl: the registered table
 * @stats: per-cpu counters
 * @proc_dir: /proc/net/eorpc
 * @lock: protects @sockets
 * @sockets: every AF_EORPC socket of the namespace
 */
struct eorpc_net {
	unsigned int		rto_min_ms;
	unsigned int		rto_max_ms;
	unsigned int		rto_initial_ms;
	unsigned int		window;
	unsigned int		session_timeout_ms;
	struct ctl_table_header	*sysctl;
	struct eorpc_stats __percpu *stats;
	struct proc_dir_entry	*proc_dir;
	struct mutex		lock;
	struct list_head	sockets;
};

extern unsigned int eorpc_net_id;

static inline struct eorpc_net *eorpc_net(const struct net *net)
{
	return net_generic(net, eorpc_net_id);
}

#define EORPC_INC(net, name) \
	this_cpu_inc(eorpc_net(net)->stats->v[EORPC_STAT_##name])
#define EORPC_ADD(net, name, n) \
	this_cpu_add(eorpc_net(net)->stats->v[EORPC_STAT_##name], (n))

int eorpc_netns_init(void);
void eorpc_netns_exit(void);
int eorpc_proc_init_net(struct net *net);
void eorpc_proc_exit_net(struct net *net);
u64 eorpc_stat_read(struct net *net, enum eorpc_stat stat);

#endif /* _EORPC_NETNS_H */
