// SPDX-License-Identifier: MIT
/* measure.c - one run of one model in a fresh child, measured by wait4. */
#include "harness/run/measure.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/external/dispatch.h"
#include "harness/external/external.h"

volatile int measure_stop_requested;

/* What the child writes back besides the results. */
struct measure_shared {
	double wall_s;
	long self_rss_kib;
	long start_rss_kib;
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

/* In the child: run, time it, report, and leave without returning into
 * the harness (no atexit handlers, no stdio flushed twice). */
static void measure_child(const struct model *m, struct batch *b,
			  const struct run_opts *o, struct measure_shared *sh)
{
	/* The harness's SIGINT/SIGTERM handler only sets a flag: here the
	 * default must apply, or the SIGTERM measure_wait passes on cannot
	 * stop a model that hangs. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	struct run_opts opts = *o;
	opts.stats = &sh->stats;
	external_publish_group(&sh->program_group);
	b->results = sh->results;
	sh->start_rss_kib = measure_rss_now_kib();
	b->t0 = clock_now();
	sh->model_rc = model_run(m, b, &opts);
	sh->wall_s = clock_now() - b->t0;
	sh->self_rss_kib = usage_self().max_rss_kib;
	fflush(NULL);
	_exit(0);
}

/* Waits for the child; passes a Ctrl-C on to it, then reaps it. */
static pid_t measure_wait(pid_t pid, int *status, struct rusage *ru)
{
	for (;;) {
		pid_t got = wait4(pid, status, 0, ru);
		if (got == pid || errno != EINTR)
			return got;
		if (measure_stop_requested)
			kill(pid, SIGTERM);
	}
}

int measure_run(const struct model *m, struct batch *b,
		const struct run_opts *o, struct measurement *out)
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
	pid_t pid = fork();
	if (pid < 0) {
		munmap(sh, size);
		return -1;
	}
	if (pid == 0)
		measure_child(m, b, o, sh);

	int status = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	pid_t got = measure_wait(pid, &status, &ru);
	/* The child died (Ctrl-C, a kill) while an external program ran:
	 * end the program's group, or its workers would live on. */
	if (sh->program_group > 0)
		kill(-sh->program_group, SIGKILL);
	if (got != pid) {
		munmap(sh, size);
		return -1;
	}
	out->usage = usage_from_rusage(&ru);
	out->wall_s = sh->wall_s;
	out->model_rc = sh->model_rc;
	out->stats = sh->stats;
	/* wait4's ru_maxrss is the largest of the child and its reaped
	 * children; the child's own peak plus its workers' is what the
	 * processes model really holds. */
	out->peak_rss_kib =
		(sh->self_rss_kib ? sh->self_rss_kib : out->usage.max_rss_kib) +
		(long)run_stats_get(&sh->stats, "workers_rss_kib", 0);
	out->start_rss_kib = sh->start_rss_kib;
	/* An external model's wall time is the run time it measured itself;
	 * its interpreter's start-up is reported apart, and its memory is
	 * its own program's peak (the child here only waited). */
	if (m->flags & MODEL_EXTERNAL) {
		out->wall_s = run_stats_get(&sh->stats, "program_run_s", 0);
		out->peak_rss_kib =
			(long)run_stats_get(&sh->stats, "largest_rss_kib", 0);
	}
	out->interrupted = measure_stop_requested;
	memcpy(b->results, sh->results, b->n * sizeof(struct result));
	measure_note_fd_limit(b, &out->stats);
	if (WIFSIGNALED(status) && !out->interrupted) {
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
	if (out->model_rc != 0 || out->died_signal)
		out->wall_s = NAN;
	munmap(sh, size);
	return 0;
}
