// SPDX-License-Identifier: MIT
/*
 * reap.c - what is left of a contained run, found in /proc and killed
 * (reap.h says which processes belong to a run).
 *
 * One round reads every /proc/PID/stat, marks the run's processes (the
 * seeds, then their descendants), SIGKILLs them all and reaps those that
 * are our children; rounds repeat until no process of the run is left,
 * since a killed parent hands its children to us (the subreaper) and a
 * process that was forking between two reads shows up in the next round.
 * A SIGKILLed process cannot fork any more (fork fails when a fatal
 * signal is pending), so the rounds end.
 */
#include "harness/grade/reap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"

/* ---- lists of pids and /proc entries ------------------------------------ */

static bool pid_list_has(const struct pid_list *l, pid_t pid)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->pids[i] == pid)
			return true;
	return false;
}

/* Adds pid unless it is there; -1 when out of memory. */
static int pid_list_add(struct pid_list *l, pid_t pid)
{
	if (pid_list_has(l, pid))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		pid_t *p = realloc(l->pids, cap * sizeof(*p));
		if (!p)
			return -1;
		l->pids = p;
		l->cap = cap;
	}
	l->pids[l->n++] = pid;
	return 0;
}

/* One process as /proc/PID/stat shows it. */
struct proc_entry {
	pid_t pid, ppid, pgrp;
	char state; /* R, S, D, Z, T, ... */
	long threads;
	uid_t uid;
	unsigned long ns_ino; /* its PID namespace, when asked */
	bool in_run;
	pid_t inner; /* in the run's namespace: its pid there; -1 gone since
			the read; else 0 */
};

/* Reads /proc/PID/stat into e; 0, or -1 when the process is gone. */
static int proc_entry_read(pid_t pid, bool want_ns, struct proc_entry *e)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	ssize_t got = fstat(fd, &st) == 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	close(fd);
	if (got <= 0)
		return -1;
	buf[got] = '\0';
	/* The fields after the ")" that ends the command name, which may
	 * itself hold spaces and parentheses: 3 state, 4 ppid, 5 pgrp,
	 * 20 num_threads. */
	const char *p = strrchr(buf, ')');
	*e = (struct proc_entry){.pid = pid, .uid = st.st_uid};
	int ppid, pgrp;
	if (!p || sscanf(p + 1,
			 " %c %d %d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u "
			 "%*d %*d %*d %*d %ld",
			 &e->state, &ppid, &pgrp, &e->threads) != 4)
		return -1;
	e->ppid = ppid;
	e->pgrp = pgrp;
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	if (want_ns && stat(path, &st) == 0)
		e->ns_ino = (unsigned long)st.st_ino;
	return 0;
}

/* Every process now into *out (free it); how many, or -1. */
static ssize_t proc_scan(bool want_ns, struct proc_entry **out)
{
	DIR *d = opendir("/proc");
	if (!d)
		return -1;
	size_t n = 0, cap = 0;
	struct proc_entry *all = NULL;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			struct proc_entry *p = realloc(all, cap * sizeof(*p));
			if (!p) { /* a partial list would spare or kill wrong */
				free(all);
				closedir(d);
				return -1;
			}
			all = p;
		}
		if (proc_entry_read((pid_t)pid, want_ns, &all[n]) == 0)
			n++;
	}
	closedir(d);
	*out = all;
	return (ssize_t)n;
}

/* The last pid of /proc/PID/status's NSpid line: its pid in the innermost
 * namespace; -1 when it cannot be read (the process is gone). */
static pid_t proc_inner_pid(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	pid_t inner = -1;
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "NSpid:", 6) == 0) {
			const char *last = strrchr(line, '\t');
			inner = last ? (pid_t)atol(last + 1) : -1;
		}
	if (f)
		fclose(f);
	return inner;
}

/* The pids written in the cgroup's cgroup.procs into l. */
static void cgroup_members(const char *cgroup, struct pid_list *l)
{
	l->n = 0;
	char path[4200];
	snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
	FILE *f = fopen(path, "re");
	long pid;
	while (f && fscanf(f, "%ld", &pid) == 1)
		if (pid_list_add(l, (pid_t)pid) != 0)
			break;
	if (f)
		fclose(f);
}

/* ---- the run's processes ------------------------------------------------ */

int reap_note_children(struct reap *s)
{
	struct proc_entry *all;
	ssize_t n = proc_scan(false, &all);
	if (n < 0)
		return -1;
	int rc = 0;
	for (ssize_t i = 0; rc == 0 && i < n; i++)
		if (all[i].ppid == getpid())
			rc = pid_list_add(&s->before, all[i].pid);
	free(all);
	return rc;
}

