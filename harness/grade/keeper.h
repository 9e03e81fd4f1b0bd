// SPDX-License-Identifier: MIT
/*
 * keeper.h - the processes between the grader and a student's program,
 * and what they tell the grader (contain.c draws the picture): the
 * keeper, the grader's child, which leads the run's process group, sets
 * up its fds and cgroup and asks for namespaces; the namespace's init;
 * and the reports they write into the report pipe.
 *
 * Errors: keeper_run never returns; a step that fails is reported
 * (REPORT_FAILED, with its errno) and the child exits 127.
 */
#ifndef CONCUR_HARNESS_GRADE_KEEPER_H
#define CONCUR_HARNESS_GRADE_KEEPER_H

#include <stdbool.h>
#include <sys/resource.h>

#include "harness/grade/contain_opts.h"

/* The report pipe is this fd in the children, close-on-exec: the program
 * never holds it. Each report is one write smaller than PIPE_BUF, so the
 * reports of several processes never interleave. */
#define KEEPER_REPORT_FD 3

enum report_kind {
	REPORT_NAMESPACES,    /* value: the PID namespace's inode; err: why
				 the loopback is not up, or 0 */
	REPORT_NO_NAMESPACES, /* err: why unshare failed */
	REPORT_NO_CGROUP,     /* err: why the keeper could not join it */
	REPORT_OWN_PROC,      /* init mounted a /proc of its own */
	REPORT_ENDED,	      /* value: the program's wait status; cpu_s */
	REPORT_FAILED,	      /* value: the step (enum keeper_step); err */
};

struct report {
	int kind;
	int err;
	long value;
	double cpu_s;
};

/* The steps that can fail before the program runs. */
enum keeper_step {
	STEP_STDIO,
	STEP_CGROUP,
	STEP_LIMITS,
	STEP_FORK,
	STEP_CHDIR,
	STEP_EXEC,
	STEP_COUNT
};

/* What the children need: the grader's, copied into them by fork. */
struct keeper_args {
	char *const *argv;
	char *const *envp; /* NULL: the grader's environment */
	const struct contain_opts *o;
	const char *dir;
	const char *cgroup; /* the run's pids cgroup, NULL: none */
	rlim_t nproc;	    /* RLIMIT_NPROC, 0: none */
	int report;	    /* the report pipe's write end */
};

/* The grader's child: the run's group, fds and cgroup; then init in new
 * namespaces if asked and allowed, or the program itself. */
_Noreturn void keeper_run(const struct keeper_args *a);

/* "stdio", "cgroup", ... for a step. */
const char *keeper_step_name(int step);

/* Writes a number into dir/name, an existing file (a cgroup's control
 * file); 0 or -1 (errno). */
int keeper_write_number(const char *dir, const char *name, long value);

#endif
