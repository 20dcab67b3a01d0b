/*
 * server.pml - the server socket (kmod/server.c) and its per-session
 * history (kmod/history.c), and the server application above it.
 * PROTOCOL.md "Sessions and incarnations" and "Server side (at-most-once)".
 */

/* History entry states (kmod/history.c, PROTOCOL.md "Server side") */
#define H_FREE		0	/* no entry for this ring slot */
#define H_RECEIVING	1	/* fragments being stored (collapsed: one fragment) */
#define H_QUEUED	2	/* on the socket's receive queue */
#define H_DELIVERED	3	/* recvmsg() handed it to the application */
#define H_REPLIED	4	/* the application's reply is cached */

/*
 * Per session: ack (highest cumulative ack seen) and entries for ids in
 * (ack, ack + W], in a ring of W slots indexed by request_id % W.
 */
typedef session_t {
	byte sid;		/* session_id; 0 = table slot free */
	byte addr;		/* client address (key with ce for HELLO) */
	byte ce;		/* client_epoch */
	byte ack;		/* highest hdr.ack seen (never decreases) */
	byte st[W];		/* entry state H_* */
	byte rid[W];		/* entry request_id */
	byte g[W];		/* entry data: request (ghost), then cached reply */
};

/*
 * The session table: NSA slots per client address (a per-peer limit, so
 * one client's sessions never take another's slots and the model needs
 * no symmetry reduction). Slots a*NSA .. a*NSA+NSA-1 belong to address a.
 */
session_t ss[NS];
byte se = 1;			/* hdr.server_epoch of the live incarnation */
byte sid_next[NCLIENTS];	/* last session_id handed out, per address:
				 * never reused; ids of different addresses
				 * may be equal, so lookups check the address */
bit mem_short;			/* memory pressure: the receive buffer has no
				 * room (eorpc_rmem_room() fails), or a cap is
				 * reached (session_max_reply_bytes, make_room():
				 * new_request() answers BUSY, no entry), and
				 * allocations fail or max_sessions is reached
				 * (on_hello() refuses: SessionsRefused) */
byte srestarts;			/* SERVER_RESTARTS budget used */
byte evictions;			/* EVICTIONS budget used */
byte mem_shorts;			/* MEM_SHORTS budget used */
hidden byte ts;			/* d_step temporaries */
hidden byte te;
hidden byte tr;
hidden byte tk;
hidden byte tq;

/* The server application's view of each call (its EORPC_CMSG_CALL_ID). */
#define A_NONE		0
#define A_QUEUED	1	/* in the socket receive queue */
#define A_WORKING	2	/* recvmsg() returned it; reply not yet sent */
/* Replied, reply discarded, or lost with a server restart: back to
 * A_NONE (the model forgets what no longer matters). */
byte appst[NC];
byte app_slot[NC];		/* the call handle: session table slot, ... */
byte app_sid[NC];		/* ... session_id (the slot may have been
				 * freed and reused) ... */
byte app_rid[NC];		/* ... and request_id */

inline session_free(s)
{
	ss[s].sid = 0; ss[s].addr = 0; ss[s].ce = 0; ss[s].ack = 0;
	te = 0;
	do
	:: te < W -> ss[s].st[te] = H_FREE; ss[s].rid[te] = 0; ss[s].g[te] = 0; te++
	:: else -> break
	od;
	skip	/* a d_step must not end in a loop */
}

/*
 * Session lookup for REQUEST and ACK: by hdr.session_id, and the session
 * must belong to the sender (address, client_epoch). ts = NS if none.
 * MUTANT_LOOKUP_BY_EPOCH: by (address, client_epoch) only, as one might
 * key a hash table (the key HELLO uses) - ignores session_id.
 */
