// SPDX-License-Identifier: MIT
/*
 * session.h - `concur` started in a session of its own, with the test as
 * the child subreaper: whatever the run leaves behind is re-parented to
 * the test and found by its session id in /proc. What the hardening
 * suites use to prove that a run, however it ends, leaves no process.
 *
 * Errors: the functions that check something fail the calling Check test.
 */
#ifndef CONCUR_TEST_SESSION_H
#define CONCUR_TEST_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* ---- processes of a session ---------------------------------------------- */

struct session_proc {
	pid_t pid, ppid;
	char state;		  /* as in /proc/PID/stat: R, S, Z, ... */
	unsigned long long start; /* clock ticks after boot */
};

#define SESSION_MAX_PROCS 512

/* The processes of session sid (zombies too), at most cap; how many. */
size_t session_procs(pid_t sid, struct session_proc *out, size_t cap);

/* Reaps what was re-parented to us; the live processes of the session
 * into procs (SESSION_MAX_PROCS of them), zombies not counted. */
size_t session_live(pid_t sid, struct session_proc *procs);

/* Waits up to 5 s for the session to be empty; else kills what is left
 * (the next test starts clean) and fails naming one of them. */
void session_assert_empty(pid_t sid, const char *what);

/* Sleeps ms milliseconds. */
void session_nap_ms(long ms);

/* ---- a run in a session of its own --------------------------------------- */

struct session_run {
	pid_t pid;	 /* the harness; also the session and its group */
	int err_fd;	 /* its stderr, non-blocking */
	char err[65536]; /* what it wrote so far */
	size_t err_len;
	int status; /* once exited */
	bool exited;
};

/* Starts `concur ARGS` in a new session, stdout to DIR/stdout; we
 * become the subreaper. */
void session_start(struct session_run *r, const char *dir, const char *args);

/* Reads what stderr has; notes the exit. */
void session_poll(struct session_run *r);

/* Waits up to `s` seconds for text on stderr; false when it never came. */
bool session_wait_for(struct session_run *r, const char *text, double s);

/* Waits up to `s` seconds for the harness to exit; its exit status, or
 * -1 after killing the session when it did not. */
int session_wait(struct session_run *r, double s);

/* The measured child: the harness's youngest child (the server, when
 * there is one, is the oldest). 0 when there is none. */
pid_t session_measured_child(const struct session_run *r);

/* The deepest live process under pid (a C worker, a Python program or its
 * pool's worker); 0 when pid has no child. */
pid_t session_deepest_under(pid_t sid, pid_t pid);

#endif
