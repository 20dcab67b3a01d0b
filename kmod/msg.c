// SPDX-License-Identifier: GPL-2.0
/*
 * Message bodies: one flat buffer per request or reply, filled from the
 * user's iovec or from fragments, and the receive-buffer accounting that
 * bounds them.
 */
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include "eorpc.h"
#include "fault.h"
#include "netns.h"

static bool frags_in_word(u32 len)
{
	return eorpc_nfrags(len) <= BITS_PER_LONG;
}

static unsigned long *msg_frags(struct eorpc_msg *m)
{
	return frags_in_word(m->len) ? &m->frags.word : m->frags.map;
}

static size_t frags_map_size(u32 len)
{
	return frags_in_word(len) ? 0 : BITS_TO_LONGS(eorpc_nfrags(len)) *
					sizeof(unsigned long);
}

/*
 * A body above the slab sizes, in pages of its own (a compound folio)
 * that datagrams may hold references to after the message is freed
 * (eorpc_skb_add_data()). Not a large kmalloc: newer kernels refuse
 * get_page() on kmalloc memory, whose lifetime the slab allocator owns.
 * NULL if no such folio is free at once; kvmalloc() then finds memory
 * another way, and datagrams copy from it.
 */
static void *alloc_own_pages(u32 len)
{
	struct folio *folio;
	void *data;

	folio = folio_alloc(GFP_KERNEL_ACCOUNT | __GFP_NORETRY | __GFP_NOWARN,
			    get_order(len));
	if (!folio)
		return NULL;
	data = folio_address(folio);
	/* The leak detector tracks large kmallocs; bodies stay tracked. */
	kmemleak_alloc(data, len, 1, GFP_KERNEL);
	return data;
}

static void free_own_pages(void *data)
{
	kmemleak_free(data);
	folio_put(virt_to_folio(data));
}

/**
 * eorpc_msg_alloc() - an empty body of @len bytes, no fragment yet
 * @m: the message
 * @len: its length
 *
 * On failure @m is left empty (length 0, no buffer): a message that says
 * it has @len bytes but no buffer would be copied from NULL if its call
 * then failed and the application read the completion.
 *
 * Return: 0 or -ENOMEM.
 */
int eorpc_msg_alloc(struct eorpc_msg *m, u32 len)
{
	size_t map_size = frags_map_size(len);

	m->len = 0;
	m->have = 0;
	m->sent = 0;
	m->round_frags = 0;
	m->round_tx = 0;
	m->round_cut = false;
	m->own_pages = false;
	m->data = NULL;
	m->frags.word = 0;
	if (!len)
		return 0;
	if (len <= EORPC_MSG_INLINE) {
		m->data = m->inline_data;
		m->len = len;
		return 0;
	}
	if (eorpc_should_fail_alloc())
		return -ENOMEM;
	if (map_size) {
		m->frags.map = kzalloc(map_size, eorpc_rx_gfp());
		if (!m->frags.map)
			return -ENOMEM;
	}
	if (in_softirq()) {
		/* Nothing that sleeps: small bodies only (dispatch.c). */
		m->data = kmalloc(len, eorpc_rx_gfp());
	} else {
		if (len > KMALLOC_MAX_CACHE_SIZE)
			m->data = alloc_own_pages(len);
		m->own_pages = !!m->data;
		if (!m->data)
			m->data = kvmalloc(len, GFP_KERNEL_ACCOUNT);
	}
	if (!m->data) {
		kfree(m->frags.map);
		m->frags.map = NULL;
		return -ENOMEM;
	}
	m->len = len;
	return 0;
}

int eorpc_msg_from_iter(struct eorpc_msg *m, struct iov_iter *from, u32 len)
{
	int err = eorpc_msg_alloc(m, len);

	if (err)
		return err;
	if (len && !copy_from_iter_full(m->data, len, from)) {
		eorpc_msg_free(m);
		return -EFAULT;
	}
	/* Whole here; none known at the receiver yet (see NEED). */
	m->have = eorpc_nfrags(len);
	return 0;
}

