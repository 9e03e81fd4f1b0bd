// SPDX-License-Identifier: MIT
/*
 * syscalls.c - a piece of work's system calls, counted by perf or strace
 * attached to the child that runs it (see syscalls.h).
 */
#include "harness/bench/syscalls.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Is there a program `name` on PATH? */
static int syscalls_have(const char *name)
{
	const char *path = getenv("PATH");
	char file[4200];
	while (path && *path) {
		size_t n = strcspn(path, ":");
		snprintf(file, sizeof(file), "%.*s/%s", (int)n, path, name);
		if (n > 0 && access(file, X_OK) == 0)
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

/* Has a tracer attached to pid yet (/proc/PID/status, TracerPid)? */
static int syscalls_traced(pid_t pid)
{
	char path[64], line[256];
	int traced = 0;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "TracerPid:", 10) == 0)
			traced = atoi(line + 10) != 0;
	if (f)
		fclose(f);
	return traced;
}

/* `strace -c -f -o file -p pid`, quiet; its pid, or -1. */
static pid_t syscalls_spawn_strace(const char *file, pid_t pid)
{
	char target[32];
	snprintf(target, sizeof(target), "%d", (int)pid);
	pid_t tracer = fork();
	if (tracer == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execlp("strace", "strace", "-c", "-f", "-o", file, "-p", target,
		       (char *)NULL);
		_exit(127);
	}
	return tracer;
}

/* The calls of strace -c's last line:
 * "100.00    0.851399          14     59800      5884 total". */
static long syscalls_total(const char *file)
{
	FILE *f = fopen(file, "r");
	char line[512];
	long total = -1;
	while (f && fgets(line, sizeof(line), f)) {
		double pct, secs, usecs;
		long calls;
		if (strstr(line, " total") &&
		    sscanf(line, "%lf %lf %lf %ld", &pct, &secs, &usecs,
			   &calls) == 4)
			total = calls;
	}
	if (f)
		fclose(f);
	return total;
}

/* `perf stat -e raw_syscalls:sys_enter -p pid`, its counters off until
 * "enable" on ctl; it answers "ack" on ack. Its pid, or -1. */
static pid_t syscalls_spawn_perf(const char *file, pid_t pid, int ctl, int ack)
{
	char target[32], control[64];
	snprintf(target, sizeof(target), "%d", (int)pid);
	snprintf(control, sizeof(control), "fd:%d,%d", ctl, ack);
	pid_t counter = fork();
	if (counter == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execlp("perf", "perf", "stat", "-x,", "-e",
		       "raw_syscalls:sys_enter", "-D", "-1", "--control",
		       control, "-o", file, "-p", target, (char *)NULL);
		_exit(127);
	}
	return counter;
}

/* Starts perf on pid and waits (up to 5 s) until its counters are on.
 * Returns perf's pid, or -1 (then nothing is left running). */
static pid_t syscalls_attach_perf(const char *file, pid_t pid)
{
	int ctl[2], ack[2];
	if (!syscalls_have("perf") || pipe(ctl) != 0)
		return -1;
	if (pipe(ack) != 0) {
		close(ctl[0]);
		close(ctl[1]);
		return -1;
	}
	pid_t counter = syscalls_spawn_perf(file, pid, ctl[0], ack[1]);
	close(ctl[0]);
	close(ack[1]);
	char reply[8] = "";
	struct pollfd p = {.fd = ack[0], .events = POLLIN};
	int on = counter > 0 && write(ctl[1], "enable\n", 7) == 7 &&
		 poll(&p, 1, 5000) == 1 && read(ack[0], reply, 7) > 0 &&
		 strncmp(reply, "ack", 3) == 0;
	close(ctl[1]);
	close(ack[0]);
	if (!on && counter > 0) {
		kill(counter, SIGKILL);
		waitpid(counter, NULL, 0);
	}
	return on ? counter : -1;
}

/* perf's count: "80314,,raw_syscalls:sys_enter,...". */
static long syscalls_perf_total(const char *file)
{
	FILE *f = fopen(file, "r");
	char line[512];
	long total = -1;
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "raw_syscalls:sys_enter") &&
		    sscanf(line, "%ld,", &total) != 1)
			total = -1;
	if (f)
		fclose(f);
	return total;
}

/* The child: lets any tracer attach (Yama's ptrace_scope 1 allows only
 * ancestors otherwise), waits at the gate, works. */
static void syscalls_child(int gate, syscalls_work_fn work, void *arg)
{
	char go;
	prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
	if (read(gate, &go, 1) != 1)
		_exit(2);
	_exit(work(arg) == 0 ? 0 : 1);
}

/* Starts a counter on child: perf when it can, else strace. Sets *perf
 * to which; the counter's pid, or -1. */
static pid_t syscalls_attach(const char *file, pid_t child, int *perf)
{
	pid_t counter = syscalls_attach_perf(file, child);
	*perf = counter > 0;
	if (counter > 0 || !syscalls_have("strace"))
		return counter;
	counter = syscalls_spawn_strace(file, child);
	for (int k = 0; k < 500 && counter > 0 && !syscalls_traced(child); k++)
		usleep(10 * 1000);
	return counter > 0 && syscalls_traced(child) ? counter : -1;
}

long syscalls_count(syscalls_work_fn work, void *arg, char *why, size_t len)
{
	char file[] = "/tmp/concur-syscalls-XXXXXX";
	int gate[2], fd, status = 0, perf = 0;
	if (!syscalls_have("perf") && !syscalls_have("strace")) {
		snprintf(why, len, "neither perf nor strace is installed");
		return -1;
	}
	if ((fd = mkstemp(file)) < 0 || pipe(gate) != 0) {
		snprintf(why, len, "no temporary file or pipe");
		return -1;
	}
	close(fd);
	pid_t child = fork();
	if (child == 0)
		syscalls_child(gate[0], work, arg);
	close(gate[0]);
	pid_t counter = child > 0 ? syscalls_attach(file, child, &perf) : -1;
	if (counter < 0 && child > 0)
		kill(child, SIGKILL);
	if (write(gate[1], "g", 1) != 1)
		counter = -1;
	close(gate[1]);
	if (child > 0)
		waitpid(child, &status, 0);
	if (counter > 0)
		waitpid(counter, NULL, 0);
	long total = perf ? syscalls_perf_total(file) : syscalls_total(file);
	unlink(file);
	if (counter < 0 || total < 0)
		snprintf(why, len, "neither perf nor strace could attach");
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		snprintf(why, len, "the counted run failed");
	else
		return total;
	return -1;
}