#if defined(MUTANT_LOOKUP_BY_EPOCH)
#define SESSION_MATCH(s, p)	(ss[s].sid != 0 && ss[s].addr == P_A(p) && ss[s].ce == P_CE(p))
#elif defined(MUTANT_HELLO_IGNORES_EPOCH)
#define SESSION_MATCH(s, p)	(ss[s].sid != 0 && ss[s].sid == P_SID(p) && ss[s].addr == P_A(p))
#else
#define SESSION_MATCH(s, p)	(ss[s].sid != 0 && ss[s].sid == P_SID(p) && \
				 ss[s].addr == P_A(p) && ss[s].ce == P_CE(p))
#endif
inline session_find(p)
{
	ts = 0;
	do
	:: ts < NS && !SESSION_MATCH(ts, p) -> ts++
	:: else -> break
	od;
	skip	/* a d_step must not end in a loop */
}

/*
 * HELLO (PROTOCOL.md "Sessions" step 2): find or create the session keyed
 * by (client address, client_epoch); answer WELCOME; a duplicate HELLO
 * gets the same WELCOME (on_hello()). No room (the address's NSA table
 * slots in use, memory short, or - a bound of the model only - the
 * address's SID_MAX session ids used up): ERROR(REFUSED), ECONNREFUSED.
 * MUTANT_HELLO_IGNORES_EPOCH: a client is its address (the course design's
 * client_id = address): HELLO and session lookup ignore client_epoch, so
 * a restarted client inherits the old session and its history.
 */
#ifdef MUTANT_HELLO_IGNORES_EPOCH
#define HELLO_MATCH(s, p)	(ss[s].sid != 0 && ss[s].addr == P_A(p))
#else
#define HELLO_MATCH(s, p)	(ss[s].sid != 0 && ss[s].addr == P_A(p) && ss[s].ce == P_CE(p))
#endif
inline server_hello(p)
{
	ts = 0;
	do
	:: ts < NS && !HELLO_MATCH(ts, p) -> ts++
	:: else -> break
	od;
	if
	:: ts < NS ->
		net_send(PK(T_WELCOME, P_A(p), P_CE(p), se, ss[ts].sid, 0, 0, 0, 0))
	:: else ->
		ts = P_A(p) * NSA;
		do
		:: ts < P_A(p) * NSA + NSA && ss[ts].sid != 0 -> ts++
		:: else -> break
		od;
		if
		:: ts < P_A(p) * NSA + NSA && !mem_short && sid_next[P_A(p)] < SID_MAX ->
			sid_next[P_A(p)]++;
			ss[ts].sid = sid_next[P_A(p)];
			printf("server: new session %d for client %d epoch %d\n", ss[ts].sid, P_A(p), P_CE(p));
			ss[ts].addr = P_A(p); ss[ts].ce = P_CE(p); ss[ts].ack = 0;
			net_send(PK(T_WELCOME, P_A(p), P_CE(p), se, ss[ts].sid, 0, 0, 0, 0))
		:: else ->
			net_send(PK(T_ERROR, P_A(p), P_CE(p), se, 0, 0, 0, E_REFUSED, 0))
		fi
	fi
}

/*
 * eorpc_history_ack(): every ack carried by any packet frees the entries
 * <= ack; the session's ack only grows.
 */
inline history_ack(s, a)
{
	if
	:: (a) > ss[s].ack ->
		ss[s].ack = (a);
		te = 0;
		do
		:: te < W ->
			if
			:: ss[s].st[te] != H_FREE && ss[s].rid[te] <= (a) ->
				ss[s].st[te] = H_FREE; ss[s].rid[te] = 0; ss[s].g[te] = 0
			:: else -> skip
			fi;
			te++
		:: else -> break
		od
	:: else -> skip
	fi
}

/*
 * recvmsg(): the queued request of call c reaches the application (G2
 * counts here too) and its entry becomes DELIVERED (unless an ack freed
 * it meanwhile).
 */
inline app_recv(c)
{
	appst[c] = A_WORKING;
	printf("app: recvmsg call %d (session %d, request id %d)\n", c, app_sid[c], app_rid[c]);
	ndelivered[c]++;
	assert(G2 && ndelivered[c] <= 1);
	assert(G4 && cst[c] != C_NOTEXEC);
	ts = app_slot[c];
	te = app_rid[c] % W;
	if
	:: ss[ts].sid == app_sid[c] && ss[ts].rid[te] == app_rid[c] && ss[ts].st[te] == H_QUEUED ->
		ss[ts].st[te] = H_DELIVERED
	:: else -> skip	/* entry already freed by an ack */
	fi
}

