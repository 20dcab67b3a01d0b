// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Per-descriptor state: the stash of completions read by one thread on
 * behalf of another, and the bookkeeping that makes one thread at a time
 * the reader of a socket.
 *
 * States live in a table indexed by descriptor number. Each remembers the
 * device and inode of the socket it was made for, so a descriptor closed
 * with close(2) and reused for another socket never sees the old stash, and
 * descriptors made by dup() share the stash of their socket. A state is
 * referenced by each table slot holding it and by each call using it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct eorpc__fd **table;
static size_t table_len;

static void state_free(struct eorpc__fd *st)
{
	struct eorpc__done *d, *next;

	for (d = st->head; d; d = next) {
		next = d->next;
		free(d->data);
		free(d);
	}
	free(st->spare);
	free(st->rxbuf);
	pthread_cond_destroy(&st->cond);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

/* Under table_lock. */
static void state_unref(struct eorpc__fd *st)
{
	if (--st->refs == 0)
		state_free(st);
}

static int table_grow(size_t need)
{
	size_t len = table_len ? table_len : 64;
	struct eorpc__fd **t;

	while (len < need)
		len *= 2;
	t = realloc(table, len * sizeof(*t));
	if (!t)
		return -1;
	memset(t + table_len, 0, (len - table_len) * sizeof(*t));
	table = t;
	table_len = len;
	return 0;
}

static struct eorpc__fd *state_new(const struct stat *stbuf)
{
	struct eorpc__fd *st = calloc(1, sizeof(*st));

	if (!st)
		return NULL;
	if (pthread_mutex_init(&st->lock, NULL)) {
		free(st);
		errno = ENOMEM;
		return NULL;
	}
	if (pthread_cond_init(&st->cond, NULL)) {
		pthread_mutex_destroy(&st->lock);
		free(st);
		errno = ENOMEM;
		return NULL;
	}
	st->dev = stbuf->st_dev;
	st->ino = stbuf->st_ino;
	st->tailp = &st->head;
	st->refs = 1;		/* the table's */
	return st;
}

/* Under table_lock: the state of the open socket @stbuf, if any. */
static struct eorpc__fd *find_socket(const struct stat *stbuf)
{
	size_t i;

	for (i = 0; i < table_len; i++)
		if (table[i] && table[i]->dev == stbuf->st_dev &&
		    table[i]->ino == stbuf->st_ino)
			return table[i];
	return NULL;
}

struct eorpc__fd *eorpc__fd_get(int fd)
{
	struct eorpc__fd *st;
	struct stat stbuf;

	if (fd < 0) {
		errno = EBADF;
		return NULL;
	}
	if (fstat(fd, &stbuf) < 0)
		return NULL;

	pthread_mutex_lock(&table_lock);
	if ((size_t)fd >= table_len && table_grow((size_t)fd + 1) < 0) {
		pthread_mutex_unlock(&table_lock);
		errno = ENOMEM;
		return NULL;
	}
	st = table[fd];
	if (st && (st->dev != stbuf.st_dev || st->ino != stbuf.st_ino)) {
		/* The descriptor was closed and reused: drop the old state. */
		table[fd] = NULL;
		state_unref(st);
		st = NULL;
	}
	if (!st) {
		/* A dup() of a descriptor we know shares its socket's stash. */
		st = find_socket(&stbuf);
		if (st) {
			st->refs++;
		} else {
			st = state_new(&stbuf);
			if (!st) {
				pthread_mutex_unlock(&table_lock);
				errno = ENOMEM;
				return NULL;
			}
		}
		table[fd] = st;
	}
	st->refs++;
	pthread_mutex_unlock(&table_lock);
	return st;
}

void eorpc__fd_put(struct eorpc__fd *st)
{
	int saved = errno;

	pthread_mutex_lock(&table_lock);
	state_unref(st);
	pthread_mutex_unlock(&table_lock);
	errno = saved;
}

static struct eorpc__fd *peek(int fd)
{
	if (fd < 0 || (size_t)fd >= table_len)
		return NULL;
	return table[fd];
}

size_t eorpc__fd_stashed(int fd)
{
	struct eorpc__fd *st;
	size_t n = 0;

	pthread_mutex_lock(&table_lock);
	st = peek(fd);
	if (st) {
		pthread_mutex_lock(&st->lock);
		n = st->nstash;
		pthread_mutex_unlock(&st->lock);
	}
	pthread_mutex_unlock(&table_lock);
	return n;
}

size_t eorpc__fd_waiters(int fd)
{
	struct eorpc__fd *st;
	struct eorpc__waiter *w;
	size_t n = 0;

	pthread_mutex_lock(&table_lock);
	st = peek(fd);
	if (st) {
		pthread_mutex_lock(&st->lock);
		for (w = st->waiters; w; w = w->next)
			n++;
		pthread_mutex_unlock(&st->lock);
	}
	pthread_mutex_unlock(&table_lock);
	return n;
}

int eorpc_close(int fd)
{
	struct eorpc__fd *st;

	pthread_mutex_lock(&table_lock);
	st = peek(fd);
	if (st) {
		table[fd] = NULL;
		state_unref(st);
	}
	pthread_mutex_unlock(&table_lock);
	return close(fd);
}
