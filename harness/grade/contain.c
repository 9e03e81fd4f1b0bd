// SPDX-License-Identifier: MIT
/*
 * contain.c - running a student's program contained (contain.h says what
 * that stops and what it does not): the grader's side.
 *
 * Three processes stand between the grader and the program:
 *
 *     grader ── keeper ── init ── program
 *
 * The keeper, our child, leads the run's process group, sets up stdio and
 * closes every other fd, joins the run's pids cgroup, then asks for new
 * PID, network and mount namespaces. If it gets them, it forks the
 * namespace's init (pid 1 there), which brings the new loopback up,
 * mounts a /proc of its own, forks the program (pid 2 there) and reaps
 * whatever is orphaned inside. Without namespaces the keeper execs the program
 * itself. The children tell the grader what they did through the report
 * pipe. When the program has ended (or the wall-clock limit came), the
 * grader kills every process of the run and reaps it (reap.c); killing
 * init makes the kernel kill the rest of its namespace.
 */
#define _GNU_SOURCE /* strerrorname_np, pipe2 */
#include "harness/grade/contain.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/magic.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/grade/keeper.h"
#include "harness/grade/reap.h"

/* One contained run, owned by contain_run. */
struct contained {
	const struct contain_opts *o;
	struct contain_result *r;
	char dir[PATH_MAX];
	bool own_dir;		 /* made here, removed after */
	char cgroup[PATH_MAX];	 /* the run's pids cgroup, "" none */
	rlim_t nproc;		 /* RLIMIT_NPROC instead, 0 none */
	int report;		 /* the pipe's read end, non-blocking */
	bool report_eof;	 /* every writer is gone */
	bool ended;		 /* init reported the program's end: */
	int status;		 /* its wait status */
	double cpu_s;		 /* and CPU time */
	bool ns;		 /* init runs in new namespaces */
	int cgroup_err;		 /* why the keeper is not in the cgroup */
	int ns_err, lo_err;	 /* why no namespaces, why lo is down */
	bool own_proc;		 /* init mounted its own /proc */
	int fail_step, fail_err; /* fail_step >= 0: could not start */
	struct reap reap;
};

/* Reads what the children reported so far. */
static void report_read(struct contained *c)
{
	struct report m;
	ssize_t got;
	while ((got = read(c->report, &m, sizeof(m))) == sizeof(m)) {
		if (m.kind == REPORT_NAMESPACES) {
			c->ns = true;
			c->reap.ns_ino = (unsigned long)m.value;
			c->lo_err = m.err;
		} else if (m.kind == REPORT_NO_NAMESPACES) {
			c->ns_err = m.err;
		} else if (m.kind == REPORT_NO_CGROUP) {
			c->cgroup_err = m.err;
		} else if (m.kind == REPORT_OWN_PROC) {
			c->own_proc = true;
		} else if (m.kind == REPORT_ENDED) {
			c->ended = true;
			c->status = (int)m.value;
			c->cpu_s = m.cpu_s;
		} else if (m.kind == REPORT_FAILED) {
			c->fail_step = (int)m.value;
			c->fail_err = m.err;
		}
	}
	if (got == 0)
		c->report_eof = true;
}

/* Waits until the program has ended or the wall-clock limit has come
 * (true then). A pidfd tells when the keeper ends; poll also wakes on a
 * report (init's "the program ended"). */
static bool contained_wait(struct contained *c, double t0)
{
	int pidfd = -1;
#ifdef SYS_pidfd_open /* Linux 5.3; else poll every 10 ms */
	pidfd = (int)syscall(SYS_pidfd_open, c->reap.keeper, 0);
#endif
	double limit = c->o->timeout_s > 0 ? c->o->timeout_s : 1e9;
	bool late = false;
	for (;;) {
		report_read(c);
		if (c->ended || reap_keeper(&c->reap))
			break;
		double left = t0 + limit - clock_now();
		if (left <= 0) {
			late = true;
			break;
		}
		struct pollfd p[2] = {
			{pidfd, POLLIN, 0},
			{c->report_eof ? -1 : c->report, POLLIN, 0}};
		double most = pidfd < 0 ? 0.01 : 1.0;
		poll(p, 2, (int)(1000 * (left < most ? left : most)) + 1);
	}
	if (pidfd >= 0)
		close(pidfd);
	return late;
}

