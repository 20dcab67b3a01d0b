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
#include "sym.pml"

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
 * and a send the full bag would have lost is one the network may lose
 * anyway, so every behaviour with the packet kept is still there). Done
 * after every delivery (the network's own steps), which catches
 * client_epoch / server_epoch changes and closed clients one step after
 * they happen. A packet is dead when delivering it now and at any later
 * time changes nothing but the bag and sends nothing that is not dead:
 *  - anything to a client that is closed or has moved to another
 *    client_epoch (eorpc_client_input() drops it on the epoch check);
 *  - ACK naming an old server_epoch (the server ignores it);
 *  - REQUEST naming an old server_epoch from a dead client epoch (its
 *    only effect is an ERROR to that dead epoch).
 * NET_GC_MORE adds rules that use the current session (default on; each
 * rule names the fact that makes it permanent):
 *  - to a client in EORPC_CS_ESTABLISHED with this client_epoch: a
 *    WELCOME (on_welcome() only acts in EORPC_CS_HELLO, and a session
 *    never goes back to it: a new session has a new client_epoch, F1
 *    fix); ERROR REFUSED (REFUSAL_OK: HELLO state only); REPLY, ERROR
 *    SERVER_RESTARTED/SESSION_UNKNOWN naming another session_id or a
 *    request id with no call in flight (ids are never reused within a
 *    session, and a packet names only ids already allocated: a call with
 *    that id has finished for good); ERROR SERVER_CLOSED naming another
 *    session_id or server_epoch;
 *  - ACK of this server_epoch whose session is gone (session ids are
 *    never reused), or that frees nothing and does not close
 *    (hdr.ack <= the session's ack, which never decreases);
 *  - REQUEST of this server_epoch whose session still exists and whose
 *    id is stale (request_id <= ack: classified STALE, and its carried
 *    ack is below its id, so it frees nothing);
 *  - REQUEST whose only effect is an ERROR (SERVER_RESTARTED: old
 *    server_epoch; SESSION_UNKNOWN: its session is gone) that would be
 *    dead by the rules above.
 * The rules lean on checks some mutants remove (fresh client_epoch per
 * session, lookup by session_id, REFUSED in HELLO state, the stale
 * check); those mutants run with the first three rules only.
 */
#if !defined(LIVENESS) && !defined(MUTANT_REUSE_EPOCH) && \
    !defined(MUTANT_HELLO_IGNORES_EPOCH) && !defined(MUTANT_LOOKUP_BY_EPOCH) && \
    !defined(MUTANT_REFUSED_ANY_STATE) && !defined(MUTANT_NO_STALE_CHECK) && \
    !defined(NO_NET_GC_MORE)
#define NET_GC_MORE
#endif
#define TO_CLIENT(p)	(P_T(p) == T_WELCOME || P_T(p) == T_REPLY || \
			 P_T(p) == T_BUSY || P_T(p) == T_ERROR)
#define CLIENT_GONE(p)	(cph[P_A(p)] == CP_CLOSED || P_CE(p) != cep[P_A(p)])
#define NET_DEAD(p) \
	((TO_CLIENT(p) && CLIENT_GONE(p)) || \
	 (P_T(p) == T_ACK && P_SE(p) != se) || \
	 (P_T(p) == T_REQUEST && P_SE(p) != se && CLIENT_GONE(p)))

/* Client a has a call in flight with request id r (call_by_rid()). */
#define INFL1(a, j, r)	(cst[CALLNO(a, j)] == C_INFLIGHT && crid[CALLNO(a, j)] == (r))
#if NCALLS == 1
#define INFLIGHT(a, r)	(INFL1(a, 0, r))
#elif NCALLS == 2
#define INFLIGHT(a, r)	(INFL1(a, 0, r) || INFL1(a, 1, r))
#else
#define INFLIGHT(a, r)	(INFL1(a, 0, r) || INFL1(a, 1, r) || INFL1(a, 2, r))
#endif
/* Established in the session of this client_epoch. */
#define CEST(a, ce)	(cph[a] == CP_EST && (ce) == cep[a])
/* An ERROR SERVER_RESTARTED / SESSION_UNKNOWN to (a, ce, sid, rid) would be dead. */
#define ERR_DEAD(a, ce, sid, r) \
	(cph[a] == CP_CLOSED || (ce) != cep[a] || \
	 (CEST(a, ce) && ((sid) != csid[a] || !INFLIGHT(a, r))))
#define CLIENT_DEAD_MORE(p) \
	(CEST(P_A(p), P_CE(p)) && \
	 (P_T(p) == T_WELCOME || \
	  (P_T(p) == T_ERROR && P_CODE(p) == E_REFUSED) || \
	  (P_T(p) == T_ERROR && P_CODE(p) == E_SERVER_CLOSED && \
	   (P_SID(p) != csid[P_A(p)] || P_SE(p) != cse[P_A(p)])) || \
	  ((P_T(p) == T_REPLY || (P_T(p) == T_ERROR && \
	    (P_CODE(p) == E_SERVER_RESTARTED || P_CODE(p) == E_SESSION_UNKNOWN))) && \
	   (P_SID(p) != csid[P_A(p)] || !INFLIGHT(P_A(p), P_RID(p))))))

hidden byte ng;
hidden byte ndead;
/* ndead = packet p is dead (see above). */
inline pkt_dead(p)
{
	ndead = NET_DEAD(p);
#ifdef NET_GC_MORE
	if
	:: !ndead && TO_CLIENT(p) -> ndead = CLIENT_DEAD_MORE(p)
	:: !ndead && P_T(p) == T_REQUEST && P_SE(p) != se ->
		ndead = ERR_DEAD(P_A(p), P_CE(p), P_SID(p), P_RID(p))
	:: !ndead && P_SE(p) == se && (P_T(p) == T_ACK || P_T(p) == T_REQUEST) ->
		session_find(p);
		if
		:: ts == NS && P_T(p) == T_ACK -> ndead = 1
		:: ts == NS && P_T(p) == T_REQUEST ->
			ndead = ERR_DEAD(P_A(p), P_CE(p), P_SID(p), P_RID(p))
		:: ts < NS && P_T(p) == T_ACK ->
			ndead = (!(P_CODE(p) & F_CLOSE) && P_ACK(p) <= ss[ts].ack)
		:: ts < NS && P_T(p) == T_REQUEST -> ndead = (P_RID(p) <= ss[ts].ack)
		fi
	:: else -> skip
	fi
#endif
}

inline net_gc()
{
	ng = 0;
	do
	:: ng < K && bag[ng] != 0 ->
		pkt_dead(bag[ng]);
		if
		:: ndead -> net_remove(ng)
		:: else -> ng++
		fi
	:: else -> break
	od;
	ndead = 0;
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

proctype client(byte i)
{
end_client:
	do
	/* HELLO (sent by cs_create() at submit) retransmitted on the RTO */
	:: d_step { cph[i] == CP_HS && TIMER_OK(i) ->
		net_send(PK(T_HELLO, i, cep[i], 0, 0, 0, 0, 0, 0)) SYM }
	CALL_STEPS(i, 0)
#if NCALLS > 1
	CALL_STEPS(i, 1)
#endif
#if NCALLS > 2
	CALL_STEPS(i, 2)
#endif
	/* cs_timers(): a session still in EORPC_CS_HELLO whose calls have
	 * all ended (cancelled, deadline) is dropped; the next sendmsg()
	 * starts a new one with a fresh client_epoch */
	:: d_step { cph[i] == CP_HS && !ANY_QUEUED(i) ->
		printf("client %d: HELLO-state session dropped\n", i);
		handshake_over(i) SYM }
	/* after a completion with no request to carry the ack: ACK packet */
	:: d_step { cph[i] == CP_EST && cack[i] > cacks[i] ->
		cacks[i] = cack[i];
		net_send(PK(T_ACK, i, cep[i], cse[i], csid[i], 0, cack[i], 0, 0)) SYM }
	/* idle: eorpc_client_timers() forgets a session with no call at
	 * server_timeout/2 (ACK with EORPC_F_CLOSE); the next call starts a
	 * new session (model: at any time, IDLES times in all) */
#ifndef NO_IDLE_FORGET
	:: d_step { idles < IDLES && cph[i] == CP_EST && !ANY_BUSY(i) ->
		idles++;
		net_send(PK(T_ACK, i, cep[i], cse[i], csid[i], 0, cack[i], F_CLOSE, 0));
		printf("client %d: idle session forgotten\n", i);
		handshake_over(i) SYM }
#endif
	/* client process restart: new socket, new client_epoch, state lost;
	 * the calls the new process has not made yet are made by it */
	:: d_step { crestarts < CLIENT_RESTARTS && cph[i] != CP_CLOSED ->
		crestarts++;
		printf("client %d: RESTART (new client_epoch %d)\n", i, cep[i] + 1);
		assert(SCOPE && cep[i] < EPOCH_MAX);
		cep[i]++;
		tj = 0;
		do
		:: tj < NCALLS ->
			if
			:: cst[CALLNO(i, tj)] == C_INFLIGHT || cst[CALLNO(i, tj)] == C_QUEUED ->
				cst[CALLNO(i, tj)] = C_LOST
			:: else -> skip
			fi;
			tj++
		:: else -> break
		od;
		session_reset(i) SYM }
	/* close once every call is finished: ACK with EORPC_F_CLOSE. The
	 * process stays in the loop with nothing enabled (a closed client
	 * has no step), so both client processes always sit at the same
	 * place and a state's mirror image (sym.pml) is a state of the model */
	:: d_step { cph[i] != CP_CLOSED && !ANY_UNFIN(i) ->
		if
		:: cph[i] == CP_EST ->
			net_send(PK(T_ACK, i, cep[i], cse[i], csid[i], 0, cack[i], F_CLOSE, 0))
		:: else -> skip
		fi;
		cph[i] = CP_CLOSED;
		printf("client %d: close\n", i) SYM }
	od
}

proctype app()
{
end_app:
	do
	APP_RECV(0)
	APP_REPLY(0)
#if NC > 1
	APP_RECV(1)
	APP_REPLY(1)
#endif
#if NC > 2
	APP_RECV(2)
	APP_REPLY(2)
#endif
#if NC > 3
	APP_RECV(3)
	APP_REPLY(3)
#endif
#if NC > 4
	APP_RECV(4)
	APP_REPLY(4)
#endif
#if NC > 5
	APP_RECV(5)
	APP_REPLY(5)
#endif
	od;
	skip	/* a d_step must not end in a loop */
}

/* Faults on the server side: restart, session expiry/eviction, memory. */
proctype chaos()
{
end_chaos:
	do
	:: d_step { srestarts < SERVER_RESTARTS -> server_restart(0) SYM }	/* crash */
	:: d_step { srestarts < SERVER_RESTARTS -> server_restart(1) SYM }	/* close */
#if NCLIENTS > 1
	:: d_step { srestarts < SERVER_RESTARTS -> server_restart(2) SYM }	/* close, other order */
#endif
	EVICT(0)
#if NS > 1
	EVICT(1)
#endif
#if NS > 2
	EVICT(2)
#endif
#if NS > 3
	EVICT(3)
#endif
#if NS > 4
	EVICT(4)
#endif
#if NS > 5
	EVICT(5)
#endif
	:: d_step { mem_shorts < MEM_SHORTS && !mem_short -> mem_shorts++; mem_short = 1;
		printf("server: memory short\n") SYM }
	:: d_step { mem_short -> mem_short = 0; printf("server: memory back\n") SYM }
	od;
	skip	/* a d_step must not end in a loop */
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
