// SPDX-License-Identifier: MIT
/*
 * spawn_cost.h - what one worker costs to start: create and join a thread,
 * fork and reap a process, in microseconds (median, min and max of many).
 *
 * The figure behind the lesson "threads are cheap, processes less so": a
 * fork copies the parent's page tables, so its cost grows with the
 * parent's memory, while a thread only needs a stack (which glibc even
 * reuses from the last joined thread). `concur bench --cases spawn` and
 * the lessons print it.
 *
 * Errors: spawn_cost_measure() returns 0, or -1 when a thread or a
 * process could not be created (it says why on stderr).
 */
#ifndef CONCUR_SPAWN_COST_H
#define CONCUR_SPAWN_COST_H

struct spawn_cost {
	int reps;	  /* measurements of each kind */
	double thread_us; /* pthread_create + pthread_join: median */
	double thread_min_us, thread_max_us;
	double process_us; /* fork + the child's _exit + waitpid: median */
	double process_min_us, process_max_us;
};

/* Measures reps (at least 1) of each, alternating thread and process so
 * that drift in the machine's load hits both alike. */
int spawn_cost_measure(int reps, struct spawn_cost *out);

#endif
