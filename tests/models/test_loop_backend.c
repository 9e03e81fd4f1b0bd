// SPDX-License-Identifier: MIT
/*
 * test_loop_backend.c - --backend: eventloop and hybrid give the
 * sequential model's results on every backend (epoll, poll, select,
 * io_uring) and say which one they used; io_uring refused (here by a
 * seccomp filter, as a container's profile does) falls back to epoll in
 * one line; select refuses a C beyond its FD_SETSIZE wall; runs.csv and
 * meta.json record the backend, and a set written before the column
 * existed still loads.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "models/loop_backend.h"
#include "models/model.h"
#include "tests/support/csv.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* ---- helpers -------------------------------------------------------------- */

static const enum loop_backend backends[] = {
	LOOP_BACKEND_EPOLL,
	LOOP_BACKEND_POLL,
	LOOP_BACKEND_SELECT,
	LOOP_BACKEND_IO_URING,
};

/* stderr goes to a temporary file while a run prints to it. */
struct captured {
	FILE *file;
	int saved_fd;
	char text[2048];
};

static void capture_begin(struct captured *c)
{
	fflush(stderr);
	c->file = tmpfile();
	ck_assert_ptr_nonnull(c->file);
	c->saved_fd = dup(STDERR_FILENO);
	ck_assert_int_eq(dup2(fileno(c->file), STDERR_FILENO), STDERR_FILENO);
}

static void capture_end(struct captured *c)
{
	fflush(stderr);
	dup2(c->saved_fd, STDERR_FILENO);
	close(c->saved_fd);
	rewind(c->file);
	size_t n = fread(c->text, 1, sizeof(c->text) - 1, c->file);
	c->text[n] = '\0';
	fclose(c->file);
}

/* Makes io_uring_setup fail with EPERM in this (forked) test process, as
 * Docker's default seccomp profile does. */
static void forbid_io_uring(void)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_io_uring_setup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]),
				  .filter = code};
	ck_assert_int_eq(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
	ck_assert_int_eq(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog), 0);
}

/* Runs `model` on b at C = workers on backend `want`; the run must
 * succeed, use backend `expect`, and give the reference's results. */
static void run_on(const char *model, struct batch *b, int workers,
		   enum loop_backend want, const char *expect)
{
	struct run_stats st = {0};
	struct run_opts o = run_opts_default();
	o.workers = workers;
	o.loop.backend = want;
	o.stats = &st;
	ck_assert_int_eq(support_run(model, b, &o), 0);
	ck_assert_msg(strcmp(st.loop_backend, expect) == 0,
		      "%s asked for %s ran on '%s', not %s", model,
		      loop_backend_name(want), st.loop_backend, expect);
	support_assert_reference(b, o.fetch.timeout_ms, model);
}

/* ---- every backend --------------------------------------------------------- */

START_TEST(each_backend_matches_sequential)
{
	enum loop_backend want = backends[_i];
	const char *name = loop_backend_name(want);
	struct batch *b = support_fetch_batch(60, "/delay/%zu");
	run_on("eventloop", b, 30, want, name);
	for (size_t i = 0; i < b->n; i++) { /* hybrid's pool computes */
		b->tasks[i].type = i % 3 ? TASK_MIXED : TASK_COMPUTE;
		b->tasks[i].work = 1;
		b->tasks[i].seed = i;
	}
	run_on("hybrid", b, 30, want, name);
	batch_free(b);
}
END_TEST

/* ---- io_uring's fallback and select's wall --------------------------------- */

START_TEST(io_uring_refused_falls_back_to_epoll_in_one_line)
{
	forbid_io_uring(); /* this test's own process only */
	struct batch *b = support_fetch_batch(20, "/bytes/%zu");
	struct captured err;
	capture_begin(&err);
	run_on("eventloop", b, 10, LOOP_BACKEND_IO_URING, "epoll");
	capture_end(&err);
	ck_assert_int_eq(support_lines(err.text), 1);
	ck_assert_ptr_nonnull(strstr(err.text, "io_uring refused"));
	ck_assert_ptr_nonnull(strstr(err.text, "epoll"));
	batch_free(b);
}
END_TEST

START_TEST(io_uring_above_its_wall_runs_on_epoll)
{
	int c = LOOP_IOURING_MAX_TRANSFERS + 1;
	struct batch *b = support_fetch_batch((size_t)c, "/bytes/%zu");
	struct captured err;
	capture_begin(&err);
	run_on("eventloop", b, c, LOOP_BACKEND_IO_URING, "epoll");
	capture_end(&err);
	ck_assert_int_eq(support_lines(err.text), 1);
	ck_assert_ptr_nonnull(strstr(err.text, "io_uring"));
	batch_free(b);
}
END_TEST

