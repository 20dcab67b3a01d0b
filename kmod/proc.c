// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/eorpc/: "sockets" (like /proc/net/udp), "sessions" (client and
 * server sessions of every socket) and "stats" (counters, one per line, like
 * /proc/net/snmp but name/value pairs).
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>
#include "eorpc.h"
#include "dispatch.h"
#include "netns.h"

const char *const eorpc_stat_names[EORPC_STAT_MAX] = {
	[EORPC_STAT_CALLS] = "Calls",
	[EORPC_STAT_CALLS_COMPLETED] = "CallsCompleted",
	[EORPC_STAT_CALLS_FAILED] = "CallsFailed",
	[EORPC_STAT_REQUESTS_SENT] = "RequestsSent",
	[EORPC_STAT_RETRANSMITS] = "Retransmits",
	[EORPC_STAT_HELLOS_SENT] = "HellosSent",
	[EORPC_STAT_ACKS_SENT] = "AcksSent",
	[EORPC_STAT_REPLIES_RECEIVED] = "RepliesReceived",
	[EORPC_STAT_STALE_REPLIES] = "StaleReplies",
	[EORPC_STAT_BUSY_RECEIVED] = "BusyReceived",
	[EORPC_STAT_ERRORS_RECEIVED] = "ErrorsReceived",
	[EORPC_STAT_REQUESTS_DELIVERED] = "RequestsDelivered",
	[EORPC_STAT_REPLIES_SENT] = "RepliesSent",
	[EORPC_STAT_DUP_FROM_HISTORY] = "DupAnsweredFromHistory",
	[EORPC_STAT_DUP_BUSY] = "DupAnsweredBusy",
	[EORPC_STAT_DUP_FRAGMENTS] = "DupFragments",
	[EORPC_STAT_NEEDS_SENT] = "NeedsSent",
	[EORPC_STAT_NEEDS_RECEIVED] = "NeedsReceived",
	[EORPC_STAT_FRAGMENTS_RESENT] = "FragmentsResent",
	[EORPC_STAT_ROUNDS_CUT] = "RoundsCut",
	[EORPC_STAT_STALE_REQUESTS] = "StaleRequests",
	[EORPC_STAT_SESSIONS_CREATED] = "SessionsCreated",
	[EORPC_STAT_SESSIONS_CLOSED] = "SessionsClosed",
	[EORPC_STAT_SESSIONS_EXPIRED] = "SessionsExpired",
	[EORPC_STAT_HISTORY_FREED] = "HistoryFreed",
	[EORPC_STAT_REPLIES_ORPHANED] = "RepliesOrphaned",
	[EORPC_STAT_ERRORS_SENT] = "ErrorsSent",
	[EORPC_STAT_COOKIES_SENT] = "CookiesSent",
	[EORPC_STAT_COOKIES_INVALID] = "CookiesInvalid",
	[EORPC_STAT_SESSIONS_REFUSED] = "SessionsRefused",
	[EORPC_STAT_SESSIONS_EVICTED] = "SessionsEvicted",
	[EORPC_STAT_REQUESTS_REFUSED_MEM] = "RequestsBusyMemory",
	[EORPC_STAT_RX_DROP_RCVBUF] = "RxDropRcvbuf",
	[EORPC_STAT_RX_DROP_PARTIAL] = "RxDropSessionPartial",
	[EORPC_STAT_RX_DROP_TOO_BIG] = "RxDropTooBig",
	[EORPC_STAT_PARTIALS_ABANDONED] = "PartialsAbandoned",
	[EORPC_STAT_RX_DROP_BACKLOG] = "RxDropBacklog",
	[EORPC_STAT_RX_DROP_NOMEM] = "RxDropNomem",
	[EORPC_STAT_RX_DROP_SHORT] = "RxDropShort",
	[EORPC_STAT_RX_DROP_VERSION] = "RxDropVersion",
	[EORPC_STAT_RX_DROP_TYPE] = "RxDropType",
	[EORPC_STAT_RX_DROP_FIELD] = "RxDropField",
	[EORPC_STAT_RX_DROP_LEN] = "RxDropLen",
	[EORPC_STAT_RX_DROP_SESSION] = "RxDropWrongSession",
	[EORPC_STAT_RX_DROP_NOT_CLIENT] = "RxDropNotForClient",
	[EORPC_STAT_RX_DROP_NOT_SERVER] = "RxDropNotForServer",
	[EORPC_STAT_RX_DROP_ACK] = "RxDropAck",
	[EORPC_STAT_RX_DROP_ADDRESS] = "RxDropWrongAddress",
	[EORPC_STAT_ICMP_REFUSED] = "IcmpRefused",
	[EORPC_STAT_ICMP_IGNORED] = "IcmpIgnored",
	[EORPC_STAT_ICMP_DROPPED] = "IcmpDropped",
	[EORPC_STAT_TX_ERRORS] = "TxErrors",
	[EORPC_STAT_ERR_TIMEDOUT] = "CallErrTimedout",
	[EORPC_STAT_ERR_CANCELED] = "CallErrCanceled",
	[EORPC_STAT_ERR_CONNRESET] = "CallErrServerReset",
	[EORPC_STAT_ERR_STALE] = "CallErrSessionLost",
	[EORPC_STAT_ERR_SHUTDOWN] = "CallErrShutdown",
	[EORPC_STAT_ERR_REFUSED] = "CallErrRefused",
	[EORPC_STAT_ERR_ABORTED] = "CallErrNeverSent",
	[EORPC_STAT_ERR_PROTO] = "CallErrProtocol",
	[EORPC_STAT_ERR_MSGSIZE] = "CallErrMsgSize",
};

