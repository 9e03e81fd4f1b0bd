// SPDX-License-Identifier: MIT
/*
 * test_eventloop.c - the event-loop models keep their promises:
 * eventloop holds 2,000 transfers in flight on one thread with the right
 * results, refuses a C the descriptor limit cannot hold, survives running
 * out of descriptors mid-run; hybrid's loop keeps fetching while its pool
 * computes.
 *
 * A "trace spy" replaces stderr with a stream whose write function runs on
 * whichever thread prints a --trace line: that is how the tests look
 * inside a run (count threads, see a fetch finish) without a test hook.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "models/model.h"
#include "tests/support/faults.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* ---- helpers -------------------------------------------------------------- */

/* Threads in this process right now. */
static int thread_count(void)
{
	DIR *d = opendir("/proc/self/task");
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

/* ---- the trace spy ------------------------------------------------------- */

struct spy {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	long starts, dones; /* guarded by lock */
	long max_in_flight; /* guarded by lock: max of starts - dones */
	long samples;	    /* guarded by lock */
	int max_threads;    /* guarded by lock */
	FILE *saved_stderr;
};

static struct spy spy = {.lock = PTHREAD_MUTEX_INITIALIZER,
			 .changed = PTHREAD_COND_INITIALIZER};

/* fopencookie write: called on the thread that printed the line. */
static ssize_t spy_write(void *arg, const char *buf, size_t len)
{
	(void)arg;
	int threads = thread_count();
	pthread_mutex_lock(&spy.lock);
	if (memmem(buf, len, " start", 6))
		spy.starts++;
	if (memmem(buf, len, " done ", 6))
		spy.dones++;
	if (spy.starts - spy.dones > spy.max_in_flight)
		spy.max_in_flight = spy.starts - spy.dones;
	if (threads > spy.max_threads)
		spy.max_threads = threads;
	spy.samples++;
	pthread_cond_broadcast(&spy.changed);
	pthread_mutex_unlock(&spy.lock);
	return (ssize_t)len;
}

static void spy_begin(void)
{
	cookie_io_functions_t io = {.write = spy_write};
	spy.saved_stderr = stderr;
	stderr = fopencookie(NULL, "w", io);
	ck_assert_ptr_nonnull(stderr);
	setvbuf(stderr, NULL, _IOLBF, 0); /* one write per trace line */
}

static void spy_end(void)
{
	fclose(stderr);
	stderr = spy.saved_stderr;
}

/* ---- eventloop -------------------------------------------------------------- */

START_TEST(eventloop_2000_in_flight_match_sequential)
{
	/* 2,000 waits of 1 s: sequentially 2,000 s; all at once about 1 s. */
	struct batch *b = support_fetch_batch(2000, "/delay/1000?bytes=%zu");
	struct run_opts o = run_opts_default();
	o.workers = 2000;
	o.trace = true;
	spy_begin();
	double t = clock_now();
	int rc = support_run("eventloop", b, &o);
	t = clock_now() - t;
	spy_end();
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(spy.max_in_flight, 2000);
	ck_assert_msg(t < 60.0, "took %.1f s: not concurrent", t);
	for (size_t i = 0; i < b->n; i++)
		ck_assert_int_eq(b->results[i].worker, 0);
	support_assert_reference(b, o.fetch.timeout_ms, "eventloop");
	batch_free(b);
}
END_TEST

START_TEST(eventloop_is_one_thread)
{
	/* Numeric 127.0.0.1 URLs: libcurl needs no resolver thread. */
	ck_assert_ptr_nonnull(strstr(support_server_url, "://127.0.0.1:"));
	struct batch *b = support_fetch_batch(300, "/delay/200?bytes=%zu");
	struct run_opts o = run_opts_default();
	o.workers = 300;
	o.trace = true;
	/* 1, or 2 under ThreadSanitizer, which runs a thread of its own. */
	int before = thread_count();
	spy_begin();
	ck_assert_int_eq(support_run("eventloop", b, &o), 0);
	spy_end();
	ck_assert_int_eq(spy.samples, 600); /* a start and a done per task */
	ck_assert_int_eq(spy.max_threads, before);
	ck_assert_int_eq(thread_count(), before);
	support_assert_reference(b, o.fetch.timeout_ms, "eventloop");
	batch_free(b);
}
END_TEST

START_TEST(eventloop_refuses_c_beyond_descriptor_limit)
{
	/* This test runs in its own forked process: the limit dies with it. */
	struct rlimit rl = {.rlim_cur = 256, .rlim_max = 256};
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	/* As many fetches as C: C is capped at the fetches, so fewer would
	 * need fewer sockets. */
	struct batch *b = support_fetch_batch(1000, "/bytes/%zu");
	struct run_opts o = run_opts_default();
	o.workers = 1000;
	ck_assert_int_eq(support_run("eventloop", b, &o), -1);
	ck_assert_int_eq(support_run("hybrid", b, &o), -1);
	for (size_t i = 0; i < b->n; i++)
		ck_assert_int_eq(b->results[i].kind, RESULT_NOT_RUN);
	batch_free(b);
}
END_TEST

START_TEST(eventloop_out_of_descriptors_mid_run_is_recorded)
{
	/* Leave about a dozen descriptors free, then ask for 50 sockets:
	 * the transfers that get one succeed, the others are recorded as
	 * failed, and none is left unrun. */
	struct rlimit rl = {.rlim_cur = 200, .rlim_max = 200};
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	struct batch *b = support_fetch_batch(50, "/delay/100?bytes=%zu");
	int fd, last = -1;
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		last = fd;
	for (int k = 0; k < 16; k++)
		close(last - k);
	struct run_opts o = run_opts_default();
	o.workers = 50;
	ck_assert_int_eq(support_run("eventloop", b, &o), 0);
	size_t ok = 0, no_socket = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct result *r = &b->results[i];
		ok += r->kind == RESULT_OK;
		no_socket += r->kind == RESULT_OTHER &&
			     strstr(r->message, "no socket");
	}
	ck_assert_uint_gt(ok, 0);
	ck_assert_uint_gt(no_socket, 0);
	ck_assert_uint_eq(ok + no_socket, b->n);
	batch_free(b);
}
END_TEST

