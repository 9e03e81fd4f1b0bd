// SPDX-License-Identifier: MIT
/*
 * external.c - a model that is a program: start it, feed it the batch, read
 * its results, and make sure it ends (external.h; the protocol is in
 * models/README.md; the JSON on both sides is in protocol.c). What differs
 * between kinds of program (how to start one, its stderr, what its end
 * means) is its launcher's (launcher.h: python.c, mpi.c).
 *
 * The lesson is in the plumbing: a child with pipes on its stdin and
 * stdout, one poll loop that both writes and reads (a program that does
 * neither cannot block us), a deadline, a kill, and a reap.
 *
 * Watch for: the zombie and the orphan. The child leads its own process
 * group, so one kill(-pid) also ends the workers a Python pool started;
 * and it is reaped with wait4 before we return, whatever happened.
 */
#define _GNU_SOURCE /* pipe2 */
#include "harness/external/external.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/base/cli.h"
#include "harness/external/dask.h"
#include "harness/external/mpi.h"
#include "harness/external/protocol.h"
#include "harness/external/python.h"

/* The poll loop wakes at least this often to see whether the program has
 * exited while something else (a grandchild) still holds its stdout. */
#define EXT_TICK_MS 100

/* Where the running program's process group is published, or NULL
 * (external_publish_group). A global because external_run's signature is
 * every model's; it is set once in the measured child, before any run. */
static volatile pid_t *ext_group_slot;

void external_publish_group(volatile pid_t *slot)
{
	ext_group_slot = slot;
}

/* ---- Choosing the launcher ---------------------------------------------- */

/* The launcher of m: mpirun for the MPI models, Dask's for py-dask,
 * else its command. */
static const struct launcher *ext_launcher(const struct model *m)
{
	if (m->flags & MODEL_DASK)
		return &dask_launcher;
	return m->flags & MODEL_MPI ? &mpi_launcher : &python_launcher;
}

int external_available(const struct model *m, const struct external_opts *x,
		       char *why, size_t len)
{
	const struct external_opts none = {0};
	return ext_launcher(m)->available(m, x ? x : &none, why, len);
}

double external_default_timeout(const struct batch *b, const struct run_opts *o)
{
	/* A rough ideal: 1 s a fetch and 0.5 s a unit (CPython runs a unit
	 * in about 0.1 s), C at a time. */
	double serial = 0;
	for (size_t i = 0; i < b->n; i++)
		serial += (b->tasks[i].type != TASK_COMPUTE ? 1.0 : 0.0) +
			  0.5 * b->tasks[i].work;
	return 10.0 * serial / (o->workers > 0 ? o->workers : 1) + 30.0;
}

/* ---- Starting it -------------------------------------------------------- */

/* Forks and execs argv with pipes on its stdin, stdout and stderr (whose
 * lines the launcher reads: a program's bytes never reach our terminal as
 * they are, term.h). A fourth pipe, closed by a successful
 * exec, carries exec's errno back, so "could not start" is told apart
 * from "started and failed". */
