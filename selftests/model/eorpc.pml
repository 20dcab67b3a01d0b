/*
 * eorpc.pml - Promela model of the AF_EORPC protocol (kmod/PROTOCOL.md):
 * clients, one server socket with its application, and a network that
 * loses, duplicates, reorders and delays packets. See README.md.
 *
 * Scope knobs (-D on the spin command line, defaults below):
 *   NCLIENTS         client sockets (distinct addresses)          1..3
 *   NCALLS           calls per client, over all its incarnations  1..3
 *   W                window (struct eorpc_wire_welcome.window,
 *                    EORPC_WINDOW)                                 >= 1
 *   K                packets the network holds at once             3..6
 *   NSA              server session table slots per client address
 *   CLIENT_RESTARTS  client process restarts (all clients together)
 *   SERVER_RESTARTS  server process restarts (crash or close)
 *   EVICTIONS        sessions freed by expiry/eviction
 *   CANCELS          calls cancelled / past their deadline
 *   MEM_SHORTS       times the server runs short of memory (receive
 *                    buffer full, session allocation fails)
 *   IDLES            idle client sessions forgotten (all clients)
 *   NO_IDLE_FORGET   the client never forgets an idle session
 *   LIVENESS         fair network (LOSSES/DUPS budgets, RTO > network
 *                    delay), no faults; checks "every call completes"
 *   MUTANT_*         one dedup or matching check removed (see run)
 */

#ifndef NCLIENTS
#define NCLIENTS	2
#endif
#ifndef NCALLS
#define NCALLS		2
#endif
#ifndef W
#define W		2
#endif
#ifndef K
#define K		4
#endif
#ifndef NSA
#define NSA		2
#endif
#define NS		(NCLIENTS * NSA)
#ifndef CLIENT_RESTARTS
#define CLIENT_RESTARTS	0
#endif
#ifndef SERVER_RESTARTS
#define SERVER_RESTARTS	0
#endif
#ifndef EVICTIONS
#define EVICTIONS	0
#endif
#ifndef CANCELS
#define CANCELS		0
#endif
#ifndef IDLES
#define IDLES		0
#endif
#ifndef MEM_SHORTS
#define MEM_SHORTS	0
#endif
#ifndef LOSSES
#define LOSSES		1
#endif
#ifndef DUPS
#define DUPS		1
#endif
#define NC		(NCLIENTS * NCALLS)	/* calls in the scope */

#include "wire.pml"
#include "props.pml"
#include "net.pml"
#include "client.pml"
#include "server.pml"

/* Deliver one packet to its receiver (kernel: the UDP encap_rcv hook). */
inline net_rx(p)
{
	if
	:: P_T(p) == T_HELLO || P_T(p) == T_REQUEST || P_T(p) == T_ACK ->
		server_rx(p)
	:: else ->
		client_rx(p)
	fi
}

/*
 * Packets that can have no effect any more are dropped at once (a loss,
 * which the network may do anyway; dropping early only frees bag space,
 * so no behaviour is lost). Done after every delivery (the network's
 * own steps), which catches client_epoch / server_epoch changes and
 * closed clients one step after they happen:
 *  - anything to a client that is closed or has moved to another
 *    client_epoch (eorpc_client_input() drops it on the epoch check);
 *  - ACK naming an old server_epoch (the server ignores it);
 *  - REQUEST naming an old server_epoch from a dead client epoch (its
 *    only effect is an ERROR to that dead epoch).
 */
#define TO_CLIENT(p)	(P_T(p) == T_WELCOME || P_T(p) == T_REPLY || \
			 P_T(p) == T_BUSY || P_T(p) == T_ERROR)
#define CLIENT_GONE(p)	(cph[P_A(p)] == CP_CLOSED || P_CE(p) != cep[P_A(p)])
#define NET_DEAD(p) \
	((TO_CLIENT(p) && CLIENT_GONE(p)) || \
	 (P_T(p) == T_ACK && P_SE(p) != se) || \
	 (P_T(p) == T_REQUEST && P_SE(p) != se && CLIENT_GONE(p)))
hidden byte ng;
inline net_gc()
{
	ng = 0;
	do
	:: ng < K && bag[ng] != 0 && NET_DEAD(bag[ng]) -> net_remove(ng)
	:: ng < K && bag[ng] != 0 && !NET_DEAD(bag[ng]) -> ng++
	:: else -> break
	od;
	skip
}

proctype network()
{
end_net:
	do
	NET_SLOT(0, bag[0] != 0)
	NET_SLOT(1, NET_FIRST(1))
	NET_SLOT(2, NET_FIRST(2))
#if K > 3
	NET_SLOT(3, NET_FIRST(3))
#endif
#if K > 4
	NET_SLOT(4, NET_FIRST(4))
#endif
#if K > 5
	NET_SLOT(5, NET_FIRST(5))
#endif
	od
}

init
{
	atomic {
		assert(SCOPE && NC + 1 <= 15 && NCLIENTS <= 3);
		tc = 0;
		do
		:: tc < NCLIENTS -> cep[tc] = 1; tc++
		:: else -> break
		od;
		run network();
		run app();
		tc = 0;
		do
		:: tc < NCLIENTS -> run client(tc); tc++
		:: else -> break
		od;
#ifndef LIVENESS
		run chaos();
#endif
		tc = 0
	}
}

/* Liveness: with a fair network and no faults every call completes. */
#ifdef LIVENESS
#define CDONE(c)	(cst[c] == C_DONE)
#if NC == 1
#define ALL_DONE	(CDONE(0))
#elif NC == 2
#define ALL_DONE	(CDONE(0) && CDONE(1))
#elif NC == 3
#define ALL_DONE	(CDONE(0) && CDONE(1) && CDONE(2))
#elif NC == 4
#define ALL_DONE	(CDONE(0) && CDONE(1) && CDONE(2) && CDONE(3))
#elif NC == 6
#define ALL_DONE	(CDONE(0) && CDONE(1) && CDONE(2) && CDONE(3) && CDONE(4) && CDONE(5))
#endif
ltl live { <> ALL_DONE }
#endif
