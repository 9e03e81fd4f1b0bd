// SPDX-License-Identifier: MIT
/*
 * measure.c - one run of one model in a fresh child, measured by wait4,
 * under a watchdog: a run that passes its time limit is killed with its
 * whole process group, and its unfinished tasks are recorded.
 */
#include "harness/run/measure.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/run/procfs.h"
#include "harness/external/dispatch.h"
#include "harness/external/external.h"

volatile int measure_stop_requested;

/* In the measured child: where external_run publishes its program's
 * group (measure_shared.program_group), for measure_orphaned_cb. A global
 * because a signal handler has no other way in. */
static volatile pid_t *measure_program_group;

/* What the child writes back besides the results. */
struct measure_shared {
	double wall_s;
	long self_rss_kib;
	long start_rss_kib;
	struct proc_memory end; /* the child's own, as the model returned */
	int model_rc;
	pid_t program_group; /* an external program's, while it runs */
	struct run_stats stats;
	struct result results[]; /* n slots */
};

/* This process's resident set now, in KiB (0 if unknown). */
static long measure_rss_now_kib(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Tasks that failed for want of a file descriptor (EMFILE, from socket()
 * or libcurl) are said once, with the limit, in the run's note: one line
 * under the table rather than only a wrong result per task. */
static void measure_note_fd_limit(const struct batch *b, struct run_stats *st)
{
	const char *emfile = strerror(EMFILE);
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++)
		if (b->results[i].kind != RESULT_OK &&
		    strstr(b->results[i].message, emfile))
			n++;
	struct rlimit rl;
	if (n == 0 || st->note[0] || getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	snprintf(st->note, sizeof(st->note),
		 "%zu task(s) found no free file descriptor: RLIMIT_NOFILE "
		 "is %llu (ulimit -n); raise it or lower --workers",
		 n, (unsigned long long)rl.rlim_cur);
}

/* SIGHUP, which the kernel sends the child when the harness dies, even
 * of SIGKILL (PR_SET_PDEATHSIG): nobody is left to stop or reap the run,
 * so it ends itself, an external program's group first (its Python pool
 * or mpirun would live on), then its own group (this child and a C
 * model's workers). Async-signal-safe calls only. */
static void measure_orphaned_cb(int sig)
{
	(void)sig;
	pid_t group = measure_program_group ? *measure_program_group : 0;
	if (group > 0)
		kill(-group, SIGKILL);
	if (getpgrp() == getpid())
		kill(0, SIGKILL);
	_exit(1);
}

/* In the child: run, time it, report, and leave without returning into
 * the harness (no atexit handlers, no stdio flushed twice). */
static void measure_child(const struct model *m, struct batch *b,
			  const struct run_opts *o,
			  const struct external_opts *x,
			  struct measure_shared *sh, pid_t parent)
{
	/* The harness's SIGINT/SIGTERM handler only sets a flag: here the
	 * default must apply, or the SIGTERM measure_wait passes on cannot
	 * stop a model that hangs. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	/* A group of its own, so the watchdog can kill the run and every
	 * process it started that did not leave the group. */
	setpgid(0, 0);
	/* A background group that writes a --trace line to a terminal with
	 * `stty tostop` would be stopped, not killed: never stop. */
	signal(SIGTTOU, SIG_IGN);
	external_publish_group(&sh->program_group);
	measure_program_group = &sh->program_group;
	signal(SIGHUP, measure_orphaned_cb);
	prctl(PR_SET_PDEATHSIG, SIGHUP);
	if (getppid() != parent) /* it died before prctl */
		raise(SIGHUP);
	struct run_opts opts = *o;
	opts.stats = &sh->stats;
	b->results = sh->results;
	sh->start_rss_kib = measure_rss_now_kib();
	b->t0 = clock_now();
	sh->model_rc = model_run(m, b, &opts, x);
	sh->wall_s = clock_now() - b->t0;
	sh->self_rss_kib = usage_self().max_rss_kib;
	/* One last look of its own, for a run shorter than the sampler's
	 * interval (the workers are reaped by now). */
	if (proc_memory_read(getpid(), &sh->end) != 0)
		memset(&sh->end, 0, sizeof(sh->end));
	fflush(NULL);
	_exit(0);
}

/* SIGALRM: only interrupts wait4 (no SA_RESTART); the loop below looks
 * at the clock. */
static void measure_on_alarm(int sig)
{
	(void)sig;
}

/* Arms a one-shot SIGALRM in limit_s seconds (0: none). */
static void measure_arm(double limit_s)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = measure_on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {0};
	if (limit_s > 0) {
		it.it_value.tv_sec = (time_t)limit_s;
		it.it_value.tv_usec =
			(suseconds_t)((limit_s - (double)(time_t)limit_s) *
				      1e6);
		if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0)
			it.it_value.tv_usec = 1;
	}
	setitimer(ITIMER_REAL, &it, NULL);
}

/* Kills the run: its process group, then the child itself (in case it had
 * not made its group yet). */
