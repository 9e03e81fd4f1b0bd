// SPDX-License-Identifier: MIT
/*
 * test_contain.c - contain_run holds what a student's program does: its
 * exit or signal said as they are, nothing it starts outlives it (a
 * `setsid` or double-forked child included), the wall-clock, memory, CPU
 * and process limits end it, it starts in a private directory that is
 * removed after (its links not followed), it holds no fd of ours, and in
 * its namespaces it is a low pid that reaches no port outside but has a
 * loopback of its own. The caller's own children are never touched.
 */
#define _GNU_SOURCE /* memfd_create, unshare */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/grade/contain.h"
#include "tests/support/files.h"
#include "tests/support/runner.h"

/* ---- helpers ------------------------------------------------------------ */

/* One contained run: its environment (NULL: ours), what it printed. */
struct ran {
	char **envp;
	int rc;
	struct contain_result r;
	char out[4096];
};

/* Runs argv contained with o (NULL: the defaults), in new namespaces or
 * not, stdout into ran->out. */
static void run_argv(char *const argv[], struct contain_opts *o, bool ns,
		     struct ran *ran)
{
	struct contain_opts defaults;
	contain_opts_default(&defaults);
	o = o ? o : &defaults;
	int out = memfd_create("contain-out", MFD_CLOEXEC);
	ck_assert_int_ge(out, 0);
	o->namespaces = ns;
	o->stdout_fd = out;
	ran->rc = contain_run(argv, ran->envp, o, &ran->r);
	ssize_t got = pread(out, ran->out, sizeof(ran->out) - 1, 0);
	ran->out[got > 0 ? got : 0] = '\0';
	close(out);
}

/* /bin/sh -c script, as run_argv. */
static void run_sh(const char *script, struct contain_opts *o, bool ns,
		   struct ran *ran)
{
	char *argv[] = {"/bin/sh", "-c", (char *)script, NULL};
	run_argv(argv, o, ns, ran);
}

/* A `sleep` argument no other process has: "9NN.PID". */
static void marker(char *buf, size_t len, int n)
{
	snprintf(buf, len, "%d.%d", 900 + n, (int)getpid());
	setenv("MARK", buf, 1); /* the scripts' $MARK */
}

/* How many processes have the argument arg on their command line. */
static int procs_with_arg(const char *arg)
{
	DIR *d = opendir("/proc");
	ck_assert_ptr_nonnull(d);
	int found = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		char path[300], cmd[4096];
		snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd < 0 ? -1 : read(fd, cmd, sizeof(cmd) - 1);
		if (fd >= 0)
			close(fd);
		for (ssize_t i = 0; i < n; i += (ssize_t)strlen(cmd + i) + 1) {
			cmd[n] = '\0';
			found += strcmp(cmd + i, arg) == 0;
		}
	}
	closedir(d);
	return found;
}

/* Does this machine let us have new PID, network and mount namespaces?
 * Then contain_run must use them. */
static bool namespaces_allowed(void)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(unshare(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS) == 0
			      ? 0
			      : 1);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* ---- how it ended ------------------------------------------------------- */

/* Even when the caller ignores SIGCHLD (its children reaped unseen). */
START_TEST(an_exit_status_is_the_programs)
{
	signal(SIGCHLD, SIG_IGN);
	for (int ns = 0; ns < 2; ns++) {
		struct ran ran = {0};
		run_sh("exit 3", NULL, ns, &ran);
		ck_assert_int_eq(ran.rc, 0);
		ck_assert_int_eq(ran.r.exit_status, 3);
		ck_assert_int_eq(ran.r.signal, 0);
		ck_assert(!ran.r.timed_out && !ran.r.cpu_limit);
		ck_assert_uint_eq(ran.r.leftovers, 0);
	}
	ck_assert(signal(SIGCHLD, SIG_DFL) == SIG_IGN);
}
END_TEST

START_TEST(a_death_by_signal_is_a_signal_not_an_exit)
{
	for (int ns = 0; ns < 2; ns++) {
		struct ran ran = {0};
		run_sh("kill -9 $$", NULL, ns, &ran);
		ck_assert_int_eq(ran.rc, 0);
		ck_assert_int_eq(ran.r.signal, SIGKILL);
		ck_assert_int_eq(ran.r.exit_status, -1);
		ck_assert(!ran.r.timed_out && !ran.r.cpu_limit);
	}
}
END_TEST