/*
 * RECEIVING -> QUEUED: the request goes on the socket's receive queue,
 * to be delivered to recvmsg() exactly once. This is the only place a
 * request reaches the application (props: G2, G4).
 */
inline server_queue(s, c, r)
{
	printf("server: call %d queued (session %d, request id %d)\n", c, ss[s].sid, r);
	nqueued[c]++;
	assert(G2 && nqueued[c] <= 1);
	assert(G4 && cst[c] != C_NOTEXEC);
	appst[c] = A_QUEUED; app_slot[c] = s; app_sid[c] = ss[s].sid; app_rid[c] = (r);
	/*
	 * The application takes it at once (unless -DRECV_LATER). A
	 * reduction, not a loss of behaviour: recvmsg() commutes with every
	 * other step (a right mover, Lipton). It touches only call c's
	 * entry (QUEUED -> DELIVERED) and the application's view of c, and
	 * nothing else tells QUEUED from DELIVERED: a duplicate REQUEST gets
	 * BUSY for both, an ack, eviction, close or restart frees both, and
	 * the reply step needs recvmsg() first anyway. A restart between
	 * the two leaves the same state as a restart after both, but for
	 * the ghost ndelivered[c], and a call lost that way can never
	 * complete (its entry and the application's handle are gone), so
	 * G1 never reads it. G2 and G4 are asserted at queueing as well.
	 * The application is still slow where it matters: its reply can
	 * come at any later time (A_WORKING).
	 */
#ifndef RECV_LATER
	app_recv(c)
#endif
}

/*
 * BUSY ("still working"): the client only sets the call's next
 * retransmission to rto_max, and the model has no clocks, so receiving a
 * BUSY changes no state: delivering one is the same as losing it. The
 * safety scopes therefore do not put BUSY in the network (it would only
 * take bag space); the LIVENESS scope and -DBUSY_ON_WIRE do, where it also
 * holds off the client's timer (client.pml TIMER_OK).
 */
#if defined(LIVENESS) || defined(BUSY_ON_WIRE)
#define send_busy(p)	net_send(p)
#else
#define send_busy(p)	skip
#endif

/*
 * eorpc_history_classify(): a REQUEST (one fragment) with id r for
 * session s whose carried ack has been applied.
 * HIST_NEW: the server's dedup check - the ring slot of an id inside the
 * window is looked up (h->slots[id & (window - 1)]) and only an empty
 * slot makes the request EORPC_HIST_NEW. MUTANT_NO_HISTORY_LOOKUP removes
 * that lookup: every id in (ack, ack + window] is new, so a retransmitted
 * or duplicated REQUEST is queued again.
 */
