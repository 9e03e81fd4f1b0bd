// SPDX-License-Identifier: MIT
/*
 * processes.c - a pool of C fork()ed workers that share one anonymous
 * mapping: the task counter, a state per task, and the results.
 *
 * The lesson: processes share nothing unless asked. After fork() each
 * worker has its own copy of everything (copy-on-write), so a result it
 * wrote into the batch would never reach the parent. Only the pages of one
 * mmap(MAP_SHARED | MAP_ANONYMOUS) made before the fork are the same memory
 * in every process; the counter, the task states and the results live
 * there, and so does the shared workload's counter, its locks made
 * PTHREAD_PROCESS_SHARED (anywhere else, each worker would add to its own
 * copy). The price is the fork and a copy of the page tables per worker;
 * the gift is isolation: a worker that crashes takes only its own task
 * down, and the parent sees it, records the task as `crashed` and starts a
 * replacement.
 *
 * Where an io run's time goes (1,000 x 100 ms fetches at C = 100, 2
 * cores, measured with each worker's first task in tasks.csv): workers
 * fetch as soon as each exists and take tasks from the shared counter as
 * they free up, but the tasks are alike, so every worker takes one per
 * 100 ms round and all do 10; the run ends when the last worker forked
 * ends its 10th, at (its start) + 10 x ~101 ms. The whole excess over the
 * ideal is the last worker's start: the parent's 100 forks took 45 ms of
 * CPU and 50-110 ms of wall here, more on a busy machine (340 ms at load
 * 15) or where a fork costs more (page-table isolation: 1.8 ms). No
 * schedule can hide it: an early worker taking an 11th task ends at 1.1 s.
 * `make bench` shows it: io's ratio follows the io-start row (ms of set-up
 * per worker): 1.163, 1.110, 1.103, 1.098 at 1.38, 0.97, 0.92, 0.86 ms,
 * about 1 + C x that + 1 %.
 * Forking from the workers too (clone(CLONE_PARENT), a fan-out) cut the
 * start by 20-25 % but not the run's median, so the lesson keeps one
 * fork after another.
 *
 * Watch for: zombies. A dead child stays in the process table until its
 * parent waits for it, so the parent reaps every worker it forked (with
 * wait4, which also reports the child's peak memory). And a child must end
 * with _exit(): returning into the harness, running atexit handlers or
 * flushing the parent's stdio buffers would do the parent's work twice.
 *
 * Run it:  build/concur run --models threads,processes --workers 8
 *          and compare the set-up time and the memory column with threads.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/execute.h"
#include "common/fetch.h"
#include "common/limits.h"
#include "common/shared.h"
#include "models/model.h"

/* Atomics work between processes only when they are lock-free: a locked
 * atomic would use a lock private to each process. */
_Static_assert(ATOMIC_LONG_LOCK_FREE == 2 && ATOMIC_INT_LOCK_FREE == 2,
	       "shared-memory atomics must be lock-free");

/* ---- state ---- */

/* A task's state, in the shared mapping. Any other value w + 1 means
 * "running on worker w". */
enum {
	PROCESSES_FREE = 0,
	PROCESSES_DONE = -1
};

/* The parent's view of the pool, on processes_run's stack. The pointers
 * marked "shared" point into the one MAP_SHARED mapping; every child
 * inherits them at fork and sees the same memory behind them. Everything
 * marked "the parent's" is the parent's own (a child has a stale copy it
 * never uses). */
struct processes_state {
	struct batch *batch;	     /* read-only */
	const struct run_opts *opts; /* read-only */
	void *map;		     /* read-only: the shared mapping */
	size_t map_len;		     /* read-only */
	atomic_size_t *next;	     /* shared: in the MAP_SHARED mapping;
					the next task index to hand out */
	atomic_int *state;	     /* shared: in the MAP_SHARED mapping;
					n task states */
	struct result *results;	     /* shared: in the MAP_SHARED mapping;
					n results, copied back at the end */
	struct shared_state *shared; /* shared: in the MAP_SHARED mapping;
					the shared workload's counter, or
					NULL when the batch has none */
	int size;		     /* read-only: C, workers at once and
					replacements allowed */
	pid_t parent;		     /* read-only: our pid, for the
					children's death check */
	pid_t *pids;		     /* the parent's: by worker id; 0 once
					reaped */
	int ids_used;		     /* the parent's: worker ids given so
					far (replacements get new ids) */
	int live;		     /* the parent's: forked, not reaped */
	pid_t pgid;		     /* the parent's: the workers' process
					group; 0 when none is alive */
	long replacements;	     /* the parent's */
	long rss_kib;		     /* the parent's: sum of the reaped
					workers' peak RSS */
};

