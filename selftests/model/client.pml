/*
 * client.pml - a client socket (kmod/client.c): one client session
 * (struct eorpc_client_session) towards the server, handshake, calls with
 * request ids inside the window (kmod/ackwin.c), cumulative ack,
 * retransmission, errors. PROTOCOL.md "Sessions and incarnations" and
 * "Calls (client side, at-least-once)".
 */

/* Client session phases (eorpc_client_session.state) */
#define CP_IDLE		0	/* no client session (start, after restart, after cs_fail()) */
#define CP_HS		1	/* EORPC_CS_HELLO: HELLO sent, waiting for WELCOME */
#define CP_EST		2	/* EORPC_CS_ESTABLISHED */
#define CP_CLOSED	3	/* socket closed */

/* Call states (what the application sees) */
#define C_NEW		0	/* the application has not called sendmsg() yet */
#define C_QUEUED	1	/* sendmsg() done, on cs->waiting: no request id
				 * yet (handshake or window space) */
#define C_INFLIGHT	2	/* on cs->calls: request id allocated
				 * (eorpc_ackwin_alloc), REQUEST transmitted */
#define C_DONE		3	/* completed with a REPLY (on_reply) */
#define C_MAYBE		4	/* ECANCELED/ETIMEDOUT/ECONNRESET/ESTALE:
				 * "may have executed" */
#define C_NOTEXEC	5	/* ECONNABORTED/ECONNREFUSED: "certainly not
				 * executed" (G4 checks it) */
#define C_LOST		6	/* the client process restarted: nobody waits */

byte cph[NCLIENTS];		/* session phase */
byte cep[NCLIENTS];		/* hdr.client_epoch of this handshake (1, 2, ..) */
byte cse[NCLIENTS];		/* cs->server_epoch from WELCOME */
byte csid[NCLIENTS];		/* cs->session_id from WELCOME */
byte cnext[NCLIENTS];		/* next request id (cs->ids, kmod/ackwin.c) */
byte cack[NCLIENTS];		/* hdr.ack: every id <= cack is finished */
byte cacks[NCLIENTS];		/* highest ack sent in an ACK packet */
byte cfin[NCLIENTS];		/* bit r: request id r is finished */
byte cst[NC];			/* call state C_* */
byte crid[NC];			/* call->id in the current session */
byte crestarts;			/* CLIENT_RESTARTS budget used */
byte cancels;			/* CANCELS budget used (cancel or deadline) */
byte idles;			/* IDLES budget used (idle sessions forgotten) */
hidden byte tc;			/* d_step temporaries */
hidden byte tj;

#define CALLNO(i, j)	((i) * NCALLS + (j))

/* A call is finished (completed, failed or abandoned): advance the ack
 * (eorpc_ackwin_finish). */
inline call_finished(i, c)
{
	cfin[i] = cfin[i] | (1 << crid[c]);
	crid[c] = 0;		/* the call's id matters no more */
	do
	:: (cfin[i] >> (cack[i] + 1)) & 1 -> cack[i]++
	:: else -> break
	od;
	cfin[i] = cfin[i] >> (cack[i] + 1) << (cack[i] + 1)	/* keep ids > ack */
}

inline session_reset(i)
{
	cph[i] = CP_IDLE; cse[i] = 0; csid[i] = 0; cnext[i] = 0;
	cack[i] = 0; cacks[i] = 0; cfin[i] = 0;
	tj = 0;
	do
	:: tj < NCALLS -> crid[CALLNO(i, tj)] = 0; tj++
	:: else -> break
	od;
	skip	/* a d_step must not end in a loop */
}

/*
 * A client session that ended (cs_fail(): session dead, or HELLO
 * refused) is never resumed. The next one starts with a fresh
 * client_epoch, so that no packet of the old session - above all a
 * delayed duplicate WELCOME naming it - can be taken for the new one.
 * This is the fix for flaw F1 the model found (README.md "Findings"):
 * with one client_epoch per socket (PROTOCOL.md, kmod/client.c
 * ep->client_epoch), the new session's HELLO can be answered with the
 * old session - by the server itself when it still has it (the client
 * forgot an idle session and its CLOSE ACK was lost), or by a delayed
 * duplicate WELCOME - request ids restart at 1, and the old session's
 * cached or stale REPLY for id 1 completes a new call (G6, G1).
 * MUTANT_REUSE_EPOCH: PROTOCOL.md as written (one epoch per socket).
 */