/* ---- hybrid ---------------------------------------------------------------- */

struct hook_state {
	int calls;     /* pool threads only, guarded by spy.lock */
	int timed_out; /* guarded by spy.lock */
};

/* Before each compute (tests/support/faults.h): the first compute waits
 * until the loop has finished a fetch. If the loop were blocked (computing
 * itself, or waiting for the pool), no fetch would finish: the bounded
 * wait then fails the test. */
static void block_until_fetch_done(void *arg)
{
	struct hook_state *h = arg;
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	pthread_mutex_lock(&spy.lock);
	if (h->calls++ == 0)
		while (spy.dones == 0 && !h->timed_out)
			h->timed_out =
				pthread_cond_timedwait(&spy.changed, &spy.lock,
						       &deadline) == ETIMEDOUT;
	pthread_mutex_unlock(&spy.lock);
}

START_TEST(hybrid_loop_serves_fetches_while_pool_computes)
{
	struct batch *b = support_fetch_batch(21, "/delay/50?bytes=%zu");
	b->tasks[0].type = TASK_COMPUTE; /* handed to the pool first */
	b->tasks[0].work = 2;
	struct hook_state h = {0};
	struct run_opts o = run_opts_default();
	o.workers = 20;
	o.hybrid.cpu_workers = 1;
	o.trace = true;
	faults_before_compute(block_until_fetch_done, &h);
	spy_begin();
	int rc = support_run("hybrid", b, &o);
	spy_end();
	faults_before_compute(NULL, NULL);
	ck_assert_int_eq(rc, 0);
	ck_assert_msg(!h.timed_out, "no fetch finished while compute waited");
	ck_assert_int_eq(h.calls, 1);
	ck_assert_int_eq(b->results[0].worker, 1); /* pool thread 1 */
	ck_assert_int_eq(b->results[1].worker, 0); /* the loop */
	support_assert_reference(b, o.fetch.timeout_ms, "hybrid");
	batch_free(b);
}
END_TEST

START_TEST(hybrid_mixed_matches_sequential)
{
	struct batch *b = support_fetch_batch(40, "/delay/20?bytes=%zu");
	for (size_t i = 0; i < b->n; i++) {
		b->tasks[i].type = i % 4 == 3 ? TASK_COMPUTE : TASK_MIXED;
		b->tasks[i].work = 3;
		b->tasks[i].seed = i;
	}
	struct run_opts o = run_opts_default();
	o.workers = 10;
	o.hybrid.cpu_workers = 3;
	ck_assert_int_eq(support_run("hybrid", b, &o), 0);
	for (size_t i = 0; i < b->n; i++) {
		ck_assert_int_ge(b->results[i].worker, 1);
		ck_assert_int_le(b->results[i].worker, 3);
	}
	support_assert_reference(b, o.fetch.timeout_ms, "hybrid");
	ck_assert_int_eq(support_run("eventloop", b, &o), 0);
	support_assert_reference(b, o.fetch.timeout_ms, "eventloop");
	batch_free(b);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("eventloop");
	TCase *tc = runner_tcase(s, "eventloop", 60);
	tcase_add_unchecked_fixture(tc, support_server_up, support_server_down);
	tcase_add_test(tc, eventloop_2000_in_flight_match_sequential);
	tcase_add_test(tc, eventloop_is_one_thread);
	tcase_add_test(tc, eventloop_refuses_c_beyond_descriptor_limit);
	tcase_add_test(tc, eventloop_out_of_descriptors_mid_run_is_recorded);
	tcase_add_test(tc, hybrid_loop_serves_fetches_while_pool_computes);
	tcase_add_test(tc, hybrid_mixed_matches_sequential);
	return s;
}