/* The shared mapping is made once, before the first fork. */
static size_t processes_align(size_t off, size_t a)
{
	return (off + a - 1) / a * a;
}

/* Slots of the shared counter: one per worker id, replacements too. */
static int processes_slots(const struct processes_state *p)
{
	return 2 * p->size + 1;
}

/* The shared workload's counter, in the mapping: a counter anywhere else
 * would be copied at fork, each worker adding to its own copy, and the
 * parent would read 0. Its locks are made for use across processes. */
static int processes_share(struct processes_state *p, size_t off_shared)
{
	p->shared = NULL;
	if (!shared_batch_has(p->batch))
		return 0;
	p->shared = (struct shared_state *)((char *)p->map + off_shared);
	int rc = shared_state_init(p->shared, processes_slots(p), p->opts->sync,
				   true);
	if (rc != 0) {
		fprintf(stderr, "processes: shared counter: %s\n",
			strerror(rc));
		p->shared = NULL;
		return -1;
	}
	return 0;
}

/* One mapping: [counter][n states][n results][shared counter]. Results
 * start not_run. */
static int processes_map(struct processes_state *p)
{
	size_t n = p->batch->n;
	size_t off_state = processes_align(sizeof(atomic_size_t), 16);
	size_t off_res =
		processes_align(off_state + n * sizeof(atomic_int), 64);
	size_t off_shared = processes_align(
		off_res + (n ? n : 1) * sizeof(struct result), 64);
	p->map_len = off_shared;
	if (shared_batch_has(p->batch))
		p->map_len += shared_state_size(processes_slots(p));
	p->map = mmap(NULL, p->map_len, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p->map == MAP_FAILED) {
		perror("processes: mmap");
		return -1;
	}
	p->next = (atomic_size_t *)p->map;
	p->state = (atomic_int *)((char *)p->map + off_state);
	p->results = (struct result *)((char *)p->map + off_res);
	atomic_init(p->next, 0);
	for (size_t i = 0; i < n; i++) {
		atomic_init(&p->state[i], PROCESSES_FREE);
		p->results[i].kind = RESULT_NOT_RUN;
		p->results[i].worker = -1;
	}
	if (processes_share(p, off_shared) != 0) {
		munmap(p->map, p->map_len);
		return -1;
	}
	return 0;
}

/* ---- the worker ---- */

/* Runs in the child, a forked copy of the parent, until no task is left;
 * never returns. */
static void processes_worker_main(struct processes_state *p, int id)
{
	/* Die with the parent (Ctrl-C kills only the foreground group). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != p->parent)
		_exit(1);
	/* Our own process group is in the background: writing a --trace
	 * line must not stop us when the terminal has `stty tostop`. */
	signal(SIGTTOU, SIG_IGN);
	/* The handle is made here, after fork: a libcurl handle must never
	 * cross a fork (curl_global_init ran once, in the parent). */
	CURL *h = fetch_handle_new();
	/* The same batch, but results go to the shared array. */
	struct batch view = *p->batch;
	view.results = p->results;
	view.shared = p->shared;
	for (;;) {
		size_t i = atomic_fetch_add(p->next, 1);
		if (i >= view.n)
			break;
		atomic_store(&p->state[i], id + 1);
		task_execute(&view, i, h, p->opts, "processes", id);
		atomic_store(&p->state[i], PROCESSES_DONE);
	}
	if (h)
		curl_easy_cleanup(h);
	_exit(0); /* not exit(): no atexit handlers, no stdio flush */
}

/* ---- the run function ---- */

/* The parent's side: fork the workers, reap them, replace the ones that
 * crashed. */

/* Forks worker `id`. All workers join one process group so that wait4 can
 * wait for "any of them" without reaping the harness's other children
 * (the test server). Returns 0, or an errno value. */
static int processes_spawn(struct processes_state *p, int id)
{
	pid_t pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0) {
		/* The first worker leads a new group (pgid 0 = our pid). */
		if (setpgid(0, p->pgid) != 0)
			_exit(127);
		processes_worker_main(p, id);
	}
	/* Both sides call setpgid, so the child is in the group before
	 * either goes on, whichever runs first. */
	setpgid(pid, p->pgid);
	if (p->pgid == 0)
		p->pgid = pid;
	p->pids[id] = pid;
	p->live++;
	return 0;
}

