// SPDX-License-Identifier: MIT
/*
 * kernel.h - the deterministic CPU kernel every compute task runs.
 *
 * An integer recurrence on 64 bits: no memory traffic, no floating point,
 * one long dependency chain, so it keeps one core busy and scales across
 * cores. The number of iterations in a unit is fixed at build time (about
 * 1 ms on the machine it was chosen on) and never calibrated at run time, so
 * a checksum is the same on every machine and in every language.
 * common/README.md states the recurrence and reproduces it in Python.
 *
 * The API has three steps so a caller can run a task in slices (the gil
 * model checks for a drop request between slices):
 *
 *     struct kernel k;
 *     kernel_start(&k, seed);
 *     kernel_advance(&k, n);        // as many times as you like
 *     uint64_t sum = kernel_read(&k);
 */
#ifndef CONCUR_KERNEL_H
#define CONCUR_KERNEL_H

#include <stdint.h>

/* Iterations in one unit of work (about 1 ms on a 2026 server core). */
#define KERNEL_ITERS_PER_UNIT 600000ULL

#define KERNEL_SEED_MIX 0x9E3779B97F4A7C15ULL
#define KERNEL_MUL 0xBF58476D1CE4E5B9ULL
#define KERNEL_ADD 0x94D049BB133111EBULL

struct kernel {
	uint64_t state;
};

static inline void kernel_start(struct kernel *k, uint64_t seed)
{
	k->state = seed ^ KERNEL_SEED_MIX;
}

/* n iterations of x = (x ^ (x >> 29)) * MUL + ADD (mod 2^64) from x. */
static inline uint64_t kernel_iterate(uint64_t x, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		x = (x ^ (x >> 29)) * KERNEL_MUL + KERNEL_ADD;
	return x;
}

/* Runs n more iterations. A function of its own (common/kernel.c), not
 * inline: a caller computing in slices pays one call per slice, nothing
 * measurable, and the tests can count who computes when by wrapping it
 * at link time (tests/support/faults.h). */
void kernel_advance(struct kernel *k, uint64_t n);

static inline uint64_t kernel_read(const struct kernel *k)
{
	return k->state;
}

/* The seconds one unit takes on this machine: the fastest of `reps` timed
 * runs of a few units each (about 5 ms a run). The fastest, not the
 * median: other work on the machine only ever slows a run down, so the
 * minimum is the closest to what the kernel itself costs, and an ideal
 * built on it is never slower than what a run can reach. */
double kernel_unit_seconds(int reps);

/* The whole task in one call: `units` units from `seed`. */
static inline uint64_t kernel_run(uint64_t seed, uint64_t units)
{
	return kernel_iterate(seed ^ KERNEL_SEED_MIX,
			      units * KERNEL_ITERS_PER_UNIT);
}

#endif
