/*
 * wire.pml - the AF_EORPC wire header, packed into one int.
 *
 * Mirrors kmod/wire.h (struct eorpc_wire_hdr / struct eorpc_pkt, enum
 * eorpc_pkt_type, enum eorpc_wire_error, enum eorpc_pkt_flags) and
 * kmod/PROTOCOL.md "Header".
 * The model keeps only the fields the state machines read; epochs and
 * session ids are small counters that are never reused (the kernel draws
 * random 64-bit values that never repeat), so "fresh" is preserved.
 *
 * One packet = one int, so that the network bag (net.pml) can keep its
 * packets sorted: the bag is then a set, not a sequence, which keeps the
 * state space small without losing any behaviour.
 *
 *  bits   field                  struct eorpc_wire_hdr field
 *  0..2   type (1..7, 0 = none)  type
 *  3..4   client address        (UDP source/destination of the client)
 *  5..7   client_epoch           client_epoch   (1..7)
 *  8..9   server_epoch           server_epoch   (0 in HELLO)
 *  10..13 session_id             session_id     (0 in HELLO)
 *  14..15 request_id             request_id     (0 in HELLO/WELCOME/ACK/ERROR
 *                                                 about a whole session)
 *  16..17 ack                    ack            (cumulative, REQUEST and ACK)
 *  18..20 code / flags           code (ERROR) ; flags & EORPC_F_CLOSE (ACK)
 *  21..24 ghost                  not on the wire: the model's name of the
 *                                request (REQUEST) or of the request the
 *                                reply data was produced for (REPLY),
 *                                = call number + 1; this is the message
 *                                data, which properties (props.pml) read.
 *
 * Fragments are collapsed: every message is one fragment (frag = 0,
 * msg_len irrelevant); eorpc_wire_decode() rejects nothing the model
 * sends. EORPC_F_RETRANS only feeds counters and is not modelled.
 */

/* enum eorpc_pkt_type (hdr.type), EORPC_PKT_* */
#define T_HELLO		1	/* client -> server, HELLO(client_epoch) */
#define T_WELCOME	2	/* server -> client, WELCOME(ce, se, session_id) */
#define T_REQUEST	3	/* client -> server, REQUEST(ce, se, sid, rid, ack) */
#define T_REPLY		4	/* server -> client, REPLY(ce, se, sid, rid) */
#define T_BUSY		5	/* server -> client, "still working" */
#define T_ACK		6	/* client -> server, ACK(ack), flags EORPC_F_CLOSE */
#define T_ERROR		7	/* server -> client, ERROR(code) */

/* enum eorpc_wire_error (hdr.code of ERROR), EORPC_WERR_* */
#define E_SERVER_RESTARTED	1	/* REQUEST names another server_epoch */
#define E_SESSION_UNKNOWN	2	/* this epoch, session_id not (any more) known */
#define E_SERVER_CLOSED		3	/* server socket close, to unacked sessions */
#define E_NOT_SERVER		4	/* not a listening socket (not modelled) */
#define E_WINDOW		5	/* request_id > ack + window */
#define E_REFUSED		6	/* HELLO refused: no room for a session */

/* enum eorpc_pkt_flags (hdr.flags; carried in the code bits of an ACK) */
#define F_CLOSE		1	/* EORPC_F_CLOSE: ACK ends the session (EORPC_F_RETRANS
				 * only feeds statistics: not modelled) */

#define PK(t, a, ce, se, sid, rid, ack, code, g) \
	((t) | ((a) << 3) | ((ce) << 5) | ((se) << 8) | ((sid) << 10) | \
	 ((rid) << 14) | ((ack) << 16) | ((code) << 18) | ((g) << 21))
#define P_T(p)		((p) & 7)
#define P_A(p)		(((p) >> 3) & 3)
#define P_CE(p)		(((p) >> 5) & 7)
#define P_SE(p)		(((p) >> 8) & 3)
#define P_SID(p)	(((p) >> 10) & 15)
#define P_RID(p)	(((p) >> 14) & 3)
#define P_ACK(p)	(((p) >> 16) & 3)
#define P_CODE(p)	(((p) >> 18) & 7)
#define P_G(p)		(((p) >> 21) & 15)

/* Field limits the scopes must respect (checked in init). */
#define RID_MAX		3	/* request ids per session: 1..3 */
#define SID_MAX		15	/* session ids ever handed out: 1..15 */
#define EPOCH_MAX	7	/* client_epochs per client: 1..7 */
#define SEPOCH_MAX	3	/* server incarnations: 1..3 */
