/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AF_EORPC on-wire format: the one place that defines it. See PROTOCOL.md.
 * Pure code, no kernel state: it also compiles in userspace (fuzzing).
 */
#ifndef _EORPC_WIRE_H
#define _EORPC_WIRE_H

#include <linux/types.h>

enum eorpc_wire_limits {
	EORPC_WIRE_VERSION = 1,
	EORPC_WIRE_HDR_LEN = 56,
	/* 1400-byte datagrams: no IP fragmentation on a 1500-byte link. */
	EORPC_FRAG_DATA = 1344,
	EORPC_WIRE_MAX_MSG = 1 << 20,
	EORPC_MAX_FRAGS = (EORPC_WIRE_MAX_MSG + EORPC_FRAG_DATA - 1) /
			  EORPC_FRAG_DATA,
	/* Largest window a server may grant: the client's ack bitmap is a u64. */
	EORPC_MAX_WINDOW = 64,
};

enum eorpc_pkt_type {
	EORPC_PKT_HELLO = 1,
	EORPC_PKT_WELCOME = 2,
	EORPC_PKT_REQUEST = 3,
	EORPC_PKT_REPLY = 4,
	EORPC_PKT_BUSY = 5,
	EORPC_PKT_ACK = 6,
	EORPC_PKT_ERROR = 7,
	EORPC_PKT_COOKIE = 8,
	/*
	 * The receiver of a partial message tells its sender which fragments
	 * it has (data: a bitmap, fragment i in bit i % 8 of byte i / 8), so
	 * that only the others are sent again: the server about a request,
	 * the client about a reply.
	 */
	EORPC_PKT_NEED_REQUEST = 9,
	EORPC_PKT_NEED_REPLY = 10,
	EORPC_PKT_TYPE_MAX = 10,
};

enum eorpc_pkt_flags {
	EORPC_F_RETRANS = 0x01,
	EORPC_F_CLOSE = 0x02,
	/*
	 * On a REQUEST or REPLY fragment that ends a round of a message
	 * sent in rounds (cwnd.h): the receiver answers it at once with a
	 * NEED if the message is still partial there.
	 */
	EORPC_F_ACK_NOW = 0x04,
	EORPC_F_ALL = EORPC_F_RETRANS | EORPC_F_CLOSE | EORPC_F_ACK_NOW,
};

/* ERROR packet reason (header field "code"). */
enum eorpc_wire_error {
	EORPC_WERR_SERVER_RESTARTED = 1,
	EORPC_WERR_SESSION_UNKNOWN = 2,
	EORPC_WERR_SERVER_CLOSED = 3,
	EORPC_WERR_NOT_SERVER = 4,
	EORPC_WERR_WINDOW = 5,
	EORPC_WERR_REFUSED = 6,
	EORPC_WERR_TOO_BIG = 7,
	EORPC_WERR_MAX = 7,
};

/* Why eorpc_wire_decode() refused a datagram; each has a drop counter. */
enum eorpc_wire_verdict {
	EORPC_WIRE_OK = 0,
	EORPC_WIRE_SHORT,
	EORPC_WIRE_VERSION_BAD,
	EORPC_WIRE_TYPE_BAD,
	EORPC_WIRE_FIELD_BAD,
	EORPC_WIRE_LEN_BAD,
	EORPC_WIRE_VERDICT_MAX,
};

/**
 * struct eorpc_wire_hdr - the 56-byte header of every datagram
 * @version: EORPC_WIRE_VERSION
 * @type: enum eorpc_pkt_type
 * @flags: enum eorpc_pkt_flags
 * @code: ERROR reason (enum eorpc_wire_error), else 0
 * @frag: fragment index of REQUEST/REPLY data
 * @reserved: zero
 * @msg_len: total REQUEST/REPLY message length
 * @reserved2: zero
 * @client_epoch: client incarnation, never 0
 * @server_epoch: server incarnation, 0 only in HELLO
 * @session_id: server-chosen session; 0 in HELLO, COOKIE and an ERROR
 *	answering a HELLO
 * @request_id: REQUEST/REPLY/BUSY (and ERROR about a request), else 0
 * @ack: every request id <= @ack is finished at the client; 0 in HELLO and
 *	COOKIE, below @request_id in REQUEST/REPLY/BUSY
 */
