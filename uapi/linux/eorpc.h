/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * AF_EORPC: exactly-once RPC over UDP datagrams.
 *
 * The whole user contract of the eorpc kernel module. See eorpc(7).
 */
#ifndef _UAPI_LINUX_EORPC_H
#define _UAPI_LINUX_EORPC_H

#include <linux/types.h>
#include <linux/socket.h>

/*
 * An out-of-tree module cannot own an official address family number. The
 * module registers EORPC_FAMILY_DEFAULT unless its "family" parameter says
 * otherwise; the number in use is always readable from EORPC_FAMILY_SYSFS, and
 * programs (libeorpc does) should read it from there rather than assume it.
 */
#define EORPC_FAMILY_DEFAULT	25	/* AF_WANPIPE: reserved, no 6.1 user */
#define EORPC_FAMILY_SYSFS	"/sys/module/eorpc/parameters/family"
/* There is deliberately no AF_EORPC constant: the number is a run-time fact. */

/* Level for getsockopt/setsockopt and for control messages. */
#define SOL_EORPC		299

/*
 * Message sizes. A request or reply may be up to the limit in force in the
 * sender's network namespace (sysctl net.eorpc.max_msg_bytes, read with
 * getsockopt EORPC_MAX_MSG); larger sends fail with EMSGSIZE. The limit is
 * never below EORPC_MAX_PAYLOAD, the size every AF_EORPC kernel has taken
 * (buffers sized by it keep working), nor above EORPC_MAX_MSG_LEN, the
 * protocol's largest message.
 */
#define EORPC_MAX_PAYLOAD	65536
#define EORPC_MAX_MSG_LEN	1048576	/* 1 MiB */

/**
 * struct sockaddr_eorpc - an AF_EORPC endpoint: a UDP address and port
 * @seo_family: AF_EORPC (the number in use, see EORPC_FAMILY_SYSFS)
 * @seo_transport: AF_INET (2) or AF_INET6 (10)
 * @seo_port: UDP port, network byte order
 * @seo_reserved: must be zero
 * @seo_scope_id: IPv6 scope (interface index) of a link-local address, else 0
 * @seo_addr4: IPv4 address, network byte order, when @seo_transport is AF_INET
 * @seo_addr6: IPv6 address, network byte order, when @seo_transport is AF_INET6
 */
struct sockaddr_eorpc {
	__kernel_sa_family_t	seo_family;
	__u16			seo_transport;
	__be16			seo_port;
	__u16			seo_reserved;
	__u32			seo_scope_id;
	union {
		__be32		seo_addr4;
		__u8		seo_addr6[16];
	};
};

/*
 * Control messages (cmsg_level SOL_EORPC).
 *
 * EORPC_CMSG_USER_TAG (__u64): client sendmsg: an opaque tag for the call,
 *	returned with its completion on recvmsg (rxrpc's RXRPC_USER_CALL_ID).
 *	Default 0. Also names the calls EORPC_CANCEL cancels.
 * EORPC_CMSG_DEADLINE_MS (__u32): client sendmsg: the call fails with
 *	ETIMEDOUT if no reply came within this many milliseconds; 0 means no
 *	deadline (retry until the socket closes). Overrides
 *	EORPC_DEFAULT_DEADLINE_MS.
 * EORPC_CMSG_CALL_ID (__u64): server recvmsg: names the incoming call;
 *	server sendmsg: names the call being answered (exactly one per reply).
 * EORPC_CMSG_REQUEST_ID (__u64): recvmsg, both sides: the request id the
 *	protocol gave the call (informational; unique per client session).
 * EORPC_CMSG_ERROR (int): client recvmsg: the call ended without a reply;
 *	the value is a positive errno (see below) and the data is empty.
 *
 * recvmsg also promises: every completion carries EORPC_CMSG_USER_TAG (0 if
 * none was given); msg_name is filled (the server on a completion, the client
 * on a request); a message longer than the buffer is truncated (MSG_TRUNC)
 * and still consumed: a truncated request counts as delivered and has a call
 * id; a server recvmsg with msg_controllen < CMSG_SPACE(8) fails with EINVAL
 * before consuming anything; after shutdown(SHUT_RD) an empty queue reads as
 * 0 bytes with no control message. sendmsg rejects control messages of any
 * other level or type, or of the wrong length, with EINVAL.
 */
enum eorpc_cmsg_type {
	EORPC_CMSG_USER_TAG = 1,
	EORPC_CMSG_DEADLINE_MS = 2,
	EORPC_CMSG_CALL_ID = 3,
	EORPC_CMSG_REQUEST_ID = 4,
	EORPC_CMSG_ERROR = 5,
};

/*
 * Socket options (level SOL_EORPC).
 *
 * EORPC_CANCEL (set, __u64 tag): end every in-flight call with this user tag
 *	with ECANCELED (or ECONNABORTED if its request was never sent).
 *	ENOENT if there was none.
 * EORPC_DEFAULT_DEADLINE_MS (get/set, __u32): deadline for calls that carry no
 *	EORPC_CMSG_DEADLINE_MS; 0 (the default) means none.
 * EORPC_WINDOW (get, __u32): calls in flight allowed per server session.
 * EORPC_MAX_MSG (get, __u32): the largest request or reply this socket may
 *	send or receive (net.eorpc.max_msg_bytes of its namespace).
 * EORPC_REUSEPORT (get/set, int): SO_REUSEPORT for AF_EORPC (the core takes
 *	SO_REUSEPORT from IP sockets only). Set before bind(): server sockets
 *	of one user bound to the same address and port share it, new client
 *	sessions are spread over those listening, and each session stays
 *	with the socket that welcomed it. A member makes no calls
 *	(EOPNOTSUPP).
 */
enum eorpc_sockopt {
	EORPC_CANCEL = 1,
	EORPC_DEFAULT_DEADLINE_MS = 2,
	EORPC_WINDOW = 3,
	EORPC_REUSEPORT = 4,
	EORPC_MAX_MSG = 5,
};

/*
 * How a call ends without a reply: the errno in EORPC_CMSG_ERROR.
 *
 * The request may have been delivered to the server application:
 *	ETIMEDOUT	the call's deadline passed
 *	ECANCELED	the application cancelled it (EORPC_CANCEL)
 *	ECONNRESET	the server socket restarted or closed
 *	ESTALE		the server no longer has this client's history
 *			(session expired or evicted)
 *	ESHUTDOWN	the client socket was shut down with the call in flight
 *	EPROTO		the server reported a protocol violation (a bug)
 *	EMSGSIZE	the request or the reply is larger than the receiving
 *			namespace's net.eorpc.max_msg_bytes (the request ran
 *			only if the reply was the larger one, or if the
 *			server's limit was raised while the call was in flight)
 * The request was certainly not delivered:
 *	ECONNREFUSED	refused: not a server socket, at capacity, or nothing
 *			listens on that port (ICMP port unreachable answering
 *			the session handshake)
 *	ECONNABORTED	the call ended (deadline, cancel, shutdown) before its
 *			request was ever transmitted
 */

#endif /* _UAPI_LINUX_EORPC_H */
