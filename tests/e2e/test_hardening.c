// SPDX-License-Identifier: MIT
/*
 * test_hardening.c - what a hostile-input audit found (issue 14), one
 * behaviour a test: every way a run can end leaves no process behind
 * (kill -9 of the harness itself too),
 * every model is capped at N workers, redirects stay on http(s), a hung
 * external model fails the run, long or binary --url-file lines are
 * refused, file-descriptor limits are named once, the server answers a
 * client that half-closed, and bad flags say what is wrong.
 *
 * The run tests start build/concur (CONCUR_BIN) in a session of its own,
 * with this process as the child subreaper: whatever the run leaves behind
 * is re-parented here and found by its session id in /proc.
 */
#define _GNU_SOURCE
#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fetch.h"
#include "harness/external/dispatch.h"
#include "harness/external/external.h"
#include "harness/external/python.h"
#include "tests/support/runner.h"
#include "tests/support/rawsock.h"
#include "tests/support/support.h"

/* ---- Processes of a session ------------------------------------------- */

struct proc {
	pid_t pid, ppid;
	char state;
	unsigned long long start; /* clock ticks after boot */
};

#define MAX_PROCS 512

/* The processes of session sid (zombies too); returns how many. */
static size_t session_procs(pid_t sid, struct proc *out, size_t cap)
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
		struct proc p = {.pid = atoi(e->d_name)};
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

/* Reaps what was re-parented to us; returns the live processes of the
 * session (zombies not counted: they are reaped, or being). */
static size_t session_live(pid_t sid, struct proc *procs)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	size_t n = session_procs(sid, procs, MAX_PROCS), live = 0;
	for (size_t i = 0; i < n; i++)
		if (procs[i].state != 'Z')
			procs[live++] = procs[i];
	return live;
}

