// SPDX-License-Identifier: MIT
/*
 * test_mpi.c - the MPI models (mpi, mpi-static) give the sequential
 * reference's results on one machine through mpirun; --skew keeps the
 * totals and is seeded; the options that reach beyond one machine refuse
 * bad values, and hosts that cannot be resolved, with one line and exit 2;
 * a run on this machine alone gives mpirun no transport that listens on
 * every interface; without Open MPI the models say
 * what to install.
 *
 * Without Open MPI (no mpirun, or concur-mpi not built) the MPI tests
 * pass with a note, except under CI=true, where it is a failure.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/external/dispatch.h"
#include "harness/external/external.h"
#include "harness/external/mpi.h"
#include "harness/run/workload.h"
#include "models/model.h"
#include "tests/support/csv.h"
#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* ---- Helpers ------------------------------------------------------------ */

/* Can model `name` run here? Fails the test under CI=true. */
static int have_mpi(const char *name)
{
	char why[512];
	if (external_available(model_find(name), NULL, why, sizeof(why)))
		return 1;
	const char *ci = getenv("CI");
	ck_assert_msg(!(ci && strcmp(ci, "true") == 0),
		      "CI needs the MPI models: %s", why);
	fprintf(stderr, "test_mpi: MPI tests skipped: %s\n", why);
	return 0;
}

static void set_url(struct batch *b, size_t i, const char *path)
{
	char url[512];
	snprintf(url, sizeof(url), "%s%s",
		 strncmp(path, "http", 4) ? support_server_url : "", path);
	ck_assert_int_eq(batch_set_url(b, i, url), 0);
}

/* Every kind of task: compute, fetches that end ok, 404, refused, and
 * mixed (a failed fetch skips its compute). */
static void build_task(struct batch *b, size_t i)
{
	static const char *const paths[] = {
		"/delay/10?bytes=300", "/status/404",
		"http://127.0.0.1:1/refused", "/bytes/70000"};
	struct task *t = &b->tasks[i];
	t->seed = i;
	t->work = (uint32_t)(i % 3);
	t->type = (enum task_type)(i % 3);
	if (t->type != TASK_COMPUTE)
		set_url(b, i, paths[(i / 3) % 4]);
}

/* Runs model `name` at C = workers on n tasks and checks every result
 * against the reference. */
static void check_model(const char *name, int workers, size_t n)
{
	struct batch *b = batch_new(n);
	ck_assert_ptr_nonnull(b);
	for (size_t i = 0; i < n; i++)
		build_task(b, i);
	struct run_opts o = run_opts_default();
	struct run_stats stats = {0};
	o.workers = workers;
	o.fetch.timeout_ms = 3000;
	o.stats = &stats;
	b->t0 = clock_now();
	ck_assert_int_eq(model_run(model_find(name), b, &o, NULL), 0);
	struct verify_report rep;
	support_verify(b, 3000, &rep);
	ck_assert_msg(rep.wrong == 0 && rep.crashed == 0,
		      "%s C=%d N=%zu: %zu wrong, %zu crashed; %s", name,
		      workers, n, rep.wrong, rep.crashed,
		      rep.n_lines ? rep.lines[0] : "");
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(b->results[i].worker >= 0 &&
				      b->results[i].worker < workers,
			      "%s: task %zu ran on worker %d of %d", name, i,
			      b->results[i].worker, workers);
	/* C ranks did work (never more than the tasks), and the launch is
	 * counted: the wall time holds the program's own run time. */
	int want = n == 0 ? 1 : (n < (size_t)workers ? (int)n : workers);
	ck_assert_int_eq(stats.workers_started, want);
	ck_assert(stats.program_run_s >= stats.startup_s);
	batch_free(b);
}

/* ---- The models --------------------------------------------------------- */

START_TEST(mpi_farm_matches_reference)
{
	if (have_mpi("mpi")) {
		check_model("mpi", 3, 14);
		check_model("mpi", 4, 2); /* C > N */
		check_model("mpi", 2, 0); /* N = 0 */
	}
}
END_TEST

START_TEST(mpi_static_matches_reference)
{
	if (have_mpi("mpi-static")) {
		check_model("mpi-static", 3, 14);
		check_model("mpi-static", 1, 5);
		check_model("mpi-static", 4, 0);
	}
}
END_TEST

/* Without mpirun on PATH, the models are unavailable and say what to
 * install; a run of them leaves every task not_run. */
START_TEST(without_open_mpi_the_models_say_what_to_install)
{
	setenv("PATH", "/nonexistent", 1); /* this test's own process */
	char why[512];
	struct run_opts o = run_opts_default();
	const struct model *m = model_find("mpi");
	ck_assert_int_eq(external_available(m, NULL, why, sizeof(why)), 0);
	ck_assert_msg(strstr(why, "apt-get install openmpi-bin"), "%s", why);
	struct batch *b = batch_new(2);
	b->tasks[0].type = b->tasks[1].type = TASK_COMPUTE;
	batch_reset_results(b);
	ck_assert_int_eq(model_run(m, b, &o, NULL), -1);
	ck_assert_int_eq(b->results[1].kind, RESULT_NOT_RUN);
	batch_free(b);
}
END_TEST

