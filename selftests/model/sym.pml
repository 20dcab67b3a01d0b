/*
 * sym.pml - symmetry reduction between two clients.
 *
 * The two client sockets run the same code (proctype client(i)) against
 * their own slice of every array: session phase and ids (cph[i] ..),
 * calls CALLNO(i, 0..NCALLS-1), the server's session table slots
 * i*NSA .. i*NSA+NSA-1, sid_next[i], and the packets whose address field
 * is i. Every other piece of state (budgets, server_epoch, memory
 * pressure) is shared and every transition treats the two alike (the
 * server's graceful close sends its ERRORs in either order: restart
 * steps in server.pml). So a state and its mirror image - the two
 * clients' slices exchanged, packet addresses and ghost call numbers
 * renamed - have mirror-image futures, and the guarantees (props.pml)
 * speak of every call alike: a violation is reachable from a state iff
 * one is reachable from its mirror image.
 *
 * canon() runs at the end of every transition (every step of the model is
 * one d_step) and replaces the state by its mirror image when client 1's
 * slice is "smaller" than client 0's in a fixed order (sym_cmp). Spin then
 * stores one of each mirror pair in most cases: an exact key would make
 * it every case, but any deterministic choice is sound, since a state is
 * only ever replaced by its mirror image.
 *
 * Only for NCLIENTS == 2 safety scopes: the liveness scopes use spin's
 * weak fairness, which is per process, and a swap would hand one client
 * process the other's calls. -DNO_SYMMETRY turns it off.
 */
#if NCLIENTS == 2 && !defined(LIVENESS) && !defined(NO_SYMMETRY)
#define SYMMETRY

hidden byte sy;		/* 0: equal so far, 1: keep, 2: swap */
hidden byte sj;
hidden byte sk;
hidden byte sx;
hidden int sa;
hidden int sb;

/* The mirror image of call c (client 0's calls <-> client 1's). */
#define SIGMA(c)	((c) < NCALLS -> (c) + NCALLS : (c) - NCALLS)
/* A ghost field g = call + 1 (0 = none), renamed. */
#define SIGMA_G(g)	((g) == 0 -> 0 : SIGMA((g) - 1) + 1)
/* Packet p with its client address and call number replaced. */
#define P_NOADDR(p)	((p) & ~((3 << 3) | (15 << 21)))
#define P_MIRROR(p) \
	(P_NOADDR(p) | ((1 - P_A(p)) << 3) | (SIGMA_G(P_G(p)) << 21))
/* Packet p as its own client sees it: address and call index dropped to
 * the call's number within that client. */
#define P_OWN(p) \
	(P_NOADDR(p) | ((P_G(p) == 0 -> 0 : (P_G(p) - 1) % NCALLS + 1) << 21))

#define SYCMP(x, y) \
	if \
	:: sy == 0 && (x) < (y) -> sy = 1 \
	:: sy == 0 && (x) > (y) -> sy = 2 \
	:: else -> skip \
	fi

/* sy = order of client 0's slice against client 1's. */
inline sym_cmp()
{
	sy = 0;
	SYCMP(cph[0], cph[1]);
	SYCMP(cep[0], cep[1]);
	SYCMP(cse[0], cse[1]);
	SYCMP(csid[0], csid[1]);
	SYCMP(cnext[0], cnext[1]);
	SYCMP(cack[0], cack[1]);
	SYCMP(cacks[0], cacks[1]);
	SYCMP(cfin[0], cfin[1]);
	SYCMP(sid_next[0], sid_next[1]);
	sj = 0;
	do
	:: sj < NCALLS ->
		SYCMP(cst[sj], cst[NCALLS + sj]);
		SYCMP(crid[sj], crid[NCALLS + sj]);
		SYCMP(nqueued[sj], nqueued[NCALLS + sj]);
		SYCMP(ndelivered[sj], ndelivered[NCALLS + sj]);
		SYCMP(appst[sj], appst[NCALLS + sj]);
		SYCMP(app_sid[sj], app_sid[NCALLS + sj]);
		SYCMP(app_rid[sj], app_rid[NCALLS + sj]);
		sj++
	:: else -> break
	od;
	sj = 0;
	do
	:: sj < NSA ->
		SYCMP(ss[sj].sid, ss[NSA + sj].sid);
		SYCMP(ss[sj].ce, ss[NSA + sj].ce);
		SYCMP(ss[sj].ack, ss[NSA + sj].ack);
		sk = 0;
		do
		:: sk < W ->
			SYCMP(ss[sj].st[sk], ss[NSA + sj].st[sk]);
			SYCMP(ss[sj].rid[sk], ss[NSA + sj].rid[sk]);
			sk++
		:: else -> break
		od;
		sj++
	:: else -> break
	od;
	/* the packets of each client, as a sum (equal sets, equal sums) */
	sa = 0; sb = 0;
	sj = 0;
	do
	:: sj < K && bag[sj] != 0 ->
		if
		:: P_A(bag[sj]) == 0 -> sa = sa + P_OWN(bag[sj])
		:: else -> sb = sb + P_OWN(bag[sj])
		fi;
		sj++
	:: else -> break
	od;
	SYCMP(sa, sb);
	sa = 0; sb = 0
}