/* A worker died: whatever task it was running is crashed, not lost. */
static void processes_mark_crashed(struct processes_state *p, int id, pid_t pid,
				   int status)
{
	for (size_t i = 0; i < p->batch->n; i++) {
		if (atomic_load(&p->state[i]) != id + 1)
			continue;
		struct result *r = &p->results[i];
		r->kind = RESULT_CRASHED;
		r->status = 0; /* whatever half of it the worker wrote */
		r->bytes = r->checksum = 0;
		r->worker = id;
		r->end = clock_now() - p->batch->t0;
		if (WIFSIGNALED(status))
			result_set_message(r,
					   "worker %d (pid %d) killed by "
					   "signal %d (%s)",
					   id, (int)pid, WTERMSIG(status),
					   strsignal(WTERMSIG(status)));
		else
			result_set_message(r,
					   "worker %d (pid %d) exited "
					   "with status %d",
					   id, (int)pid, WEXITSTATUS(status));
		atomic_store(&p->state[i], PROCESSES_DONE);
		trace_event(p->opts, "processes", id, i, "done", r);
	}
}

/* After a crash: a new worker, while tasks remain and replacements are
 * left (at most C in a run, so a task that always crashes cannot make the
 * run go on forever). */
static void processes_replace(struct processes_state *p)
{
	if (p->replacements >= p->size || atomic_load(p->next) >= p->batch->n)
		return;
	int id = p->ids_used;
	int err = processes_spawn(p, id);
	if (err != 0) {
		limits_report("processes", "fork (replacement)", err, p->live,
			      p->size, p->opts->stats);
		return;
	}
	p->ids_used++;
	p->replacements++;
}

/* Waits for one worker of the group to end and deals with it. */
static int processes_reap_one(struct processes_state *p)
{
	int status;
	struct rusage ru;
	pid_t pid = wait4(-p->pgid, &status, 0, &ru);
	if (pid < 0) {
		if (errno == EINTR)
			return 0;
		perror("processes: wait4"); /* ECHILD: someone else reaped */
		return -1;
	}
	int id = 0;
	while (id < p->ids_used && p->pids[id] != pid)
		id++;
	if (id == p->ids_used)
		return 0; /* not ours: cannot happen inside our group */
	p->pids[id] = 0;
	p->rss_kib += ru.ru_maxrss;
	if (--p->live == 0)
		p->pgid = 0; /* the group is gone; a new worker leads anew */
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		processes_mark_crashed(p, id, pid, status);
		processes_replace(p);
	}
	return 0;
}

/* A task claimed (counter past it) but still free: its worker was killed
 * between the claim and marking it running. */
static void processes_sweep_lost(struct processes_state *p)
{
	size_t claimed = atomic_load(p->next);
	for (size_t i = 0; i < claimed && i < p->batch->n; i++) {
		if (atomic_load(&p->state[i]) != PROCESSES_FREE)
			continue;
		p->results[i].kind = RESULT_CRASHED;
		result_set_message(&p->results[i], "its worker died before "
						   "starting it");
	}
}

/* Forks the first C workers; returns how many were started. */
static int processes_start(struct processes_state *p)
{
	int started = 0;
	for (; started < p->size; started++) {
		int err = processes_spawn(p, started);
		if (err != 0) {
			limits_report("processes", "fork", err, started,
				      p->size, p->opts->stats);
			break;
		}
	}
	p->ids_used = started;
	return started;
}

static int processes_run(struct batch *batch, const struct run_opts *opts)
{
	struct processes_state p = {
		.batch = batch, .opts = opts, .parent = getpid()};
	/* C > N: only N workers; the rest would find nothing to do. */
	p.size = limits_pool_size(opts->workers, batch->n);
	p.pids = calloc(2 * (size_t)p.size + 1, sizeof(*p.pids));
	if (!p.pids || processes_map(&p) != 0) {
		free(p.pids);
		return -1;
	}
	double setup_start = clock_now();
	int started = processes_start(&p);
	if (opts->stats)
		opts->stats->setup_s = clock_now() - setup_start;
	while (p.live > 0)
		if (processes_reap_one(&p) != 0)
			break;
	processes_sweep_lost(&p);
	memcpy(batch->results, p.results, batch->n * sizeof(struct result));
	if (p.shared) { /* every worker is reaped: the total is final */
		batch->shared = p.shared;
		shared_finish(batch);
		batch->shared = NULL;
		shared_state_destroy(p.shared);
	}
	munmap(p.map, p.map_len);
	free(p.pids);
	if (opts->stats) {
		opts->stats->workers_started = started;
		opts->stats->workers_rss_kib = p.rss_kib;
	}
	run_stats_set(opts->stats, "workers_rss_kib", (double)p.rss_kib);
	run_stats_set(opts->stats, "replacements", (double)p.replacements);
	return started > 0 || p.size == 0 ? 0 : -1;
}

const struct model model_processes = {
	.name = "processes",
	.summary = "a pool of C fork()ed workers sharing one mmap'd area",
	.run = processes_run,
	.compute = COMPUTE_ON_WORKERS,
};