static void nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Waits up to 5 s for the session to be empty; fails naming what is left. */
static void assert_session_empty(pid_t sid, const char *what)
{
	struct proc procs[MAX_PROCS];
	size_t live = 0;
	for (int i = 0; i < 250; i++) {
		live = session_live(sid, procs);
		if (live == 0)
			return;
		nap_ms(20);
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

/* Each test's own directory for result sets and files. */
static char tmp_dir[64];

/* ---- A run in a session of its own ------------------------------------ */

struct run {
	pid_t pid;	 /* the harness; also the session and its group */
	int err_fd;	 /* its stderr, non-blocking */
	char err[65536]; /* what it wrote so far */
	size_t err_len;
	int status; /* once exited */
	bool exited;
};

/* Starts `concur ARGS` in a new session, stdout to tmp_dir/stdout; we
 * become the subreaper. */
static void run_start(struct run *r, const char *args)
{
	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	const char *bin = getenv("CONCUR_BIN");
	char cmd[4096];
	snprintf(cmd, sizeof(cmd), "exec %s %s", bin ? bin : "build/concur",
		 args);
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	r->pid = fork();
	ck_assert_int_ge(r->pid, 0);
	if (r->pid == 0) {
		setsid();
		char path[128];
		snprintf(path, sizeof(path), "%s/stdout", tmp_dir);
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

/* Reads what stderr has; notes the exit. */
static void run_poll(struct run *r)
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

/* Waits up to `s` seconds for text on stderr; false when it never came. */
static bool run_wait_for(struct run *r, const char *text, double s)
{
	double end = clock_now() + s;
	while (clock_now() < end) {
		run_poll(r);
		if (strstr(r->err, text))
			return true;
		if (r->exited)
			return false;
		nap_ms(10);
	}
	return false;
}

/* Waits up to `s` seconds for the harness to exit; its exit status, or
 * -1 after killing the session when it did not. */
static int run_wait(struct run *r, double s)
{
	double end = clock_now() + s;
	while (!r->exited && clock_now() < end) {
		run_poll(r);
		nap_ms(10);
	}
	if (!r->exited) {
		kill(-r->pid, SIGKILL);
		waitpid(r->pid, &r->status, 0);
		close(r->err_fd);
		return -1;
	}
	run_poll(r);
	close(r->err_fd);
	return WIFEXITED(r->status) ? WEXITSTATUS(r->status)
				    : 128 + WTERMSIG(r->status);
}

/* The measured child: the harness's youngest child (the server, when
 * there is one, is the oldest). 0 when there is none. */
static pid_t run_measured_child(const struct run *r)
{
	struct proc procs[MAX_PROCS];
	size_t n = session_procs(r->pid, procs, MAX_PROCS);
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

/* The deepest live process under pid (a C worker, a Python program or its
 * pool's worker); 0 when pid has no child. */
static pid_t deepest_under(pid_t sid, pid_t pid)
{
	struct proc procs[MAX_PROCS];
	size_t n = session_procs(sid, procs, MAX_PROCS);
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

/* Is there a Python for the py-* models? Fails the test under CI=true. */
static bool have_python(void)
{
	char why[512];
	if (python_find(NULL, why, sizeof(why)))
		return true;
	const char *ci = getenv("CI");
	ck_assert_msg(!(ci && strcmp(ci, "true") == 0),
		      "CI needs the py-* models: %s", why);
	fprintf(stderr, "test_hardening: py-* tests skipped: %s\n", why);
	return false;
}

static void make_tmp_dir(void)
{
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/concur-hard-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
}

static void remove_tmp_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp_dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Runs `PREFIX; concur ARGS` through sh (PREFIX: a ulimit, or ""), with
 * stdout and stderr together in out; returns the exit status. */
static int concur_sh(const char *prefix, const char *args, char *out,
		     size_t len)
{
	const char *bin = getenv("CONCUR_BIN");
	char cmd[8192];
	snprintf(cmd, sizeof(cmd), "%s%s %s %s 2>&1 </dev/null", prefix,
		 prefix[0] ? ";" : "", bin ? bin : "build/concur", args);
	FILE *f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	/* Read to the end (so concur never blocks on a full pipe), keeping
	 * what fits. */
	size_t got = 0, n;
	char buf[4096];
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		size_t keep = n < len - 1 - got ? n : len - 1 - got;
		memcpy(out + got, buf, keep);
		got += keep;
	}
	out[got] = '\0';
	int status = pclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The line of out that starts (after spaces) with `model` and a space. */
static const char *row_of(const char *out, const char *model)
{
	static char line[512];
	for (const char *p = out; p && *p;
	     p = strchr(p, '\n'), p = p ? p + 1 : p) {
		const char *q = p;
		while (*q == ' ')
			q++;
		size_t n = strlen(model);
		if (strncmp(q, model, n) == 0 && q[n] == ' ') {
			size_t l = strcspn(p, "\n");
			snprintf(line, sizeof(line), "%.*s", (int)l, p);
			return line;
		}
	}
	return NULL;
}

/* ---- Every ending leaves nothing (item 1) ----------------------------- */

static const char *const ending_models[] = {
	"sequential",	"threads",   "processes",     "eventloop",
	"gil",		"hybrid",    "py-sequential", "py-threads",
	"py-processes", "py-asyncio"};
#define N_ENDING_MODELS (sizeof(ending_models) / sizeof(ending_models[0]))

enum ending {
	END_NORMAL,	 /* runs to the end */
	END_TIMEOUT,	 /* timeout(1): SIGTERM to the whole group */
	END_CTRL_C,	 /* SIGINT to the whole group */
	END_SIGTERM,	 /* SIGTERM to the harness alone */
	END_KILL_WORKER, /* SIGKILL to a worker process mid-run */
	END_KILL_CHILD,	 /* SIGKILL to the measured child mid-run */
	N_ENDINGS
};

static const char *const ending_names[] = {
	"normal", "timeout", "ctrl-c", "sigterm", "kill-worker", "kill-child"};

START_TEST(every_ending_leaves_no_process)
{
	const char *model = ending_models[_i / N_ENDINGS];
	enum ending how = (enum ending)(_i % N_ENDINGS);
	if (strncmp(model, "py-", 3) == 0 && !have_python())
		return;
	make_tmp_dir();
	char args[512], tag[64], what[128];
	snprintf(args, sizeof(args),
		 "run --models %s --workloads fetch --tasks 2 --workers 2 "
		 "--delay 700 --repeat 1 --no-plot --quiet --trace --out %s",
		 model, tmp_dir);
	snprintf(tag, sizeof(tag), "[%s w", model);
	snprintf(what, sizeof(what), "%s, %s", model, ending_names[how]);
	struct run r;
	run_start(&r, args);
	if (how != END_NORMAL) {
		ck_assert_msg(run_wait_for(&r, tag, 30), "%s: no trace: %s",
			      what, r.err);
		nap_ms(100); /* the pool is up */
		pid_t child = run_measured_child(&r);
		pid_t worker = deepest_under(r.pid, child);
		ck_assert_int_gt(child, 0);
		switch (how) {
		case END_TIMEOUT:
			kill(-r.pid, SIGTERM);
			break;
		case END_CTRL_C:
			kill(-r.pid, SIGINT);
			break;
		case END_SIGTERM:
			kill(r.pid, SIGTERM);
			break;
		case END_KILL_WORKER:
			/* Models without a worker process: the child. */
			kill(worker ? worker : child, SIGKILL);
			break;
		default:
			kill(child, SIGKILL);
			break;
		}
	}
	int rc = run_wait(&r, 60);
	ck_assert_msg(rc >= 0, "%s: the run did not end", what);
	assert_session_empty(r.pid, what);
	remove_tmp_dir();
}
END_TEST

/* ---- kill -9 of the harness leaves nothing ---------------------------- */

static const char *const orphan_models[] = {"threads", "processes",
					    "py-processes", "mpi"};

/* SIGKILL to the harness alone, mid-run: nothing can clean up after it,
 * so the measured child must end itself (its parent-death signal), with
 * an external program's group (a Python pool, mpirun and its ranks).
 * The fetches are held 20 s by the suite's own server, which outlives
 * the harness: a run left behind would still be there when we look. */
START_TEST(kill_9_of_the_harness_leaves_no_process)
{
	const char *model = orphan_models[_i];
	char why[512];
	struct run_opts o = run_opts_default();
	if (strncmp(model, "py-", 3) == 0 && !have_python())
		return;
	if (strcmp(model, "mpi") == 0 &&
	    !external_available(model_find(model), &o, why, sizeof(why))) {
		fprintf(stderr, "test_hardening: mpi skipped: %s\n", why);
		return;
	}
	make_tmp_dir();
	char args[1024], tag[64];
	snprintf(args, sizeof(args),
		 "run --models %s --workloads fetch --tasks 2 --workers 2 "
		 "--delay 20000 --timeout 30000 --server %s --baseline none "
		 "--repeat 1 --no-plot --quiet --trace --out %s",
		 model, support_server_url, tmp_dir);
	snprintf(tag, sizeof(tag), "[%s w", model);
	struct run r;
	run_start(&r, args);
	ck_assert_msg(run_wait_for(&r, tag, 60), "%s: no trace: %s", model,
		      r.err);
	nap_ms(100); /* the pool is up */
	kill(r.pid, SIGKILL);
	int rc = run_wait(&r, 10);
	ck_assert_msg(rc == 128 + SIGKILL, "%s: exit %d", model, rc);
	assert_session_empty(r.pid, model);
	remove_tmp_dir();
}
END_TEST

/* ---- C is capped at N for every model (item 2) ------------------------ */

START_TEST(python_pool_is_capped_at_the_tasks)
{
	if (!have_python())
		return;
	make_tmp_dir();
	char args[512];
	snprintf(args, sizeof(args),
		 "run --models py-processes --workloads fetch --tasks 2 "
		 "--workers 60 --delay 300 --repeat 1 --no-plot --out %s",
		 tmp_dir);
	struct run r;
	run_start(&r, args);
	size_t most = 0;
	struct proc procs[MAX_PROCS];
	while (!r.exited) {
		run_poll(&r);
		size_t n = session_live(r.pid, procs);
		most = n > most ? n : most;
		nap_ms(5);
	}
	/* concur, its server, the measured child, Python and 2 workers
	 * (and the pool's manager, if any). */
	ck_assert_msg(most <= 8, "%zu processes for 2 tasks", most);
	ck_assert_int_eq(run_wait(&r, 10), 0);
	remove_tmp_dir();
}
END_TEST

START_TEST(every_model_notes_the_cap)
{
	static char out[65536];
	make_tmp_dir();
	char args[512];
	snprintf(args, sizeof(args),
		 "run --models all --workloads fetch --tasks 2 --workers 60 "
		 "--delay 1 --repeat 1 --no-plot --quiet --out %s",
		 tmp_dir);
	ck_assert_int_eq(concur_sh("", args, out, sizeof(out)), 0);
	for (size_t i = 1; i < N_ENDING_MODELS; i++) {
		char note[128];
		snprintf(note, sizeof(note),
			 "note: %s C=60 really ran 2 workers",
			 ending_models[i]);
		if (strncmp(ending_models[i], "py-", 3) == 0 && !have_python())
			continue;
		if (strcmp(ending_models[i], "py-sequential") != 0)
			ck_assert_msg(strstr(out, note), "no \"%s\" in\n%s",
				      note, out);
	}
	remove_tmp_dir();
}
END_TEST

/* Compute needs no sockets: a C beyond the descriptor limit is no reason
 * for the event loop to refuse it. */
START_TEST(compute_needs_no_descriptors)
{
	static char out[65536];
	make_tmp_dir();
	char args[512];
	snprintf(
		args, sizeof(args),
		"run --models eventloop,hybrid --workloads compute --tasks 2 "
		"--workers 5000 --work 1 --repeat 1 --no-plot --quiet --out %s",
		tmp_dir);
	int rc = concur_sh("ulimit -n 256", args, out, sizeof(out));
	ck_assert_msg(rc == 0, "exit %d:\n%s", rc, out);
	remove_tmp_dir();
}
END_TEST

/* A run that never happened has no time, not "inf" tasks/s. */
START_TEST(a_refused_run_shows_no_numbers)
{
	static char out[65536];
	make_tmp_dir();
	char args[512];
	snprintf(
		args, sizeof(args),
		"run --models eventloop --workloads fetch --tasks 400 "
		"--workers 400 --delay 0 --repeat 1 --no-plot --quiet --out %s",
		tmp_dir);
	concur_sh("ulimit -n 256", args, out, sizeof(out));
	const char *row = row_of(out, "eventloop");
	ck_assert_msg(row, "no eventloop row in\n%s", out);
	ck_assert_msg(!strstr(row, "inf") && !strstr(row, "0.000 (0.000"), "%s",
		      row);
	char name[32], wall[32], per_s[32];
	int c;
	ck_assert_int_eq(
		sscanf(row, "%31s %d %31s %31s", name, &c, wall, per_s), 4);
	ck_assert_msg(strcmp(wall, "-") == 0 && strcmp(per_s, "-") == 0, "%s",
		      row);
	remove_tmp_dir();
}
END_TEST

/* ---- A hung external model fails the run (item 4) --------------------- */

/* py-sequential killed at --model-timeout 2: on fetches that the server
 * holds for 20 s, and on compute that takes minutes in CPython. */
START_TEST(hung_model_fails_the_run)
{
	if (!have_python())
		return;
	static char out[65536];
	make_tmp_dir();
	char args[1024];
	snprintf(args, sizeof(args),
		 "run --models py-sequential --workloads %s --tasks 2 "
		 "--delay 20000 --timeout 30000 --py-work 300 "
		 "--model-timeout 2 --server %s --repeat 1 --no-plot --quiet "
		 "--out %s",
		 _i ? "compute" : "fetch", support_server_url, tmp_dir);
	int rc = concur_sh("", args, out, sizeof(out));
	ck_assert_msg(rc == 1, "exit %d:\n%s", rc, out);
	ck_assert_msg(strstr(out, "WRONG: py-sequential"), "%s", out);
	ck_assert_msg(!strstr(out, "timing, not wrong"), "%s", out);
	remove_tmp_dir();
}
END_TEST

/* ---- --url-file: long lines, binary, no end (item 5) ------------------- */

/* Writes len bytes of text (or of `fill` when text is NULL) after prefix
 * into tmp_dir/name; returns the path. */
static const char *url_file(const char *name, const char *prefix,
			    const char *text, char fill, size_t len)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(prefix, f);
	for (size_t i = 0; i < len; i++)
		fputc(text ? text[i] : fill, f);
	fputc('\n', f);
	fclose(f);
	return path;
}

/* concur run --url-file PATH: exit 2 and one line holding `want`. */
static void assert_url_file_refused(const char *path, const char *want)
{
	static char out[65536];
	char args[512];
	snprintf(args, sizeof(args),
		 "run --url-file %s --models sequential --workloads fetch "
		 "--repeat 1 --no-plot --out %s",
		 path, tmp_dir);
	/* /dev/zero must end quickly: 10 s of CPU and it is killed. */
	int rc = concur_sh("ulimit -t 10", args, out, sizeof(out));
	ck_assert_msg(rc == 2, "%s: exit %d: %s", path, rc, out);
	ck_assert_int_eq(support_lines(out), 1);
	ck_assert_msg(strstr(out, want), "%s: no '%s' in %s", path, want, out);
	ck_assert_msg(!strchr(out, '\033') && !strchr(out, '\a'),
		      "raw bytes echoed: %s", out);
}

START_TEST(url_file_long_line_is_refused_on_its_line)
{
	make_tmp_dir();
	assert_url_file_refused(
		url_file("long", "http://127.0.0.1:1/", NULL, 'a', 5000),
		":1: the line is longer than 4095 bytes");
	assert_url_file_refused(
		url_file("huge", "http://127.0.0.1:1/", NULL, 'a', 100000),
		":1: the line is longer than 4095 bytes");
	remove_tmp_dir();
}
END_TEST

START_TEST(url_file_dev_zero_ends)
{
	make_tmp_dir();
	assert_url_file_refused("/dev/zero", "/dev/zero:1:");
	remove_tmp_dir();
}
END_TEST

START_TEST(url_file_binary_is_escaped)
{
	make_tmp_dir();
	const char bin[] = "\033[31mred\a";
	assert_url_file_refused(
		url_file("bin", "http://x/", bin, 0, sizeof(bin) - 1),
		"'http://x/\\x1b[31mred\\x07' is not an http(s) URL");
	remove_tmp_dir();
}
END_TEST

/* ---- File-descriptor limits are said once (item 6) -------------------- */

START_TEST(fd_limit_is_named_once)
{
	static char out[65536];
	static const char *const models[] = {"threads", "gil"};
	make_tmp_dir();
	char args[512];
	snprintf(
		args, sizeof(args),
		"run --models %s --workloads mixed --work 3 --tasks 400 "
		"--workers 400 --delay 0 --repeat 1 --no-plot --quiet --out %s",
		models[_i], tmp_dir);
	/* Mixed: each thread keeps its connection open while it computes,
	 * so all 400 sockets are wanted at once. */
	concur_sh("ulimit -n 128", args, out, sizeof(out));
	char want[128];
	snprintf(want, sizeof(want), "note: %s mixed C=400: ", models[_i]);
	const char *note = strstr(out, want);
	ck_assert_msg(note, "no note in\n%s", out);
	ck_assert_msg(strstr(note, "found no free file descriptor: "
				   "RLIMIT_NOFILE is 128"),
		      "%s", out);
	ck_assert_msg(support_lines(out) < 40, "%d lines", support_lines(out));
	remove_tmp_dir();
}
END_TEST

/* ---- The server answers a client that half-closed (item 7) ------------ */

START_TEST(half_closed_client_is_answered)
{
	static const char *const paths[] = {"/delay/100", "/bytes/10",
					    "/drip/3?ms=30", "/status/404"};
	int port = rawsock_port(support_server_url);
	int fd = rawsock_connect(port);
	ck_assert_int_ge(fd, 0);
	char req[256], buf[4096];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n",
			 paths[_i]);
	ck_assert_int_eq(rawsock_send(fd, req, (size_t)n), 0);
	shutdown(fd, SHUT_WR);
	bool closed = false;
	rawsock_read(fd, buf, sizeof(buf), 5, &closed);
	close(fd);
	ck_assert_msg(rawsock_status(buf) == (_i == 3 ? 404 : 200),
		      "%s: no answer after a half-close: '%s'", paths[_i], buf);
	ck_assert_msg(closed, "%s: the server kept the connection", paths[_i]);
}
END_TEST

/* ---- Smaller ones (item 8) ------------------------------------------- */

static const struct bad_flag {
	const char *args, *says;
} bad_flags[] = {
	{"run --workers -1", "--workers: -1 is out of range (1 to 100000)"},
	{"run --workers 2,-3", "--workers: -3 is out of range"},
	{"run --models threads,threads", "--models: 'threads' is listed twice"},
	{"run --out ''", "--out: the directory name is empty"},
	{"run --label LONG", "is longer than 63 characters"},
	{"run --url-file /dev/null --server http://x",
	 "cannot be used together"},
	{"serve --backlog 99999999", "--backlog must be an integer 1..1048576"},
	{"run --model-timeout 1e9", "out of range (above 0 to 86400)"},
};

START_TEST(bad_flag_is_one_line_and_exit_2)
{
	static char out[16384];
	char args[8192];
	const struct bad_flag *b = &bad_flags[_i];
	const char *long_at = strstr(b->args, "LONG");
	if (long_at) {
		char label[5001];
		memset(label, 'a', 5000);
		label[5000] = '\0';
		snprintf(args, sizeof(args), "%.*s%s", (int)(long_at - b->args),
			 b->args, label);
	} else {
		snprintf(args, sizeof(args), "%s", b->args);
	}
	/* Tiny, in a directory of its own: a flag wrongly accepted costs a
	 * moment and writes nowhere else. */
	make_tmp_dir();
	char cwd[128],
		*bin = realpath(getenv("CONCUR_BIN") ? getenv("CONCUR_BIN")
						     : "build/concur",
				NULL);
	ck_assert_ptr_nonnull(bin);
	setenv("CONCUR_BIN", bin, 1);
	free(bin);
	snprintf(cwd, sizeof(cwd), "cd %s", tmp_dir);
	if (strncmp(args, "run ", 4) == 0) {
		size_t used = strlen(args);
		snprintf(args + used, sizeof(args) - used,
			 " --models sequential --workloads compute --tasks 1 "
			 "--work 0 --repeat 1 --no-plot --quiet");
	}
	int rc = concur_sh(cwd, args, out, sizeof(out));
	remove_tmp_dir();
	ck_assert_msg(rc == 2, "%s: exit %d: %s", b->args, rc, out);
	ck_assert_msg(support_lines(out) == 1, "%s: %s", b->args, out);
	ck_assert_msg(strstr(out, b->says), "%s: %s", b->args, out);
}
END_TEST

START_TEST(plot_of_a_malformed_set_is_one_line_and_exit_2)
{
	static char out[16384];
	make_tmp_dir();
	char path[128], args[256];
	snprintf(path, sizeof(path), "%s/summary.csv", tmp_dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("garbage\n1,2,3\n", f);
	fclose(f);
	snprintf(args, sizeof(args), "plot %s", tmp_dir);
	int rc = concur_sh("", args, out, sizeof(out));
	ck_assert_msg(rc == 2, "exit %d: %s", rc, out);
	ck_assert_msg(support_lines(out) == 1, "%s", out);
	ck_assert_msg(strstr(out, "is not a result set"), "%s", out);
	remove_tmp_dir();
}
END_TEST

/* A model killed mid-run: its row says "-", not 0.000 s and inf tasks/s. */
START_TEST(a_killed_run_shows_no_numbers)
{
	make_tmp_dir();
	char args[512];
	snprintf(args, sizeof(args),
		 "run --models threads --workloads fetch --tasks 2 --workers 2 "
		 "--delay 700 --repeat 1 --no-plot --quiet --trace --out %s",
		 tmp_dir);
	struct run r;
	run_start(&r, args);
	ck_assert_msg(run_wait_for(&r, "[threads w", 30), "%s", r.err);
	kill(run_measured_child(&r), SIGKILL);
	run_wait(&r, 30);
	char path[128];
	static char out[65536];
	snprintf(path, sizeof(path), "%s/stdout", tmp_dir);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	out[fread(out, 1, sizeof(out) - 1, f)] = '\0';
	fclose(f);
	const char *row = row_of(out, "threads");
	ck_assert_msg(row, "no row: %s", out);
	char name[32], wall[32], per_s[32];
	int c;
	ck_assert_int_eq(
		sscanf(row, "%31s %d %31s %31s", name, &c, wall, per_s), 4);
	ck_assert_msg(strcmp(wall, "-") == 0 && strcmp(per_s, "-") == 0, "%s",
		      row);
	for (const char *p = row; (p = strstr(p, " -")) != NULL; p++)
		ck_assert_msg(!isdigit((unsigned char)p[2]),
			      "a negative number: %s", row);
	assert_session_empty(r.pid, "killed run");
	remove_tmp_dir();
}
END_TEST

/* Ctrl-C while the reference runs: "interrupted", not "could not run". */
START_TEST(ctrl_c_during_the_reference_is_no_failure)
{
	make_tmp_dir();
	char args[512];
	snprintf(args, sizeof(args),
		 "run --models threads --workloads compute --tasks 2 --work "
		 "3000 "
		 "--repeat 1 --no-plot --out %s",
		 tmp_dir);
	struct run r;
	run_start(&r, args);
	nap_ms(700);
	kill(-r.pid, SIGINT);
	run_wait(&r, 30);
	ck_assert_msg(!strstr(r.err, "could not run"), "%s", r.err);
	ck_assert_msg(strstr(r.err, "interrupted"), "%s", r.err);
	assert_session_empty(r.pid, "ctrl-c in the reference");
	remove_tmp_dir();
}
END_TEST

/* Unknown query parameters are ignored; a bad value of a known one is a
 * 400 that names it. */
START_TEST(server_ignores_unknown_parameters)
{
	static const struct {
		const char *path;
		int status;
		const char *says;
	} cases[] = {
		{"/delay/10?run=3", 200, "Content-Length: 0"},
		{"/bytes/3?colour=red&x", 200, "Content-Length: 3"},
		{"/bytes/3?colour=red&bytes=x", 400, "bytes must be"},
		{"/delay/10?run=3&delay=-1", 400, "delay must be"},
	};
	int port = rawsock_port(support_server_url);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char req[256];
		snprintf(req, sizeof(req),
			 "GET %s HTTP/1.1\r\nHost: t\r\n"
			 "Connection: close\r\n\r\n",
			 cases[k].path);
		char *answer = rawsock_exchange(port, req, 5);
		ck_assert_msg(rawsock_status(answer) == cases[k].status,
			      "%s: %s", cases[k].path, answer);
		ck_assert_msg(strstr(answer, cases[k].says), "%s: %s",
			      cases[k].path, answer);
		free(answer);
	}
}
END_TEST

/* ---- Redirects stay on http and https (item 3) ------------------------ */

/* A listening socket on 127.0.0.1, any port. */
static int listen_local(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(fd, 64), 0);
	socklen_t len = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &len);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Two sockets: `web` answers every request with a 302 to an ftp:// URL
 * on `ftp`, which greets like an FTP server and counts who comes. */
struct redirector {
	int web, ftp, ftp_port;
	int ftp_connections; /* written by the thread, read after join */
	volatile int stop;
};

static void *redirector_cb(void *arg)
{
	struct redirector *rd = arg;
	while (!rd->stop) {
		struct pollfd p[2] = {{.fd = rd->web, .events = POLLIN},
				      {.fd = rd->ftp, .events = POLLIN}};
		if (poll(p, 2, 50) <= 0)
			continue;
		if (p[1].revents) {
			int c = accept(rd->ftp, NULL, NULL);
			rd->ftp_connections++;
			if (write(c, "220 ready\r\n", 11) < 0)
				perror("redirector");
			nap_ms(50);
			close(c);
		}
		if (p[0].revents) {
			int c = accept(rd->web, NULL, NULL);
			char req[4096], ans[256];
			if (read(c, req, sizeof(req)) < 0)
				perror("redirector");
			int n = snprintf(ans, sizeof(ans),
					 "HTTP/1.1 302 Found\r\n"
					 "Location: ftp://127.0.0.1:%d/x\r\n"
					 "Content-Length: 0\r\n"
					 "Connection: close\r\n\r\n",
					 rd->ftp_port);
			if (write(c, ans, (size_t)n) < 0)
				perror("redirector");
			close(c);
		}
	}
	return NULL;
}

static const char *const c_models[] = {"sequential", "threads", "processes",
				       "eventloop",  "gil",	"hybrid"};

START_TEST(redirect_to_ftp_is_not_followed)
{
	struct redirector rd = {0};
	int web_port;
	rd.web = listen_local(&web_port);
	rd.ftp = listen_local(&rd.ftp_port);
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, redirector_cb, &rd), 0);
	struct batch *b = batch_new(2);
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/go", web_port);
	for (size_t i = 0; i < b->n; i++) {
		b->tasks[i].type = TASK_FETCH;
		ck_assert_int_eq(batch_set_url(b, i, url), 0);
	}
	struct run_opts o = run_opts_default();
	o.workers = 2;
	o.fetch.timeout_ms = 2000;
	b->t0 = clock_now();
	model_run(model_find(c_models[_i]), b, &o);
	rd.stop = 1;
	pthread_join(t, NULL);
	ck_assert_msg(rd.ftp_connections == 0,
		      "%s followed a redirect to ftp:// (%d connections)",
		      c_models[_i], rd.ftp_connections);
	for (size_t i = 0; i < b->n; i++)
		ck_assert_msg(b->results[i].kind != RESULT_OK, "%s: %s",
			      c_models[_i], b->results[i].message);
	batch_free(b);
	close(rd.web);
	close(rd.ftp);
}
END_TEST

Suite *test_suite(void)
{
	if (fetch_global_init() != 0)
		exit(EXIT_FAILURE);
	Suite *s = suite_create("hardening");
	TCase *endings = runner_tcase(s, "endings", 120);
	tcase_add_loop_test(endings, every_ending_leaves_no_process, 0,
			    (int)(N_ENDING_MODELS * N_ENDINGS));
	TCase *orphans = runner_tcase(s, "orphans", 120);
	tcase_add_unchecked_fixture(orphans, support_server_up,
				    support_server_down);
	tcase_add_loop_test(
		orphans, kill_9_of_the_harness_leaves_no_process, 0,
		(int)(sizeof(orphan_models) / sizeof(orphan_models[0])));
	TCase *caps = runner_tcase(s, "caps", 120);
	tcase_add_test(caps, python_pool_is_capped_at_the_tasks);
	tcase_add_test(caps, every_model_notes_the_cap);
	tcase_add_test(caps, compute_needs_no_descriptors);
	tcase_add_test(caps, a_refused_run_shows_no_numbers);
	TCase *hung = runner_tcase(s, "hung", 60);
	tcase_add_unchecked_fixture(hung, support_server_up,
				    support_server_down);
	tcase_add_loop_test(hung, hung_model_fails_the_run, 0, 2);
	TCase *url_files = runner_tcase(s, "url_files", 60);
	tcase_add_test(url_files, url_file_long_line_is_refused_on_its_line);
	tcase_add_test(url_files, url_file_dev_zero_ends);
	tcase_add_test(url_files, url_file_binary_is_escaped);
	TCase *fds = runner_tcase(s, "fds", 120);
	tcase_add_loop_test(fds, fd_limit_is_named_once, 0, 2);
	TCase *half = runner_tcase(s, "half_close", 0);
	tcase_add_unchecked_fixture(half, support_server_up,
				    support_server_down);
	tcase_add_loop_test(half, half_closed_client_is_answered, 0, 4);
	TCase *small = runner_tcase(s, "small", 60);
	tcase_add_unchecked_fixture(small, support_server_up,
				    support_server_down);
	tcase_add_loop_test(small, bad_flag_is_one_line_and_exit_2, 0,
			    (int)(sizeof(bad_flags) / sizeof(bad_flags[0])));
	tcase_add_test(small, plot_of_a_malformed_set_is_one_line_and_exit_2);
	tcase_add_test(small, a_killed_run_shows_no_numbers);
	tcase_add_test(small, ctrl_c_during_the_reference_is_no_failure);
	tcase_add_test(small, server_ignores_unknown_parameters);
	TCase *redirects = runner_tcase(s, "redirects", 0);
	tcase_add_loop_test(redirects, redirect_to_ftp_is_not_followed, 0,
			    (int)(sizeof(c_models) / sizeof(c_models[0])));
	return s;
}
