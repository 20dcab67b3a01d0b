/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AF_EORPC socket state shared by the module's files.
 *
 * Locking, the one place it is written down:
 * - Everything in struct eorpc_sock and what hangs off it is protected by
 *   the socket lock, as TCP's: lock_sock() in process context (system
 *   calls, the socket's work item), or bh_lock_sock() in softirq, where
 *   the UDP receive hook processes a REQUEST, REPLY, ACK or BUSY only
 *   while no task owns the socket (dispatch.c). Functions that need the
 *   lock say so with sock_owned_by_me(), which lockdep checks in the debug
 *   guest. The paths of those datagrams may run in softirq: they do not
 *   sleep, and they allocate with eorpc_rx_gfp().
 * - The ICMP hook runs in softirq and only queues (icmp[] under
 *   icmp_lock) and kicks the work item; so does the receive hook for every
 *   other datagram, and for those four while a task owns the socket
 *   (rx_backlog), except an ACK: that waits in the socket's backlog, which
 *   the owner processes in release_sock() (eorpc_backlog_rcv()).
 * - The hrtimer runs the timer scans under bh_lock_sock() when no task
 *   owns the socket and no call is unfinished, else it kicks the work
 *   item too (dispatch.c).
 * - Lock order: the namespace's eorpc_net.lock (a mutex: the socket list,
 *   for /proc) before the socket lock; the cookie secret's spinlock and
 *   icmp_lock are innermost and never held across anything that sleeps;
 *   so is eorpc_net.reuseport_lock, taken under the socket lock.
 *   eorpc_net.shared_lock (a mutex: the shared UDP sockets, udp.c) is
 *   taken under the socket lock when a client autobinds, and alone in
 *   close(); nothing is taken while holding it.
 * - Read without the socket lock, so written with WRITE_ONCE: @dead (the
 *   kick), @icmp_count (the work item's peek), @tx_charged (poll),
 *   @listening (the receive hook's reuseport steering), @reuseport
 *   (getsockopt).
 * - The UDP receive hook reads the namespace's list of reuseport members
 *   under RCU; a member leaves it before close() unhooks its UDP socket.
 *   A shared UDP socket's hooks read the namespace's client sessions by
 *   epoch under RCU (demux.c); a session leaves that table when it is
 *   freed (kfree_rcu), and close() frees them all before the socket's
 *   grace period starts.
 */
#ifndef _EORPC_H
#define _EORPC_H

#include <linux/hashtable.h>
#include <linux/hrtimer.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/rhashtable-types.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/sock.h>
#include <linux/eorpc.h>

#include "ackpace.h"
#include "ackwin.h"
#include "compat.h"
#include "cwnd.h"
#include "history.h"
#include "rto.h"
#include "wire.h"
#include "xmit.h"

extern int eorpc_family;
extern struct workqueue_struct *eorpc_wq;

/*
 * Bodies up to a cache line live inside their message: the small requests
 * and replies most calls carry then cost no allocation (four per call).
 */
enum { EORPC_MSG_INLINE = 64 };

/**
 * struct eorpc_msg - a request or reply body, whole or being reassembled
 * @data: @len bytes: @inline_data up to EORPC_MSG_INLINE, else a folio
 *	(@own_pages) or kvmalloc'd
 * @len: message length
 * @have: fragments in @data
 * @frags: bit i set: fragment i is in @data (a message being received), or
 *	its receiver said it has fragment i (one being sent, built whole from
 *	the user's data: eorpc_msg_peer_has()); the bitmap is @frags.word when
 *	eorpc_nfrags(@len) bits fit in a long (every message up to 84 KiB on
 *	64-bit: no second allocation), else @frags.map (see eorpc_msg_frags())
 * @progress: when the last new fragment arrived: a partial message that
 *	makes no progress for the abandonment horizon is dropped
 * @sent: a message being sent: fragments 0 to @sent - 1 went at least
 *	once (it goes in rounds, eorpc_udp_send_round())
 * @round_frags: a message being sent: fragments its last round sent
 * @round_tx: a message being sent: when its last round started, if that
 *	round is timed and not reported yet; else 0 (a retransmission: its
 *	report may answer either copy, Karn's rule)
 * @round_cut: a message being sent: its last round stopped before its
 *	window for what waited for the socket (eorpc_udp_send_round())
 * @own_pages: @data is a folio of its own (not slab or kmalloc memory),
 *	which datagrams may reference instead of copying
 *	(eorpc_skb_add_data())
 * @inline_data: the body of a small message; @data points here, so a
 *	message is never copied or moved, only its owner freed
 */
struct eorpc_msg {
	u8	*data;
	u32	len;
	u32	have;
	union {
		unsigned long	word;
		unsigned long	*map;
	} frags;
	ktime_t	progress;
	u32	sent;
	u32	round_frags;
	ktime_t	round_tx;
	bool	round_cut;
	bool	own_pages;
	u8	inline_data[EORPC_MSG_INLINE];
};

/* What sits on a socket's receive queue. */
enum eorpc_rx_kind {
	EORPC_RX_COMPLETION,	/* struct eorpc_call: a client call ended */
	EORPC_RX_REQUEST,	/* struct eorpc_server_call: a request to serve */
};

struct eorpc_rxitem {
	struct list_head	link;
	u8			kind;
};

enum eorpc_client_session_state {
	EORPC_CS_HELLO,		/* HELLO sent, waiting for WELCOME */
	EORPC_CS_ESTABLISHED,
};

/**
 * struct eorpc_client_session - client side of a session with one server
 * @link: in eorpc_sock.client_sessions
 * @peer: the server
 * @client_epoch: this session's incarnation, random; a new session (after an
 *	error, an idle close) gets a new one, so nothing of an old session's
 *	traffic can ever be taken for the new one's
 * @state: enum eorpc_client_session_state
 * @server_epoch: from WELCOME
 * @session_id: from WELCOME
 * @server_timeout_ms: the server's idle timeout, from WELCOME
 * @ids: request ids and cumulative ack
 * @rto: round-trip estimator
 * @calls: calls holding a request id
 * @waiting: calls waiting for the handshake or for window space
 * @cookie: the server's address-validation cookie, zero until it sends one
 * @hello_next: when to resend HELLO
 * @hello_rto: current HELLO timeout, microseconds
 * @ack_due: send an ACK at this time if nothing carried the ack (0: none)
 * @pace: its pace of calls, which sets @ack_due (ackpace.h)
 * @last_active: last packet to or from the server
 * @partial_bytes: bytes of replies of this session being reassembled
 * @route: the route to @peer
 * @cwnd: how many fragments of a request a round may send to @peer
 * @by_epoch: in the namespace's table, if the socket shares its UDP
 *	socket (demux.c)
 * @owner: the socket, for that table's readers
 * @rcu: freed after a grace period: those readers run in softirq
 */
struct eorpc_client_session {
	struct list_head	link;
	struct sockaddr_eorpc	peer;
	u64			client_epoch;
	u8			state;
	u64			server_epoch;
	u64			session_id;
	u32			server_timeout_ms;
	struct eorpc_ackwin	ids;
	struct eorpc_rto	rto;
	struct list_head	calls;
	struct list_head	waiting;
	struct eorpc_wire_cookie cookie;
	ktime_t			hello_next;
	u32			hello_rto;
	ktime_t			ack_due;
	struct eorpc_ack_pace	pace;
	ktime_t			last_active;
	u32			partial_bytes;
	struct eorpc_route	route;
	struct eorpc_cwnd	cwnd;
	struct rhash_head	by_epoch;
	struct eorpc_sock	*owner;
	struct rcu_head		rcu;
};

/**
 * struct eorpc_call - one client call, from sendmsg to its completion
 * @link: in client_session.calls or client_session.waiting
 * @rx: on the receive queue once completed
 * @sess: its session, NULL once completed
 * @id: request id, 0 until it gets one
 * @user_tag: EORPC_CMSG_USER_TAG
 * @deadline: absolute, 0 for none
 * @first_tx: first transmission (for RTT samples)
 * @next_tx: next retransmission
 * @rto: current timeout, microseconds
 * @ntx: transmissions so far
 * @error: positive errno if the call failed
 * @req: the request, kept for retransmission
 * @reply: the reply being reassembled
 * @peer: the server
 * @charge: bytes charged to the socket's send budget
 */
struct eorpc_call {
	struct list_head	link;
	struct eorpc_rxitem	rx;
	struct eorpc_client_session	*sess;
	u64			id;
	u64			user_tag;
	ktime_t			deadline;
	ktime_t			first_tx;
	ktime_t			next_tx;
	u32			rto;
	u32			ntx;
	int			error;
	struct eorpc_msg	req;
	struct eorpc_msg	reply;
	struct sockaddr_eorpc	peer;
	u32			charge;
};

/**
 * struct eorpc_server_session - server side of a session with one client
 * @by_id: in eorpc_sock.ss_by_id
 * @by_client: in eorpc_sock.ss_by_client
 * @lru: in eorpc_sock.server_sessions, least recently active first
 * @peer: the client's address
 * @client_epoch: the client incarnation
 * @session_id: random, never reused
 * @history: entries of request ids not yet acknowledged
 * @last_active: last packet from the client
 * @reply_bytes: bytes of cached replies (net.eorpc.session_max_reply_bytes)
 * @partial_bytes: bytes of requests of this session being reassembled
 * @bytes: server state charged to the namespace (net.eorpc.max_history_bytes)
 * @route: the route to @peer
 * @cwnd: how many fragments of a reply a round may send to @peer
 * @rcu: the hash tables may still see it for a grace period after removal
 */
struct eorpc_server_session {
	struct rhash_head	by_id;
	struct rhash_head	by_client;
	struct list_head	lru;
	struct sockaddr_eorpc	peer;
	u64			client_epoch;
	u64			session_id;
	struct eorpc_history	history;
	ktime_t			last_active;
	u32			reply_bytes;
	u32			partial_bytes;
	size_t			bytes;
	struct eorpc_route	route;
	struct eorpc_cwnd	cwnd;
	struct rcu_head		rcu;
};

/**
 * struct eorpc_server_call - a server history entry with its request or reply
 * @he: the history bookkeeping (id, state)
 * @rx: on the socket's @partial list while EORPC_HE_RECEIVING, on its
 *	receive queue while EORPC_HE_QUEUED
 * @sess: its session; NULL once orphaned (acked or session gone while the
 *	application holds it: its reply is then discarded)
 * @call_id: the handle the application answers with (EORPC_CMSG_CALL_ID)
 * @msg: the request while receiving/queued, the reply once replied
 * @peer: the client (kept for recvmsg's msg_name)
 */
struct eorpc_server_call {
	struct eorpc_hentry	he;
	struct eorpc_rxitem	rx;
	struct eorpc_server_session	*sess;
	u64			call_id;
	struct eorpc_msg	msg;
	struct sockaddr_eorpc	peer;
};

/* ICMP reports waiting for the work item, at most; beyond: drop, count. */
enum { EORPC_ICMP_QUEUE = 8 };

/**
 * struct eorpc_icmp_report - an ICMP "port unreachable" about a datagram we
 *	sent, as far as the softirq hook could read it from the quote
 * @client_epoch: the client epoch in the quoted header
 * @peer: the quoted datagram's destination
 * @type: the quoted packet type (HELLO, REQUEST or ACK: client packets)
 */
struct eorpc_icmp_report {
	u64			client_epoch;
	struct sockaddr_eorpc	peer;
	u8			type;
};

/**
 * struct eorpc_sock - an AF_EORPC socket
 * @sk: the socket (first)
 * @udp: the kernel UDP socket it talks through, NULL until bound
 * @udp_shared: @udp is the namespace's, shared by unbound client sockets
 * @local: the bound address
 * @dest: default server set by connect(), seo_family 0 if none
 * @listening: listen() was called: serve requests
 * @reuseport: EORPC_REUSEPORT, read when the socket binds
 * @reuseport_group: bound with it: a member of a reuseport group
 * @dead: being released: timers and work must not rearm
 * @node: in the namespace's socket list
 * @reuseport_node: in the namespace's list of listening reuseport members
 * @reuseport_listed: on that list (reuseport.c)
 * @server_epoch: this socket's server incarnation
 * @default_deadline_ms: EORPC_DEFAULT_DEADLINE_MS
 * @client_sessions: client sessions, one per server
 * @server_sessions: server sessions, least recently active first
 * @ss_by_id: server sessions by session id
 * @ss_by_client: server sessions by (client address, epoch)
 * @ss_tables: @ss_by_id and @ss_by_client are initialised (listen())
 * @ss_count: number of server sessions
 * @calls_out: client calls not yet read by the application
 * @calls_unfinished: client calls whose outcome is not yet known
 * @server_calls: delivered requests not yet answered, by call slot
 * @call_seq: deliveries so far: the high half of a call id
 * @recvq: completions and requests for recvmsg
 * @partial: requests being reassembled, least recent progress first
 * @rx_backlog: datagrams from the UDP hook, for the work item
 * @icmp_lock: protects @icmp and @icmp_count (softirq against the work
 *	item)
 * @icmp_count: reports in @icmp (read without the lock to see none)
 * @icmp: ICMP errors from the UDP error hook, for the work item
 * @work: processes @rx_backlog and timers
 * @tasks_waiting: tasks in eorpc_lock_sock(), which the work item yields to
 * @work_yielded: the work item left the lock to a task; that task's
 *	release_sock() queues it again (under the socket's spinlock)
 * @timer: next client retransmission, deadline, ACK or server expiry
 * @timer_at: when @timer fires, 0 if not armed
 * @timer_stale: the last unfinished call ended, so @timer_at may be an event
 *	that no longer exists; recomputed before the socket lock is released
 * @gc_at: next scan for expired server sessions
 * @tx_charged: bytes of requests held for retransmission
 * @partial_bytes: bytes of messages being reassembled, all sessions
 * @release_work: the rest of close(), once no UDP hook can see the socket
 */
struct eorpc_sock {
	struct sock		sk;
	struct socket		*udp;
	bool			udp_shared;
	struct sockaddr_eorpc	local;
	struct sockaddr_eorpc	dest;
	bool			listening;
	bool			reuseport;
	bool			reuseport_group;
	bool			dead;
	struct list_head	node;
	struct list_head	reuseport_node;
	bool			reuseport_listed;
	u64			server_epoch;
	u32			default_deadline_ms;
	struct list_head	client_sessions;
	struct list_head	server_sessions;
	struct rhashtable	ss_by_id;
	struct rhashtable	ss_by_client;
	bool			ss_tables;
	u32			ss_count;
	u32			calls_out;
	u32			calls_unfinished;
	struct xarray		server_calls;
	u32			call_seq;
	struct list_head	recvq;
	struct list_head	partial;
	struct sk_buff_head	rx_backlog;
	spinlock_t		icmp_lock;	/* protects @icmp, @icmp_count */
	u8			icmp_count;
	struct eorpc_icmp_report icmp[EORPC_ICMP_QUEUE];
	struct work_struct	work;
	atomic_t		tasks_waiting;
	bool			work_yielded;
	struct hrtimer		timer;
	ktime_t			timer_at;
	bool			timer_stale;
	ktime_t			gc_at;
	u32			tx_charged;
	u32			partial_bytes;
	struct rcu_work		release_work;
};

static inline struct eorpc_sock *eorpc_sk(const struct sock *sk)
{
	return (struct eorpc_sock *)sk;
}

/*
 * Allocations of the receive path, which may run in softirq (dispatch.c):
 * there they cannot sleep, and a failure is a dropped datagram, sent again.
 */
static inline gfp_t eorpc_rx_gfp(void)
{
	return in_softirq() ? GFP_ATOMIC | __GFP_ACCOUNT | __GFP_NOWARN :
			      GFP_KERNEL_ACCOUNT;
}

/* addr.c */
/* What the kernel UDP socket takes and gives: an IPv4 or IPv6 sockaddr. */
union eorpc_udp_addr {
	struct sockaddr_in	v4;
	struct sockaddr_in6	v6;
};

int eorpc_addr_check(const void *uaddr, int len);
bool eorpc_addr_equal(const struct sockaddr_eorpc *a,
		      const struct sockaddr_eorpc *b);
bool eorpc_addr_is_any(const struct sockaddr_eorpc *a);
int eorpc_addr_to_udp(const struct sockaddr_eorpc *a, int udp_family,
		      union eorpc_udp_addr *ss);
int eorpc_addr_from_skb(const struct sk_buff *skb,
			struct sockaddr_eorpc *a);
void eorpc_addr_from_ip4(struct sockaddr_eorpc *a, __be32 ip, __be16 port);
void eorpc_addr_from_ip6(struct sockaddr_eorpc *a, const struct in6_addr *ip,
			 __be16 port, const struct sk_buff *skb);
u32 eorpc_addr_hash(const struct sockaddr_eorpc *a, u64 salt);
void eorpc_addr_normalize(struct sockaddr_eorpc *dst,
			  const struct sockaddr_eorpc *src);

/* msg.c */
int eorpc_msg_alloc(struct eorpc_msg *m, u32 len);
int eorpc_msg_from_iter(struct eorpc_msg *m, struct iov_iter *from, u32 len);
bool eorpc_msg_add_frag(struct eorpc_msg *m, const struct sk_buff *skb,
			const struct eorpc_pkt *pkt);
bool eorpc_msg_complete(const struct eorpc_msg *m);
bool eorpc_msg_has_frag(const struct eorpc_msg *m, u32 frag);
bool eorpc_msg_wants_need(const struct eorpc_msg *m,
			  const struct eorpc_pkt *pkt);
bool eorpc_msg_dup_wants_need(const struct eorpc_msg *m,
			      const struct eorpc_pkt *pkt);
void eorpc_msg_need_bits(const struct eorpc_msg *m, u8 *bits);
bool eorpc_msg_peer_has(struct eorpc_msg *m, const u8 *bits);
void eorpc_msg_free(struct eorpc_msg *m);
size_t eorpc_msg_charge(u32 len);
bool eorpc_msg_abandoned(const struct eorpc_sock *ep,
			 const struct eorpc_msg *m, ktime_t now);
void eorpc_rmem_charge(struct eorpc_sock *ep, u32 bytes);
void eorpc_rmem_uncharge(struct eorpc_sock *ep, u32 bytes);
bool eorpc_rmem_room(const struct eorpc_sock *ep);
bool eorpc_partial_room(const struct eorpc_sock *ep, u32 held, u32 len);
void eorpc_partial_start(struct eorpc_sock *ep, u32 *held, u32 len);
void eorpc_partial_end(struct eorpc_sock *ep, u32 *held, u32 len);
u32 eorpc_max_msg(const struct eorpc_sock *ep);

/* udp.c */
int eorpc_udp_open(struct eorpc_sock *ep, const struct sockaddr_eorpc *addr);
int eorpc_udp_share(struct eorpc_sock *ep, int transport);
void eorpc_udp_close(struct eorpc_sock *ep);
int eorpc_udp_send(struct eorpc_sock *ep, const struct sockaddr_eorpc *to,
		   struct eorpc_route *route, const struct eorpc_pkt *pkt,
		   const void *data, u32 len);
int eorpc_udp_send_frag(struct eorpc_sock *ep, const struct sockaddr_eorpc *to,
			struct eorpc_route *route, const struct eorpc_pkt *pkt,
			const struct eorpc_msg *m);
bool eorpc_udp_icmp_next(struct eorpc_sock *ep, struct eorpc_icmp_report *r);

/* udp_rounds.c */
u32 eorpc_udp_send_round(struct eorpc_sock *ep,
			 const struct sockaddr_eorpc *to,
			 struct eorpc_route *route, struct eorpc_pkt *pkt,
			 struct eorpc_msg *m, const u8 *peer_bits,
			 const struct eorpc_cwnd *cwnd, bool last_too);
u32 eorpc_udp_round_reported(struct eorpc_msg *m, const u8 *peer_bits,
			     struct eorpc_cwnd *cwnd);
int eorpc_udp_send_need(struct eorpc_sock *ep, const struct sockaddr_eorpc *to,
			struct eorpc_route *route, struct eorpc_pkt *pkt,
			const struct eorpc_msg *m);

/* client.c */
int eorpc_client_dest(const void *uaddr, int len, struct sockaddr_eorpc *dest);
int eorpc_client_autobind(struct eorpc_sock *ep,
			  const struct sockaddr_eorpc *dest);
int eorpc_client_sendmsg(struct eorpc_sock *ep, struct msghdr *msg,
			 size_t len, u64 tag, s64 deadline_ms);
void eorpc_client_input(struct eorpc_sock *ep, struct sk_buff *skb,
			const struct eorpc_pkt *pkt,
			const struct sockaddr_eorpc *from);
void eorpc_client_timers(struct eorpc_sock *ep, ktime_t now, ktime_t *next);
void eorpc_client_icmp(struct eorpc_sock *ep,
		       const struct eorpc_icmp_report *r);
int eorpc_client_cancel(struct eorpc_sock *ep, u64 tag);
void eorpc_client_shutdown(struct eorpc_sock *ep);
void eorpc_call_free(struct eorpc_sock *ep, struct eorpc_call *call);

/* server.c */
void eorpc_server_init(struct eorpc_sock *ep);
int eorpc_server_start(struct eorpc_sock *ep);
void eorpc_server_input(struct eorpc_sock *ep, struct sk_buff *skb,
			const struct eorpc_pkt *pkt,
			const struct sockaddr_eorpc *from);
int eorpc_server_reply(struct eorpc_sock *ep, u64 call_id,
		       struct msghdr *msg, size_t len);
int eorpc_server_call_id_reserve(struct eorpc_sock *ep,
				 struct eorpc_server_call *sc);
void eorpc_server_call_id_unreserve(struct eorpc_sock *ep,
				    struct eorpc_server_call *sc);
void eorpc_server_delivered(struct eorpc_sock *ep,
			    struct eorpc_server_call *sc);
void eorpc_server_timers(struct eorpc_sock *ep, ktime_t now, ktime_t *next);
void eorpc_server_stop(struct eorpc_sock *ep);
void eorpc_send_error(struct eorpc_sock *ep, const struct sockaddr_eorpc *to,
		      const struct eorpc_pkt *about, u8 code);

/* af.c */
u64 eorpc_random_epoch(void);
struct eorpc_sock *eorpc_sock_alloc(struct net *net, struct socket *sock,
				    int kern);
int eorpc_proto_init(void);
void eorpc_proto_exit(void);

#endif /* _EORPC_H */
