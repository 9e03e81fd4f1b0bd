// SPDX-License-Identifier: MIT
/*
 * contain_opts.h - the limits of a contained run (contain.h says what each
 * stops), in a header of their own: contain.c reads them in the grader and
 * keeper.c in the processes between the grader and the program, and
 * neither includes the other's header (make check-layers).
 */
#ifndef CONCUR_HARNESS_GRADE_CONTAIN_OPTS_H
#define CONCUR_HARNESS_GRADE_CONTAIN_OPTS_H

#include <stdbool.h>
#include <stddef.h>

struct contain_opts {
	const char *workdir;	/* private directory it starts in; made (0700)
				  by the caller, empty; NULL: a new one under
				  TMPDIR, removed after */
	size_t address_space;	/* RLIMIT_AS in bytes, 0: none (sanitizers) */
	unsigned cpu_seconds;	/* RLIMIT_CPU, 0: none */
	unsigned max_processes; /* processes and threads at once it may
				   have, 0: none */
	double timeout_s;	/* wall-clock limit; then the whole tree is
				  killed; 0: none */
	bool namespaces;	/* new PID + network namespaces if allowed
				  (loopback up inside); said in r->isolation */
	int stdin_fd;		/* -1: /dev/null */
	int stdout_fd;		/* -1: /dev/null */
	int stderr_fd;		/* -1: /dev/null */
};

#endif
