// SPDX-License-Identifier: MIT
/*
 * tree_memory.c - a thread that weighs a run's process tree every few
 * milliseconds (tree_memory.h says what and why).
 *
 * Finding the tree costs one read of /proc's directory per look: a process
 * is read (its parent, from /proc/PID/stat) only the first time it shows
 * up; one that was there at the last look is the same process, already
 * sorted in or out. Only the tree's own processes have their memory read.
 */
#include "harness/run/tree_memory.h"

#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "harness/run/procfs.h"

/* PSS and USS are read at least this often. */
#define TREE_ROLLUP_EVERY_S 0.1

/* Pids above this are looked up afresh at every look. */
#define TREE_MAX_PIDS 4194304

enum {
	TREE_OUT = 1,
	TREE_IN = 2
};

/* A growable list of pids. */
struct tree_pids {
	pid_t *pid;
	size_t n, cap;
};

/* Everything is owned by the sampler thread until tree_sampler_stop has
 * joined it, except `stop`, guarded by `lock`. */
struct tree_sampler {
	pid_t root;	       /* the measured child */
	uint32_t *last_look;   /* by pid: the look that last saw it */
	unsigned char *state;  /* by pid: TREE_IN or TREE_OUT */
	size_t n_pids;	       /* size of both arrays */
	uint32_t look;	       /* the current look's number */
	struct tree_pids in;   /* this look's members */
	struct tree_pids news; /* this look's newcomers, to sort */
	struct tree_memory peak;
	long rollup_rss_kib;  /* the largest RSS at a rollup so far */
	int rollup_processes; /* processes at the last rollup */
	double rollup_at;     /* when it was (monotonic) */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop; /* guarded by lock */
};

static int tree_push(struct tree_pids *l, pid_t pid)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		pid_t *p = realloc(l->pid, cap * sizeof(*p));
		if (!p)
			return -1;
		l->pid = p;
		l->cap = cap;
	}
	l->pid[l->n++] = pid;
	return 0;
}

/* Is pid a member, as sorted so far in this look? */
static bool tree_known_in(const struct tree_sampler *s, pid_t pid)
{
	return pid > 0 && (size_t)pid < s->n_pids && s->state[pid] == TREE_IN &&
	       s->last_look[pid] == s->look;
}

static void tree_mark(struct tree_sampler *s, pid_t pid, int state)
{
	if ((size_t)pid < s->n_pids)
		s->state[pid] = (unsigned char)state;
}

/* Sorts the newcomers: in when they are the root, in its process group,
 * or a child of a member; repeated until nothing moves, since a parent
 * may be a newcomer too. The rest are out. */
static void tree_sort_news(struct tree_sampler *s)
{
	size_t n = s->news.n;
	pid_t *ppid = calloc(n ? n : 1, sizeof(*ppid));
	bool *in = calloc(n ? n : 1, sizeof(*in));
	if (!ppid || !in)
		n = 0; /* this look sees only the members it knew */
	for (size_t i = 0; i < n; i++) {
		pid_t pid = s->news.pid[i], pgid = 0;
		if (proc_parent(pid, &ppid[i], &pgid) == 0)
			in[i] = pid == s->root || pgid == s->root;
		tree_mark(s, pid, in[i] ? TREE_IN : TREE_OUT);
	}
	for (bool moved = true; moved;) {
		moved = false;
		for (size_t i = 0; i < n; i++) {
			if (in[i] || !tree_known_in(s, ppid[i]))
				continue;
			in[i] = moved = true;
			tree_mark(s, s->news.pid[i], TREE_IN);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (in[i])
			tree_push(&s->in, s->news.pid[i]);
	free(ppid);
	free(in);
}

/* Reads /proc's directory: members into s->in, newcomers into s->news. */
static void tree_find(struct tree_sampler *s)
{
	s->in.n = s->news.n = 0;
	s->look++;
	DIR *d = opendir("/proc");
	if (!d)
		return;
	const struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid_t pid = (pid_t)atol(e->d_name);
		bool tracked = (size_t)pid < s->n_pids;
		bool same = tracked && s->last_look[pid] + 1 == s->look;
		if (tracked)
			s->last_look[pid] = s->look;
		if (!same)
			tree_push(&s->news, pid);
		else if (s->state[pid] == TREE_IN)
			tree_push(&s->in, pid);
	}
	closedir(d);
	tree_sort_news(s);
}

/* The tree's PSS and USS now, added into *now. */
static void tree_rollups(const struct tree_sampler *s, struct tree_memory *now)
{
	for (size_t i = 0; i < s->in.n; i++) {
		struct proc_memory m;
		if (proc_memory_read(s->in.pid[i], &m) != 0)
			continue; /* gone, or a zombie */
		now->pss_kib += m.pss_kib;
		now->uss_kib += m.uss_kib;
	}
}

/* One look: the tree's sums now, each peak raised to them. Its RSS every
 * time (statm: cheap); its PSS and USS (smaps_rollup: the kernel walks
 * every mapping, 0.1-0.3 ms a process) only when they could reach a new
 * peak: the RSS above any it had at a rollup, a process more or less, or
 * TREE_ROLLUP_EVERY_S since the last. */
static void tree_look(struct tree_sampler *s)
{
	tree_find(s);
	struct tree_memory now = {0};
	for (size_t i = 0; i < s->in.n; i++) {
		long kib = proc_rss_kib(s->in.pid[i]);
		if (kib < 0)
			continue;
		now.rss_kib += kib;
		now.processes++;
	}
	double t = clock_now();
	if (now.rss_kib > s->rollup_rss_kib ||
	    now.processes != s->rollup_processes ||
	    t - s->rollup_at >= TREE_ROLLUP_EVERY_S) {
		tree_rollups(s, &now);
		if (now.rss_kib > s->rollup_rss_kib)
			s->rollup_rss_kib = now.rss_kib;
		s->rollup_processes = now.processes;
		s->rollup_at = t;
	}
	tree_memory_merge(&s->peak, &now);
	s->peak.samples++;
}

/* CPU seconds this thread has used. */
static double tree_thread_cpu(void)
{
	struct timespec cpu;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu) != 0)
		return 0;
	return (double)cpu.tv_sec + (double)cpu.tv_nsec / 1e9;
}