/* ---- --skew ------------------------------------------------------------- */

START_TEST(skew_keeps_the_total_and_is_uneven)
{
	long cost[40];
	workload_skew(40, 1, 800L, cost);
	long sum = 0, max = 0;
	for (int i = 0; i < 40; i++) {
		ck_assert_int_ge(cost[i], 0);
		sum += cost[i];
		max = cost[i] > max ? cost[i] : max;
	}
	ck_assert_int_eq(sum, 800);
	ck_assert_msg(max >= 60L, "the heaviest task is %ld units", max);
}
END_TEST

START_TEST(skew_is_seeded)
{
	long a[16], b[16], c[16];
	workload_skew(16, 7, 160, a);
	workload_skew(16, 7, 160, b);
	workload_skew(16, 8, 160, c);
	ck_assert_mem_eq(a, b, sizeof(a));
	ck_assert(memcmp(a, c, sizeof(a)) != 0);
}
END_TEST

/* No C finishes before the heaviest task does: under --skew the ideal is
 * max(total / C, heaviest), here (C = N) the heaviest alone. */
START_TEST(skew_ideal_is_never_below_the_heaviest_task)
{
	char dir[256], args[512], out[8192], path[600];
	files_tmp_dir(dir, sizeof(dir), "skew-ideal");
	snprintf(args, sizeof(args),
		 "run --models threads --workloads fetch --tasks 8 --workers 8 "
		 "--delay 100 --skew --repeat 1 --no-plot --quiet --out %s",
		 dir);
	ck_assert_int_eq(support_concur(args, out, sizeof(out), NULL, 0), 0);
	const char *at = strstr(out, "results: ");
	ck_assert_ptr_nonnull(at);
	snprintf(path, sizeof(path), "%.*ssummary.csv",
		 (int)strcspn(at + 9, " "), at + 9);
	struct csv c;
	ck_assert_int_eq(csv_load(path, &c), 0);
	long row = csv_find(&c, 0, "fetch", "threads", 8);
	ck_assert_int_ge(row, 0);
	long cost[8], most = 0;
	workload_skew(8, 1, 800, cost);
	for (int i = 0; i < 8; i++)
		most = cost[i] > most ? cost[i] : most;
	double ideal = csv_num(&c, (size_t)row, "ideal_s");
	ck_assert_msg(fabs(ideal - (double)most / 1e3) < 0.002,
		      "ideal %.4f s, heaviest task %ld ms", ideal, most);
	csv_free(&c);
	files_rm_dir(dir);
}
END_TEST

/* ---- What mpirun is given ------------------------------------------------ */

/* Where "--mca btl VALUE" is in argv: VALUE, or NULL; fails on two. */
static const char *btl_of(char *const argv[])
{
	const char *found = NULL;
	for (size_t k = 0; argv[k]; k++)
		if (strcmp(argv[k], "--mca") == 0 && argv[k + 1] &&
		    strcmp(argv[k + 1], "btl") == 0) {
			ck_assert_msg(!found, "btl given twice");
			found = argv[k + 2];
		}
	return found;
}

/* A local run uses shared memory only: Open MPI's TCP transport would
 * listen on every interface (0.0.0.0, ::) in every rank. A run across
 * --hosts keeps TCP; OMPI_MCA_btl, the user's choice, is left alone; the
 * ping-pong over TCP gets TCP, once. */
START_TEST(a_local_run_listens_on_no_interface)
{
	if (!have_mpi("mpi"))
		return;
	const struct model *m = model_find("mpi");
	struct external_opts x = {0};
	struct mpi_launch l;
	char why[256];
	unsetenv("OMPI_MCA_btl");
	ck_assert_int_eq(mpi_launch_argv(m, 2, &x, 4, &l, why, sizeof(why)), 0);
	ck_assert_str_eq(btl_of(l.argv), MPI_LOCAL_BTL);
	ck_assert_ptr_null(strstr(MPI_LOCAL_BTL, "tcp"));
	mpi_launch_release(&l);

	x.hosts = "localhost:2";
	ck_assert_int_eq(mpi_launch_argv(m, 2, &x, 4, &l, why, sizeof(why)), 0);
	ck_assert_ptr_null(btl_of(l.argv));

	x.hosts = NULL;
	setenv("OMPI_MCA_btl", "self,tcp", 1);
	ck_assert_int_eq(mpi_launch_argv(m, 2, &x, 4, &l, why, sizeof(why)), 0);
	ck_assert_ptr_null(btl_of(l.argv));
	mpi_launch_release(&l);
	unsetenv("OMPI_MCA_btl");

	ck_assert_int_eq(mpi_latency_argv("self,tcp", &l, why, sizeof(why)), 0);
	ck_assert_str_eq(btl_of(l.argv), "self,tcp");
	size_t k = 0;
	while (l.argv[k + 1])
		k++;
	ck_assert_str_eq(l.argv[k], "--latency");
	ck_assert_str_eq(l.argv[k - 1], l.program);
	mpi_launch_release(&l);
}
END_TEST

/* ---- The command line --------------------------------------------------- */

