// SPDX-License-Identifier: MIT
/*
 * session.c - `concur` in a session of its own, and the processes of that
 * session read from /proc/PID/stat (see session.h).
 */
#include "tests/support/session.h"

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "tests/support/support.h"

/* ---- processes of a session ---------------------------------------------- */

size_t session_procs(pid_t sid, struct session_proc *out, size_t cap)
{
	DIR *d = opendir("/proc");
	ck_assert_ptr_nonnull(d);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < cap) {
		char path[300], buf[1024];
		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		size_t got = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[got] = '\0';
		char *rp = strrchr(buf, ')');
		struct session_proc p = {.pid = atoi(e->d_name)};
		int ppid, pgrp, session;
		/* state ppid pgrp session tty tpgid flags minflt cminflt
		 * majflt cmajflt utime stime cutime cstime prio nice
		 * threads itreal starttime */
		if (!rp ||
		    sscanf(rp + 2,
			   "%c %d %d %d %*d %*d %*u %*u %*u %*u %*u "
			   "%*u %*u %*d %*d %*d %*d %*d %*d %llu",
			   &p.state, &ppid, &pgrp, &session, &p.start) != 5)
			continue;
		p.ppid = ppid;
		if (session == sid)
			out[n++] = p;
	}
	closedir(d);
	return n;
}

size_t session_live(pid_t sid, struct session_proc *procs)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	size_t n = session_procs(sid, procs, SESSION_MAX_PROCS), live = 0;
	for (size_t i = 0; i < n; i++)
		if (procs[i].state != 'Z')
			procs[live++] = procs[i];
	return live;
}

void session_nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

void session_assert_empty(pid_t sid, const char *what)
{
	struct session_proc procs[SESSION_MAX_PROCS];
	size_t live = 0;
	for (int i = 0; i < 250; i++) {
		live = session_live(sid, procs);
		if (live == 0)
			return;
		session_nap_ms(20);
	}
	char cmd[256] = "";
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)procs[0].pid);
	FILE *f = fopen(path, "r");
	if (f) {
		size_t got = fread(cmd, 1, sizeof(cmd) - 1, f);
		for (size_t i = 0; i < got; i++)
			if (!cmd[i])
				cmd[i] = ' ';
		cmd[got] = '\0';
		fclose(f);
	}
	pid_t first = procs[0].pid;
	for (size_t i = 0; i < live; i++) /* the next test starts clean */
		kill(procs[i].pid, SIGKILL);
	ck_abort_msg("%s: %zu processes left, e.g. pid %d: %s", what, live,
		     (int)first, cmd);
}

/* ---- a run in a session of its own --------------------------------------- */

void session_start(struct session_run *r, const char *dir, const char *args)
{
	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	char cmd[4096];
	snprintf(cmd, sizeof(cmd), "exec %s %s", support_bin(), args);
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	r->pid = fork();
	ck_assert_int_ge(r->pid, 0);
	if (r->pid == 0) {
		setsid();
		char path[128];
		snprintf(path, sizeof(path), "%s/stdout", dir);
		int null = open("/dev/null", O_RDWR);
		int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(null, 0);
		dup2(out >= 0 ? out : null, 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	r->err_fd = p[0];
	fcntl(r->err_fd, F_SETFL, O_NONBLOCK);
}

void session_poll(struct session_run *r)
{
	for (;;) {
		size_t room = sizeof(r->err) - 1 - r->err_len;
		char sink[4096];
		ssize_t n = room ? read(r->err_fd, r->err + r->err_len, room)
				 : read(r->err_fd, sink, sizeof(sink));
		if (n <= 0)
			break;
		if (room)
			r->err_len += (size_t)n;
	}
	r->err[r->err_len] = '\0';
	if (!r->exited && waitpid(r->pid, &r->status, WNOHANG) == r->pid)
		r->exited = true;
}

bool session_wait_for(struct session_run *r, const char *text, double s)
{
	double end = clock_now() + s;
	while (clock_now() < end) {
		session_poll(r);
		if (strstr(r->err, text))
			return true;
		if (r->exited)
			return false;
		session_nap_ms(10);
	}
	return false;
}

int session_wait(struct session_run *r, double s)
{
	double end = clock_now() + s;
	while (!r->exited && clock_now() < end) {
		session_poll(r);
		session_nap_ms(10);
	}
	if (!r->exited) {
		kill(-r->pid, SIGKILL);
		waitpid(r->pid, &r->status, 0);
		close(r->err_fd);
		return -1;
	}
	session_poll(r);
	close(r->err_fd);
	return WIFEXITED(r->status) ? WEXITSTATUS(r->status)
				    : 128 + WTERMSIG(r->status);
}

pid_t session_measured_child(const struct session_run *r)
{
	struct session_proc procs[SESSION_MAX_PROCS];
	size_t n = session_procs(r->pid, procs, SESSION_MAX_PROCS);
	pid_t best = 0;
	unsigned long long start = 0;
	for (size_t i = 0; i < n; i++)
		if (procs[i].ppid == r->pid && procs[i].state != 'Z' &&
		    procs[i].start >= start) {
			best = procs[i].pid;
			start = procs[i].start;
		}
	return best;
}

pid_t session_deepest_under(pid_t sid, pid_t pid)
{
	struct session_proc procs[SESSION_MAX_PROCS];
	size_t n = session_procs(sid, procs, SESSION_MAX_PROCS);
	pid_t found = 0;
	for (int depth = 0; depth < 4; depth++) {
		pid_t next = 0;
		for (size_t i = 0; i < n && !next; i++)
			if (procs[i].ppid == pid && procs[i].state != 'Z')
				next = procs[i].pid;
		if (!next)
			break;
		found = pid = next;
	}
	return found;
}