START_TEST(a_program_that_cannot_start_is_minus_one_with_why)
{
	for (int ns = 0; ns < 2; ns++) {
		char *argv[] = {"/nonexistent/student-prog", NULL};
		struct ran ran = {0};
		run_argv(argv, NULL, ns, &ran);
		ck_assert_int_eq(ran.rc, -1);
		ck_assert_msg(strstr(ran.r.why, "exec") &&
				      strstr(ran.r.why, "No such file"),
			      "why: %s", ran.r.why);
	}
}
END_TEST

/* ---- nothing outlives it ------------------------------------------------ */

START_TEST(setsid_and_double_forked_children_are_killed)
{
	for (int ns = 0; ns < 2; ns++) {
		char m[32];
		marker(m, sizeof(m), ns);
		struct ran ran = {0};
		run_sh("setsid sleep $MARK & (sh -c 'sleep $MARK &' &); exit 0",
		       NULL, ns, &ran);
		ck_assert_int_eq(ran.rc, 0);
		ck_assert_int_eq(ran.r.exit_status, 0);
		ck_assert_uint_ge(ran.r.leftovers, 2);
		ck_assert_int_eq(procs_with_arg(m), 0);
		ck_assert_double_lt(ran.r.wall_s, 3);
	}
}
END_TEST

START_TEST(the_callers_own_children_are_spared)
{
	int was_reaper = -1, is_reaper = -1;
	prctl(PR_GET_CHILD_SUBREAPER, &was_reaper);
	pid_t mine = fork();
	ck_assert_int_ge(mine, 0);
	if (mine == 0) {
		pause();
		_exit(0);
	}
	for (int ns = 0; ns < 2; ns++) {
		char m[32];
		marker(m, sizeof(m), 10 + ns);
		struct ran ran = {0};
		run_sh("(setsid sleep $MARK &); exit 0", NULL, ns, &ran);
		ck_assert_uint_ge(ran.r.leftovers, 1);
		ck_assert_int_eq(procs_with_arg(m), 0);
		ck_assert_int_eq(kill(mine, 0), 0);
		ck_assert_int_eq(waitpid(mine, NULL, WNOHANG), 0);
	}
	prctl(PR_GET_CHILD_SUBREAPER, &is_reaper);
	ck_assert_int_eq(is_reaper, was_reaper);
	kill(mine, SIGKILL);
	ck_assert_int_eq(waitpid(mine, NULL, 0), mine);
}
END_TEST

/* ---- the limits --------------------------------------------------------- */

START_TEST(the_wall_clock_limit_kills_the_whole_tree)
{
	char m[32];
	marker(m, sizeof(m), 20);
	struct contain_opts o;
	contain_opts_default(&o);
	o.timeout_s = 0.5;
	struct ran ran = {0};
	run_sh("sleep $MARK & sleep 100", &o, true, &ran);
	ck_assert_int_eq(ran.rc, 0);
	ck_assert(ran.r.timed_out && !ran.r.cpu_limit);
	ck_assert_int_eq(ran.r.signal, SIGKILL);
	ck_assert_double_ge(ran.r.wall_s, 0.5);
	ck_assert_double_lt(ran.r.wall_s, 2.5);
	ck_assert_int_eq(procs_with_arg(m), 0);
}
END_TEST

START_TEST(the_address_space_limit_stops_a_big_allocation)
{
	struct contain_opts o;
	contain_opts_default(&o);
	o.address_space = (size_t)256 << 20;
	/* 1 GiB, every page touched. */
	char *argv[] = {"python3", "-c",
			"b = bytearray(1 << 30)\nprint('allocated')", NULL};
	struct ran ran = {0};
	run_argv(argv, &o, true, &ran);
	ck_assert_int_eq(ran.rc, 0);
	ck_assert(ran.r.exit_status > 0 || ran.r.signal != 0);
	ck_assert_ptr_null(strstr(ran.out, "allocated"));
	ck_assert_ptr_nonnull(strstr(ran.r.isolation, "as 256 MiB"));
}
END_TEST