#define SWAPB(x, y)	sx = x; x = y; y = sx

/* Replace the state by its mirror image. */
inline sym_swap()
{
	SWAPB(cph[0], cph[1]);
	SWAPB(cep[0], cep[1]);
	SWAPB(cse[0], cse[1]);
	SWAPB(csid[0], csid[1]);
	SWAPB(cnext[0], cnext[1]);
	SWAPB(cack[0], cack[1]);
	SWAPB(cacks[0], cacks[1]);
	SWAPB(cfin[0], cfin[1]);
	SWAPB(sid_next[0], sid_next[1]);
	sj = 0;
	do
	:: sj < NCALLS ->
		SWAPB(cst[sj], cst[NCALLS + sj]);
		SWAPB(crid[sj], crid[NCALLS + sj]);
		SWAPB(nqueued[sj], nqueued[NCALLS + sj]);
		SWAPB(ndelivered[sj], ndelivered[NCALLS + sj]);
		SWAPB(appst[sj], appst[NCALLS + sj]);
		SWAPB(app_slot[sj], app_slot[NCALLS + sj]);
		SWAPB(app_sid[sj], app_sid[NCALLS + sj]);
		SWAPB(app_rid[sj], app_rid[NCALLS + sj]);
		sj++
	:: else -> break
	od;
	/* a call handle names a table slot: rename it (0 when unused) */
	sj = 0;
	do
	:: sj < NC ->
		if
		:: appst[sj] != A_NONE ->
			app_slot[sj] = (app_slot[sj] < NSA -> app_slot[sj] + NSA : app_slot[sj] - NSA)
		:: else -> skip
		fi;
		sj++
	:: else -> break
	od;
	sj = 0;
	do
	:: sj < NSA ->
		SWAPB(ss[sj].sid, ss[NSA + sj].sid);
		SWAPB(ss[sj].addr, ss[NSA + sj].addr);
		SWAPB(ss[sj].ce, ss[NSA + sj].ce);
		SWAPB(ss[sj].ack, ss[NSA + sj].ack);
		sk = 0;
		do
		:: sk < W ->
			SWAPB(ss[sj].st[sk], ss[NSA + sj].st[sk]);
			SWAPB(ss[sj].rid[sk], ss[NSA + sj].rid[sk]);
			SWAPB(ss[sj].g[sk], ss[NSA + sj].g[sk]);
			sk++
		:: else -> break
		od;
		sj++
	:: else -> break
	od;
	sj = 0;
	do
	:: sj < NS ->
		if
		:: ss[sj].sid != 0 -> ss[sj].addr = 1 - ss[sj].addr
		:: else -> skip
		fi;
		sk = 0;
		do
		:: sk < W -> ss[sj].g[sk] = SIGMA_G(ss[sj].g[sk]); sk++
		:: else -> break
		od;
		sj++
	:: else -> break
	od;
	/* packets: rename, then sort again (descending, 0s last: net.pml) */
	sj = 0;
	do
	:: sj < K && bag[sj] != 0 -> bag[sj] = P_MIRROR(bag[sj]); sj++
	:: else -> break
	od;
	sj = 1;
	do
	:: sj < K ->
		sk = sj;
		do
		:: sk > 0 && bag[sk - 1] < bag[sk] ->
			sa = bag[sk - 1]; bag[sk - 1] = bag[sk]; bag[sk] = sa;
			sk--
		:: else -> break
		od;
		sj++
	:: else -> break
	od;
	sa = 0; sj = 0; sk = 0; sx = 0;
	printf("sym: clients 0 and 1 exchanged (mirror image)\n")
}

inline canon()
{
	sym_cmp();
	if
	:: sy == 2 -> sym_swap()
	:: else -> skip
	fi;
	sy = 0
}
#define SYM	; canon()
#else
#define SYM
#endif
