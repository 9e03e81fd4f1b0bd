// SPDX-License-Identifier: MIT
/*
 * handoff_cost.h - what it costs to pass one small message on one
 * machine without MPI: between two threads of a process (a mutex and a
 * condition variable, as a pool hands work over) and between two
 * processes (8 bytes through a pipe each way). Measured OSU-style, like
 * `concur-mpi --latency`: warm-up round trips, then timed ones; one-way
 * latency = time / (2 x round trips).
 *
 * The figures lesson "Beyond one machine" puts beside MPI's shared memory
 * and TCP, so a message's price has something to be compared with.
 *
 * Errors: handoff_cost_measure() returns 0, or -1 when a thread, pipe or
 * process could not be made (it says why on stderr).
 */
#ifndef CONCUR_HANDOFF_COST_H
#define CONCUR_HANDOFF_COST_H

struct handoff_cost {
	int rounds;	  /* timed round trips of each kind */
	double thread_us; /* one way, thread to thread */
	double pipe_us;	  /* one way, process to process through a pipe */
};

/* Times `rounds` round trips (after rounds / 10 to warm up) of each. */
int handoff_cost_measure(int rounds, struct handoff_cost *out);

#endif
