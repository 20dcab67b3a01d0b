/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A congestion window per peer, counted in fragments: how many fragments
 * of a message one round may send before the receiver reports (NEED)
 * what arrived. Rounds are round trips, so the window is the rate, as
 * long as the path moves a round faster than one round trip; beyond
 * that a bigger round only queues (and short messages queue behind it).
 */
#ifndef _EORPC_CWND_H
#define _EORPC_CWND_H

#include <linux/types.h>

/*
 * The first window of a session, and the size up to which a message
 * always leaves whole whatever the window (as Homa's unscheduled bytes):
 * every message of 64 KiB or less (49 fragments) goes as before windows
 * existed, to peers of any version; only larger ones wait for reports.
 */
#define EORPC_CWND_INITIAL	64
/*
 * Never below: a round must carry enough to be worth a round trip, and
 * on a very lossy link (30%) rounds of 8 spent most of their time
 * waiting for reports that were lost.
 */
#define EORPC_CWND_MIN		16
/*
 * Rounds at a limit before one probe above it. A probe is two rounds of
 * twice the limit; on a path that is still full each queues about one
 * round's worth more, so 2 rounds in 256 (under 1%) wait longer: below
 * the 99th percentile of what shares the path. On a 50 ms path a limit
 * set by a passing stall lasts about 13 s.
 */
#define EORPC_CWND_PROBE_ROUNDS	256
/* Probes in a row that must find room before a limit is lifted. */
#define EORPC_CWND_PROBE_PASSES	2

/**
 * struct eorpc_cwnd - a session's window toward its peer
 * @frags: fragments a round may send
 * @ssthresh: below it a clean round doubles @frags, above it adds
 *	EORPC_CWND_MIN
 * @limit: the largest window worth sending: a round larger than this
 *	took as long per fragment as this one (eorpc_cwnd_round())
 * @timed_frags: fragments of the last timed round (0: none yet)
 * @timed_us: how long that round took, from its first fragment out to
 *	the report back
 * @full_once: the last timed doubling found the path full; the next one
 *	that does sets @limit
 * @probe_wait: rounds at @limit left before a probe above it
 * @probe_passes: probe rounds in a row that found room
 * @probing: rounds of twice @limit are being tried (@frags)
 */
struct eorpc_cwnd {
	u16	frags;
	u16	ssthresh;
	u16	limit;
	u16	timed_frags;
	u32	timed_us;
	bool	full_once;
	u16	probe_wait;
	u8	probe_passes;
	bool	probing;
};

void eorpc_cwnd_init(struct eorpc_cwnd *c);
u32 eorpc_cwnd_budget(const struct eorpc_cwnd *c, u32 nfrags);
void eorpc_cwnd_round(struct eorpc_cwnd *c, bool lost, u32 frags,
		      u32 round_us);
void eorpc_cwnd_timeout(struct eorpc_cwnd *c);

#endif /* _EORPC_CWND_H */
