// SPDX-License-Identifier: GPL-2.0
/*
 * Cookies: a MAC of (address, port, client epoch) under a key that rotates
 * every EORPC_COOKIE_ROTATE_S seconds, so nothing is stored per sender.
 */
#include <linux/random.h>
#include <linux/string.h>
#include <linux/ktime.h>
#include "cookie.h"

/* What a cookie vouches for; zero padding keeps the MAC input defined. */
struct cookie_input {
	u8	addr[16];
	__be16	port;
	u16	transport;
	u32	scope_id;
	u64	client_epoch;
	u64	half;
};

/* No early exit: the time taken must not tell how much of a guess matched. */
static bool cookie_equal(const struct eorpc_wire_cookie *a,
			 const struct eorpc_wire_cookie *b)
{
	u8 diff = 0;
	int i;

	for (i = 0; i < EORPC_COOKIE_LEN; i++)
		diff |= a->bytes[i] ^ b->bytes[i];
	return !diff;
}

static u64 current_slot(void)
{
	return ktime_get_boottime_seconds() / EORPC_COOKIE_ROTATE_S;
}

/* Move the keys on to the current period. */
static void rotate(struct eorpc_cookie_secret *secret)
{
	u64 slot = current_slot();

	lockdep_assert_held(&secret->lock);
	if (slot == secret->slot)
		return;
	secret->have_prev = slot == secret->slot + 1;
	secret->prev = secret->cur;
	get_random_bytes(&secret->cur, sizeof(secret->cur));
	secret->slot = slot;
}

static void compute(const siphash_key_t *key, const struct sockaddr_eorpc *peer,
		    u64 client_epoch, struct eorpc_wire_cookie *cookie)
{
	struct cookie_input in;
	u64 mac[2];

	memset(&in, 0, sizeof(in));
	if (peer->seo_transport == AF_INET)
		memcpy(in.addr, &peer->seo_addr4, sizeof(peer->seo_addr4));
	else
		memcpy(in.addr, peer->seo_addr6, sizeof(in.addr));
	in.port = peer->seo_port;
	in.transport = peer->seo_transport;
	in.scope_id = peer->seo_scope_id;
	in.client_epoch = client_epoch;
	/* 128 bits: two MACs of the same input told apart by @half. */
	for (in.half = 0; in.half < 2; in.half++)
		mac[in.half] = siphash(&in, sizeof(in), key);
	BUILD_BUG_ON(sizeof(mac) != sizeof(cookie->bytes));
	memcpy(cookie->bytes, mac, sizeof(mac));
}

void eorpc_cookie_init(struct eorpc_cookie_secret *secret)
{
	spin_lock_init(&secret->lock);
	get_random_bytes(&secret->cur, sizeof(secret->cur));
	secret->slot = current_slot();
	secret->have_prev = false;
}

/**
 * eorpc_cookie_make() - the cookie a HELLO from @peer must return
 * @secret: the namespace's keys
 * @peer: the HELLO's source
 * @client_epoch: the HELLO's client epoch
 * @cookie: filled in
 */
void eorpc_cookie_make(struct eorpc_cookie_secret *secret,
		       const struct sockaddr_eorpc *peer, u64 client_epoch,
		       struct eorpc_wire_cookie *cookie)
{
	siphash_key_t key;

	spin_lock(&secret->lock);
	rotate(secret);
	key = secret->cur;
	spin_unlock(&secret->lock);
	compute(&key, peer, client_epoch, cookie);
	memzero_explicit(&key, sizeof(key));
}

/**
 * eorpc_cookie_valid() - did we hand @cookie to @peer recently?
 * @secret: the namespace's keys
 * @peer: the HELLO's source
 * @client_epoch: the HELLO's client epoch
 * @cookie: the HELLO's cookie
 *
 * Return: true if @cookie was made for @peer and @client_epoch under the
 * current or the previous key.
 */
bool eorpc_cookie_valid(struct eorpc_cookie_secret *secret,
			const struct sockaddr_eorpc *peer, u64 client_epoch,
			const struct eorpc_wire_cookie *cookie)
{
	struct eorpc_wire_cookie want;
	siphash_key_t keys[2];
	int nkeys = 1, i;
	bool ok = false;

	spin_lock(&secret->lock);
	rotate(secret);
	keys[0] = secret->cur;
	if (secret->have_prev) {
		keys[1] = secret->prev;
		nkeys = 2;
	}
	spin_unlock(&secret->lock);
	for (i = 0; i < nkeys && !ok; i++) {
		compute(&keys[i], peer, client_epoch, &want);
		ok = cookie_equal(&want, cookie);
	}
	memzero_explicit(keys, sizeof(keys));
	memzero_explicit(&want, sizeof(want));
	return ok;
}