bool eorpc_msg_has_frag(const struct eorpc_msg *m, u32 frag)
{
	return test_bit(frag, frags_in_word(m->len) ? &m->frags.word :
						      m->frags.map);
}

/**
 * eorpc_msg_add_frag() - store one validated fragment
 * @m: a message allocated with the fragment's msg_len
 * @skb: the datagram (data at the UDP payload)
 * @pkt: its decoded header
 *
 * Return: true if the fragment was new.
 */
bool eorpc_msg_add_frag(struct eorpc_msg *m, const struct sk_buff *skb,
			const struct eorpc_pkt *pkt)
{
	unsigned long *frags = msg_frags(m);

	if (test_bit(pkt->frag, frags))
		return false;
	if (pkt->data_len &&
	    skb_copy_bits(skb, pkt->data_off,
			  m->data + (u32)pkt->frag * EORPC_FRAG_DATA,
			  pkt->data_len))
		return false;
	__set_bit(pkt->frag, frags);
	m->have++;
	/*
	 * Only a message still partial can be abandoned: no clock read for
	 * single-fragment messages, the common case.
	 */
	if (!eorpc_msg_complete(m))
		m->progress = ktime_get();
	return true;
}

/*
 * Should the receiver of the new fragment @pkt say what it lacks (a
 * NEED)? When the message is still partial and the sender asked
 * (EORPC_F_ACK_NOW: the end of a round), or nothing after the fragment
 * is missing: the end of a transmission reached it with holes before.
 * Senders go in index order and end every round either way, so this
 * fires about once a round, not once a fragment.
 */
bool eorpc_msg_wants_need(const struct eorpc_msg *m,
			  const struct eorpc_pkt *pkt)
{
	u32 n = eorpc_nfrags(m->len);

	if (eorpc_msg_complete(m))
		return false;
	return (pkt->flags & EORPC_F_ACK_NOW) ||
	       find_next_zero_bit(msg_frags((struct eorpc_msg *)m), n,
				  pkt->frag + 1) >= n;
}

/*
 * A copy of a fragment already here ends a round or a transmission: say
 * again what lacks, since the sender's view is stale.
 */
bool eorpc_msg_dup_wants_need(const struct eorpc_msg *m,
			      const struct eorpc_pkt *pkt)
{
	return !eorpc_msg_complete(m) && eorpc_pkt_round_end(pkt);
}

/* A NEED's data: bit i % 8 of byte i / 8 set if fragment i is here. */
void eorpc_msg_need_bits(const struct eorpc_msg *m, u8 *bits)
{
	u32 n = eorpc_nfrags(m->len), i;

	memset(bits, 0, eorpc_need_len(m->len));
	for (i = 0; i < n; i++)
		if (eorpc_msg_has_frag(m, i))
			bits[i / 8] |= 1 << (i % 8);
}

/*
 * Fragments of a message being sent that its receiver has, as a NEED
 * reports them: the report replaces what was known, since the receiver
 * may have dropped a partial message (abandoned) and started it over.
 * Return: true if the report differs from what was known.
 */
bool eorpc_msg_peer_has(struct eorpc_msg *m, const u8 *bits)
{
	u32 n = eorpc_nfrags(m->len), i;
	unsigned long *frags = msg_frags(m);
	bool changed = false, has;

	for (i = 0; i < n; i++) {
		has = bits[i / 8] & (1 << (i % 8));
		if (has == test_bit(i, frags))
			continue;
		__assign_bit(i, frags, has);
		changed = true;
	}
	return changed;
}

bool eorpc_msg_complete(const struct eorpc_msg *m)
{
	return m->have == eorpc_nfrags(m->len);
}

void eorpc_msg_free(struct eorpc_msg *m)
{
	if (!frags_in_word(m->len))
		kfree(m->frags.map);
	if (m->own_pages)
		free_own_pages(m->data);
	else if (m->data != m->inline_data)
		kvfree(m->data);
	m->data = NULL;
	m->len = 0;
	m->have = 0;
	m->sent = 0;
	m->round_tx = 0;
	m->round_cut = false;
	m->own_pages = false;
	m->frags.word = 0;
}