inline handshake_over(i)
{
#ifndef MUTANT_REUSE_EPOCH
	assert(SCOPE && cep[i] < EPOCH_MAX);
	cep[i]++;
#endif
	session_reset(i)
}

/*
 * cs_fail(): the session is dead (ERROR SERVER_RESTARTED / SERVER_CLOSED:
 * ECONNRESET; SESSION_UNKNOWN: ESTALE). Calls in flight end "may have
 * executed"; calls still waiting (never transmitted) end ECONNABORTED.
 * Later sendmsg() calls start a new session (request ids from 1 again).
 * MUTANT_CLIENT_RETRY: calls in flight go back to the queue and are sent
 * again in the new session ("transparent reconnect").
 */
inline session_dead(i)
{
	tj = 0;
	do
	:: tj < NCALLS ->
		if
		:: cst[CALLNO(i, tj)] == C_INFLIGHT ->
			printf("client %d: call %d fails: session dead\n", i, CALLNO(i, tj));
#ifdef MUTANT_CLIENT_RETRY
			cst[CALLNO(i, tj)] = C_QUEUED
#else
			cst[CALLNO(i, tj)] = C_MAYBE
#endif
		:: cst[CALLNO(i, tj)] == C_QUEUED ->
#ifndef MUTANT_CLIENT_RETRY
			printf("client %d: call %d ECONNABORTED\n", i, CALLNO(i, tj));
			cst[CALLNO(i, tj)] = C_NOTEXEC;
			assert(G4 && nqueued[CALLNO(i, tj)] == 0)
#else
			skip
#endif
		:: else -> skip
		fi;
		tj++
	:: else -> break
	od;
	handshake_over(i)
}

/*
 * HELLO refused (ERROR REFUSED with session_id 0, on_error() in
 * EORPC_CS_HELLO): no request of this session was ever sent; waiting
 * calls end ECONNREFUSED ("certainly not executed").
 * MUTANT_REFUSED_ANY_STATE: the refusal is also taken in an established
 * session (session_id not compared) and ends every unfinished call
 * ECONNREFUSED.
 */
#ifdef MUTANT_REFUSED_ANY_STATE
#define REFUSAL_OK(i)	(cph[i] == CP_HS || cph[i] == CP_EST)
#else
#define REFUSAL_OK(i)	(cph[i] == CP_HS)
#endif
inline client_refused(i)
{
	tj = 0;
	do
	:: tj < NCALLS ->
		if
		:: cst[CALLNO(i, tj)] == C_QUEUED || cst[CALLNO(i, tj)] == C_INFLIGHT ->
			cst[CALLNO(i, tj)] = C_NOTEXEC;
			printf("client %d: call %d ECONNREFUSED\n", i, CALLNO(i, tj));
			assert(G4 && nqueued[CALLNO(i, tj)] == 0)
		:: else -> skip
		fi;
		tj++
	:: else -> break
	od;
	handshake_over(i)
}

/*
 * eorpc_client_input(): server_epoch and session_id must name the
 * current session; on_reply() then matches the request id (cs_call()).
 * With a fresh client_epoch per session (F1 fix) this check is only
 * defence in depth: packets of other sessions already fail the epoch
 * check in client_rx().
 */
#define REPLY_SESSION_OK(i, p)	(P_SE(p) == cse[i] && P_SID(p) == csid[i])

/* tj = index of the call in flight with request id r, NCALLS if none. */
inline call_by_rid(i, r)
{
	tj = 0;
	do
	:: tj < NCALLS && !(cst[CALLNO(i, tj)] == C_INFLIGHT &&
			    crid[CALLNO(i, tj)] == (r)) -> tj++
	:: else -> break
	od;
	skip
}

/*
 * cs_pump(): waiting calls get request ids, in order, while the session is
 * established and request_id <= ack + window; eorpc_call_transmit() sends each
 * REQUEST with the current ack. The kernel runs it at the end of
 * sendmsg(), on_welcome(), on_reply(), on_error(), cs_timers() and
 * eorpc_client_cancel(), so a call never waits while it could have an
 * id: the model pumps at the same places (submit, WELCOME, REPLY,
 * cancel), not as a step of its own.
 */
