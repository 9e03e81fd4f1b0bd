// SPDX-License-Identifier: MIT
/* kernel.c - the kernel's functions that are not inline (see kernel.h). */
#include "common/kernel.h"

#include "common/clock.h"

void kernel_advance(struct kernel *k, uint64_t n)
{
	k->state = kernel_iterate(k->state, n);
}

double kernel_unit_seconds(int reps)
{
	enum {
		UNITS = 5
	};
	double best = 0;
	/* volatile: the checksum must be computed, not optimised away. */
	volatile uint64_t sink = 0;
	for (int i = 0; i < (reps < 1 ? 1 : reps); i++) {
		double t0 = clock_now();
		sink ^= kernel_run((uint64_t)i, UNITS);
		double t = (clock_now() - t0) / UNITS;
		if (i == 0 || t < best)
			best = t;
	}
	(void)sink;
	return best;
}
