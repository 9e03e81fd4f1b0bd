// SPDX-License-Identifier: MIT
/*
 * test_py_work.c - the compute kinds of lesson 18
 * (models/python/concur_work.py) through the external protocol: for each
 * kind, py-threads with 2 threads gives the results py-sequential gives,
 * and those are the right ones: the kernel's (common/kernel.h) for the
 * pure-Python kernel and the C loop through ctypes.CDLL and ctypes.PyDLL
 * (build/libspin.so), and for hashlib and zlib what a few lines of Python
 * written here from the definition compute. py-threads reports its switch
 * interval and whether it has a GIL; a kind that does not exist gives no
 * result.
 *
 * Without a Python that imports aiohttp, every test passes with a note,
 * except under CI=true (support_python).
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/kernel.h"
#include "harness/external/dispatch.h"
#include "harness/external/external.h"
#include "harness/external/python.h"
#include "models/model.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

#define PW_TASKS 4

/* Each kind and the units a task gets: a task of a few tens of ms. */
static const struct {
	const char *kind;
	uint32_t units;
	int kernel; /* the kernel's checksum */
} pw_kinds[] = {
	{"python", 1, 1}, {"hashlib", 8, 0}, {"zlib", 1, 0},
	{"cdll", 20, 1},  {"pydll", 20, 1},
};

/* Runs py model `name` on b with `workers` and the kind. */
static int pw_run(const char *name, struct batch *b, int workers,
		  const char *kind, struct run_stats *stats)
{
	const struct model *m = model_find(name);
	ck_assert_ptr_nonnull(m);
	struct run_opts o = run_opts_default();
	o.workers = workers;
	o.stats = stats;
	struct external_opts x = {.model_timeout_s = 60, .compute_kind = kind};
	b->t0 = clock_now();
	return model_run(m, b, &o, &x);
}

/* hashlib's and zlib's checksums of (seed, units), computed by Python
 * from the definition (concur_work.py), not by the model's code. */
static void pw_python_sums(const struct batch *b, uint32_t units, uint64_t *sha,
			   uint64_t *zl)
{
	char why[512], cmd[4096];
	const char *py = python_find(NULL, why, sizeof(why));
	ck_assert_msg(py, "%s", why);
	int n = snprintf(
		cmd, sizeof(cmd),
		"%s -c 'import hashlib, sys, zlib\n"
		"buf = b\"\".join(hashlib.sha256(i.to_bytes(4, \"big\"))"
		".hexdigest().encode() for i in range(16384))\n"
		"units = int(sys.argv[1])\n"
		"for seed in map(int, sys.argv[2:]):\n"
		"    h = hashlib.sha256(seed.to_bytes(8, \"big\") + buf * "
		"units)\n"
		"    crc, size = seed & 0xFFFFFFFF, 0\n"
		"    for _ in range(units):\n"
		"        p = zlib.compress(buf, 6)\n"
		"        crc, size = zlib.crc32(p, crc), size + len(p)\n"
		"    print(int.from_bytes(h.digest()[:8], \"big\"),"
		" (size << 32 | crc) & (2**64 - 1))' %u",
		py, units);
	for (size_t i = 0; i < b->n; i++)
		n += snprintf(cmd + n, sizeof(cmd) - (size_t)n, " %" PRIu64,
			      b->tasks[i].seed);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < b->n; i++)
		ck_assert_int_eq(
			fscanf(p, "%" SCNu64 " %" SCNu64, &sha[i], &zl[i]), 2);
	ck_assert_int_eq(pclose(p), 0);
}

/* What kind k's task i must give. */
static uint64_t pw_want(int k, const struct batch *b, size_t i,
			const uint64_t *sha, const uint64_t *zl)
{
	if (pw_kinds[k].kernel)
		return kernel_run(b->tasks[i].seed, b->tasks[i].work);
	return strcmp(pw_kinds[k].kind, "hashlib") == 0 ? sha[i] : zl[i];
}

START_TEST(each_kind_gives_the_sequential_results)
{
	if (!support_python("test_py_work"))
		return;
	int k = _i;
	const char *kind = pw_kinds[k].kind;
	struct batch *seq = support_compute_batch(PW_TASKS, pw_kinds[k].units);
	struct batch *two = support_compute_batch(PW_TASKS, pw_kinds[k].units);
	for (size_t i = 0; i < PW_TASKS; i++) /* seeds past 32 bits too */
		seq->tasks[i].seed = two->tasks[i].seed =
			0x9E3779B97F4A7C15ULL * (i + 1);
	uint64_t sha[PW_TASKS] = {0}, zl[PW_TASKS] = {0};
	if (!pw_kinds[k].kernel)
		pw_python_sums(seq, pw_kinds[k].units, sha, zl);
	ck_assert_int_eq(pw_run("py-sequential", seq, 1, kind, NULL), 0);
	ck_assert_int_eq(pw_run("py-threads", two, 2, kind, NULL), 0);
	for (size_t i = 0; i < PW_TASKS; i++) {
		const struct result *a = &seq->results[i],
				    *b = &two->results[i];
		ck_assert_msg(a->kind == RESULT_OK && b->kind == RESULT_OK,
			      "%s task %zu: %s / %s", kind, i,
			      result_kind_name(a->kind),
			      result_kind_name(b->kind));
		ck_assert_msg(a->checksum == b->checksum,
			      "%s task %zu: 1 thread %#" PRIx64
			      ", 2 threads %#" PRIx64,
			      kind, i, a->checksum, b->checksum);
		uint64_t want = pw_want(k, seq, i, sha, zl);
		ck_assert_msg(a->checksum == want,
			      "%s task %zu: %#" PRIx64 ", want %#" PRIx64, kind,
			      i, a->checksum, want);
	}
	batch_free(seq);
	batch_free(two);
}
END_TEST

START_TEST(py_threads_reports_its_interpreter)
{
	if (!support_python("test_py_work"))
		return;
	struct batch *b = support_compute_batch(2, 5);
	struct run_stats stats;
	memset(&stats, 0, sizeof(stats));
	ck_assert_int_eq(pw_run("py-threads", b, 2, "cdll", &stats), 0);
	double ms = run_stats_get(&stats, "switch_interval_ms", -1);
	double gil = run_stats_get(&stats, "gil_enabled", -1);
	ck_assert_msg(ms > 0 && ms < 1000, "switch interval %g ms", ms);
	ck_assert_msg(gil == 0 || gil == 1, "gil_enabled %g", gil);
	batch_free(b);
}
END_TEST

START_TEST(an_unknown_kind_gives_no_result)
{
	if (!support_python("test_py_work"))
		return;
	struct batch *b = support_compute_batch(2, 1);
	pw_run("py-threads", b, 2, "bogus", NULL);
	for (size_t i = 0; i < b->n; i++)
		ck_assert_int_ne(b->results[i].kind, RESULT_OK);
	batch_free(b);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("py_work");
	TCase *tc = runner_tcase(s, "py_work", 120);
	tcase_add_loop_test(tc, each_kind_gives_the_sequential_results, 0,
			    (int)(sizeof(pw_kinds) / sizeof(pw_kinds[0])));
	tcase_add_test(tc, py_threads_reports_its_interpreter);
	tcase_add_test(tc, an_unknown_kind_gives_no_result);
	return s;
}