/*
 * What a body of @len bytes costs in memory, as the allocator rounds it
 * (kvmalloc's vmalloc fallback rounds to pages: never more than this);
 * nothing beyond its message's own size if it is inline.
 */
size_t eorpc_msg_charge(u32 len)
{
	size_t map_size = frags_map_size(len);

	if (len <= EORPC_MSG_INLINE)
		return 0;
	return kmalloc_size_roundup(len) +
	       (map_size ? kmalloc_size_roundup(map_size) : 0);
}

/*
 * A partial message whose sender sent nothing new for two retransmission
 * caps: an honest sender resends every fragment at least once per rto_max,
 * so this one has crashed, gone away or misbehaves. Dropping it loses
 * nothing that was delivered; a later retransmission starts it over.
 */
bool eorpc_msg_abandoned(const struct eorpc_sock *ep,
			 const struct eorpc_msg *m, ktime_t now)
{
	const struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));

	return ktime_ms_delta(now, m->progress) >=
	       2 * (s64)READ_ONCE(en->rto_max_ms);
}

/*
 * Requests being received or queued and replies being received are charged
 * to sk_rmem_alloc and bounded by SO_RCVBUF, as a UDP socket's queue is.
 */
void eorpc_rmem_charge(struct eorpc_sock *ep, u32 bytes)
{
	atomic_add(bytes, &ep->sk.sk_rmem_alloc);
}

void eorpc_rmem_uncharge(struct eorpc_sock *ep, u32 bytes)
{
	atomic_sub(bytes, &ep->sk.sk_rmem_alloc);
}

/*
 * May a new message start? UDP's rule for what waits for the application:
 * while the buffer is not full, so the last message admitted may overshoot
 * SO_RCVBUF and a socket always takes at least one message however large
 * (as one call always fits the send budget). A rule that needed room for
 * the whole message would refuse a message larger than the buffer forever,
 * and its call would retry to its deadline.
 *
 * Messages still being reassembled are charged too, but do not count here:
 * one peer's unfinished 1 MiB message would otherwise shut every other
 * peer out until it is abandoned. They are bounded per session instead
 * (eorpc_partial_room()), and at a server by the namespace's state cap.
 */
bool eorpc_rmem_room(const struct eorpc_sock *ep)
{
	return atomic_read(&ep->sk.sk_rmem_alloc) - (int)ep->partial_bytes <
	       READ_ONCE(ep->sk.sk_rcvbuf);
}

/*
 * May a session that holds @held bytes of partial messages start one more
 * of @len bytes? At most half the receive buffer, so one peer that starts
 * large messages and never finishes them cannot starve the socket's other
 * sessions; but always its first, so a message larger than that still
 * completes. A single fragment is never held partially.
 */
bool eorpc_partial_room(const struct eorpc_sock *ep, u32 held, u32 len)
{
	return eorpc_nfrags(len) == 1 || !held ||
	       held + len <= READ_ONCE(ep->sk.sk_rcvbuf) / 2;
}

/* A session holding @held partial bytes starts reassembling @len more. */
void eorpc_partial_start(struct eorpc_sock *ep, u32 *held, u32 len)
{
	*held += len;
	ep->partial_bytes += len;
}

/* ...and one of them completed or was dropped. */
void eorpc_partial_end(struct eorpc_sock *ep, u32 *held, u32 len)
{
	*held -= len;
	ep->partial_bytes -= len;
}

/* The largest request or reply the socket's namespace sends or takes. */
u32 eorpc_max_msg(const struct eorpc_sock *ep)
{
	/* What a user may send is what the protocol carries. */
	BUILD_BUG_ON(EORPC_WIRE_MAX_MSG != EORPC_MAX_MSG_LEN);
	return READ_ONCE(eorpc_net(sock_net(&ep->sk))->max_msg_bytes);
}