#ifdef MUTANT_NO_HISTORY_LOOKUP
#define HIST_NEW(s, te)	true
#else
#define HIST_NEW(s, te)	(ss[s].st[te] == H_FREE)
#endif
inline history_classify(s, p)
{
	tr = P_RID(p);
	te = tr % W;
	if
#ifndef MUTANT_NO_STALE_CHECK
	:: tr <= ss[s].ack ->
		printf("server: stale request id %d (ack %d) dropped\n", tr, ss[s].ack)	/* r <= ack: stale, dropped, counted */
#endif
	:: tr > ss[s].ack + W ->
		/* r > ack + window: ERROR(WINDOW). An honest client never
		 * gets here (client checks request_id <= ack + window). */
		assert(WIN && false);
		net_send(PK(T_ERROR, P_A(p), P_CE(p), se, P_SID(p), tr, 0, E_WINDOW, 0))
	:: else ->
		if
		:: HIST_NEW(s, te) ->
			/* no entry: create one RECEIVING, store the fragment */
			ss[s].st[te] = H_RECEIVING; ss[s].rid[te] = tr; ss[s].g[te] = P_G(p);
			/* complete (single fragment): queue if the receive
			 * buffer has room, else drop the entry whole. The
			 * drop also stands for abandon_partials(): a request
			 * whose fragments stop coming is freed while still
			 * RECEIVING, undelivered, and its id is new again;
			 * with fragments collapsed, freeing it later or at
			 * once reaches the same states. */
			if
			:: mem_short ->
				ss[s].st[te] = H_FREE; ss[s].rid[te] = 0; ss[s].g[te] = 0
			:: else ->
				ss[s].st[te] = H_QUEUED;
				server_queue(s, P_G(p) - 1, tr)
			fi
		:: else ->
			/* ring invariant: ids in (ack, ack+W] use distinct slots */
			assert(RING && ss[s].rid[te] == tr);
			if
			:: ss[s].st[te] == H_QUEUED || ss[s].st[te] == H_DELIVERED ->
				send_busy(PK(T_BUSY, P_A(p), P_CE(p), se, ss[s].sid, tr, 0, 0, 0))
			:: ss[s].st[te] == H_REPLIED ->
#if defined(MUTANT_NO_DUP_CHECK)
				/* mutant: REPLIED not checked, request taken as new */
				ss[s].st[te] = H_QUEUED; ss[s].g[te] = P_G(p);
				server_queue(s, P_G(p) - 1, tr)
#elif defined(MUTANT_SILENT_DUP)
				/* mutant: duplicate of an answered request ignored
				 * (at-most-once without the cached reply): a lost
				 * REPLY is never sent again */
				skip
#else
				/* resend the cached reply, do not deliver */
				net_send(PK(T_REPLY, P_A(p), P_CE(p), se, ss[s].sid, tr, 0, 0, ss[s].g[te]))
#endif
			:: else -> assert(RING && false)	/* RECEIVING is never left standing */
			fi
		fi
	fi
}

/*
 * REQUEST (server.c receive path): check server_epoch, find the session,
 * apply the carried ack (eorpc_history_ack), then classify.
 * ERROR (eorpc_send_error) echoes the request's client_epoch, session_id
 * and request_id, with the answering socket's own server_epoch.
 */
inline server_request(p)
{
	if
	:: P_SE(p) != se ->
		net_send(PK(T_ERROR, P_A(p), P_CE(p), se, P_SID(p), P_RID(p), 0, E_SERVER_RESTARTED, 0))
	:: else ->
		session_find(p);
		if
		:: ts == NS ->
			net_send(PK(T_ERROR, P_A(p), P_CE(p), se, P_SID(p), P_RID(p), 0, E_SESSION_UNKNOWN, 0))
		:: else ->
#ifdef MUTANT_ACK_AFTER_CLASSIFY
			history_classify(ts, p);
			history_ack(ts, P_ACK(p))
#else
			history_ack(ts, P_ACK(p));
			history_classify(ts, p)
#endif
		fi
	fi
}

/* ACK (and ACK with EORPC_F_CLOSE, which frees the session). */
inline server_ack(p)
{
	if
	:: P_SE(p) == se ->
		session_find(p);
		if
		:: ts < NS ->
			history_ack(ts, P_ACK(p));
			if
			:: P_CODE(p) & F_CLOSE -> printf("server: session %d closed\n", ss[ts].sid); session_free(ts)
			:: else -> skip
			fi
		:: else -> skip
		fi
	:: else -> skip
	fi
}

inline server_rx(p)
{
	if
	:: P_T(p) == T_HELLO -> server_hello(p)
	:: P_T(p) == T_REQUEST -> server_request(p)
	:: P_T(p) == T_ACK -> server_ack(p)
	fi
}

/* recvmsg() as a step of its own (only with -DRECV_LATER) */
#define APP_RECV(c) \
	:: d_step { appst[c] == A_QUEUED -> app_recv(c) SYM }

