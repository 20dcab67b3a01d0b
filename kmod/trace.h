/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints: events/eorpc/ in tracefs. Packet events carry the header
 * fields and the peer, so a trace reads like a packet capture of the
 * protocol's decisions.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM eorpc

#if !defined(_EORPC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _EORPC_TRACE_H

#include <linux/in6.h>
#include <linux/tracepoint.h>
#include "compat.h"
#include "wire.h"

struct eorpc_sock;

TRACE_DEFINE_ENUM(EORPC_PKT_HELLO);
TRACE_DEFINE_ENUM(EORPC_PKT_WELCOME);
TRACE_DEFINE_ENUM(EORPC_PKT_REQUEST);
TRACE_DEFINE_ENUM(EORPC_PKT_REPLY);
TRACE_DEFINE_ENUM(EORPC_PKT_BUSY);
TRACE_DEFINE_ENUM(EORPC_PKT_ACK);
TRACE_DEFINE_ENUM(EORPC_PKT_ERROR);
TRACE_DEFINE_ENUM(EORPC_PKT_COOKIE);
TRACE_DEFINE_ENUM(EORPC_PKT_NEED_REQUEST);
TRACE_DEFINE_ENUM(EORPC_PKT_NEED_REPLY);

#define show_pkt_type(type)						\
	__print_symbolic(type,						\
			 { EORPC_PKT_HELLO, "HELLO" },			\
			 { EORPC_PKT_WELCOME, "WELCOME" },		\
			 { EORPC_PKT_REQUEST, "REQUEST" },		\
			 { EORPC_PKT_REPLY, "REPLY" },			\
			 { EORPC_PKT_BUSY, "BUSY" },			\
			 { EORPC_PKT_ACK, "ACK" },			\
			 { EORPC_PKT_ERROR, "ERROR" },			\
			 { EORPC_PKT_COOKIE, "COOKIE" },		\
			 { EORPC_PKT_NEED_REQUEST, "NEED_REQUEST" },	\
			 { EORPC_PKT_NEED_REPLY, "NEED_REPLY" })

void eorpc_trace_peer(u8 *buf, const struct sockaddr_eorpc *peer);

DECLARE_EVENT_CLASS(eorpc_pkt_class,
	TP_PROTO(const struct sockaddr_eorpc *peer, const struct eorpc_pkt *pkt),
	TP_ARGS(peer, pkt),
	TP_STRUCT__entry(
		__array(u8, peer, sizeof(struct sockaddr_in6))
		__field(u8, type)
		__field(u8, flags)
		__field(u8, code)
		__field(u16, frag)
		__field(u32, msg_len)
		__field(u64, session_id)
		__field(u64, request_id)
		__field(u64, ack)
	),
	TP_fast_assign(
		eorpc_trace_peer(__entry->peer, peer);
		__entry->type = pkt->type;
		__entry->flags = pkt->flags;
		__entry->code = pkt->code;
		__entry->frag = pkt->frag;
		__entry->msg_len = pkt->msg_len;
		__entry->session_id = pkt->session_id;
		__entry->request_id = pkt->request_id;
		__entry->ack = pkt->ack;
	),
	TP_printk("peer=%pISpc type=%s flags=%#x code=%u session=%016llx id=%llu ack=%llu frag=%u len=%u",
		  __entry->peer, show_pkt_type(__entry->type), __entry->flags,
		  __entry->code, __entry->session_id, __entry->request_id,
		  __entry->ack, __entry->frag, __entry->msg_len)
);

/* Every datagram sent. */
DEFINE_EVENT(eorpc_pkt_class, eorpc_tx,
	TP_PROTO(const struct sockaddr_eorpc *peer, const struct eorpc_pkt *pkt),
	TP_ARGS(peer, pkt));

/* Every datagram received that passed validation. */
DEFINE_EVENT(eorpc_pkt_class, eorpc_rx,
	TP_PROTO(const struct sockaddr_eorpc *peer, const struct eorpc_pkt *pkt),
	TP_ARGS(peer, pkt));

/* A client sends a request again: its timer ran out. */
DEFINE_EVENT(eorpc_pkt_class, eorpc_retransmit,
	TP_PROTO(const struct sockaddr_eorpc *peer, const struct eorpc_pkt *pkt),
	TP_ARGS(peer, pkt));

/* A server answers a duplicate request with the reply from its history. */
DEFINE_EVENT(eorpc_pkt_class, eorpc_history_hit,
	TP_PROTO(const struct sockaddr_eorpc *peer, const struct eorpc_pkt *pkt),
	TP_ARGS(peer, pkt));

/* A server answers BUSY: still working on it, or no memory to take it. */
DEFINE_EVENT(eorpc_pkt_class, eorpc_busy,
	TP_PROTO(const struct sockaddr_eorpc *peer, const struct eorpc_pkt *pkt),
	TP_ARGS(peer, pkt));

/* A datagram is dropped; @reason is its /proc/net/eorpc/stats counter. */
TRACE_EVENT(eorpc_drop,
	TP_PROTO(const char *reason),
	TP_ARGS(reason),
	TP_STRUCT__entry(
		__string(reason, reason)
	),
	TP_fast_assign(
		eorpc_assign_str(reason, reason);
	),
	TP_printk("reason=%s", __get_str(reason))
);

/*
 * A partial request or reply is dropped: its sender sent no new fragment
 * for the abandonment horizon (@have of @frags fragments had arrived).
 */
TRACE_EVENT(eorpc_abandon,
	TP_PROTO(const struct sockaddr_eorpc *peer, u64 request_id,
		 u32 msg_len, u32 have, u32 frags),
	TP_ARGS(peer, request_id, msg_len, have, frags),
	TP_STRUCT__entry(
		__array(u8, peer, sizeof(struct sockaddr_in6))
		__field(u64, request_id)
		__field(u32, msg_len)
		__field(u32, have)
		__field(u32, frags)
	),
	TP_fast_assign(
		eorpc_trace_peer(__entry->peer, peer);
		__entry->request_id = request_id;
		__entry->msg_len = msg_len;
		__entry->have = have;
		__entry->frags = frags;
	),
	TP_printk("peer=%pISpc request=%llu len=%u fragments=%u/%u",
		  __entry->peer, __entry->request_id, __entry->msg_len,
		  __entry->have, __entry->frags)
);

/* A server forgets a session: idle timeout or a memory cap. */
TRACE_EVENT(eorpc_evict,
	TP_PROTO(const struct sockaddr_eorpc *peer, u64 session_id,
		 const char *why, u32 live, size_t bytes),
	TP_ARGS(peer, session_id, why, live, bytes),
	TP_STRUCT__entry(
		__array(u8, peer, sizeof(struct sockaddr_in6))
		__field(u64, session_id)
		__string(why, why)
		__field(u32, live)
		__field(size_t, bytes)
	),
	TP_fast_assign(
		eorpc_trace_peer(__entry->peer, peer);
		__entry->session_id = session_id;
		eorpc_assign_str(why, why);
		__entry->live = live;
		__entry->bytes = bytes;
	),
	TP_printk("peer=%pISpc session=%016llx why=%s live=%u bytes=%zu",
		  __entry->peer, __entry->session_id, __get_str(why),
		  __entry->live, __entry->bytes)
);

#endif /* _EORPC_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
