/* SPDX-License-Identifier: GPL-2.0 */
/* Per network namespace state: tunables, counters, the socket list. */
#ifndef _EORPC_NETNS_H
#define _EORPC_NETNS_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "cookie.h"

/* Counters shown in /proc/net/eorpc/stats; names in proc.c. */
enum eorpc_stat {
	EORPC_STAT_CALLS,
	EORPC_STAT_CALLS_COMPLETED,
	EORPC_STAT_CALLS_FAILED,
	EORPC_STAT_REQUESTS_SENT,
	EORPC_STAT_RETRANSMITS,
	EORPC_STAT_HELLOS_SENT,
	EORPC_STAT_ACKS_SENT,
	EORPC_STAT_REPLIES_RECEIVED,
	EORPC_STAT_STALE_REPLIES,
	EORPC_STAT_BUSY_RECEIVED,
	EORPC_STAT_ERRORS_RECEIVED,
	EORPC_STAT_REQUESTS_DELIVERED,
	EORPC_STAT_REPLIES_SENT,
	EORPC_STAT_DUP_FROM_HISTORY,
	EORPC_STAT_DUP_BUSY,
	EORPC_STAT_DUP_FRAGMENTS,
	EORPC_STAT_NEEDS_SENT,
	EORPC_STAT_NEEDS_RECEIVED,
	EORPC_STAT_FRAGMENTS_RESENT,
	EORPC_STAT_ROUNDS_CUT,
	EORPC_STAT_STALE_REQUESTS,
	EORPC_STAT_SESSIONS_CREATED,
	EORPC_STAT_SESSIONS_CLOSED,
	EORPC_STAT_SESSIONS_EXPIRED,
	EORPC_STAT_HISTORY_FREED,
	EORPC_STAT_REPLIES_ORPHANED,
	EORPC_STAT_ERRORS_SENT,
	EORPC_STAT_COOKIES_SENT,
	EORPC_STAT_COOKIES_INVALID,
	EORPC_STAT_SESSIONS_REFUSED,
	EORPC_STAT_SESSIONS_EVICTED,
	EORPC_STAT_REQUESTS_REFUSED_MEM,
	EORPC_STAT_RX_DROP_RCVBUF,
	EORPC_STAT_RX_DROP_PARTIAL,
	EORPC_STAT_RX_DROP_TOO_BIG,
	EORPC_STAT_PARTIALS_ABANDONED,
	EORPC_STAT_RX_DROP_BACKLOG,
	EORPC_STAT_RX_DROP_NOMEM,
	EORPC_STAT_RX_DROP_SHORT,
	EORPC_STAT_RX_DROP_VERSION,
	EORPC_STAT_RX_DROP_TYPE,
	EORPC_STAT_RX_DROP_FIELD,
	EORPC_STAT_RX_DROP_LEN,
	EORPC_STAT_RX_DROP_SESSION,
	EORPC_STAT_RX_DROP_NOT_CLIENT,
	EORPC_STAT_RX_DROP_NOT_SERVER,
	EORPC_STAT_RX_DROP_ACK,
	EORPC_STAT_RX_DROP_ADDRESS,
	EORPC_STAT_ICMP_REFUSED,
	EORPC_STAT_ICMP_IGNORED,
	EORPC_STAT_ICMP_DROPPED,
	EORPC_STAT_TX_ERRORS,
	EORPC_STAT_ERR_TIMEDOUT,
	EORPC_STAT_ERR_CANCELED,
	EORPC_STAT_ERR_CONNRESET,
	EORPC_STAT_ERR_STALE,
	EORPC_STAT_ERR_SHUTDOWN,
	EORPC_STAT_ERR_REFUSED,
	EORPC_STAT_ERR_ABORTED,
	EORPC_STAT_ERR_PROTO,
	EORPC_STAT_ERR_MSGSIZE,
	EORPC_STAT_MAX
};

struct eorpc_stats {
	u64	v[EORPC_STAT_MAX];
};

