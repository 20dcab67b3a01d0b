// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The workload and its checks, against the real server logic in memory: a
 * simulated network that executes each request once must pass every check,
 * and one that executes Appends twice must be caught.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kv/kv_msg.h"
#include "../kv/kv_service.h"
#include "../kv/kv_workload.h"
#include "tap.h"

enum { CLIENTS = 3, INFLIGHT = 4 };

static unsigned char rep[KV_REP_MAX];

struct flight {
	unsigned char req[KV_REQ_MAX];
	size_t len;
	int busy;
};

struct sim {
	struct kv_store server;
	struct kv_counters count;
	struct kv_workload w[CLIENTS];
	struct flight f[CLIENTS][INFLIGHT];
	unsigned int seed;
	uint64_t shared_appends;
};

static int is_append(const unsigned char *req, size_t len)
{
	struct kv_request rq;

	return !kv_request_decode(&rq, req, len) && rq.op == KV_APPEND;
}

/*
 * Run @calls calls per client, completing the in-flight calls in random
 * order; @twice: execute every Append twice (a broken at-most-once).
 */
static void sim_run(struct sim *s, uint64_t calls, int twice)
{
	uint64_t started[CLIENTS] = { 0 }, ended[CLIENTS] = { 0 };
	int c, slot, left = CLIENTS;
	ssize_t n;
	size_t len;

	memset(s->f, 0, sizeof(s->f));
	while (left) {
		c = rand_r(&s->seed) % CLIENTS;
		if (ended[c] == calls)
			continue;
		for (slot = 0; slot < INFLIGHT && started[c] < calls; slot++) {
			if (s->f[c][slot].busy)
				continue;
			n = kv_workload_next(&s->w[c], (unsigned int)slot,
					     s->f[c][slot].req,
					     sizeof(s->f[c][slot].req));
			if (n < 0)
				break;
			s->f[c][slot].len = (size_t)n;
			s->f[c][slot].busy = 1;
			started[c]++;
		}
		do {
			slot = rand_r(&s->seed) % INFLIGHT;
		} while (!s->f[c][slot].busy);
		len = kv_serve(&s->server, &s->count, s->f[c][slot].req,
			       s->f[c][slot].len, rep, sizeof(rep));
		if (twice && is_append(s->f[c][slot].req, s->f[c][slot].len))
			kv_serve(&s->server, &s->count, s->f[c][slot].req,
				 s->f[c][slot].len, rep + KV_REP_MAX / 2,
				 KV_REP_MAX / 2);
		s->f[c][slot].busy = 0;
		kv_workload_done(&s->w[c], (unsigned int)slot, rep, len, 0);
		if (++ended[c] == calls)
			left--;
	}
}

/* Get every own key of every client from the server and verify it. */
static void sim_verify(struct sim *s)
{
	char key[KV_KEY_MAX + 1];
	struct kv_request rq = { .op = KV_GET, .key = key };
	unsigned char req[KV_REQ_MAX];
	unsigned int c, k;
	size_t len;
	ssize_t n;

	for (c = 0; c < CLIENTS; c++) {
		for (k = 0; k < s->w[c].nkeys; k++) {
			rq.key_len = kv_workload_key(&s->w[c], k, key,
						     sizeof(key));
			n = kv_request_encode(&rq, req, sizeof(req));
			len = kv_serve(&s->server, &s->count, req, (size_t)n,
				       rep, sizeof(rep));
			kv_workload_verify(&s->w[c], k, rep, len);
		}
	}
}

static void sim_init(struct sim *s, unsigned int seed)
{
	unsigned int c;

	memset(s, 0, sizeof(*s));
	s->seed = seed;
	kv_store_init(&s->server, 1000);
	for (c = 0; c < CLIENTS; c++)
		kv_workload_init(&s->w[c], c, 5, 42);
}

static void sim_free(struct sim *s)
{
	unsigned int c;

	for (c = 0; c < CLIENTS; c++)
		kv_workload_free(&s->w[c]);
	kv_store_free(&s->server);
}

static uint64_t sum(struct sim *s, size_t field)
{
	uint64_t t = 0;
	unsigned int c;

	for (c = 0; c < CLIENTS; c++)
		t += *(uint64_t *)((char *)&s->w[c] + field);
	return t;
}

#define SUM(s, f) sum(s, offsetof(struct kv_workload, f))