/*
 * sendmsg() of the reply for call handle (sid, rid): the entry must still
 * be this request's (slots are reused once the ack passes an id).
 * MUTANT_REPLY_BY_SLOT: the handle is only the ring slot.
 */
#ifdef MUTANT_REPLY_BY_SLOT
#define REPLY_ENTRY_OK(c)	true
#else
#define REPLY_ENTRY_OK(c)	(ss[ts].rid[te] == app_rid[c])
#endif
#define APP_REPLY(c) \
	:: d_step { appst[c] == A_WORKING -> \
		appst[c] = A_NONE; \
		printf("app: reply to call %d\n", c); \
		ts = app_slot[c]; \
		te = app_rid[c] % W; \
		if \
		:: ss[ts].sid == app_sid[c] && REPLY_ENTRY_OK(c) && ss[ts].st[te] == H_DELIVERED -> \
			ss[ts].st[te] = H_REPLIED; ss[ts].g[te] = c + 1; \
			net_send(PK(T_REPLY, ss[ts].addr, ss[ts].ce, se, ss[ts].sid, ss[ts].rid[te], 0, 0, c + 1)) \
		:: else -> skip	/* call freed (acked/session gone): reply discarded */ \
		fi; \
		app_slot[c] = 0; app_sid[c] = 0; app_rid[c] = 0 SYM }

/* proctype app() is in eorpc.pml. */

/*
 * Server restart: the server socket closes (optionally telling every
 * session with an unacknowledged call ERROR(SERVER_CLOSED)), the process
 * and all history are lost, a new socket starts with a new server_epoch.
 */
inline server_restart(graceful)
{
	srestarts++;
	assert(SCOPE && se < SEPOCH_MAX);
	printf("server: RESTART (graceful=%d, new server_epoch %d)\n", graceful, se + 1);
	tq = 0;
	do
	:: tq < NS ->
		/* the ERRORs go out in table order (graceful 1) or starting
		 * with the next address's slots (graceful 2): when the network
		 * is nearly full, which one is lost must not depend on the
		 * client's address (kernel: list order of ep->server_sessions,
		 * i.e. creation order, which can be either) */
		ts = (graceful == 2 -> (tq + NSA) % NS : tq);
		tk = 0;		/* any entry = a call not yet acknowledged */
		do
		:: tk < W && ss[ts].st[tk] == H_FREE -> tk++
		:: else -> break
		od;
		if
		:: graceful != 0 && ss[ts].sid != 0 && tk < W ->
			net_send(PK(T_ERROR, ss[ts].addr, ss[ts].ce, se, ss[ts].sid, 0, 0, E_SERVER_CLOSED, 0))
		:: else -> skip
		fi;
		session_free(ts);
		tq++
	:: else -> break
	od;
	tq = 0;
	se++;
	mem_short = 0;
	tr = 0;
	do
	:: tr < NC ->
		if
		:: appst[tr] == A_QUEUED || appst[tr] == A_WORKING ->
			appst[tr] = A_NONE; app_slot[tr] = 0; app_sid[tr] = 0; app_rid[tr] = 0
		:: else -> skip
		fi;
		tr++
	:: else -> break
	od;
	skip
}

/*
 * Eviction, a step of the server: the whole session s and its history are
 * freed (ss_free()). Stands for evict_one() (net.eorpc.max_history_bytes /
 * max_sessions reached: the least recently active session, if quiet for
 * 2 x rto_max; counter SessionsEvicted, tracepoint eorpc_evict "memory")
 * and for the idle expiry in eorpc_server_timers() ("idle"). The model
 * lets any session go at any time (EVICTIONS times), a superset of both.
 * The session's later REQUESTs get ERROR SESSION_UNKNOWN (the call ends
 * ESTALE, never a re-delivery), its ACKs are dropped.
 */
#define EVICT(s) \
	:: d_step { evictions < EVICTIONS && ss[s].sid != 0 -> evictions++; \
		printf("server: session %d of client %d evicted\n", ss[s].sid, ss[s].addr); \
		session_free(s) SYM }

/* proctype chaos() (server faults) is in eorpc.pml. */
