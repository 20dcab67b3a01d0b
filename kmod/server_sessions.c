// SPDX-License-Identifier: GPL-2.0
/*
 * A server socket's sessions: found in O(1) by session id and by (client
 * address, client epoch) through resizable hash tables, kept on a list from
 * least to most recently active (expiry and eviction look only at its head),
 * and charged to the namespace's net.eorpc.max_history_bytes.
 */
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include "eorpc.h"
#include "server_sessions.h"
#include "fault.h"
#include "netns.h"

struct ss_client_key {
	const struct sockaddr_eorpc	*peer;
	u64				client_epoch;
};

static u32 client_hash(const struct sockaddr_eorpc *peer, u64 client_epoch,
		       u32 seed)
{
	return eorpc_addr_hash(peer, seed) ^ hash_64(client_epoch ^ seed, 32);
}

static u32 ss_client_hashfn(const void *data, u32 len, u32 seed)
{
	const struct ss_client_key *key = data;

	return client_hash(key->peer, key->client_epoch, seed);
}

static u32 ss_client_obj_hashfn(const void *data, u32 len, u32 seed)
{
	const struct eorpc_server_session *ss = data;

	return client_hash(&ss->peer, ss->client_epoch, seed);
}

static int ss_client_cmpfn(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct ss_client_key *key = arg->key;
	const struct eorpc_server_session *ss = obj;

	return !(ss->client_epoch == key->client_epoch &&
		 eorpc_addr_equal(&ss->peer, key->peer));
}

static const struct rhashtable_params ss_id_params = {
	.key_len		= sizeof(u64),
	.key_offset		= offsetof(struct eorpc_server_session, session_id),
	.head_offset		= offsetof(struct eorpc_server_session, by_id),
	.automatic_shrinking	= true,
};

static const struct rhashtable_params ss_client_params = {
	.head_offset		= offsetof(struct eorpc_server_session, by_client),
	.hashfn			= ss_client_hashfn,
	.obj_hashfn		= ss_client_obj_hashfn,
	.obj_cmpfn		= ss_client_cmpfn,
	.automatic_shrinking	= true,
};

/* listen(): the tables exist from here until the socket is released. */
int eorpc_server_sessions_init(struct eorpc_sock *ep)
{
	int err;

	if (ep->ss_tables)
		return 0;
	err = rhashtable_init(&ep->ss_by_id, &ss_id_params);
	if (err)
		return err;
	err = rhashtable_init(&ep->ss_by_client, &ss_client_params);
	if (err) {
		rhashtable_destroy(&ep->ss_by_id);
		return err;
	}
	ep->ss_tables = true;
	return 0;
}

/* Every session was removed first. */
void eorpc_server_sessions_destroy(struct eorpc_sock *ep)
{
	if (!ep->ss_tables)
		return;
	rhashtable_destroy(&ep->ss_by_client);
	rhashtable_destroy(&ep->ss_by_id);
	ep->ss_tables = false;
}

struct eorpc_server_session *
eorpc_server_session_by_id(struct eorpc_sock *ep, u64 session_id)
{
	if (!ep->ss_tables)
		return NULL;
	return rhashtable_lookup_fast(&ep->ss_by_id, &session_id, ss_id_params);
}

struct eorpc_server_session *
eorpc_server_session_by_client(struct eorpc_sock *ep,
			       const struct sockaddr_eorpc *peer,
			       u64 client_epoch)
{
	struct ss_client_key key = {
		.peer = peer,
		.client_epoch = client_epoch,
	};

	if (!ep->ss_tables)
		return NULL;
	return rhashtable_lookup_fast(&ep->ss_by_client, &key,
				      ss_client_params);
}

/*
 * Bucket pointers per session in each of the two tables, on average: an
 * rhashtable grows past 75% load and shrinks below 30%, so it keeps
 * between 4/3 and 10/3 buckets per entry; and a large table's header takes
 * its allocation just past a power of two, which the page allocator
 * doubles.
 */
enum { SS_BUCKETS_PER_SESSION = 3 };

/**
 * eorpc_server_session_cost() - what an idle session costs in memory
 * @window: its history ring size
 *
 * Its object and history ring as the allocator rounds them, and its share
 * of the two hash tables' buckets: what max_history_bytes is compared with.
 *
 * Return: bytes.
 */
size_t eorpc_server_session_cost(u32 window)
{
	return kmalloc_size_roundup(sizeof(struct eorpc_server_session)) +
	       kmalloc_size_roundup(window * sizeof(struct eorpc_hentry *)) +
	       2 * SS_BUCKETS_PER_SESSION * sizeof(struct rhash_head *);
}

/**
 * eorpc_server_session_insert() - make a new session findable and charge it
 * @ep: the socket, locked
 * @ss: the session: ids, peer, history and last_active set
 *
 * Return: 0, or -ENOMEM/-EBUSY from the hash tables (nothing inserted).
 */
int eorpc_server_session_insert(struct eorpc_sock *ep,
				struct eorpc_server_session *ss)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));
	int err;

	sock_owned_by_me(&ep->sk);
	/* The tables may allocate (a bucket table growing): a fault point. */
	if (eorpc_should_fail_alloc())
		return -ENOMEM;
	err = rhashtable_insert_fast(&ep->ss_by_id, &ss->by_id, ss_id_params);
	if (err)
		return err;
	err = rhashtable_insert_fast(&ep->ss_by_client, &ss->by_client,
				     ss_client_params);
	if (err) {
		rhashtable_remove_fast(&ep->ss_by_id, &ss->by_id, ss_id_params);
		return err;
	}
	list_add_tail(&ss->lru, &ep->server_sessions);
	ep->ss_count++;
	atomic_inc(&en->sessions);
	eorpc_server_session_charge(ep, ss,
				    eorpc_server_session_cost(ss->history.window));
	return 0;
}

/* Undo eorpc_server_session_insert(); the caller drained the history first. */
void eorpc_server_session_remove(struct eorpc_sock *ep,
				 struct eorpc_server_session *ss)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));

	sock_owned_by_me(&ep->sk);
	rhashtable_remove_fast(&ep->ss_by_client, &ss->by_client,
			       ss_client_params);
	rhashtable_remove_fast(&ep->ss_by_id, &ss->by_id, ss_id_params);
	list_del(&ss->lru);
	ep->ss_count--;
	atomic_dec(&en->sessions);
	eorpc_server_session_charge(ep, ss, -(long)ss->bytes);
}

/* A packet of the session arrived: it becomes the most recently active. */
void eorpc_server_session_touch(struct eorpc_sock *ep,
				struct eorpc_server_session *ss, ktime_t now)
{
	sock_owned_by_me(&ep->sk);
	ss->last_active = now;
	list_move_tail(&ss->lru, &ep->server_sessions);
}

/* Account @delta bytes of server state to @ss and its namespace. */
void eorpc_server_session_charge(struct eorpc_sock *ep,
				 struct eorpc_server_session *ss, long delta)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));

	ss->bytes += delta;
	atomic_long_add(delta, &en->server_state_bytes);
}

/* Would @bytes more of server state stay within max_history_bytes? */
bool eorpc_server_state_room(struct eorpc_sock *ep, size_t bytes)
{
	struct eorpc_net *en = eorpc_net(sock_net(&ep->sk));

	return atomic_long_read(&en->server_state_bytes) + bytes <=
	       READ_ONCE(en->max_history_bytes);
}