static void tokens(void)
{
	size_t n = 9;

	TAP_OK(kv_token_check("", 0, &n) == 0 && n == 0, "tokens: empty value");
	TAP_OK(kv_token_check("a1.2;", 5, &n) == 0 && n == 1, "tokens: one");
	TAP_OK(kv_token_check("a1.1;a1.10;", 11, &n) == 0 && n == 2,
	       "tokens: a token's prefix is another token");
	TAP_OK(kv_token_check("a1.2;a1.2;", 10, &n) == 1 && n == 2,
	       "tokens: a repeated token counts once");
	TAP_OK(kv_token_check("a1.2;b;a1.2;a1.2;", 17, &n) == 2 && n == 4,
	       "tokens: every extra occurrence counts");
	TAP_OK(kv_token_check("a1.2", 4, NULL) == -1,
	       "tokens: a value not ending in ';' is malformed");
	TAP_OK(kv_token_check("a;;", 3, NULL) == -1,
	       "tokens: an empty token is malformed");
}

void suite_kv_workload(void)
{
	static struct sim s;
	struct kv_workload w;
	unsigned char buf[KV_REQ_MAX];
	struct kv_request rq;
	const char *v;
	size_t len, ntok;
	int i, ok;

	printf("# suite kv_workload\n");
	tokens();

	errno = 0;
	TAP_OK(kv_workload_init(&w, 0, 0, 1) == -1 && errno == EINVAL,
	       "a workload without keys is EINVAL");
	kv_workload_init(&w, 7, 1, 1);
	ok = 0;
	for (i = 0; i < 3; i++) {
		if (kv_workload_next(&w, (unsigned int)i, buf, sizeof(buf)) < 0)
			break;
		ok++;
	}
	TAP_OK(ok >= 1 && ok <= 2 && errno == EAGAIN,
	       "one own key and the shared key: at most 2 calls in flight (%d)",
	       ok);
	kv_workload_free(&w);
	kv_workload_init(&w, 7, 3, 1);
	ok = kv_workload_next(&w, 0, buf, sizeof(buf)) > 0 &&
	     !kv_request_decode(&rq, buf, (size_t)kv_workload_next(&w, 1, buf,
								   sizeof(buf)));
	TAP_OK(ok && (rq.op == KV_GET || (rq.value_len >= 4 && rq.value[1] == '7' &&
					  rq.value[rq.value_len - 1] == ';')),
	       "requests carry the client's tokens");
	kv_workload_free(&w);

	sim_init(&s, 1);
	sim_run(&s, 300, 0);
	sim_verify(&s);
	TAP_OK(!SUM(&s, mismatches) && !SUM(&s, doubles) && !SUM(&s, failed),
	       "executed once: every reply and final value matches the model");
	TAP_OK(SUM(&s, get) + SUM(&s, put) + SUM(&s, append) == CLIENTS * 300 &&
	       SUM(&s, put) && SUM(&s, get) && SUM(&s, shared_appends),
	       "the workload mixes Get, Put, Append and shared Appends");
	TAP_OK(s.count.get + s.count.put + s.count.append == CLIENTS * 300 + 15,
	       "the server executed each call once, plus the final Gets");
	ok = kv_get(&s.server, KV_SHARED_KEY, strlen(KV_SHARED_KEY), &v,
		    &len) == KV_OK;
	TAP_OK(ok && kv_token_check(v, len, &ntok) == 0 &&
	       ntok == SUM(&s, shared_appends),
	       "the shared key holds each client's appends once (%zu tokens)",
	       ntok);
	sim_free(&s);

	sim_init(&s, 2);
	sim_run(&s, 300, 1);
	TAP_OK(SUM(&s, mismatches) > 0,
	       "Appends executed twice: replies differ from the model");
	sim_verify(&s);
	TAP_OK(SUM(&s, doubles) > 0,
	       "Appends executed twice: doubled tokens found in final values");
	ok = kv_get(&s.server, KV_SHARED_KEY, strlen(KV_SHARED_KEY), &v,
		    &len) == KV_OK;
	TAP_OK(ok && kv_token_check(v, len, &ntok) > 0,
	       "Appends executed twice: the shared key shows them too");
	sim_free(&s);

	sim_init(&s, 3);
	s.w[1].unknown[0] = 1;	/* as if a call on c1.k0 had failed */
	sim_run(&s, 100, 0);
	sim_verify(&s);
	TAP_OK(!SUM(&s, mismatches),
	       "a key whose outcome is unknown is not compared");
	sim_free(&s);
}