/* The private directory: the caller's, or a new one under TMPDIR. */
static int dir_make(struct contained *c)
{
	const char *tmp = getenv("TMPDIR");
	if (c->o->workdir)
		snprintf(c->dir, sizeof(c->dir), "%s", c->o->workdir);
	else
		snprintf(c->dir, sizeof(c->dir), "%s/concur-contain-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
	if (!c->o->workdir && !mkdtemp(c->dir))
		return -1;
	c->own_dir = !c->o->workdir;
	return 0;
}

static int dir_remove_cb(const char *path, const struct stat *st, int kind,
			 struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (kind == FTW_DNR) /* unreadable: emptied on the next pass */
		chmod(path, 0700);
	remove(path);
	return 0;
}

/* Removes the directory and what the program left in it. FTW_PHYS: a
 * link is removed, never followed; FTW_MOUNT: nothing mounted inside is
 * entered. A second pass empties the directories the first made
 * readable. */
static void dir_remove(const char *dir)
{
	for (int pass = 0; pass < 2; pass++)
		nftw(dir, dir_remove_cb, 16, FTW_PHYS | FTW_DEPTH | FTW_MOUNT);
}

/* Removes the empty cgroups that graders killed mid-run left under root
 * (concur-contain-PID, PID gone). */
static void cgroups_stale_remove(const char *root)
{
	DIR *d = opendir(root);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		int pid;
		char path[PATH_MAX];
		if (sscanf(de->d_name, "concur-contain-%d", &pid) != 1 ||
		    (kill(pid, 0) == 0 || errno != ESRCH))
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, de->d_name);
		rmdir(path); /* fails, harmless, while a process is in it */
	}
	if (d)
		closedir(d);
}

/* A limit on the run's processes: as root a pids cgroup where one is
 * mounted writable (RLIMIT_NPROC does not bind root), otherwise
 * RLIMIT_NPROC, which counts all the user's tasks: those the user has
 * now plus the limit. */
static void processes_limit(struct contained *c)
{
	static const char *const roots[] = {"/sys/fs/cgroup/pids",
					    "/sys/fs/cgroup"};
	unsigned max = c->o->max_processes;
	if (max && geteuid() != 0)
		c->nproc = (rlim_t)reap_user_tasks(getuid()) + max;
	for (size_t i = 0; max && geteuid() == 0 && i < 2; i++) {
		struct statfs fs;
		if (statfs(roots[i], &fs) != 0 ||
		    (fs.f_type != CGROUP_SUPER_MAGIC &&
		     fs.f_type != CGROUP2_SUPER_MAGIC))
			continue;
		cgroups_stale_remove(roots[i]);
		snprintf(c->cgroup, sizeof(c->cgroup), "%s/concur-contain-%d",
			 roots[i], (int)getpid());
		if (mkdir(c->cgroup, 0700) != 0)
			continue;
		/* The keeper is the program; in new namespaces it makes
		 * room for itself and init. */
		if (keeper_write_number(c->cgroup, "pids.max", max) == 0)
			return;
		rmdir(c->cgroup);
	}
	c->cgroup[0] = '\0';
}

/* The cgroup, once empty (its last tasks may still be leaving). */
static void processes_limit_remove(struct contained *c)
{
	for (int i = 0; c->cgroup[0] && i < 100 && rmdir(c->cgroup) != 0; i++)
		nanosleep(&(struct timespec){0, 1000000}, NULL);
}

/* The program's end, as contain_result says it. */
static void contained_result(struct contained *c)
{
	struct contain_result *r = c->r;
	struct usage u = usage_from_rusage(&c->reap.keeper_usage);
	int status = c->reap.keeper_status;
	double cpu_s = u.user_s + u.system_s;
	if (c->ended) { /* from init: the keeper is not the program */
		status = c->status;
		cpu_s = c->cpu_s;
	}
	/* Killed by us at the limit; or, in namespaces, ended with init
	 * before init could report (only a root program can kill it). */
	if (r->timed_out || (c->ns && !c->ended)) {
		r->signal = SIGKILL;
	} else if (WIFEXITED(status)) {
		r->exit_status = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		r->signal = WTERMSIG(status);
	}
	unsigned cpu = c->o->cpu_seconds;
	r->cpu_limit = !r->timed_out && cpu &&
		       (r->signal == SIGXCPU ||
			(r->signal == SIGKILL && cpu_s >= cpu));
	r->leftovers = (unsigned)c->reap.killed.n;
}

/* Appends text to r->isolation, ", " between items. */
static void isolation_add(struct contain_result *r, const char *fmt, ...)
{
	size_t len = strlen(r->isolation);
	if (len && len + 2 < sizeof(r->isolation))
		len += (size_t)snprintf(r->isolation + len,
					sizeof(r->isolation) - len, ", ");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->isolation + len, sizeof(r->isolation) - len, fmt, ap);
	va_end(ap);
}

