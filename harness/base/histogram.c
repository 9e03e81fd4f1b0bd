// SPDX-License-Identifier: MIT
/* histogram.c - a log-linear histogram, three significant digits (see
 * histogram.h). */
#include "harness/base/histogram.h"

#include <math.h>
#include <stdlib.h>

/* 2 x 10^3 rounded up to a power of two: 1,024 counters a power of two
 * keep every value within 1/1,024 (< 0.1%) of its counter's. */
#define HIST_EXACT 2048 /* values below it are counted exactly */
#define HIST_HALF 1024	/* counters per power of two above it */
#define HIST_HALF_BITS 10

/* The counter of value v. Below HIST_EXACT, v itself; above, v's power
 * of two k (v >> k is in [1024, 2048)) picks a block of 1,024 counters
 * and v >> k the one in it. */
static size_t hist_slot(uint64_t v)
{
	if (v < HIST_EXACT)
		return (size_t)v;
	int k = 63 - __builtin_clzll(v) - HIST_HALF_BITS;
	return (size_t)k * HIST_HALF + (size_t)(v >> k);
}

/* The smallest value counted in `slot`, and the counter's width. */
static uint64_t hist_lowest(size_t slot, uint64_t *width)
{
	if (slot < HIST_EXACT) {
		*width = 1;
		return slot;
	}
	int k = (int)(slot / HIST_HALF) - 1;
	*width = (uint64_t)1 << k;
	return (uint64_t)(slot % HIST_HALF + HIST_HALF) << k;
}

int histogram_init(struct histogram *h, uint64_t highest)
{
	*h = (struct histogram){.highest = highest};
	h->n_slots = hist_slot(highest) + 1;
	h->counts = calloc(h->n_slots, sizeof(*h->counts));
	return h->counts ? 0 : -1;
}

void histogram_free(struct histogram *h)
{
	free(h->counts);
	h->counts = NULL;
}

void histogram_record(struct histogram *h, uint64_t value)
{
	if (value > h->highest)
		value = h->highest;
	h->counts[hist_slot(value)]++;
	if (h->total == 0 || value < h->min)
		h->min = value;
	if (value > h->max)
		h->max = value;
	h->total++;
}

uint64_t histogram_percentile(const struct histogram *h, double p)
{
	if (h->total == 0)
		return 0;
	if (p <= 0)
		return h->min;
	if (p >= 100)
		return h->max;
	/* Nearest rank: the value with at least this many at or below it.
	 * The small epsilon keeps 99.9% of 1000 at rank 999, not 1000. */
	uint64_t rank = (uint64_t)ceil(p / 100.0 * (double)h->total - 1e-9);
	if (rank < 1)
		rank = 1;
	uint64_t seen = 0;
	for (size_t s = 0; s < h->n_slots; s++) {
		seen += h->counts[s];
		if (seen < rank)
			continue;
		/* The middle of the counter: within half its width. */
		uint64_t width, low = hist_lowest(s, &width);
		uint64_t v = low + width / 2;
		return v < h->min ? h->min : v > h->max ? h->max : v;
	}
	return h->max;
}
