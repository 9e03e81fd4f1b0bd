// SPDX-License-Identifier: MIT
/*
 * test_mpi_faults.c - the MPI models when something goes wrong: a rank
 * killed in the middle of a task leaves that task `crashed`, keeps every
 * result that reached rank 0, leaves the tasks never handed out
 * `not_run`, and leaves no rank (nor mpirun) running; a
 * host that cannot be reached and a missing mpirun are each one line of
 * ours, and the run goes on with the other models.
 *
 * The kill is timed by the task itself, not by a clock: the last task
 * fetches from a socket this test listens on and never answers, so when
 * the connection arrives, that rank is mid-task, and the farm (farm.c,
 * which keeps FARM_AHEAD tasks with each worker) has written at least
 * N - 1 - FARM_AHEAD x C results before handing that task out.
 *
 * Without Open MPI the tests pass with a note, except under CI=true.
 */
#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/external/external.h"
#include "models/model.h"
#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

#define MAX_SEEN 64

/* ---- Helpers ------------------------------------------------------------ */

static int have_mpi(void)
{
	char why[512];
	if (external_available(model_find("mpi"), NULL, why, sizeof(why)))
		return 1;
	const char *ci = getenv("CI");
	ck_assert_msg(!(ci && strcmp(ci, "true") == 0),
		      "CI needs the MPI models: %s", why);
	fprintf(stderr, "test_mpi_faults: skipped: %s\n", why);
	return 0;
}

/* A process as /proc/PID/stat tells it: state, parent and start time
 * (ticks since boot; with the pid, it names one process even if pids
 * wrap). -1 when it is gone. */
static int proc_stat_state(pid_t pid, char *state, pid_t *ppid,
			   unsigned long long *start)
{
	char path[64], text[1024] = "";
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	files_read_into(path, text, sizeof(text)); /* "" when it is gone */
	const char *p = strrchr(text, ')'); /* the name may hold spaces */
	int pp = 0;
	if (!p || sscanf(p + 2,
			 "%c %d %*s %*s %*s %*s %*s %*s %*s %*s %*s "
			 "%*s %*s %*s %*s %*s %*s %*s %*s %llu",
			 state, &pp, start) != 3)
		return -1;
	*ppid = pp;
	return 0;
}

static int proc_stat(pid_t pid, pid_t *ppid, unsigned long long *start)
{
	char state;
	return proc_stat_state(pid, &state, ppid, start);
}

/* Is the process seen as (pid, start) still running? A zombie is not:
 * it has ended, and init reaps what mpirun left to it. */
static int still_running(pid_t pid, unsigned long long start)
{
	char state;
	pid_t parent;
	unsigned long long now;
	return proc_stat_state(pid, &state, &parent, &now) == 0 &&
	       now == start && state != 'Z';
}

/* Is pid a descendant of this process? */
static int is_ours(pid_t pid)
{
	unsigned long long start;
	for (int depth = 0; pid > 1 && depth < 32; depth++) {
		pid_t parent;
		if (proc_stat(pid, &parent, &start) != 0)
			return 0;
		if (parent == getpid())
			return 1;
		pid = parent;
	}
	return 0;
}

/* Calls fn on every process descendant of this one. */
static void each_descendant(void (*fn)(pid_t pid, void *arg), void *arg)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		pid_t pid = (pid_t)atoi(e->d_name);
		if (pid > 0 && is_ours(pid))
			fn(pid, arg);
	}
	if (d)
		closedir(d);
}

/* The socket inode of the TCP connection from local port `port`. */
static unsigned long tcp_inode(unsigned port)
{
	FILE *f = fopen("/proc/net/tcp", "r");
	char line[512];
	unsigned long inode = 0;
	while (f && !inode && fgets(line, sizeof(line), f)) {
		unsigned local = 0;
		unsigned long ino = 0;
		if (sscanf(line,
			   " %*d: %*x:%x %*x:%*x %*x %*x:%*x %*x:%*x %*x "
			   "%*u %*u %lu",
			   &local, &ino) == 2 &&
		    local == port)
			inode = ino;
	}
	if (f)
		fclose(f);
	return inode;
}

/* ---- The killer --------------------------------------------------------- */

/* The thread that plays the fault: it waits for a rank to connect to its
 * socket (that rank is then mid-task), notes every process of the job,
 * and kills the rank that holds the connection. */