hidden byte tp;
#define REQUEST_PKT(i, c) \
	PK(T_REQUEST, i, cep[i], cse[i], csid[i], crid[c], cack[i], 0, (c) + 1)
inline pump(i)
{
	tp = 0;
	do
	:: tp < NCALLS && cst[CALLNO(i, tp)] != C_QUEUED -> tp++
	:: tp < NCALLS && cst[CALLNO(i, tp)] == C_QUEUED && cph[i] == CP_EST &&
	   cnext[i] <= cack[i] + W ->
		assert(SCOPE && cnext[i] <= RID_MAX);
		cst[CALLNO(i, tp)] = C_INFLIGHT; crid[CALLNO(i, tp)] = cnext[i]; cnext[i]++;
		printf("client %d: call %d gets request id %d (ack %d)\n", i, CALLNO(i, tp), crid[CALLNO(i, tp)], cack[i]);
		net_send(REQUEST_PKT(i, CALLNO(i, tp)));
		tp++
	:: else -> break
	od;
	tp = 0
}

inline client_rx_type(p)
{
	if
	:: P_T(p) == T_WELCOME ->
		if
		:: cph[tc] == CP_HS ->	/* on_welcome(): store epoch, session id */
			cph[tc] = CP_EST; cse[tc] = P_SE(p); csid[tc] = P_SID(p);
			printf("client %d: session %d/%d established\n", tc, cse[tc], csid[tc]);
			cnext[tc] = 1; cack[tc] = 0; cacks[tc] = 0; cfin[tc] = 0;
			pump(tc)
		:: else -> skip	/* a duplicate WELCOME */
		fi
	:: P_T(p) == T_REPLY ->
		call_by_rid(tc, P_RID(p));
		if
		:: cph[tc] == CP_EST && REPLY_SESSION_OK(tc, p) && tj < NCALLS ->
			/* completes the call in flight with this request id */
			assert(G6 && P_G(p) == CALLNO(tc, tj) + 1);
			assert(G1 && nqueued[CALLNO(tc, tj)] == 1 &&
			       ndelivered[CALLNO(tc, tj)] == 1);
			cst[CALLNO(tc, tj)] = C_DONE;
			printf("client %d: call %d completed\n", tc, CALLNO(tc, tj));
			call_finished(tc, CALLNO(tc, tj));
			pump(tc)
		:: else -> skip	/* stale reply: dropped (G6) */
		fi
	:: P_T(p) == T_BUSY ->
		skip		/* on_busy(): next retransmission at rto_max */
	:: P_T(p) == T_ERROR && P_CODE(p) == E_REFUSED ->
		if
		:: REFUSAL_OK(tc) -> client_refused(tc)
		:: else -> skip
		fi
	:: P_T(p) == T_ERROR && P_CODE(p) == E_SERVER_CLOSED ->
		if	/* on_error(): session id and server epoch must match */
		:: cph[tc] == CP_EST && P_SID(p) == csid[tc] && P_SE(p) == cse[tc] ->
			session_dead(tc)
		:: else -> skip
		fi
	:: P_T(p) == T_ERROR &&
	   (P_CODE(p) == E_SERVER_RESTARTED || P_CODE(p) == E_SESSION_UNKNOWN) ->
		/* on_error(): session id must match, and the request id must
		 * be a call in flight (the error answers a request of ours) */
		call_by_rid(tc, P_RID(p));
		if
		:: cph[tc] == CP_EST && P_SID(p) == csid[tc] && tj < NCALLS ->
			session_dead(tc)
		:: else -> skip
		fi
	:: P_T(p) == T_ERROR && P_CODE(p) == E_WINDOW ->
		skip		/* never sent to an honest client (WIN) */
	fi
}

/* eorpc_client_input(): the packet must name this socket's epoch. */
inline client_rx(p)
{
	tc = P_A(p);
	if
	:: cph[tc] == CP_CLOSED || P_CE(p) != cep[tc] ->
		skip		/* no socket, or another session's packet */
	:: else -> client_rx_type(p)
	fi
}

