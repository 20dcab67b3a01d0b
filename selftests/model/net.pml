/*
 * net.pml - the network: UDP between the client sockets and the server
 * socket (PROTOCOL.md "Transport": every datagram is one fragment, and
 * nothing below UDP is reliable).
 *
 * The network is a bag of K distinct packets kept sorted (descending,
 * empty slots = 0 at the end), i.e. a set. It may
 *   - delay any packet for as long as it likes (a packet just stays),
 *   - reorder (any packet can be delivered next),
 *   - duplicate (deliver a copy and keep the packet: "deliver-keep"),
 *     any number of times: a packet in the bag stands for any number of
 *     copies in flight. A second send of a packet already in the bag
 *     therefore adds nothing (a multiset bag has no behaviour a set bag
 *     with deliver-keep lacks), which keeps the state space small;
 *   - lose any packet (drop), and loses a send when the bag is full.
 * In the LIVENESS scope loss and duplication draw on finite budgets
 * (a fair network: eventually every packet sent is delivered).
 */

int bag[K];
hidden int pkt;		/* packet being delivered (d_step temporary) */
hidden byte ni;		/* d_step temporary */

#ifdef LIVENESS
byte losses;		/* LOSSES budget used */
byte dups;		/* DUPS budget used */
#define LOSS_OK	(losses < LOSSES)
#define DUP_OK	(dups < DUPS)
#define LOSS_USE	losses++
#define DUP_USE		dups++
#else
#define LOSS_OK	true
#define DUP_OK	true
#define LOSS_USE	skip
#define DUP_USE		skip
#endif

/* Counterexample trails (spin -t) print every packet event. */
#define PKT_FMT_send		"net send: type=%d addr=%d ce=%d se=%d sid=%d rid=%d ack=%d code=%d call=%d\n"
#define PKT_FMT_deliver		"net deliver: type=%d addr=%d ce=%d se=%d sid=%d rid=%d ack=%d code=%d call=%d\n"
#define PKT_FMT_deliverkeep	"net deliver-keep: type=%d addr=%d ce=%d se=%d sid=%d rid=%d ack=%d code=%d call=%d\n"
#define PKT_FMT_lose		"net lose: type=%d addr=%d ce=%d se=%d sid=%d rid=%d ack=%d code=%d call=%d\n"
#define PKT_LOG(what, p) \
	printf(PKT_FMT_##what, P_T(p), P_A(p), P_CE(p), P_SE(p), P_SID(p), \
	       P_RID(p), P_ACK(p), P_CODE(p), P_G(p) - 1)

/* Send one packet: sorted insert; a full bag loses it. */
inline net_send(p)
{
	ni = 0;
	do
	:: ni < K && bag[ni] != 0 && bag[ni] != (p) -> ni++
	:: else -> break
	od;
	if
	:: ni < K && bag[ni] == (p) -> skip	/* a copy is already in flight */
	:: bag[K - 1] != 0 -> skip	/* full: the datagram is lost */
	:: else ->
		ni = K - 1;
		do
		:: ni > 0 && bag[ni - 1] < (p) ->
			bag[ni] = bag[ni - 1];
			ni--
		:: else -> break
		od;
		bag[ni] = (p);
		PKT_LOG(send, p)
	fi
}

/* Remove the packet in slot n (close the gap). */
inline net_remove(n)
{
	ni = n;
	do
	:: ni < K - 1 -> bag[ni] = bag[ni + 1]; ni++
	:: else -> break
	od;
	bag[K - 1] = 0
}

/* Does the bag hold any packet from or to client c? (LIVENESS timer rule) */
#define NET_HAS_1(n, c)	(bag[n] != 0 && P_A(bag[n]) == (c))
#if K == 3
#define NET_HAS(c)	(NET_HAS_1(0, c) || NET_HAS_1(1, c) || NET_HAS_1(2, c))
#elif K == 4
#define NET_HAS(c)	(NET_HAS_1(0, c) || NET_HAS_1(1, c) || NET_HAS_1(2, c) || NET_HAS_1(3, c))
#elif K == 5
#define NET_HAS(c)	(NET_HAS_1(0, c) || NET_HAS_1(1, c) || NET_HAS_1(2, c) || NET_HAS_1(3, c) || NET_HAS_1(4, c))
#elif K == 6
#define NET_HAS(c)	(NET_HAS_1(0, c) || NET_HAS_1(1, c) || NET_HAS_1(2, c) || NET_HAS_1(3, c) || NET_HAS_1(4, c) || NET_HAS_1(5, c))
#else
#error "K must be 3..6"
#endif

/*
 * The three things the network can do with the packet in slot n. A slot
 * holding the same packet as the slot before it is skipped (same effect).
 */
#define NET_FIRST(n)	(bag[n] != 0)	/* packets are distinct */
#define NET_SLOT(n, first) \
	:: d_step { first -> pkt = bag[n]; net_remove(n); \
		PKT_LOG(deliver, pkt); net_rx(pkt); pkt = 0; net_gc() SYM } \
	:: d_step { first && DUP_OK -> DUP_USE; pkt = bag[n]; \
		PKT_LOG(deliverkeep, pkt); net_rx(pkt); pkt = 0; net_gc() SYM } \
	:: d_step { first && LOSS_OK -> LOSS_USE; PKT_LOG(lose, bag[n]); net_remove(n) SYM }



/* proctype network() is in eorpc.pml: it needs net_rx(), defined after
 * the client and server handlers. */
