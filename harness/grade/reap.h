// SPDX-License-Identifier: MIT
/*
 * reap.h - what is left of a contained run, found in /proc and killed:
 * contain.c's last step, which makes "every process of it is gone" true.
 *
 * A process belongs to the run when it is in the run's process group, in
 * its PID namespace or in its pids cgroup, when it is a child of ours that
 * was not there before the run (an orphan re-parented to us, the child
 * subreaper: a `setsid` or double-forked grandchild), or when its parent
 * belongs to the run. The caller's own children from before the run are
 * never touched. One run at a time in a process, and no other child
 * started while it runs (it would look like an orphan of the run).
 *
 * Errors: none to report; a process that will not die (stuck in the
 * kernel) is given up after REAP_GIVE_UP_S and counted in `stuck`.
 */
#ifndef CONCUR_HARNESS_GRADE_REAP_H
#define CONCUR_HARNESS_GRADE_REAP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

#define REAP_GIVE_UP_S 10.0

/* A list of process ids (grows as needed). */
struct pid_list {
	pid_t *pids;
	size_t n, cap;
};

/* One run, as reap.c sees it; filled by contain.c, owned by its run. */
struct reap {
	pid_t keeper;		/* our child: the group leader, the program
				 itself when there is no PID namespace */
	unsigned long ns_ino;	/* the run's PID namespace (its inode), or 0;
				 its init is pid 1 there, the program 2 */
	const char *cgroup;	/* the run's pids cgroup directory, or NULL */
	struct pid_list before; /* our children before the run: the caller's */
	struct pid_list killed; /* processes of the run killed as leftovers */
	unsigned stuck;		/* ones that would not die */
	bool keeper_reaped;	/* keeper_status and keeper_usage are set */
	int keeper_status;
	struct rusage keeper_usage;
};

/* Notes our children now (the caller's, to be spared); 0 or -1. */
int reap_note_children(struct reap *s);

/* Kills and reaps every process of the run, the keeper too (its status
 * kept), until none is left; the leftovers (all but the keeper, the init
 * and the program) are listed in s->killed. */
void reap_all(struct reap *s);

/* Reaps the keeper if it ended (WNOHANG); true once it is reaped. */
bool reap_keeper(struct reap *s);

/* The number of tasks (threads) the user uid has now, from /proc. */
unsigned long reap_user_tasks(uid_t uid);

void reap_free(struct reap *s);

#endif