#ifdef LIVENESS
/* The RTO exceeds the network's delay: a timer fires only when nothing
 * from or to this client is still in the network. */
#define TIMER_OK(i)	(!NET_HAS(i))
#else
#define TIMER_OK(i)	true	/* a timer may fire at any time */
#endif

/* Calls of one client are submitted and get request ids in call order. */
#define PREV_NOT(i, j, s)	((j) == 0 || cst[CALLNO(i, j) - ((j) > 0)] != (s))
#define FIRSTQ(i, j)	(cst[CALLNO(i, j)] == C_QUEUED && PREV_NOT(i, j, C_QUEUED))
#define FIRSTNEW(i, j)	(cst[CALLNO(i, j)] == C_NEW && PREV_NOT(i, j, C_NEW))
#define UNFIN(i, j)	(cst[CALLNO(i, j)] <= C_INFLIGHT)
#define BUSY1(i, j)	(cst[CALLNO(i, j)] == C_QUEUED || cst[CALLNO(i, j)] == C_INFLIGHT)
#if NCALLS == 1
#define ANY_QUEUED(i)	(cst[CALLNO(i, 0)] == C_QUEUED)
#define ANY_UNFIN(i)	(UNFIN(i, 0))
#define ANY_BUSY(i)	(BUSY1(i, 0))
#elif NCALLS == 2
#define ANY_QUEUED(i)	(cst[CALLNO(i, 0)] == C_QUEUED || cst[CALLNO(i, 1)] == C_QUEUED)
#define ANY_UNFIN(i)	(UNFIN(i, 0) || UNFIN(i, 1))
#define ANY_BUSY(i)	(BUSY1(i, 0) || BUSY1(i, 1))
#elif NCALLS == 3
#define ANY_QUEUED(i)	(cst[CALLNO(i, 0)] == C_QUEUED || cst[CALLNO(i, 1)] == C_QUEUED || cst[CALLNO(i, 2)] == C_QUEUED)
#define ANY_UNFIN(i)	(UNFIN(i, 0) || UNFIN(i, 1) || UNFIN(i, 2))
#define ANY_BUSY(i)	(BUSY1(i, 0) || BUSY1(i, 1) || BUSY1(i, 2))
#else
#error "NCALLS must be 1..3"
#endif

/* cs_create(), from sendmsg() when there is no session: HELLO(client_epoch) */
inline start(i)
{
	if
	:: cph[i] == CP_IDLE -> cph[i] = CP_HS; net_send(PK(T_HELLO, i, cep[i], 0, 0, 0, 0, 0, 0))
	:: else -> skip
	fi
}

/*
 * One call's steps: eorpc_client_sendmsg() (submit: cs_create() if there
 * is no session, then cs_pump()),
 * cs_timers() (retransmission: same id, current ack),
 * eorpc_client_cancel() / deadline (then cs_pump()).
 */
#define CALL_STEPS(i, j) \
	:: d_step { FIRSTNEW(i, j) -> cst[CALLNO(i, j)] = C_QUEUED; start(i); pump(i) SYM } \
	:: d_step { cst[CALLNO(i, j)] == C_INFLIGHT && TIMER_OK(i) -> \
		net_send(REQUEST_PKT(i, CALLNO(i, j))) SYM } \
	:: d_step { cancels < CANCELS && cst[CALLNO(i, j)] == C_INFLIGHT -> \
		cancels++; cst[CALLNO(i, j)] = C_MAYBE;	/* ECANCELED */ \
		printf("client %d: call %d cancelled in flight: ECANCELED\n", i, CALLNO(i, j)); \
		call_finished(i, CALLNO(i, j)); pump(i) SYM } \
	:: d_step { cancels < CANCELS && cst[CALLNO(i, j)] == C_QUEUED -> \
		cancels++; cst[CALLNO(i, j)] = C_NOTEXEC;	/* ECONNABORTED */ \
		printf("client %d: call %d cancelled before sending: ECONNABORTED\n", i, CALLNO(i, j)); \
		assert(G4 && nqueued[CALLNO(i, j)] == 0); pump(i) SYM }

/* proctype client() is in eorpc.pml, after every declaration it uses. */
