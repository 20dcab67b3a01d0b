// SPDX-License-Identifier: LGPL-2.1-or-later
/* Percentiles by nearest rank, checked against their definition. */
#include <stdlib.h>

#include "samples.h"
#include "tap.h"

/* Definition: smallest x with #{v <= x} >= p% of n. */
static uint64_t by_definition(const struct samples *s, double p)
{
	size_t i, j, le;

	for (i = 0; i < s->n; i++) {
		for (le = 0, j = 0; j < s->n; j++)
			le += s->v[j] <= s->v[i];
		if (le * 100.0 >= p * s->n) {
			uint64_t best = s->v[i];

			for (j = 0; j < s->n; j++) {
				size_t le2 = 0, k;

				for (k = 0; k < s->n; k++)
					le2 += s->v[k] <= s->v[j];
				if (le2 * 100.0 >= p * s->n && s->v[j] < best)
					best = s->v[j];
			}
			return best;
		}
	}
	return 0;
}

void suite_samples(void)
{
	static const double ps[] = { 1, 25, 50, 90, 99, 99.9, 100 };
	struct samples s = { 0 }, a = { 0 }, b = { 0 };
	size_t i, k, n;
	int good = 1;

	TAP_OK(samples_percentile(&s, 50) == 0 && samples_mean(&s) == 0,
	       "samples: no samples: 0");
	for (i = 1; i <= 10; i++)
		samples_add(&s, i * 10);
	samples_sort(&s);
	TAP_OK(samples_percentile(&s, 50) == 50, "samples: p50 of 10..100 is 50 (rank 5)");
	TAP_OK(samples_percentile(&s, 99) == 100 && samples_percentile(&s, 100) == 100,
	       "samples: p99 and p100 of 10 samples are the largest");
	TAP_OK(samples_percentile(&s, 10) == 10 && samples_percentile(&s, 11) == 20,
	       "samples: rank boundaries (p10 -> 1st, p11 -> 2nd)");
	TAP_OK(samples_mean(&s) == 55, "samples: mean");
	samples_free(&s);

	srand(42);
	for (n = 1; n <= 300 && good; n += 37) {
		for (i = 0; i < n; i++)
			samples_add(i % 2 ? &a : &b, rand() % 1000);
		samples_merge(&a, &b);
		samples_sort(&a);
		for (i = 1; i < a.n; i++)
			good &= a.v[i - 1] <= a.v[i];
		for (k = 0; k < sizeof(ps) / sizeof(ps[0]); k++)
			good &= samples_percentile(&a, ps[k]) == by_definition(&a, ps[k]);
		samples_free(&a);
		samples_free(&b);
	}
	TAP_OK(good, "samples: merged, sorted; percentiles match the definition on random sets");
}
