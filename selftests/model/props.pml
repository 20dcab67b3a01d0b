/*
 * props.pml - the guarantees of shared/design/semantics.md, as observers.
 *
 * A request is named by its call (client, call number); a client's calls
 * are split between its incarnations, so (client incarnation, call) and
 * the call number name the same thing. The network carries the call
 * number as the message data (wire.pml "ghost"); the protocol never reads
 * it, only the assertions do.
 *
 * Each assertion starts with the name of what it checks, so spin's
 * "assertion violated (G2&&...)" says which guarantee broke:
 *   G2    no request reaches the application twice: at the RECEIVING ->
 *         QUEUED transition (server.pml server_queue) and at recvmsg()
 *         (app_recv): nqueued[c] <= 1, ndelivered[c] <= 1.
 *   G1    a call completed with a REPLY was delivered exactly once
 *         (client.pml client_rx_type, REPLY).
 *   G6    the reply that completes call c is the one produced for c's
 *         request (same place).
 *   G4    a call ended "certainly not executed" (ECONNABORTED,
 *         ECONNREFUSED) is never delivered, before or after it ended.
 *   WIN   an honest client never gets ERROR(WINDOW).
 *   RING  the history ring never holds two ids in one slot.
 *   SCOPE the model's counters stay within their bit fields.
 * Liveness (LIVENESS scope): <> every call completed (C_DONE).
 */
hidden byte G1 = 1;
hidden byte G2 = 1;
hidden byte G4 = 1;
hidden byte G6 = 1;
hidden byte WIN = 1;
hidden byte RING = 1;
hidden byte SCOPE = 1;

byte nqueued[NC];	/* requests of call c put on the server's receive queue */
byte ndelivered[NC];	/* requests of call c returned by recvmsg() */