struct killer {
	int listen_fd; /* owned by the killer until joined */
	unsigned port;
	int want;    /* connections to wait for (0: 1) */
	int conn[4]; /* accepted, held open until killer_close */
	int n_conn;
	unsigned long inode; /* the rank's end of the connection */
	pid_t victim;	     /* the rank killed, or 0 */
	pid_t seen[MAX_SEEN];
	unsigned long long seen_start[MAX_SEEN];
	int n_seen;
};

static void killer_note(pid_t pid, void *arg)
{
	struct killer *k = arg;
	pid_t parent;
	if (k->n_seen < MAX_SEEN &&
	    proc_stat(pid, &parent, &k->seen_start[k->n_seen]) == 0)
		k->seen[k->n_seen++] = pid;
	char want[64], path[64], link[64];
	snprintf(want, sizeof(want), "socket:[%lu]", k->inode);
	for (int fd = 0; fd < 256 && !k->victim; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
		ssize_t n = readlink(path, link, sizeof(link) - 1);
		if (n > 0 && (link[n] = '\0', strcmp(link, want) == 0))
			k->victim = pid;
	}
}

/* Waits for k->want connections (each from a rank then mid-task), and
 * kills the rank that made the first. */
static void *killer_main(void *arg)
{
	struct killer *k = arg;
	int *conn = k->conn, n = 0;
	while (n < (k->want > 0 ? k->want : 1) && n < 4) {
		struct pollfd p = {.fd = k->listen_fd, .events = POLLIN};
		if (poll(&p, 1, 90 * 1000) != 1)
			break; /* no rank came: the test's checks say so */
		struct sockaddr_in peer;
		socklen_t len = sizeof(peer);
		conn[n] = accept(k->listen_fd, (struct sockaddr *)&peer, &len);
		if (conn[n] < 0)
			break;
		if (n++ == 0)
			k->inode = tcp_inode(ntohs(peer.sin_port));
	}
	k->n_conn = n;
	if (n == (k->want > 0 ? k->want : 1)) {
		each_descendant(killer_note, k);
		if (k->victim > 0)
			kill(k->victim, SIGKILL);
	}
	return NULL;
}

/* After the join: a connection closed before the job ended would end
 * its fetch (a `reset`) instead of leaving it mid-task. */
static void killer_close(struct killer *k)
{
	for (int i = 0; i < k->n_conn; i++)
		close(k->conn[i]);
	close(k->listen_fd);
}

static void killer_listen(struct killer *k)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	k->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(k->listen_fd, 0);
	ck_assert_int_eq(bind(k->listen_fd, (struct sockaddr *)&a, len), 0);
	ck_assert_int_eq(listen(k->listen_fd, 4), 0);
	ck_assert_int_eq(getsockname(k->listen_fd, (struct sockaddr *)&a, &len),
			 0);
	k->port = ntohs(a.sin_port);
}

/* ---- A rank dies -------------------------------------------------------- */

#define N_TASKS 8
#define WORKERS 2
#define FARM_AHEAD 2 /* farm.c: tasks a worker holds, one in reserve */

/* Runs the sequential reference on ref, then mpi on b while the killer
 * kills the ranks that connect to it; the runs' stats into stats. */
static void run_with_killer(struct killer *k, struct batch *b,
			    struct batch *ref, struct run_stats *stats)
{
	struct run_opts o = run_opts_default();
	o.workers = WORKERS;
	o.fetch.timeout_ms = 120000L; /* the kill ends it, not a timeout */
	struct external_opts x = {.model_timeout_s = 150};
	o.stats = stats;
	ck_assert_int_eq(support_run("sequential", ref, &o), 0);

	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, killer_main, k), 0);
	ck_assert_int_eq(support_run_external("mpi", b, &o, &x), 0);
	pthread_join(t, NULL);
	killer_close(k);
}

/* Nothing of the job is left: every process the killer saw is gone (a
 * survivor's /proc stat line says which it was). */
static void assert_job_gone(const struct killer *k)
{
	for (int i = 0; i < k->n_seen; i++) {
		char path[64], stat[512] = "";
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)k->seen[i]);
		files_read_into(path, stat, sizeof(stat));
		ck_assert_msg(!still_running(k->seen[i], k->seen_start[i]),
			      "process %d of the job is still running: %s",
			      (int)k->seen[i], stat);
	}
}

