// SPDX-License-Identifier: MIT
/*
 * histogram.h - a log-linear histogram of latencies, three significant
 * digits: HdrHistogram's idea in one small file (Debian packages no C
 * HdrHistogram). Lesson 16 reads its percentiles.
 *
 * Values are whole units (concur records microseconds). Below 2,048 every
 * value has its own counter; above, each power of two is split into 1,024
 * counters, so a counter's width is under 1/1,024 of its values: any
 * percentile is within 0.1% of the true one, and the memory is fixed by
 * the largest value (8 KiB a power of two: 190 KiB up to an hour in
 * microseconds). The smallest and largest values are kept exactly.
 *
 * Percentiles are by nearest rank, as HdrHistogram's: the smallest value v
 * such that at least p% of the values are <= v (of 1..1000, p50 is 500
 * and p99.9 is 999), never interpolated between two values.
 *
 * Errors: histogram_init returns 0 or -1 (out of memory).
 */
#ifndef CONCUR_HISTOGRAM_H
#define CONCUR_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

struct histogram {
	uint64_t *counts; /* owned: n_slots counters */
	size_t n_slots;
	uint64_t highest;  /* values above it are recorded as it */
	uint64_t total;	   /* values recorded */
	uint64_t min, max; /* exact; 0 while empty */
};

/* An empty histogram for values 0..highest. Returns 0 or -1. */
int histogram_init(struct histogram *h, uint64_t highest);
void histogram_free(struct histogram *h);

/* Counts one value (clamped to highest). */
void histogram_record(struct histogram *h, uint64_t value);

/* The p-th percentile (0..100) by nearest rank, within 0.1%; p <= 0 gives
 * the exact min, p >= 100 the exact max. 0 when empty. */
uint64_t histogram_percentile(const struct histogram *h, double p);

#endif