static int ext_spawn(struct ext_run *x, char *const argv[], char *why,
		     size_t len)
{
	int in[2], out[2], err[2], said[2] = {-1, -1};
	if (pipe2(in, O_CLOEXEC) != 0)
		goto fail;
	if (pipe2(out, O_CLOEXEC) != 0)
		goto fail_in;
	if (pipe2(err, O_CLOEXEC) != 0)
		goto fail_out;
	if (pipe2(said, O_CLOEXEC) != 0)
		goto fail_err;
	pid_t parent = getpid();
	x->pid = fork();
	if (x->pid < 0)
		goto fail_said;
	if (x->pid == 0) {
		/* The child: only async-signal-safe calls until exec. Its
		 * own process group, and it dies if the harness dies. */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		dup2(in[0], STDIN_FILENO); /* dup2 clears FD_CLOEXEC */
		dup2(out[1], STDOUT_FILENO);
		if (said[1] >= 0)
			dup2(said[1], STDERR_FILENO);
		execv(argv[0], argv);
		int e = errno;
		if (write(err[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	setpgid(x->pid, x->pid); /* here too: whichever side runs first */
	if (ext_group_slot)
		*ext_group_slot = x->pid;
	close(in[0]);
	close(out[1]);
	close(err[1]);
	if (said[1] >= 0)
		close(said[1]);
	x->in_fd = in[1];
	x->out_fd = out[0];
	x->err_fd = said[0];

	int exec_errno = 0;
	ssize_t got;
	while ((got = read(err[0], &exec_errno, sizeof(exec_errno))) < 0 &&
	       errno == EINTR)
		;
	close(err[0]);
	if (got > 0) {
		waitpid(x->pid, NULL, 0);
		close(x->in_fd);
		close(x->out_fd);
		if (x->err_fd >= 0)
			close(x->err_fd);
		x->err_fd = -1;
		snprintf(why, len, "cannot run %s: %s", argv[0],
			 strerror(exec_errno));
		return -1;
	}
	/* No pipe may block the loop. */
	fcntl(x->in_fd, F_SETFL, fcntl(x->in_fd, F_GETFL) | O_NONBLOCK);
	fcntl(x->out_fd, F_SETFL, fcntl(x->out_fd, F_GETFL) | O_NONBLOCK);
	if (x->err_fd >= 0)
		fcntl(x->err_fd, F_SETFL,
		      fcntl(x->err_fd, F_GETFL) | O_NONBLOCK);
	return 0;

fail_said:
	if (said[0] >= 0) {
		close(said[0]);
		close(said[1]);
	}
fail_err:
	close(err[0]);
	close(err[1]);
fail_out:
	close(out[0]);
	close(out[1]);
fail_in:
	close(in[0]);
	close(in[1]);
fail:
	snprintf(why, len, "cannot start %s: %s", argv[0], strerror(errno));
	return -1;
}

/* ---- The poll loop ------------------------------------------------------ */

/* Writes what the pipe takes of the batch; closes stdin when all is sent
 * (the program reads to end of file) or when the program stopped reading. */
static void ext_feed(struct ext_run *x)
{
	ssize_t n =
		write(x->in_fd, x->doc + x->doc_sent, x->doc_len - x->doc_sent);
	if (n > 0)
		x->doc_sent += (size_t)n;
	if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
	    x->doc_sent == x->doc_len) {
		close(x->in_fd);
		x->in_fd = -1;
	}
}

/* Reads all that is there now and hands complete lines on; closes stdout
 * at end of file. */
static void ext_drain(struct ext_run *x)
{
	char buf[65536];
	for (;;) {
		ssize_t n = read(x->out_fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) { /* end of file, or an error that is one */
			ext_proto_bytes(x, NULL, 0);
			close(x->out_fd);
			x->out_fd = -1;
			return;
		}
		ext_proto_bytes(x, buf, (size_t)n);
	}
}

/* Has the program exited? Leaves it unreaped (WNOWAIT): while it is a
 * zombie its pid, and so its process group id, cannot be reused, which
 * makes the kill(-pid) in ext_reap safe. */
static int ext_exited(const struct ext_run *x)
{
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	if (waitid(P_PID, (id_t)x->pid, &info, WEXITED | WNOHANG | WNOWAIT) !=
	    0)
		return errno != EINTR; /* ECHILD: gone already */
	return info.si_pid == x->pid;
}

/* Reads what the program said on its stderr; the launcher may then bring
 * the deadline nearer (mpirun's teardown, mpi.c). */
static void ext_read_said(struct ext_run *x)
{
	const struct launcher *api = x->launch.api;
	api->read_err(&x->launch, &x->err_fd);
	if (api->deadline)
		x->deadline = api->deadline(&x->launch, x->deadline);
}

/* Runs until the program's stdout ends, it exits, or the deadline. */
static void ext_pump(struct ext_run *x)
{
	while (x->out_fd >= 0) {
		double left = x->deadline - clock_now();
		if (left <= 0) {
			x->timed_out = 1;
			return;
		}
		struct pollfd p[3] = {{.fd = x->out_fd, .events = POLLIN},
				      {.fd = x->err_fd, .events = POLLIN},
				      {.fd = x->in_fd, .events = POLLOUT}};
		int ms = left * 1000 < EXT_TICK_MS ? (int)(left * 1000) + 1
						   : EXT_TICK_MS;
		int ready =
			poll(p, x->in_fd >= 0 ? 3 : 2, ms); /* fd -1: skipped */
		if (ready < 0 && errno != EINTR)
			return;
		if (x->in_fd >= 0 && p[2].revents)
			ext_feed(x);
		if (p[1].revents)
			ext_read_said(x);
		if (p[0].revents)
			ext_drain(x);
		else if (ext_exited(x)) {
			ext_drain(x); /* what it wrote before exiting */
			return;
		}
	}
}

/* Waits for the exit (up to the deadline), kills the whole group, and
 * reaps the program with its resource usage. */
static void ext_reap(struct ext_run *x, int *wstatus, struct rusage *ru)
{
	while (!x->timed_out && !ext_exited(x)) {
		if (x->launch.api->read_err_while_reaping && x->err_fd >= 0)
			x->launch.api->read_err(&x->launch, &x->err_fd);
		if (clock_now() >= x->deadline)
			x->timed_out = 1;
		struct timespec nap = {0, 5L * 1000 * 1000};
		nanosleep(&nap, NULL);
	}
	/* A hung program, or what a finished one left behind in its group. */
	kill(-x->pid, SIGKILL);
	if (ext_group_slot)
		*ext_group_slot = 0; /* ended: nothing left for the parent */
	while (wait4(x->pid, wstatus, 0, ru) < 0 && errno == EINTR)
		;
}

/* ---- The run ------------------------------------------------------------ */

/* Marks every task not_run with the reason; the model is unavailable. */
static int ext_unavailable(struct ext_run *x, const char *why)
{
	cli_error("%s unavailable: %s", x->m->name, why);
	for (size_t i = 0; i < x->b->n; i++) {
		x->b->results[i].kind = RESULT_NOT_RUN;
		result_set_message(&x->b->results[i], "unavailable: %s", why);
	}
	external_status_set(x->o->stats, EXTERNAL_UNAVAILABLE);
	if (x->o->stats) {
		snprintf(x->o->stats->note, sizeof(x->o->stats->note),
			 "unavailable: %s", why);
	}
	return -1;
}

/* Stderr after the reap: what is left of it, then its end. */
static void ext_said_last(struct ext_run *x)
{
	if (x->err_fd >= 0) /* the group is gone: what is left of it */
		x->launch.api->read_err(&x->launch, &x->err_fd);
	if (x->err_fd >= 0) { /* still held open by a stray: stop here */
		x->launch.api->end_err(&x->launch);
		close(x->err_fd);
	}
}

/* The figures of a run that ended (external.h). An interpreter's
 * start-up is not the model's; a launcher's may be (MPI's ranks: it is
 * what the model costs), and then its time is the whole wall, start-up
 * shown apart. */
static void ext_stats(const struct ext_run *x, double wall,
		      const struct rusage *ru)
{
	struct run_stats *s = x->o->stats;
	if (!s)
		return;
	struct usage u = usage_from_rusage(ru);
	/* An interpreter's start-up is not the model's; launching MPI
	 * ranks is (it is what the model costs): such a launcher's time is
	 * the whole wall, start-up shown apart. */
	bool whole = x->launch.api->whole_wall;
	s->program_run_s = x->have_run_s && !whole ? x->run_s : wall;
	s->startup_s = x->have_run_s ? wall - x->run_s : 0;
	s->largest_rss_kib = u.max_rss_kib;
	run_stats_set(s, "program_run_s", s->program_run_s);
	run_stats_set(s, "startup_s", s->startup_s);
	run_stats_set(s, "tree_user_s", u.user_s);
	run_stats_set(s, "tree_sys_s", u.system_s);
	run_stats_set(s, "largest_rss_kib", (double)u.max_rss_kib);
	s->workers_started = x->workers_started;
}

int external_run(const struct model *m, struct batch *b,
		 const struct run_opts *o, const struct external_opts *xo)
{
	const struct external_opts none = {0};
	struct ext_run x = {.m = m,
			    .b = b,
			    .o = o,
			    .x = xo ? xo : &none,
			    .in_fd = -1,
			    .out_fd = -1,
			    .err_fd = -1,
			    .launch = {.api = ext_launcher(m)}};
	char why[256] = "";
	/* Writing to a program that has exited must be an error we see
	 * (EPIPE), not a signal that kills the harness. */
	signal(SIGPIPE, SIG_IGN);

	if (x.launch.api->start(&x.launch, m, o, x.x, b->n, why, sizeof(why)) !=
	    0)
		return ext_unavailable(&x, why);
	if (ext_proto_begin(&x) != 0) {
		x.launch.api->release(&x.launch);
		return ext_unavailable(&x, "out of memory");
	}

	double timeout = x.x->model_timeout_s > 0
				 ? x.x->model_timeout_s
				 : external_default_timeout(b, o);
	x.t_start = clock_now();
	x.deadline = x.t_start + timeout;
	if (ext_spawn(&x, x.launch.argv, why, sizeof(why)) != 0) {
		ext_proto_end(&x);
		x.launch.api->release(&x.launch);
		return ext_unavailable(&x, why);
	}
	ext_pump(&x);
	if (x.in_fd >= 0)
		close(x.in_fd);
	if (x.out_fd >= 0)
		close(x.out_fd);
	int wstatus = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof(ru));
	ext_reap(&x, &wstatus, &ru);
	ext_said_last(&x);
	double wall = clock_now() - x.t_start;

	ext_proto_finish(&x, wstatus, timeout);
	ext_stats(&x, wall, &ru);
	x.launch.api->release(&x.launch); /* every rank is gone: its files */
	ext_proto_end(&x);
	return 0;
}
