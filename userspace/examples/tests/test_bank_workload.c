// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The bank workload against the real bank logic in memory: with each
 * transfer executed once, the clients' ledgers predict every balance; with
 * one transfer executed twice, the total is still conserved but the ledger
 * equation catches it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bank/bank_msg.h"
#include "../bank/bank_service.h"
#include "../bank/bank_workload.h"
#include "tap.h"

enum { CLIENTS = 4, ACCOUNTS = 6, INITIAL = 100, INFLIGHT = 3 };

struct sim {
	struct bank bank;
	struct bank_counters count;
	struct bank_workload w[CLIENTS];
	unsigned int seed;
};

/*
 * A second execution of @req that moves money. Return: 1 if it did.
 */
static int execute_again(struct sim *s, const unsigned char *req)
{
	unsigned char rep[BANK_REP_LEN];
	struct bank_reply rp;
	size_t len;

	if (req[1] != BANK_TRANSFER)
		return 0;
	len = bank_serve(&s->bank, &s->count, req, BANK_REQ_LEN, rep,
			 sizeof(rep));
	return !bank_reply_decode(&rp, rep, len) && rp.status == BANK_OK;
}

/*
 * Run @calls calls per client; @twice: from the @twice-th call on, execute
 * the first transfer that can succeed twice.
 */
static void sim_run(struct sim *s, int calls, int twice)
{
	unsigned char req[CLIENTS][INFLIGHT][BANK_REQ_LEN], rep[BANK_REP_LEN];
	int busy[CLIENTS][INFLIGHT] = { { 0 } }, started[CLIENTS] = { 0 };
	int ended[CLIENTS] = { 0 }, c, k, left = CLIENTS, executed = 0;
	int doubled = 0;
	size_t len;

	while (left) {
		c = rand_r(&s->seed) % CLIENTS;
		if (ended[c] == calls)
			continue;
		for (k = 0; k < INFLIGHT && started[c] < calls; k++) {
			if (busy[c][k])
				continue;
			bank_workload_next(&s->w[c], (unsigned int)k, req[c][k],
					   BANK_REQ_LEN);
			busy[c][k] = 1;
			started[c]++;
		}
		do {
			k = rand_r(&s->seed) % INFLIGHT;
		} while (!busy[c][k]);
		len = bank_serve(&s->bank, &s->count, req[c][k], BANK_REQ_LEN,
				 rep, sizeof(rep));
		if (twice && ++executed >= twice && !doubled)
			doubled = execute_again(s, req[c][k]);
		busy[c][k] = 0;
		bank_workload_done(&s->w[c], (unsigned int)k, rep, len, 0);
		if (++ended[c] == calls)
			left--;
	}
}

/* Accounts whose balance differs from what the ledgers predict. */
static int ledger_mismatches(struct sim *s)
{
	int64_t want, have;
	int a, c, bad = 0;

	for (a = 0; a < ACCOUNTS; a++) {
		want = INITIAL;
		for (c = 0; c < CLIENTS; c++) {
			want += (int64_t)s->w[c].sent_to[a];
			if (c == a)
				want -= (int64_t)s->w[c].sent;
		}
		if (bank_query(&s->bank, (uint32_t)a, &have) != BANK_OK ||
		    have != want)
			bad++;
	}
	return bad;
}

static void sim_init(struct sim *s, unsigned int seed, uint64_t max_amount)
{
	int c;

	memset(s, 0, sizeof(*s));
	s->seed = seed;
	bank_init(&s->bank, ACCOUNTS, INITIAL);
	for (c = 0; c < CLIENTS; c++)
		bank_workload_init(&s->w[c], (uint32_t)c, ACCOUNTS, max_amount,
				   seed);
}

static void sim_free(struct sim *s)
{
	int c;

	for (c = 0; c < CLIENTS; c++)
		bank_workload_free(&s->w[c]);
	bank_free(&s->bank);
}

static int ledger_is(struct bank_workload *w, const char *want)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	int same;

	bank_workload_print_ledger(w, f);
	fclose(f);
	same = !strcmp(text, want);
	free(text);
	return same;
}

void suite_bank_workload(void)
{
	struct bank_workload w;
	static struct sim s;
	uint64_t transfers = 0, rejected = 0, bad = 0;
	int c;

	printf("# suite bank_workload\n");
	errno = 0;
	TAP_OK(bank_workload_init(&w, 3, 3, 10, 1) == -1 && errno == EINVAL,
	       "a client id without an account is EINVAL");
	errno = 0;
	TAP_OK(bank_workload_init(&w, 0, 1, 10, 1) == -1 && errno == EINVAL,
	       "a bank of one account (nowhere to send) is EINVAL");
	bank_workload_init(&w, 0, 4, 10, 1);
	TAP_OK(ledger_is(&w, "sent=-"), "an empty ledger prints as sent=-");
	w.sent_to[1] = 5;
	w.sent_to[3] = 12;
	TAP_OK(ledger_is(&w, "sent=1:5,3:12"), "the ledger lists what each got");
	bank_workload_free(&w);

	/* Large amounts: many transfers are refused for want of funds. */
	sim_init(&s, 1, 60);
	sim_run(&s, 400, 0);
	for (c = 0; c < CLIENTS; c++) {
		transfers += s.w[c].transfers;
		rejected += s.w[c].rejected;
		bad += s.w[c].bad_replies + s.w[c].failed;
	}
	TAP_OK(!bad && transfers && rejected,
	       "executed once: no bad reply; %llu transfers, %llu refused",
	       (unsigned long long)transfers, (unsigned long long)rejected);
	TAP_OK(transfers == s.count.transfers && rejected == s.count.rejected,
	       "the clients' counts are the server's");
	TAP_OK(bank_total(&s.bank) == ACCOUNTS * INITIAL && !ledger_mismatches(&s),
	       "executed once: money conserved and every balance as the ledgers say");
	sim_free(&s);

	/* Small amounts, so a transfer that can succeed twice comes soon. */
	sim_init(&s, 2, 3);
	sim_run(&s, 100, 50);
	TAP_OK(bank_total(&s.bank) == ACCOUNTS * INITIAL,
	       "a call executed twice: money is still conserved");
	transfers = 0;
	for (c = 0; c < CLIENTS; c++)
		transfers += s.w[c].transfers;
	TAP_OK(s.count.transfers == transfers + 1,
	       "the server moved money once more than the clients asked");
	TAP_OK(ledger_mismatches(&s) == 2,
	       "a transfer executed twice breaks the ledger of both its accounts");
	sim_free(&s);
}