struct eorpc_wire_hdr {
	__u8	version;
	__u8	type;
	__u8	flags;
	__u8	code;
	__be16	frag;
	__be16	reserved;
	__be32	msg_len;
	__be32	reserved2;
	__be64	client_epoch;
	__be64	server_epoch;
	__be64	session_id;
	__be64	request_id;
	__be64	ack;
} __packed;

/**
 * struct eorpc_wire_welcome - data of a WELCOME packet
 * @window: request ids the client may have beyond its ack (<= 64)
 * @session_timeout_ms: the server forgets an idle session after this
 */
struct eorpc_wire_welcome {
	__be32	window;
	__be32	session_timeout_ms;
} __packed;

/*
 * Address-validation token: the data of a COOKIE and of every HELLO (zero
 * until the server sent one). Equal sizes: a COOKIE is never larger than the
 * HELLO that caused it, so the server cannot be used to amplify a flood.
 */
enum { EORPC_COOKIE_LEN = 16 };

struct eorpc_wire_cookie {
	__u8	bytes[EORPC_COOKIE_LEN];
} __packed;

/**
 * struct eorpc_pkt - a decoded, validated header, host byte order
 * @type: see struct eorpc_wire_hdr
 * @flags: see struct eorpc_wire_hdr
 * @code: see struct eorpc_wire_hdr
 * @frag: see struct eorpc_wire_hdr
 * @msg_len: see struct eorpc_wire_hdr
 * @client_epoch: see struct eorpc_wire_hdr
 * @server_epoch: see struct eorpc_wire_hdr
 * @session_id: see struct eorpc_wire_hdr
 * @request_id: see struct eorpc_wire_hdr
 * @ack: see struct eorpc_wire_hdr
 * @data_off: offset of the data after the header
 * @data_len: data bytes in this datagram
 */
struct eorpc_pkt {
	u8	type;
	u8	flags;
	u8	code;
	u16	frag;
	u32	msg_len;
	u64	client_epoch;
	u64	server_epoch;
	u64	session_id;
	u64	request_id;
	u64	ack;
	u32	data_off;
	u32	data_len;
};

static inline u32 eorpc_nfrags(u32 msg_len)
{
	return msg_len ? (msg_len + EORPC_FRAG_DATA - 1) / EORPC_FRAG_DATA : 1;
}

/* Data bytes that fragment @frag of a @msg_len-byte message carries. */
static inline u32 eorpc_frag_len(u32 msg_len, u32 frag)
{
	u32 off = frag * EORPC_FRAG_DATA;

	if (off >= msg_len)
		return 0;
	return msg_len - off < EORPC_FRAG_DATA ? msg_len - off : EORPC_FRAG_DATA;
}

/* The last fragment of its message: a whole transmission ends with it. */
static inline bool eorpc_pkt_last_frag(const struct eorpc_pkt *pkt)
{
	return pkt->frag == eorpc_nfrags(pkt->msg_len) - 1;
}

/*
 * The end of a round: its last fragment is the message's, or one marked
 * EORPC_F_ACK_NOW, never both. A receiver that has no partial message
 * to report on (it refused the message, has it whole, or knows no
 * session) answers here, once per round: a round that stops before the
 * message's last fragment, and its retransmissions, would otherwise
 * never be answered.
 */
static inline bool eorpc_pkt_round_end(const struct eorpc_pkt *pkt)
{
	return eorpc_pkt_last_frag(pkt) || (pkt->flags & EORPC_F_ACK_NOW);
}

/* Data bytes of a NEED about a @msg_len-byte message: one bit a fragment. */
static inline u32 eorpc_need_len(u32 msg_len)
{
	return (eorpc_nfrags(msg_len) + 7) / 8;
}

enum eorpc_wire_verdict eorpc_wire_decode(const void *buf, u32 len,
					  struct eorpc_pkt *pkt);
void eorpc_wire_encode(const struct eorpc_pkt *pkt, struct eorpc_wire_hdr *hdr);

#endif /* _EORPC_WIRE_H */
