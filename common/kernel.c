// SPDX-License-Identifier: MIT
/* kernel.c - the kernel's functions that are not inline (see kernel.h). */
#include "common/kernel.h"

#include <stdlib.h>

#include "common/clock.h"

void kernel_advance(struct kernel *k, uint64_t n)
{
	k->state = kernel_iterate(k->state, n);
}

static int kernel_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double kernel_unit_seconds(int reps)
{
	enum { UNITS = 5, MAX_REPS = 64 };
	double t[MAX_REPS];
	if (reps < 1)
		reps = 1;
	if (reps > MAX_REPS)
		reps = MAX_REPS;
	/* volatile: the checksum must be computed, not optimised away. */
	volatile uint64_t sink = 0;
	for (int i = 0; i < reps; i++) {
		double t0 = clock_now();
		sink ^= kernel_run((uint64_t)i, UNITS);
		t[i] = (clock_now() - t0) / UNITS;
	}
	(void)sink;
	qsort(t, (size_t)reps, sizeof(t[0]), kernel_cmp_double);
	return t[reps / 2];
}
