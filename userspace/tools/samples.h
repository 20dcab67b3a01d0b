/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Latency samples and their percentiles, for eorpc bench. */
#ifndef EORPC_SAMPLES_H
#define EORPC_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

struct samples {
	uint64_t *v;		/* nanoseconds */
	size_t n, cap;
};

/* 0, or -1 (ENOMEM): the sample is then lost, the run goes on. */
int samples_add(struct samples *s, uint64_t ns);
int samples_merge(struct samples *into, const struct samples *from);
void samples_free(struct samples *s);

/* Sorts @s in place. */
void samples_sort(struct samples *s);

/*
 * The @p-th percentile (0 < p <= 100) of sorted samples by the nearest-rank
 * method: the smallest sample with at least p% of the samples at or below
 * it. 0 when there are none.
 */
uint64_t samples_percentile(const struct samples *sorted, double p);
double samples_mean(const struct samples *s);

#endif
