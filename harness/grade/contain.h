// SPDX-License-Identifier: MIT
/*
 * contain.h - running a student's program so that it cannot outlive, out-write
 * or out-grow the grading: `concur grade` runs every process that holds a
 * student's code through contain_run, and reads what it wrote only after
 * contain_run returned (every process of it gone).
 *
 * What it stops (TEACHING.md says the same to teachers): processes left
 * behind (its own process group, the grader as child subreaper so that a
 * `setsid` or double-forked child is still found and killed, and a new PID
 * namespace where the kernel allows it, so that its init's end kills the
 * rest); memory, CPU time and process count beyond the limits (rlimits;
 * as root, whom RLIMIT_NPROC does not bind, a pids cgroup where one is
 * writable; the address-space limit is left off under a sanitizer, whose
 * shadow memory needs terabytes of address space); writes into the teacher's
 * working directory (it starts in a private, empty directory); the network
 * (a new network namespace with only its loopback up, where allowed).
 * What it does not stop: code written to break out (it runs as the same
 * user, sees the same files); a teacher who grades hostile code uses a
 * container or a virtual machine (Gradescope's autograder does).
 *
 * While it runs, SIGCHLD is at its default (put back after): a caller's
 * handler that reaps any child would take the run's.
 *
 * Error policy: contain_run returns -1 (and says why in r->why) only when
 * it could not start the program; everything the program did (exit status,
 * signal, timeout, limits hit, processes it left that were killed) is in
 * struct contain_result.
 */
#ifndef CONCUR_HARNESS_GRADE_CONTAIN_H
#define CONCUR_HARNESS_GRADE_CONTAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "harness/grade/contain_opts.h"

struct contain_result {
	int exit_status;     /* its exit status if it exited, else -1 */
	int signal;	     /* the signal that ended it, else 0 */
	bool timed_out;	     /* the wall-clock limit ended it */
	bool cpu_limit;	     /* RLIMIT_CPU ended it (SIGXCPU/SIGKILL) */
	unsigned leftovers;  /* processes still alive after it ended,
				 killed by the grader */
	double wall_s;	     /* from start to the last process gone */
	char isolation[160]; /* what containment applied, for the log:
				 "pid+net namespaces, rlimits, private dir" */
	char why[256];	     /* why it could not start, when -1 */
};

/* The address space a contained run may map (RLIMIT_AS). */
#define CONTAIN_ADDRESS_SPACE ((size_t)4 << 30)

/* The defaults a real class fits in: 4 GiB of address space, 600 s of CPU,
 * 512 processes, no wall limit, namespaces on, stdio to /dev/null. */
void contain_opts_default(struct contain_opts *o);

/* Runs argv (envp as its whole environment, NULL: the grader's) contained,
 * waits until it and everything it started are gone, fills r. 0, or -1
 * when it could not be started. A run that ended on a signal, a timeout
 * or a limit is r's to say; the caller counts it as a failed run. */
int contain_run(char *const argv[], char *const envp[],
		const struct contain_opts *o, struct contain_result *r);

#endif