/**
 * struct eorpc_shared_udp - the kernel UDP socket that a namespace's
 *	unbound client sockets of one transport share (udp.c)
 * @sock: NULL while no socket uses it
 * @port: the port it is bound to
 * @users: AF_EORPC sockets using it
 */
struct eorpc_shared_udp {
	struct socket	*sock;
	__be16		port;
	unsigned int	users;
};

/* Index of struct eorpc_net.shared. */
enum { EORPC_SHARED_IP4, EORPC_SHARED_IP6, EORPC_SHARED_MAX };

/**
 * struct eorpc_net - per network namespace state
 * @rto_min_ms: net.eorpc.rto_min_ms
 * @rto_max_ms: net.eorpc.rto_max_ms
 * @rto_initial_ms: net.eorpc.rto_initial_ms
 * @window: net.eorpc.window (power of two, <= 64)
 * @session_timeout_ms: net.eorpc.session_timeout_ms
 * @max_sessions: net.eorpc.max_sessions, server sessions in the namespace
 * @max_history_bytes: net.eorpc.max_history_bytes, server state in the
 *	namespace: sessions, history entries, requests and cached replies
 * @session_max_reply_bytes: net.eorpc.session_max_reply_bytes, per session
 * @max_msg_bytes: net.eorpc.max_msg_bytes, the largest request or reply
 * @sessions: server sessions now
 * @server_state_bytes: bytes of server state now (see @max_history_bytes)
 * @cookie: keys for address validation
 * @sysctl: the registered table
 * @stats: per-cpu counters
 * @proc_dir: /proc/net/eorpc
 * @lock: protects @sockets
 * @sockets: every AF_EORPC socket of the namespace
 * @reuseport_lock: protects @reuseport_servers for writers
 * @reuseport_servers: listening SO_REUSEPORT members, read under RCU by
 *	the UDP receive hook (reuseport.c)
 * @shared_lock: protects @shared
 * @shared: the UDP sockets of unbound client sockets, IPv4 and IPv6
 * @by_epoch: the client sessions of those sockets (demux.c)
 */
struct eorpc_net {
	unsigned int		rto_min_ms;
	unsigned int		rto_max_ms;
	unsigned int		rto_initial_ms;
	unsigned int		window;
	unsigned int		session_timeout_ms;
	unsigned int		max_sessions;
	unsigned long		max_history_bytes;
	unsigned int		session_max_reply_bytes;
	unsigned int		max_msg_bytes;
	atomic_t		sessions;
	atomic_long_t		server_state_bytes;
	struct eorpc_cookie_secret cookie;
	struct ctl_table_header	*sysctl;
	struct eorpc_stats __percpu *stats;
	struct proc_dir_entry	*proc_dir;
	struct mutex		lock;	/* protects @sockets */
	struct list_head	sockets;
	spinlock_t		reuseport_lock;	/* protects @reuseport_servers */
	struct list_head	reuseport_servers;
	struct mutex		shared_lock;	/* protects @shared */
	struct eorpc_shared_udp	shared[EORPC_SHARED_MAX];
	struct rhashtable	by_epoch;
};

extern unsigned int eorpc_net_id;

static inline struct eorpc_net *eorpc_net(const struct net *net)
{
	return net_generic(net, eorpc_net_id);
}

/* Counters are named in full at each use, so a search finds every one. */
static inline void eorpc_inc(struct net *net, enum eorpc_stat stat)
{
	this_cpu_inc(eorpc_net(net)->stats->v[stat]);
}

int eorpc_netns_init(void);
void eorpc_netns_exit(void);
int eorpc_proc_init_net(struct net *net);
void eorpc_proc_exit_net(struct net *net);
u64 eorpc_stat_read(struct net *net, enum eorpc_stat stat);
/* A dropped datagram: counted, and traced as eorpc:eorpc_drop. */
void eorpc_drop(struct net *net, enum eorpc_stat stat);
extern const char *const eorpc_stat_names[EORPC_STAT_MAX];

#endif /* _EORPC_NETNS_H */
