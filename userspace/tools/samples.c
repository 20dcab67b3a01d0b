// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Every latency is kept (a run makes at most a few million calls), so the
 * percentiles are exact rather than read from a histogram.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "samples.h"

static int reserve(struct samples *s, size_t need)
{
	size_t cap = s->cap ? s->cap : 1024;
	uint64_t *v;

	if (need <= s->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	v = realloc(s->v, cap * sizeof(*v));
	if (!v)
		return -1;
	s->v = v;
	s->cap = cap;
	return 0;
}

int samples_add(struct samples *s, uint64_t ns)
{
	if (reserve(s, s->n + 1))
		return -1;
	s->v[s->n++] = ns;
	return 0;
}

int samples_merge(struct samples *into, const struct samples *from)
{
	if (!from->n)
		return 0;
	if (reserve(into, into->n + from->n))
		return -1;
	memcpy(into->v + into->n, from->v, from->n * sizeof(*from->v));
	into->n += from->n;
	return 0;
}

void samples_free(struct samples *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void samples_sort(struct samples *s)
{
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
}

uint64_t samples_percentile(const struct samples *sorted, double p)
{
	size_t rank;

	if (!sorted->n || !(p > 0))
		return 0;
	if (p >= 100)
		return sorted->v[sorted->n - 1];
	/* ceil(p/100 * n), computed so 50% of 10 is exactly rank 5. */
	rank = (size_t)ceil(p * (double)sorted->n / 100.0 - 1e-9);
	if (rank < 1)
		rank = 1;
	return sorted->v[rank - 1];
}

double samples_mean(const struct samples *s)
{
	long double sum = 0;
	size_t i;

	if (!s->n)
		return 0;
	for (i = 0; i < s->n; i++)
		sum += s->v[i];
	return (double)(sum / s->n);
}
