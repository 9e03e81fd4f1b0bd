// SPDX-License-Identifier: MIT
/*
 * keeper.c - the keeper, the namespace's init and the program's last
 * steps before exec: the children's side of contain_run (contain.c draws
 * the three processes; keeper.h says what they report).
 *
 * Watch for: the fork after unshare(CLONE_NEWPID). The caller of unshare
 * stays in its own PID namespace; only its next child is pid 1 of the new
 * one. And pid 1 ignores every signal it has no handler for, even from
 * its own kill(), so init cannot die of the program's signal to pass it
 * on: it sends the program's wait status through the pipe instead.
 */
#define _GNU_SOURCE /* execvpe, close_range */
#include "harness/grade/keeper.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"

/* ---- reports ------------------------------------------------------------ */

const char *keeper_step_name(int step)
{
	static const char *const names[STEP_COUNT] = {
		"stdio", "cgroup", "rlimits", "fork", "chdir", "exec"};
	return step >= 0 && step < STEP_COUNT ? names[step] : "?";
}

static void report_to(int fd, int kind, int err, long value, double cpu_s)
{
	struct report m = {kind, err, value, cpu_s};
	ssize_t sent = write(fd, &m, sizeof(m));
	(void)sent; /* nothing more a child could do about it */
}

static void report_send(int kind, int err, long value, double cpu_s)
{
	report_to(KEEPER_REPORT_FD, kind, err, value, cpu_s);
}

static _Noreturn void child_fail(enum keeper_step step)
{
	report_send(REPORT_FAILED, errno, step, 0);
	_exit(127);
}

int keeper_write_number(const char *dir, const char *name, long value)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = dprintf(fd, "%ld\n", value) < 0 ? -1 : 0;
	return close(fd) != 0 ? -1 : rc;
}

/* stdin, stdout and stderr from the caller's fds (-1: /dev/null), the
 * report pipe as KEEPER_REPORT_FD, every other fd closed; 0 or -1. */
static int child_fds(const struct keeper_args *a)
{
	const int want[4] = {a->o->stdin_fd, a->o->stdout_fd, a->o->stderr_fd,
			     a->report};
	int high[4];
	for (int i = 0; i < 4; i++) {
		int fd = want[i] >= 0 ? want[i] : open("/dev/null", O_RDWR);
		/* Copied above 9 first, so that no dup2 below overwrites a
		 * source that is still to be copied. */
		high[i] = fd < 0 ? -1 : fcntl(fd, F_DUPFD, 10);
		if (high[i] < 0)
			return -1;
	}
	for (int i = 0; i < 4; i++)
		if (dup2(high[i], i) < 0) /* dup2 clears close-on-exec */
			return -1;
	if (fcntl(KEEPER_REPORT_FD, F_SETFD, FD_CLOEXEC) != 0)
		return -1;
	if (close_range(KEEPER_REPORT_FD + 1, ~0U, 0) != 0) /* Linux < 5.9 */
		for (int fd = KEEPER_REPORT_FD + 1; fd < 65536; fd++)
			close(fd);
	return 0;
}

/* The limits, the private directory, then the program itself. */
static _Noreturn void program_exec(const struct keeper_args *a)
{
	const struct contain_opts *o = a->o;
	/* No core files (SIGXCPU dumps one by default) in the directory. */
	if (setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0}) != 0)
		child_fail(STEP_LIMITS);
	struct rlimit as = {o->address_space, o->address_space};
	if (o->address_space && setrlimit(RLIMIT_AS, &as) != 0)
		child_fail(STEP_LIMITS);
	/* SIGXCPU at the soft limit, SIGKILL a second later if caught. */
	struct rlimit cpu = {o->cpu_seconds, (rlim_t)o->cpu_seconds + 1};
	if (o->cpu_seconds && setrlimit(RLIMIT_CPU, &cpu) != 0)
		child_fail(STEP_LIMITS);
	struct rlimit nproc = {a->nproc, a->nproc};
	if (a->nproc && setrlimit(RLIMIT_NPROC, &nproc) != 0)
		child_fail(STEP_LIMITS);
	if (chdir(a->dir) != 0)
		child_fail(STEP_CHDIR);
	execvpe(a->argv[0], a->argv, a->envp ? a->envp : environ);
	child_fail(STEP_EXEC);
}

/* Brings "lo" up in the new network namespace (it starts down), with the
 * two ioctls `ip link set lo up` makes; 0, or an errno. */
static int net_loopback_up(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = {0};
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	int rc = s >= 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0 ? 0 : errno;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (rc == 0 && ioctl(s, SIOCSIFFLAGS, &ifr) != 0)
		rc = errno;
	if (s >= 0)
		close(s);
	return rc;
}

/* pid 1 of the run's namespace: its loopback up, what it is told to the
 * grader (before anything the program does, so the grader knows the
 * namespace when the program ends), a /proc of its own (private to its
 * mount namespace: the teacher's /proc is untouched), the program, and
 * the reaping of what is orphaned inside until the grader kills it. */
static _Noreturn void init_run(const struct keeper_args *a)
{
	int lo = net_loopback_up();
	/* Our own /proc is not mounted yet: this is the teacher's, where the
	 * namespace has the inode the grader will see. */
	struct stat ns;
	long ino = stat("/proc/self/ns/pid", &ns) == 0 ? (long)ns.st_ino : 0;
	report_send(REPORT_NAMESPACES, lo, ino, 0);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) == 0)
		report_send(REPORT_OWN_PROC, 0, 0, 0);
	pid_t program = fork();
	if (program < 0)
		child_fail(STEP_FORK);
	if (program == 0)
		program_exec(a);
	for (;;) {
		int status;
		struct rusage ru;
		pid_t pid = wait4(-1, &status, 0, &ru);
		if (pid == program) {
			struct usage u = usage_from_rusage(&ru);
			report_send(REPORT_ENDED, 0, status,
				    u.user_s + u.system_s);
		} else if (pid < 0 && errno == ECHILD) {
			_exit(0); /* nothing left inside: the run is over */
		}
	}
}

/* Signals as a new process has them: the grader's handlers, ignored
 * signals and blocked mask are not the program's. */
static void keeper_signals_default(void)
{
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL); /* fails, harmless, for SIGKILL, ... */
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

_Noreturn void keeper_run(const struct keeper_args *a)
{
	setpgid(0, 0);
	keeper_signals_default();
	/* Not dumpable: a program of the same user cannot open the keeper's
	 * or init's /proc/PID/fd/ and write a forged report (exec makes the
	 * program dumpable again). */
	prctl(PR_SET_DUMPABLE, 0);
	if (child_fds(a) != 0) {
		report_to(a->report, REPORT_FAILED, errno, STEP_STDIO, 0);
		_exit(127);
	}
	if (a->cgroup &&
	    keeper_write_number(a->cgroup, "cgroup.procs", getpid()) != 0)
		report_send(REPORT_NO_CGROUP, errno, 0, 0);
	if (!a->o->namespaces)
		program_exec(a);
	if (unshare(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS) != 0) {
		report_send(REPORT_NO_NAMESPACES, errno, 0, 0);
		program_exec(a);
	}
	/* The keeper and init are not the program's: two more tasks. */
	if (a->cgroup)
		keeper_write_number(a->cgroup, "pids.max",
				    (long)a->o->max_processes + 2);
	pid_t init = fork();
	if (init < 0)
		child_fail(STEP_FORK);
	if (init == 0)
		init_run(a);
	int status;
	while (waitpid(init, &status, 0) < 0 && errno == EINTR)
		;
	_exit(0); /* the grader reads the program's end from init's report */
}