START_TEST(select_refuses_c_beyond_fd_setsize)
{
	struct rlimit rl;
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_max < 1200) { /* fd_limit would refuse first */
		fprintf(stderr,
			"test_loop_backend: hard descriptor limit "
			"%lu: select's wall not reached\n",
			(unsigned long)rl.rlim_max);
		return;
	}
	int c = LOOP_SELECT_MAX_TRANSFERS + 1;
	struct batch *b = support_fetch_batch((size_t)c, "/bytes/%zu");
	struct run_opts o = run_opts_default();
	o.workers = c;
	o.loop.backend = LOOP_BACKEND_SELECT;
	struct captured err;
	capture_begin(&err);
	int rc = support_run("eventloop", b, &o);
	capture_end(&err);
	ck_assert_int_eq(rc, -1);
	ck_assert_ptr_nonnull(strstr(err.text, "FD_SETSIZE"));
	for (size_t i = 0; i < b->n; i++)
		ck_assert_int_eq(b->results[i].kind, RESULT_NOT_RUN);
	batch_free(b);
}
END_TEST

/* ---- the result set ---------------------------------------------------------- */

/* meta.json's value at section.key (NULL: top level), or "". */
static const char *meta_string(json_t *root, const char *section,
			       const char *key)
{
	json_t *o = section ? json_object_get(root, section) : root;
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

START_TEST(runs_csv_and_meta_record_the_backend_and_old_sets_load)
{
	char dir[] = "/tmp/concur-backend-XXXXXX", args[512], path[600];
	char out[8192];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(args, sizeof(args),
		 "run --models sequential,eventloop --workloads fetch "
		 "--tasks 8 --workers 4 --delay 10 --repeat 1 --backend poll "
		 "--no-plot --quiet --out %s",
		 dir);
	ck_assert_int_eq(support_concur(args, out, sizeof(out), NULL, 0), 0);
	struct csv c;
	snprintf(path, sizeof(path), "%s/latest/runs.csv", dir);
	ck_assert_int_eq(csv_load(path, &c), 0);
	long el = csv_find(&c, 0, "fetch", "eventloop", 4);
	long seq = csv_find(&c, 0, "fetch", "sequential", 0);
	ck_assert_int_ge(el, 0);
	ck_assert_int_ge(seq, 0);
	ck_assert_str_eq(csv_cell(&c, (size_t)el, "backend"), "poll");
	ck_assert_str_eq(csv_cell(&c, (size_t)seq, "backend"), "");
	csv_free(&c);
	snprintf(path, sizeof(path), "%s/latest/meta.json", dir);
	json_t *meta = json_load_file(path, 0, NULL);
	ck_assert_ptr_nonnull(meta);
	ck_assert_str_eq(meta_string(meta, "options", "backend"), "poll");
	ck_assert_str_eq(meta_string(meta, "loop_backends", "eventloop"),
			 "poll");
	json_decref(meta);
	/* The same set as an older concur wrote it: no backend column. */
	snprintf(args, sizeof(args),
		 "cp -rL %s/latest %s/old && sed -i 's/,[^,]*$//' "
		 "%s/old/runs.csv",
		 dir, dir, dir);
	ck_assert_int_eq(system(args), 0);
	snprintf(args, sizeof(args), "compare %s/old %s/latest", dir, dir);
	ck_assert_int_eq(support_concur(args, out, sizeof(out), NULL, 0), 0);
	ck_assert_ptr_nonnull(strstr(out, "eventloop"));
	snprintf(args, sizeof(args), "report %s/old", dir);
	ck_assert_int_eq(support_concur(args, NULL, 0, NULL, 0), 0);
	snprintf(args, sizeof(args), "rm -rf %s", dir);
	ck_assert_int_eq(system(args), 0);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("loop_backend");
	TCase *tc = runner_tcase(s, "loop_backend", 60);
	tcase_add_unchecked_fixture(tc, support_server_up, support_server_down);
	tcase_add_loop_test(tc, each_backend_matches_sequential, 0,
			    (int)(sizeof(backends) / sizeof(backends[0])));
	tcase_add_test(tc, io_uring_refused_falls_back_to_epoll_in_one_line);
	tcase_add_test(tc, io_uring_above_its_wall_runs_on_epoll);
	tcase_add_test(tc, select_refuses_c_beyond_fd_setsize);
	tcase_add_test(tc,
		       runs_csv_and_meta_record_the_backend_and_old_sets_load);
	return s;
}