START_TEST(a_rank_killed_mid_task_crashes_its_task_and_keeps_the_rest)
{
	if (!have_mpi())
		return;
	struct killer k = {0};
	killer_listen(&k);
	/* Tasks 0..N-2 compute; the last one fetches from the killer. */
	struct batch *b = support_compute_batch(N_TASKS, 1);
	struct batch *ref = support_compute_batch(N_TASKS - 1, 1);
	char url[64];
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/never", k.port);
	b->tasks[N_TASKS - 1].type = TASK_FETCH;
	ck_assert_int_eq(batch_set_url(b, N_TASKS - 1, url), 0);
	struct run_stats stats = {0};
	run_with_killer(&k, b, ref, &stats);

	ck_assert_msg(k.victim > 0, "no rank connected, or none was found");
	ck_assert_msg(b->results[N_TASKS - 1].kind == RESULT_CRASHED,
		      "the last task: %s: %s",
		      result_kind_name(b->results[N_TASKS - 1].kind),
		      b->results[N_TASKS - 1].message);
	int ok = 0;
	for (size_t i = 0; i + 1 < N_TASKS; i++) {
		const struct result *r = &b->results[i];
		ck_assert_msg(r->kind == RESULT_OK || r->kind == RESULT_CRASHED,
			      "task %zu: %s", i, result_kind_name(r->kind));
		if (r->kind == RESULT_OK) {
			ck_assert_uint_eq(r->checksum,
					  ref->results[i].checksum);
			ok++;
		}
	}
	/* The farm hands out task N-1 only after N-1-2C results came back. */
	ck_assert_int_ge(ok, N_TASKS - 1 - FARM_AHEAD * WORKERS);
	ck_assert_msg(stats.external &&
			      stats.external_status == EXTERNAL_FAILED,
		      "status %s: %s",
		      external_status_name(stats.external_status), stats.note);
	ck_assert_msg(strstr(stats.note, "rank"), "note: %s", stats.note);

	assert_job_gone(&k);
	ck_assert_int_ge(k.n_seen, 1 + 1 + WORKERS); /* mpirun + ranks */
	batch_free(b);
	batch_free(ref);
}
END_TEST

/* Tasks never handed out never started: not_run, not crashed. Tasks 0..2
 * compute; the next FARM_AHEAD x C (3..6) fetch from the killer and never
 * get an answer. Results come back from 0..2 only, so the farm hands out
 * 3 + FARM_AHEAD x C tasks, 0..6, and no more; every worker ends up in a
 * fetch (the killer waits for C connections), and one is killed: 0..2
 * ok, 3..6 crashed (running, or held in reserve by a rank that was
 * ended), 7..9 not_run, whatever the machine's speed or the order of the
 * results. */
START_TEST(tasks_never_handed_out_are_not_run)
{
	if (!have_mpi())
		return;
	struct killer k = {.want = WORKERS};
	killer_listen(&k);
	const size_t n = 10, handed_out = 3 + FARM_AHEAD * WORKERS;
	struct batch *b = support_compute_batch(n, 1);
	struct batch *ref = support_compute_batch(3, 1);
	char url[64];
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/never", k.port);
	for (size_t i = 3; i < handed_out; i++) {
		b->tasks[i].type = TASK_FETCH;
		ck_assert_int_eq(batch_set_url(b, i, url), 0);
	}
	struct run_stats stats = {0};
	run_with_killer(&k, b, ref, &stats);

	ck_assert_msg(k.victim > 0, "the ranks did not connect, or none found");
	for (size_t i = 0; i < 3; i++) {
		ck_assert_int_eq(b->results[i].kind, RESULT_OK);
		ck_assert_uint_eq(b->results[i].checksum,
				  ref->results[i].checksum);
	}
	for (size_t i = 3; i < handed_out; i++)
		ck_assert_msg(b->results[i].kind == RESULT_CRASHED,
			      "task %zu: %s", i,
			      result_kind_name(b->results[i].kind));
	for (size_t i = handed_out; i < n; i++) {
		ck_assert_msg(b->results[i].kind == RESULT_NOT_RUN,
			      "task %zu: %s", i,
			      result_kind_name(b->results[i].kind));
		ck_assert_msg(strstr(b->results[i].message, "never handed out"),
			      "task %zu: %s", i, b->results[i].message);
	}
	assert_job_gone(&k);
	batch_free(b);
	batch_free(ref);
}
END_TEST

/* Open MPI 4.1.4's mpirun, after it has reported a rank's death, now
 * and then deadlocks in its own teardown (PMIx_server_finalize). A fake
 * mpirun plays that: it says a rank died, then never ends. The run is
 * `failed` with Open MPI's line, not `timed_out` at --model-timeout. */