/* Is e one of the run's seeds (reap.h)? */
static bool reap_is_seed(const struct reap *s, const struct proc_entry *e,
			 const struct pid_list *cgroup, pid_t self)
{
	if (e->pid == self || e->pid == 1)
		return false;
	return e->pgrp == s->keeper || (s->ns_ino && e->ns_ino == s->ns_ino) ||
	       pid_list_has(cgroup, e->pid) ||
	       (e->ppid == self && !pid_list_has(&s->before, e->pid));
}

/* Marks the seeds and then their descendants; how many are marked. */
static size_t reap_mark(const struct reap *s, struct proc_entry *all, size_t n,
			const struct pid_list *cgroup)
{
	pid_t self = getpid();
	size_t marked = 0;
	for (size_t i = 0; i < n; i++)
		marked += all[i].in_run =
			reap_is_seed(s, &all[i], cgroup, self);
	for (bool grew = true; grew;) {
		grew = false;
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; !all[i].in_run && j < n; j++)
				if (all[j].in_run &&
				    all[j].pid == all[i].ppid &&
				    all[i].pid != self) {
					all[i].in_run = grew = true;
					marked++;
				}
	}
	for (size_t i = 0; s->ns_ino && i < n; i++)
		if (all[i].ns_ino == s->ns_ino)
			all[i].inner = proc_inner_pid(all[i].pid);
	return marked;
}

/* The keeper, the init and the program are the run itself, not what it
 * left behind. */
static bool reap_is_the_run(const struct reap *s, const struct proc_entry *e)
{
	return e->pid == s->keeper || e->inner == 1 || e->inner == 2;
}

bool reap_keeper(struct reap *s)
{
	if (s->keeper_reaped)
		return true;
	pid_t got =
		wait4(s->keeper, &s->keeper_status, WNOHANG, &s->keeper_usage);
	if (got < 0 && errno == ECHILD)	    /* reaped by someone else: */
		s->keeper_status = SIGKILL; /* its end unknown, a failure */
	s->keeper_reaped = got == s->keeper || (got < 0 && errno == ECHILD);
	return s->keeper_reaped;
}

/* One round: counts the leftovers among the marked processes, kills
 * them, reaps our children among them. The namespace's init is killed
 * last, when nothing else is left inside: its death would end the rest
 * at once, among them processes forked since this round's read, which
 * would never be counted. */
static void reap_kill_marked(struct reap *s, const struct proc_entry *all,
			     size_t n, bool spare_init)
{
	pid_t self = getpid();
	for (size_t i = 0; i < n; i++) {
		const struct proc_entry *e = &all[i];
		if (!e->in_run || (spare_init && e->inner == 1))
			continue;
		/* Gone on its own since the read (init, when nothing was
		 * left inside): not killed by us, not a leftover. */
		if (e->state != 'Z' && e->inner >= 0 && !reap_is_the_run(s, e))
			pid_list_add(&s->killed, e->pid);
		kill(e->pid, SIGKILL);
		if (e->ppid != self)
			continue;
		if (e->pid == s->keeper)
			reap_keeper(s);
		else
			waitpid(e->pid, NULL, WNOHANG);
	}
}

/* Is anything but init left in the run's namespace? */
static bool reap_ns_busy(const struct proc_entry *all, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (all[i].inner > 1)
			return true;
	return false;
}

void reap_all(struct reap *s)
{
	struct pid_list cgroup = {0};
	double give_up = clock_now() + REAP_GIVE_UP_S;
	for (;;) {
		struct proc_entry *all;
		ssize_t n = proc_scan(s->ns_ino != 0, &all);
		if (n < 0) { /* no /proc: the group is all we can name */
			kill(-s->keeper, SIGKILL);
			if (!s->keeper_reaped &&
			    wait4(s->keeper, &s->keeper_status, 0,
				  &s->keeper_usage) == s->keeper)
				s->keeper_reaped = true;
			break;
		}
		if (s->cgroup)
			cgroup_members(s->cgroup, &cgroup);
		size_t marked = reap_mark(s, all, (size_t)n, &cgroup);
		bool spare_init = reap_ns_busy(all, (size_t)n) &&
				  clock_now() < give_up - REAP_GIVE_UP_S / 2;
		reap_kill_marked(s, all, (size_t)n, spare_init);
		free(all);
		if (marked == 0 && reap_keeper(s))
			break;
		if (clock_now() > give_up) {
			s->stuck = (unsigned)marked;
			break;
		}
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	}
	free(cgroup.pids);
}

unsigned long reap_user_tasks(uid_t uid)
{
	struct proc_entry *all;
	ssize_t n = proc_scan(false, &all);
	unsigned long tasks = 0;
	for (ssize_t i = 0; i < n; i++)
		if (all[i].uid == uid)
			tasks += (unsigned long)all[i].threads;
	if (n >= 0)
		free(all);
	return tasks;
}

void reap_free(struct reap *s)
{
	free(s->before.pids);
	free(s->killed.pids);
	s->before = s->killed = (struct pid_list){0};
}