START_TEST(the_cpu_limit_ends_a_busy_loop)
{
	struct contain_opts o;
	contain_opts_default(&o);
	o.cpu_seconds = 1;
	o.timeout_s = 20; /* only if the limit failed */
	struct ran ran = {0};
	run_sh("while :; do :; done", &o, true, &ran);
	ck_assert_int_eq(ran.rc, 0);
	ck_assert(ran.r.cpu_limit && !ran.r.timed_out);
	ck_assert_int_eq(ran.r.signal, SIGXCPU);
}
END_TEST

/* The processes it may start: a loop of 30 background sleeps gets fewer
 * than the limit, and none is left. */
START_TEST(the_process_limit_holds_as_root_too)
{
	for (int ns = 0; ns < 2; ns++) {
		char m[32];
		marker(m, sizeof(m), 30 + ns);
		struct contain_opts o;
		contain_opts_default(&o);
		o.max_processes = 8;
		struct ran ran = {0};
		run_sh("i=0; while [ $i -lt 30 ]; do sleep $MARK & "
		       "i=$((i+1)); done 2>/dev/null; exit 0",
		       &o, ns, &ran);
		ck_assert_int_eq(ran.rc, 0);
		ck_assert_int_eq(procs_with_arg(m), 0);
		if (strstr(ran.r.isolation, "no process limit"))
			continue; /* said, and nothing here can enforce it */
		ck_assert_uint_gt(ran.r.leftovers, 0);
		ck_assert_uint_lt(ran.r.leftovers, 8);
	}
}
END_TEST

/* A loop that forks forever meets the process limit (the shell ends when
 * a fork fails) or the wall-clock limit; either way nothing is left. */
START_TEST(a_fork_loop_ends_and_leaves_nothing)
{
	char m[32];
	marker(m, sizeof(m), 40);
	for (int ns = 0; ns < 2; ns++) {
		struct contain_opts o;
		contain_opts_default(&o);
		o.max_processes = 64;
		o.timeout_s = 0.5;
		struct ran ran = {0};
		run_sh("while :; do sleep $MARK & done", &o, ns, &ran);
		ck_assert(ran.r.timed_out || ran.r.exit_status > 0);
		ck_assert_uint_gt(ran.r.leftovers, 0);
		ck_assert_int_eq(procs_with_arg(m), 0);
		ck_assert_double_lt(ran.r.wall_s, 4);
	}
}
END_TEST

/* ---- what it sees ------------------------------------------------------- */