static int stats_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	struct eorpc_net *en = eorpc_net(net);
	int i;

	for (i = 0; i < EORPC_STAT_MAX; i++)
		seq_printf(seq, "%s %llu\n", eorpc_stat_names[i],
			   eorpc_stat_read(net, i));
	/* Gauges, not counters: what the memory caps compare against. */
	seq_printf(seq, "ServerSessions %d\n", atomic_read(&en->sessions));
	seq_printf(seq, "ServerStateBytes %ld\n",
		   atomic_long_read(&en->server_state_bytes));
	return 0;
}

static void show_addr(struct seq_file *seq, const struct sockaddr_eorpc *a)
{
	if (a->seo_transport == AF_INET6)
		seq_printf(seq, "[%pI6c]:%u", a->seo_addr6, ntohs(a->seo_port));
	else if (a->seo_transport == AF_INET)
		seq_printf(seq, "%pI4:%u", &a->seo_addr4, ntohs(a->seo_port));
	else
		seq_puts(seq, "-");
}

static int sockets_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	struct eorpc_net *en = eorpc_net(net);
	struct eorpc_sock *ep;

	seq_puts(seq, "local role rmem wmem inode uid calls_out server_sessions\n");
	mutex_lock(&en->lock);
	list_for_each_entry(ep, &en->sockets, node) {
		struct sock *sk = &ep->sk;

		eorpc_lock_sock(ep);
		show_addr(seq, &ep->local);
		/* sock_i_ino() is unsigned long or (newer) u64: print a u64. */
		seq_printf(seq, " %s %d %u %llu %u %u %u\n",
			   ep->listening ? "server" : "client",
			   atomic_read(&sk->sk_rmem_alloc), ep->tx_charged,
			   (u64)sock_i_ino(sk),
			   from_kuid_munged(seq_user_ns(seq), sk_uid(sk)),
			   ep->calls_out, ep->ss_count);
		release_sock(sk);
	}
	mutex_unlock(&en->lock);
	return 0;
}

/*
 * Session ids authenticate a client's packets: like kptr_restrict, only
 * readers with CAP_NET_ADMIN see them.
 */
static u64 shown_id(struct seq_file *seq, u64 session_id)
{
	struct net *net = seq_file_single_net(seq);

	return file_ns_capable(seq->file, net->user_ns, CAP_NET_ADMIN) ?
	       session_id : 0;
}

static void show_sessions(struct seq_file *seq, struct eorpc_sock *ep)
{
	struct eorpc_client_session *cs;
	struct eorpc_server_session *ss;

	sock_owned_by_me(&ep->sk);
	list_for_each_entry(cs, &ep->client_sessions, link) {
		show_addr(seq, &ep->local);
		seq_puts(seq, " ");
		show_addr(seq, &cs->peer);
		seq_printf(seq, " client %s %016llx %llu %llu %u %u %u\n",
			   cs->state == EORPC_CS_ESTABLISHED ? "up" : "hello",
			   shown_id(seq, cs->session_id), cs->ids.next_id - 1, cs->ids.ack,
			   cs->rto.rto, cs->cwnd.frags, cs->cwnd.limit);
	}
	list_for_each_entry(ss, &ep->server_sessions, lru) {
		show_addr(seq, &ep->local);
		seq_puts(seq, " ");
		show_addr(seq, &ss->peer);
		seq_printf(seq, " server up %016llx - %llu %u %u %u\n",
			   shown_id(seq, ss->session_id), ss->history.ack, ss->history.live,
			   ss->cwnd.frags, ss->cwnd.limit);
	}
}

static int sessions_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	struct eorpc_net *en = eorpc_net(net);
	struct eorpc_sock *ep;

	/*
	 * client rows: last id, ack, rto_us; server rows: ack, live entries;
	 * both: the window toward the peer and its limit, in fragments
	 */
	seq_puts(seq, "local peer role state session last_id ack rto_us|live cwnd cwnd_limit\n");
	mutex_lock(&en->lock);
	list_for_each_entry(ep, &en->sockets, node) {
		eorpc_lock_sock(ep);
		show_sessions(seq, ep);
		release_sock(&ep->sk);
	}
	mutex_unlock(&en->lock);
	return 0;
}

int eorpc_proc_init_net(struct net *net)
{
	struct eorpc_net *en = eorpc_net(net);

	en->proc_dir = proc_net_mkdir(net, "eorpc", net->proc_net);
	if (!en->proc_dir)
		return -ENOMEM;
	if (!proc_create_net_single("stats", 0444, en->proc_dir, stats_show,
				    NULL) ||
	    !proc_create_net_single("sockets", 0444, en->proc_dir,
				    sockets_show, NULL) ||
	    !proc_create_net_single("sessions", 0444, en->proc_dir,
				    sessions_show, NULL)) {
		remove_proc_subtree("eorpc", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

void eorpc_proc_exit_net(struct net *net)
{
	remove_proc_subtree("eorpc", net->proc_net);
}