START_TEST(bad_cluster_options_exit_2_with_one_line)
{
	static const char *const bad[] = {
		"run --hosts 'a:x'",
		"run --hosts 'a:0,b'",
		"run --hosts ''",
		"run --hosts a --hostfile /etc/hostname",
		"run --hostfile /nonexistent/hosts",
		"run --listen nowhere",
		"run --listen 127.0.0.1 --server http://127.0.0.1:1",
		"run --skew=-1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[1024];
		int rc = support_concur(bad[i], NULL, 0, err, sizeof(err));
		ck_assert_msg(rc == 2, "'%s' exited %d", bad[i], rc);
		ck_assert_msg(support_lines(err) == 1, "'%s' said: %s", bad[i],
			      err);
	}
}
END_TEST

/* Writes text to dir/name; "--hostfile PATH" into opt. */
static void write_hostfile(const char *dir, const char *name, const char *text,
			   char *opt, size_t len)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	snprintf(opt, len, "--hostfile '%s'", path);
}

/* `concur run` of two sequential tasks with opt, into dir/out. */
static int run_with(const char *dir, const char *opt, char *err, size_t len)
{
	char args[1024];
	snprintf(args, sizeof(args),
		 "run --models sequential --workloads compute --tasks 2 "
		 "--repeat 1 --quiet --no-plot %s --out '%s/out'",
		 opt, dir);
	return support_concur(args, NULL, 0, err, len);
}

/* A host that cannot be resolved is refused with one line naming it, exit
 * 2, before any run starts (no result set is made); addresses, names in
 * /etc/hosts and hostfile comments keep working. (".invalid" never
 * resolves anywhere: RFC 6761.) */
START_TEST(unresolvable_hosts_exit_2_naming_the_host)
{
	char dir[64], good[160], bad_file[160], err[1024], out_dir[128];
	files_tmp_dir(dir, sizeof(dir), "mpi-hosts");
	snprintf(out_dir, sizeof(out_dir), "%s/out", dir);
	write_hostfile(dir, "good",
		       "# nodes\n\nlocalhost slots=2\n"
		       "  root@127.0.0.1 slots=1 # this one\n",
		       good, sizeof(good));
	write_hostfile(dir, "bad",
		       "localhost slots=1\nnode9.concur.invalid slots=2\n",
		       bad_file, sizeof(bad_file));
	const char *const bad[][2] = {
		{"--hosts nosuchhost.invalid:2", "'nosuchhost.invalid'"},
		{"--hosts localhost:1,concur-nowhere.invalid:2",
		 "'concur-nowhere.invalid'"},
		{bad_file, "'node9.concur.invalid'"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = run_with(dir, bad[i][0], err, sizeof(err));
		ck_assert_msg(rc == 2, "'%s' exited %d: %s", bad[i][0], rc,
			      err);
		ck_assert_msg(support_lines(err) == 1 &&
				      strstr(err, "cannot resolve host") &&
				      strstr(err, bad[i][1]),
			      "'%s' said: %s", bad[i][0], err);
		ck_assert_msg(access(out_dir, F_OK) != 0, "'%s' started a run",
			      bad[i][0]);
	}
	const char *const fine[] = {"--hosts localhost:1,127.0.0.1:2",
				    "--hosts 198.18.0.12:2,198.18.0.13:2",
				    good};
	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
		int rc = run_with(dir, fine[i], err, sizeof(err));
		ck_assert_msg(rc == 0, "'%s' exited %d: %s", fine[i], rc, err);
	}
	files_rm_dir(dir);
}
END_TEST

/* concur run: both models, skewed compute, verified (exit 0), on the
 * loopback server given by --listen. */
START_TEST(run_with_skew_verifies)
{
	if (!have_mpi("mpi"))
		return;
	char out[8192], err[4096];
	int rc = support_concur(
		"run --models mpi,mpi-static --workloads compute,fetch "
		"--workers 2 --tasks 10 --work 3 --delay 20 --skew=3 "
		"--listen 127.0.0.1 --repeat 1 --no-plot --quiet "
		"--out \"${TMPDIR:-/tmp}/concur-test-mpi\"",
		out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 0, "exit %d: %s%s", rc, out, err);
	ck_assert_msg(strstr(out, "mpi-static"), "%s", out);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("mpi");
	TCase *models = runner_tcase(s, "models", 180);
	tcase_add_test(models, mpi_farm_matches_reference);
	tcase_add_test(models, mpi_static_matches_reference);
	tcase_add_test(models, without_open_mpi_the_models_say_what_to_install);
	tcase_add_test(models, run_with_skew_verifies);
	TCase *opts = runner_tcase(s, "options", 60);
	tcase_add_test(opts, skew_keeps_the_total_and_is_uneven);
	tcase_add_test(opts, skew_is_seeded);
	tcase_add_test(opts, skew_ideal_is_never_below_the_heaviest_task);
	tcase_add_test(opts, bad_cluster_options_exit_2_with_one_line);
	tcase_add_test(opts, unresolvable_hosts_exit_2_naming_the_host);
	tcase_add_test(opts, a_local_run_listens_on_no_interface);
	return s;
}