START_TEST(it_starts_in_a_private_directory_removed_after)
{
	char outside[256], keep[300], script[1024];
	files_tmp_dir(outside, sizeof(outside), "contain-outside");
	snprintf(keep, sizeof(keep), "%s/keep", outside);
	FILE *f = fopen(keep, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	/* Links out of the directory, and a directory it may not read: the
	 * removal follows no link and still removes everything. */
	snprintf(script, sizeof(script),
		 "pwd; ln -s %s out; mkdir -p d/e; ln -s %s d/e/keep; "
		 "touch d/e/f; chmod 000 d/e d",
		 outside, keep);
	for (int ns = 0; ns < 2; ns++) {
		struct ran ran = {0};
		run_sh(script, NULL, ns, &ran);
		ck_assert_int_eq(ran.r.exit_status, 0);
		ck_assert_msg(strstr(ran.out, "/concur-contain-"), "pwd: %s",
			      ran.out);
		ran.out[strcspn(ran.out, "\n")] = '\0';
		struct stat st;
		ck_assert_int_ne(lstat(ran.out, &st), 0);
		ck_assert_int_eq(errno, ENOENT);
		ck_assert_int_eq(stat(keep, &st), 0);
	}
	files_rm_dir(outside);
}
END_TEST

START_TEST(the_callers_directory_is_used_and_kept)
{
	char dir[256], out[300];
	files_tmp_dir(dir, sizeof(dir), "contain-workdir");
	struct contain_opts o;
	contain_opts_default(&o);
	o.workdir = dir;
	struct ran ran = {0};
	run_sh("pwd; echo hi >out", &o, true, &ran);
	ck_assert_int_eq(ran.r.exit_status, 0);
	ran.out[strcspn(ran.out, "\n")] = '\0';
	ck_assert_str_eq(ran.out, dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	char said[16];
	files_read_into(out, said, sizeof(said));
	ck_assert_str_eq(said, "hi\n");
	files_rm_dir(dir);
}
END_TEST

START_TEST(it_holds_no_fd_of_ours_and_only_the_given_environment)
{
	int ours = dup(STDERR_FILENO); /* not close-on-exec */
	ck_assert_int_ge(ours, 3);
	char script[256];
	snprintf(script, sizeof(script),
		 "[ -e /proc/self/fd/%d ] && echo leaked || echo closed; "
		 "echo \"$CONTAIN_TEST:$HOME\"",
		 ours);
	char *argv[] = {"/bin/sh", "-c", script, NULL};
	char *envp[] = {"CONTAIN_TEST=yes", NULL};
	for (int ns = 0; ns < 2; ns++) {
		struct ran ran = {.envp = envp};
		run_argv(argv, NULL, ns, &ran);
		ck_assert_int_eq(ran.rc, 0);
		ck_assert_str_eq(ran.out, "closed\nyes:\n");
	}
	close(ours);
}
END_TEST

START_TEST(in_its_namespaces_it_is_pid_2)
{
	struct ran ran = {0};
	run_sh("echo $$", NULL, true, &ran);
	if (!namespaces_allowed()) {
		ck_assert_ptr_nonnull(
			strstr(ran.r.isolation, "no namespaces ("));
		return;
	}
	ck_assert_msg(strstr(ran.r.isolation, "pid+net namespaces"), "%s",
		      ran.r.isolation);
	ck_assert_str_eq(ran.out, "2\n");
}
END_TEST

/* A port open on 127.0.0.1 out here is out of reach; a socket of its
 * own on its loopback works. */
START_TEST(in_its_namespaces_it_reaches_no_port_outside)
{
	if (!namespaces_allowed())
		return; /* the test above checks what it says then */
	int lis = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	ck_assert_int_eq(bind(lis, (struct sockaddr *)&a, len), 0);
	ck_assert_int_eq(listen(lis, 4), 0);
	ck_assert_int_eq(getsockname(lis, (struct sockaddr *)&a, &len), 0);
	char code[1024];
	snprintf(code, sizeof(code),
		 "import socket\n"
		 "try:\n"
		 "    socket.create_connection(('127.0.0.1', %d), timeout=1)\n"
		 "    print('outside-reached')\n"
		 "except OSError:\n"
		 "    print('outside-refused')\n"
		 "s = socket.socket()\n"
		 "s.bind(('127.0.0.1', 0))\n"
		 "s.listen()\n"
		 "socket.create_connection(s.getsockname(), timeout=1)\n"
		 "print('loopback-ok')\n",
		 ntohs(a.sin_port));
	char *argv[] = {"python3", "-c", code, NULL};
	struct ran ran = {0};
	run_argv(argv, NULL, true, &ran);
	close(lis);
	ck_assert_int_eq(ran.rc, 0);
	ck_assert_str_eq(ran.out, "outside-refused\nloopback-ok\n");
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("contain");
	TCase *end = runner_tcase(s, "how it ended", 10);
	tcase_add_test(end, an_exit_status_is_the_programs);
	tcase_add_test(end, a_death_by_signal_is_a_signal_not_an_exit);
	tcase_add_test(end, a_program_that_cannot_start_is_minus_one_with_why);
	TCase *left = runner_tcase(s, "nothing outlives it", 15);
	tcase_add_test(left, setsid_and_double_forked_children_are_killed);
	tcase_add_test(left, the_callers_own_children_are_spared);
	TCase *lim = runner_tcase(s, "limits", 25);
	tcase_add_test(lim, the_wall_clock_limit_kills_the_whole_tree);
	tcase_add_test(lim, the_address_space_limit_stops_a_big_allocation);
	tcase_add_test(lim, the_cpu_limit_ends_a_busy_loop);
	tcase_add_test(lim, the_process_limit_holds_as_root_too);
	tcase_add_test(lim, a_fork_loop_ends_and_leaves_nothing);
	TCase *sees = runner_tcase(s, "what it sees", 15);
	tcase_add_test(sees, it_starts_in_a_private_directory_removed_after);
	tcase_add_test(sees, the_callers_directory_is_used_and_kept);
	tcase_add_test(sees,
		       it_holds_no_fd_of_ours_and_only_the_given_environment);
	tcase_add_test(sees, in_its_namespaces_it_is_pid_2);
	tcase_add_test(sees, in_its_namespaces_it_reaches_no_port_outside);
	return s;
}