/* The absolute monotonic time `delay` seconds from now. */
static struct timespec tree_deadline(double delay)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	long ns = ts.tv_nsec + (long)(delay * 1e9);
	ts.tv_sec += ns / 1000000000L;
	ts.tv_nsec = ns % 1000000000L;
	return ts;
}

static void *tree_sampler_main(void *arg)
{
	struct tree_sampler *s = arg;
	pthread_mutex_lock(&s->lock);
	while (!s->stop) {
		pthread_mutex_unlock(&s->lock);
		/* CPU time, not wall time: on a busy machine a look may wait
		 * for a core, which costs the run nothing. */
		double t0 = tree_thread_cpu();
		tree_look(s);
		double cost = tree_thread_cpu() - t0;
		double share = TREE_MEMORY_MAX_SHARE * cost;
		double wait = share > TREE_MEMORY_INTERVAL_S
				      ? share
				      : TREE_MEMORY_INTERVAL_S - cost;
		struct timespec until = tree_deadline(wait);
		pthread_mutex_lock(&s->lock);
		while (!s->stop &&
		       pthread_cond_timedwait(&s->wake, &s->lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&s->lock);
	s->peak.sampler_cpu_s = tree_thread_cpu();
	return NULL;
}

static void tree_free(struct tree_sampler *s)
{
	free(s->last_look);
	free(s->state);
	free(s->in.pid);
	free(s->news.pid);
	free(s);
}

/* The kernel's pid_max, capped: the size of the by-pid arrays. */
static size_t tree_pid_max(void)
{
	long max = 0;
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");
	if (f) {
		if (fscanf(f, "%ld", &max) != 1)
			max = 0;
		fclose(f);
	}
	if (max <= 0 || max > TREE_MAX_PIDS)
		max = TREE_MAX_PIDS;
	return (size_t)max + 1;
}

/* The lock and the condition, on the monotonic clock; 0 or -1. */
static int tree_sync_init(struct tree_sampler *s)
{
	pthread_condattr_t ca;
	if (pthread_condattr_init(&ca) != 0)
		return -1;
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	int rc = pthread_cond_init(&s->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (rc != 0)
		return -1;
	if (pthread_mutex_init(&s->lock, NULL) != 0) {
		pthread_cond_destroy(&s->wake);
		return -1;
	}
	return 0;
}

struct tree_sampler *tree_sampler_start(pid_t root)
{
	struct tree_sampler *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->root = root;
	s->look = 1; /* last_look 0 is "never seen": the first look is 2 */
	s->n_pids = tree_pid_max();
	s->last_look = calloc(s->n_pids, sizeof(*s->last_look));
	s->state = calloc(s->n_pids, sizeof(*s->state));
	if (!s->last_look || !s->state || tree_sync_init(s) != 0) {
		tree_free(s);
		return NULL;
	}
	/* Every signal blocked in the thread (it inherits the mask): the
	 * harness's SIGALRM and SIGINT must interrupt its wait4. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&s->thread, NULL, tree_sampler_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_mutex_destroy(&s->lock);
		pthread_cond_destroy(&s->wake);
		tree_free(s);
		return NULL;
	}
	return s;
}

void tree_sampler_stop(struct tree_sampler *s, struct tree_memory *peak)
{
	memset(peak, 0, sizeof(*peak));
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	*peak = s->peak;
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->wake);
	tree_free(s);
}

void tree_memory_merge(struct tree_memory *peak,
		       const struct tree_memory *other)
{
	if (other->pss_kib > peak->pss_kib)
		peak->pss_kib = other->pss_kib;
	if (other->uss_kib > peak->uss_kib)
		peak->uss_kib = other->uss_kib;
	if (other->rss_kib > peak->rss_kib)
		peak->rss_kib = other->rss_kib;
	if (other->processes > peak->processes)
		peak->processes = other->processes;
}