START_TEST(mpirun_hung_after_a_rank_died_is_a_failed_run)
{
	if (!have_mpi())
		return;
	char dir[256], path[512];
	files_tmp_dir(dir, sizeof(dir), "fake-mpirun");
	snprintf(path, sizeof(path), "%s/mpirun", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#!/bin/sh\ncat >/dev/null\necho 'mpirun noticed that process "
	      "rank 1 with PID 0 on node vm exited on signal 9 (Killed).' "
	      ">&2\nexec sleep 600\n",
	      f);
	fclose(f);
	ck_assert_int_eq(chmod(path, 0755), 0);
	char env[4096]; /* this test's own process (Check forks) */
	snprintf(env, sizeof(env), "%s:%s", dir, getenv("PATH"));
	setenv("PATH", env, 1);
	struct batch *b = support_compute_batch(2, 1);
	struct run_opts o = run_opts_default();
	o.workers = WORKERS;
	/* more than the test's own limit */
	struct external_opts x = {.model_timeout_s = 200};
	struct run_stats stats = {0};
	o.stats = &stats;
	ck_assert_int_eq(support_run_external("mpi", b, &o, &x), 0);
	ck_assert_msg(stats.external &&
			      stats.external_status == EXTERNAL_FAILED,
		      "status %s: %s",
		      external_status_name(stats.external_status), stats.note);
	/* Open MPI's line fills the note; ours ("hung on its way out")
	 * follows it on stderr. */
	ck_assert_msg(strstr(stats.note, "rank 1"), "note: %s", stats.note);
	ck_assert_int_eq(b->results[0].kind, RESULT_CRASHED);
	batch_free(b);
	files_rm_dir(dir);
}
END_TEST

/* ---- A host that cannot be reached, a missing mpirun --------------------- */

/* How many lines of err contain s. */
static int lines_with(const char *err, const char *s)
{
	int n = 0;
	for (const char *p = err; (p = strstr(p, s)) != NULL; p += strlen(s))
		n++;
	return n;
}

/* One line of ours, not Open MPI's box; the mpi tasks are not_run, the
 * threads model still runs, and the run exits 1 (results are missing).
 * The host resolves (a name that does not is refused before the run:
 * test_mpi) but nothing answers: 127.0.0.2 is another host to Open MPI,
 * and its ssh is sent to port 1, where nothing listens, without asking
 * for a password. */
START_TEST(an_unreachable_host_is_one_line_and_the_run_goes_on)
{
	if (!have_mpi())
		return;
	static char out[16384], err[16384];
	char bin[4200];
	snprintf(bin, sizeof(bin),
		 "env OMPI_MCA_plm_rsh_args='-o BatchMode=yes -p 1' %s",
		 support_bin());
	int rc = support_run_bin(
		bin,
		"run --models mpi,threads --workloads compute --workers 2 "
		"--tasks 4 --work 1 --repeat 1 --quiet --no-plot "
		"--hosts localhost:1,127.0.0.2:2 "
		"--out \"${TMPDIR:-/tmp}/concur-test-mpi-faults\"",
		out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 1, "exit %d: %s%s", rc, out, err);
	ck_assert_msg(support_lines(err) == 1, "stderr: %s", err);
	ck_assert_msg(lines_with(err, "concur: mpi: the ranks never started") ==
			      1,
		      "stderr: %s", err);
	ck_assert_msg(!strstr(err, "-----"), "Open MPI's box: %s", err);
	ck_assert_msg(strstr(out, "not_run 4"), "%s", out);
	ck_assert_msg(strstr(out, "threads"), "%s", out);
}
END_TEST

START_TEST(a_missing_mpirun_is_one_line)
{
	char bin[4200], err[4096];
	snprintf(bin, sizeof(bin), "env PATH=/nonexistent %s", support_bin());
	int rc = support_run_bin(bin,
				 "run --models mpi --workloads compute "
				 "--tasks 2 --quiet --no-plot",
				 NULL, 0, err, sizeof(err));
	ck_assert_msg(rc == 2, "exit %d: %s", rc, err);
	ck_assert_msg(support_lines(err) == 1, "stderr: %s", err);
	ck_assert_msg(strstr(err, "no mpirun on PATH") &&
			      strstr(err, "apt-get install openmpi-bin"),
		      "stderr: %s", err);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("mpi_faults");
	TCase *tc = runner_tcase(s, "faults", 240);
	tcase_add_test(
		tc, a_rank_killed_mid_task_crashes_its_task_and_keeps_the_rest);
	tcase_add_test(tc, tasks_never_handed_out_are_not_run);
	tcase_add_test(tc, mpirun_hung_after_a_rank_died_is_a_failed_run);
	tcase_add_test(tc, an_unreachable_host_is_one_line_and_the_run_goes_on);
	tcase_add_test(tc, a_missing_mpirun_is_one_line);
	return s;
}