static void measure_kill(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

/* Waits for the child; passes a Ctrl-C on to it; kills it when the
 * deadline (0: none) passes; then reaps it. *timed_out says which. */
static pid_t measure_wait(pid_t pid, double deadline, int *status,
			  struct rusage *ru, int *timed_out)
{
	measure_arm(deadline > 0 ? deadline - clock_now() : 0);
	for (;;) {
		pid_t got = wait4(pid, status, 0, ru);
		if (got == pid || errno != EINTR) {
			measure_arm(0);
			return got;
		}
		if (measure_stop_requested)
			kill(pid, SIGTERM);
		if (deadline > 0 && clock_now() >= deadline && !*timed_out) {
			*timed_out = 1;
			measure_kill(pid);
		} else if (deadline > 0 && !*timed_out) {
			measure_arm(deadline - clock_now());
		}
	}
}

/* After the watchdog: a task that had started is `timeout`, ending when
 * the run was killed (wall_s after its start), one that had not is
 * `not_run`, both saying why; a started task whose worker had left a
 * message in its slot (what it waited for) keeps it. Returns how many
 * there were. */
static size_t measure_mark_unfinished(struct batch *b, double limit_s,
				      double wall_s)
{
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct result *r = &b->results[i];
		if (r->kind != RESULT_NOT_RUN)
			continue;
		n++;
		if (r->worker >= 0) {
			r->kind = RESULT_TIMEOUT;
			r->end = wall_s;
		}
		/* A worker may have said what it was waiting for (a lock of
		 * common/shared.c): keep its words. */
		char said[RESULT_MESSAGE_MAX];
		snprintf(said, sizeof(said), "%s", r->message);
		if (r->worker >= 0 && said[0])
			result_set_message(r, "%s (watchdog, %.1f s)", said,
					   limit_s);
		else
			result_set_message(r,
					   "the watchdog stopped the run after "
					   "%.1f s (--model-timeout)",
					   limit_s);
	}
	return n;
}

/* Every result's intended start, whoever ran it (an external program
 * knows nothing of it): the task's arrival in an open run, its start in a
 * closed one (common/arrival.h). */
static void measure_intended(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		b->results[i].intended =
			b->open ? b->tasks[i].arrival : b->results[i].start;
}

/* The child's own last look counts as one more sample of the tree. */
static void measure_tree_end(struct measurement *out,
			     const struct proc_memory *end)
{
	if (end->pss_kib <= 0)
		return;
	struct tree_memory last = {.pss_kib = end->pss_kib,
				   .uss_kib = end->uss_kib,
				   .rss_kib = end->rss_kib,
				   .processes = 1};
	tree_memory_merge(&out->tree, &last);
	out->tree.samples++;
}

int measure_run(const struct model *m, struct batch *b,
		const struct run_opts *o, const struct external_opts *x,
		struct measurement *out)
{
	memset(out, 0, sizeof(*out));
	size_t size = sizeof(struct measure_shared) +
		      (b->n ? b->n : 1) * sizeof(struct result);
	struct measure_shared *sh = mmap(NULL, size, PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return -1;
	memcpy(sh->results, b->results, b->n * sizeof(struct result));
	sh->model_rc = -1;
	fflush(NULL);
	double forked = clock_now();
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		munmap(sh, size);
		return -1;
	}
	if (pid == 0)
		measure_child(m, b, o, x, sh, parent);
	setpgid(pid, pid); /* as the child does: whichever runs first */
	struct tree_sampler *sampler = tree_sampler_start(pid);

	int status = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	/* The harness's own limit on top of an external model's, which the
	 * protocol enforces itself with finer results: only a program that
	 * ignores it meets this one. */
	double limit = x ? x->model_timeout_s : 0;
	if (limit > 0 && (m->flags & MODEL_EXTERNAL))
		limit += MEASURE_EXTERNAL_GRACE_S;
	double deadline = limit > 0 ? clock_now() + limit : 0;
	pid_t got = measure_wait(pid, deadline, &status, &ru, &out->timed_out);
	tree_sampler_stop(sampler, &out->tree);
	/* The child died (Ctrl-C, a kill, the watchdog) while an external
	 * program ran: end the program's group, or its workers would live
	 * on. */
	if (sh->program_group > 0)
		kill(-sh->program_group, SIGKILL);
	if (got != pid) {
		munmap(sh, size);
		return -1;
	}
	measure_tree_end(out, &sh->end);
	out->usage = usage_from_rusage(&ru);
	out->wall_s = sh->wall_s;
	/* A run the watchdog killed lasted until it died, as near as the
	 * parent can tell. */
	if (out->timed_out)
		out->wall_s = clock_now() - forked;
	out->model_rc = sh->model_rc;
	out->stats = sh->stats;
	/* wait4's ru_maxrss is the largest of the child and its reaped
	 * children; the child's own peak plus its workers' is what the
	 * processes model really holds. */
	out->peak_rss_kib =
		(sh->self_rss_kib ? sh->self_rss_kib : out->usage.max_rss_kib) +
		sh->stats.workers_rss_kib;
	out->start_rss_kib = sh->start_rss_kib;
	/* An external model's wall time is the run time it measured itself;
	 * its interpreter's start-up is reported apart, and its memory is
	 * its own program's peak (the child here only waited). */
	if ((m->flags & MODEL_EXTERNAL) && !out->timed_out) {
		out->wall_s = sh->stats.program_run_s;
		out->peak_rss_kib = sh->stats.largest_rss_kib;
	}
	out->interrupted = measure_stop_requested;
	memcpy(b->results, sh->results, b->n * sizeof(struct result));
	measure_intended(b);
	measure_note_fd_limit(b, &out->stats);
	if (out->timed_out) {
		out->limit_s = limit;
		out->unfinished =
			measure_mark_unfinished(b, limit, out->wall_s);
	} else if (WIFSIGNALED(status) && !out->interrupted) {
		out->died_signal = WTERMSIG(status);
		for (size_t i = 0; i < b->n; i++) {
			struct result *r = &b->results[i];
			if (r->kind != RESULT_NOT_RUN)
				continue;
			r->kind = RESULT_CRASHED;
			result_set_message(r, "the run's process died: %s",
					   strsignal(out->died_signal));
		}
	}
	/* A model that could not run, or a child that died, measured
	 * nothing: no wall time, rather than a 0 that becomes "inf tasks/s". */
	if (!out->timed_out && (out->model_rc != 0 || out->died_signal))
		out->wall_s = NAN;
	munmap(sh, size);
	return 0;
}