/* What containment applied, for the log. */
static void contained_describe(const struct contained *c)
{
	const struct contain_opts *o = c->o;
	struct contain_result *r = c->r;
	if (c->ns)
		isolation_add(r, "pid+net namespaces%s%s",
			      c->lo_err ? " (loopback down)" : "",
			      c->own_proc ? " with own /proc" : "");
	else if (o->namespaces && c->ns_err)
		isolation_add(r, "no namespaces (%s)",
			      strerrorname_np(c->ns_err));
	else
		isolation_add(r, "no namespaces (not asked)");
	if (o->max_processes && c->cgroup[0] && c->cgroup_err)
		isolation_add(r, "no process limit (cgroup: %s)",
			      strerrorname_np(c->cgroup_err));
	else if (o->max_processes && c->cgroup[0])
		isolation_add(r, "pids cgroup (%u)", o->max_processes);
	else if (o->max_processes && c->nproc)
		isolation_add(r, "nproc rlimit (%u more)", o->max_processes);
	else if (o->max_processes)
		isolation_add(r, "no process limit (root, no pids cgroup)");
	if (o->address_space)
		isolation_add(r, "as %zu MiB", o->address_space >> 20);
	if (o->cpu_seconds)
		isolation_add(r, "cpu %u s", o->cpu_seconds);
	isolation_add(r, "private dir");
	if (c->reap.stuck)
		isolation_add(r, "%u processes would not die", c->reap.stuck);
}

void contain_opts_default(struct contain_opts *o)
{
	*o = (struct contain_opts){
		.address_space = CONTAIN_ADDRESS_SPACE,
		.cpu_seconds = 600,
		.max_processes = 512,
		.namespaces = true,
		.stdin_fd = -1,
		.stdout_fd = -1,
		.stderr_fd = -1,
	};
}

/* Forks the keeper and waits for the run to end, every process of it
 * killed; 0, or -1 (r->why) when it could not fork. */
static int contained_start(struct contained *c, char *const argv[],
			   char *const envp[], double t0)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -1;
	c->reap.keeper = fork();
	if (c->reap.keeper == 0)
		keeper_run(&(struct keeper_args){
			.argv = argv,
			.envp = envp,
			.o = c->o,
			.dir = c->dir,
			.cgroup = c->cgroup[0] ? c->cgroup : NULL,
			.nproc = c->nproc,
			.report = fds[1]});
	close(fds[1]);
	c->report = fds[0];
	if (c->reap.keeper < 0)
		return -1;
	setpgid(c->reap.keeper, c->reap.keeper); /* whichever runs first */
	fcntl(c->report, F_SETFL, O_NONBLOCK);
	c->r->timed_out = contained_wait(c, t0);
	reap_all(&c->reap);
	report_read(c); /* every writer is gone: all of it */
	return 0;
}

int contain_run(char *const argv[], char *const envp[],
		const struct contain_opts *o, struct contain_result *r)
{
	double t0 = clock_now();
	*r = (struct contain_result){.exit_status = -1};
	struct contained c = {.o = o, .r = r, .report = -1, .fail_step = -1};
	if (!argv || !argv[0]) {
		snprintf(r->why, sizeof(r->why), "no program to run");
		return -1;
	}
	/* Ours to wait for while it runs: SIGCHLD ignored would have the
	 * kernel reap the keeper unseen. The subreaper makes the run's
	 * orphans our children. Both are put back after. */
	int was_reaper = 0, rc = -1;
	prctl(PR_GET_CHILD_SUBREAPER, &was_reaper);
	struct sigaction was_sigchld, dfl = {.sa_handler = SIG_DFL};
	sigaction(SIGCHLD, &dfl, &was_sigchld);
	if (dir_make(&c) != 0 || prctl(PR_SET_CHILD_SUBREAPER, 1) != 0 ||
	    reap_note_children(&c.reap) != 0) {
		snprintf(r->why, sizeof(r->why), "cannot prepare the run: %s",
			 strerror(errno));
		goto cleanup;
	}
	processes_limit(&c);
	if (contained_start(&c, argv, envp, t0) != 0) {
		snprintf(r->why, sizeof(r->why), "cannot start %s: %s", argv[0],
			 strerror(errno));
		goto cleanup;
	}
	contained_result(&c);
	rc = 0;
	if (c.fail_step >= 0) {
		snprintf(r->why, sizeof(r->why), "cannot start %s: %s: %s",
			 argv[0], keeper_step_name(c.fail_step),
			 strerror(c.fail_err));
		rc = -1;
	}
cleanup:
	if (c.report >= 0)
		close(c.report);
	processes_limit_remove(&c);
	if (c.own_dir)
		dir_remove(c.dir);
	prctl(PR_SET_CHILD_SUBREAPER, was_reaper);
	sigaction(SIGCHLD, &was_sigchld, NULL);
	contained_describe(&c);
	reap_free(&c.reap);
	r->wall_s = clock_now() - t0;
	return rc;
}
