// SPDX-License-Identifier: MIT
/*
 * bench.c - `concur bench`: runs the cases in the table below against the
 * embedded server and writes results/bench-latest.csv (replaced whole). A case
 * measures; it fails only when results are wrong. Each row records the
 * machine (machine.h); the file it replaces is read first, kept as
 * results/bench-previous.csv and, when it is from the same machine,
 * compared with the new one: a warning for each ratio 15% or more worse.
 */
#include "harness/bench/bench.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/bench/rows.h"
#include "harness/bench/coro.h"
#include "harness/bench/machine.h"
#include "harness/bench/gil.h"
#include "harness/bench/loop.h"
#include "harness/bench/models.h"
#include "harness/bench/python.h"
#include "harness/bench/memory.h"
#include "harness/bench/mpi.h"
#include "harness/bench/dask.h"
#include "harness/bench/server.h"
#include "harness/bench/shared.h"
#include "harness/bench/uring.h"
#include "harness/base/cli.h"
#include "harness/base/file_replace.h"
#include "harness/base/term.h"
#include "harness/report/bench_compare.h"
#include "harness/report/set_file.h"
#include "harness/server/serve.h"

/* Every case, in the order they run. */
static const struct bench_case *const bench_cases[] = {
	&bench_case_io,
	&bench_case_cpu,
	&bench_case_spawn,
	&bench_case_c10k,
	&bench_case_c10k_uring,
	&bench_case_c10k_coroutines,
	&bench_case_coro_switch,
	&bench_case_coro_memory,
	&bench_case_throughput,
	&bench_case_gil_cpu,
	&bench_case_gil_io,
	&bench_case_mixed,
	&bench_case_server,
	&bench_case_python_io,
	&bench_case_python_cpu,
	&bench_case_python_throughput,
	&bench_case_mpi_io,
	&bench_case_mpi_cpu,
	&bench_case_mpi_latency,
	&bench_case_skew,
	&bench_case_dask_io,
	&bench_case_dask_cpu,
	&bench_case_task_overhead,
	&bench_case_dask_start,
	&bench_case_memory,
	&bench_case_lock_cost,
	&bench_case_false_sharing,
};

#define N_CASES (sizeof(bench_cases) / sizeof(bench_cases[0]))

static int bench_write_csv(const struct bench_ctx *ctx,
			   const struct bench_machine *m, const char *path)
{
	struct file_replace out = {0};
	mkdir("results", 0755);
	if (file_replace_open(&out, path) != 0)
		return -1;
	fprintf(out.f, "%s\n", BENCH_FILE_HEADER);
	for (size_t i = 0; i < ctx->n_rows; i++) {
		const struct bench_row *r = &ctx->rows[i];
		fprintf(out.f, "%s,%s,%d,%.6g,", r->case_name, r->model,
			r->workers, r->measured);
		if (!isnan(r->reference))
			fprintf(out.f, "%.6g", r->reference);
		fputc(',', out.f);
		if (!isnan(r->ratio))
			fprintf(out.f, "%.4f", r->ratio);
		fprintf(out.f, ",%s,%s,%s", r->target, bench_met_word(r),
			r->unit);
		bench_file_put_machine(out.f, m);
		fprintf(out.f, ",%s,", ctx->quick ? "quick" : "full");
		if (!isnan(ctx->load))
			fprintf(out.f, "%.2f", ctx->load);
		fputc('\n', out.f);
	}
	return file_replace_commit(&out);
}

/* ---- the run before this one ---- */

/* The file --out replaces, as it was before this run. */
struct bench_previous {
	char *text; /* its bytes; NULL: none, or refused */
	size_t n;
	struct bench_file file; /* parsed */
};

/* Reads the file out is about to replace, if there is one; one that is
 * refused is said in one line, neither compared nor kept. */
static void bench_previous_read(const char *out, struct bench_previous *prev)
{
	char why[256];
	struct stat st;
	memset(prev, 0, sizeof(*prev));
	if (lstat(out, &st) != 0)
		return; /* the first bench here */
	prev->text = set_file_read(out, BENCH_FILE_MAX_BYTES, &prev->n, why,
				   sizeof(why));
	if (prev->text && bench_file_parse(prev->text, prev->n, &prev->file,
					   why, sizeof(why)) != 0) {
		free(prev->text);
		prev->text = NULL;
	}
	if (!prev->text)
		term_line(stdout,
			  "previous bench %s not read (not compared, not "
			  "kept): %s",
			  out, why);
}

/* Where the run before is kept: bench-latest.csv's neighbour
 * bench-previous.csv; X-previous.csv for another --out X.csv. */
static void bench_previous_path(const char *out, char *path, size_t len)
{
	static const char latest[] = "bench-latest.csv";
	size_t n = strlen(out), t = strlen(latest);
	if (n >= t && strcmp(out + n - t, latest) == 0 &&
	    (n == t || out[n - t - 1] == '/'))
		snprintf(path, len, "%.*sbench-previous.csv", (int)(n - t),
			 out);
	else if (n > 4 && strcmp(out + n - 4, ".csv") == 0)
		snprintf(path, len, "%.*s-previous.csv", (int)(n - 4), out);
	else
		snprintf(path, len, "%s-previous", out);
}

static void bench_previous_keep(const struct bench_previous *prev,
				const char *out)
{
	char path[4200];
	struct file_replace r = {0};
	bench_previous_path(out, path, sizeof(path));
	if (file_replace_open(&r, path) == 0) {
		fwrite(prev->text, 1, prev->n, r.f);
		if (file_replace_commit(&r) == 0) {
			term_line(stdout, "previous bench kept as %s", path);
			return;
		}
	}
	cli_error("bench: cannot keep the previous bench as %s", path);
}

/* The new file (read back as any bench file is) against the previous. */
static void bench_previous_compare(const struct bench_previous *prev,
				   const char *out)
{
	struct bench_file now;
	char why[256];
	if (bench_file_load(out, &now, why, sizeof(why)) != 0) {
		cli_error("bench: %s cannot be read back: %s", out, why);
		return;
	}
	bench_compare_previous(stdout, &prev->file, &now);
	bench_file_free(&now);
}

/* ---- the machine ---- */

static void bench_machine_print(const struct bench_machine *m)
{
	term_line(stdout,
		  "machine: %s; kernel %s; %d cores; mitigations %s #%s",
		  m->cpu_model, m->kernel, m->cores, m->mitigations,
		  m->mitigations_hash);
}

/* The mitigations' full text beside out (its folder). */
static void bench_machine_keep(const struct bench_machine *m, const char *full,
			       const char *out)
{
	char dir[4096], path[4400];
	const char *slash = strrchr(out, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s",
			 slash == out ? 1 : (int)(slash - out), out);
	if (bench_machine_save(dir, m, full, path, sizeof(path)) != 0)
		cli_error("bench: cannot write %s", path);
	else if (path[0])
		term_line(stdout, "mitigations in full: %s", path);
}

static void bench_usage(void)
{
	printf("usage: concur bench [--cases LIST] [--repeat R] [--quick] "
	       "[--out FILE]\n"
	       "Runs fixed benchmark cases, each a ratio to an ideal or to a\n"
	       "peer measured in the same run, and writes "
	       "results/bench-latest.csv,\neach row with the machine it ran "
	       "on. The file it replaces is kept as\n"
	       "results/bench-previous.csv and, when from the same machine, "
	       "compared:\na warning for each ratio %.0f%% or more worse "
	       "(concur compare A.csv B.csv\nshows two in full).\nCases:\n",
	       BENCH_CHANGE_PCT);
	for (size_t i = 0; i < N_CASES; i++)
		printf("  %-18s %s\n", bench_cases[i]->name,
		       bench_cases[i]->summary);
}

/* Is case `name` in the comma list `cases` (NULL: all)? */
static int bench_selected(const char *cases, const char *name)
{
	if (!cases)
		return 1;
	size_t len = strlen(name);
	for (const char *p = cases; p; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (strncmp(p, name, len) == 0 &&
		    (p[len] == ',' || p[len] == '\0'))
			return 1;
	}
	return 0;
}

static int bench_check_cases(const char *cases)
{
	char copy[512];
	const char *items[64];
	size_t n;
	if (!cases)
		return 0;
	if (cli_split("--cases", cases, copy, sizeof(copy), items, 64, &n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < N_CASES &&
		       strcmp(bench_cases[k]->name, items[i]) != 0)
			k++;
		if (k == N_CASES) {
			cli_error("--cases: unknown case '%s' (see concur "
				  "bench --help)",
				  items[i]);
			return -1;
		}
	}
	return 0;
}

static int bench_parse(int argc, char **argv, struct bench_ctx *ctx,
		       const char **cases, const char **out)
{
	static const struct option opts[] = {
		{"cases", required_argument, 0, 'c'},
		{"repeat", required_argument, 0, 'r'},
		{"quick", no_argument, 0, 'q'},
		{"out", required_argument, 0, 'o'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	long v;
	int opt;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			*cases = optarg;
			break;
		case 'r':
			if (cli_long("--repeat", optarg, 3, 100, &v) != 0)
				return -1;
			ctx->repeat = (int)v;
			break;
		case 'q':
			ctx->quick = 1;
			break;
		case 'o':
			*out = optarg;
			break;
		case 'h':
			bench_usage();
			return 1;
		default:
			cli_error("bench: bad option '%s' (see concur bench "
				  "--help)",
				  argv[optind - 1]);
			return -1;
		}
	}
	return bench_check_cases(*cases);
}

/* The end of a run: the rows written, the run before kept and compared. */
static void bench_finish(const struct bench_ctx *ctx,
			 const struct bench_machine *m, const char *full,
			 struct bench_previous *prev, const char *out)
{
	if (bench_write_csv(ctx, m, out) != 0) {
		cli_error("bench: cannot write %s", out);
		return;
	}
	printf("\nwritten: %s\n", out);
	bench_machine_keep(m, full, out);
	if (!prev->text)
		return;
	bench_previous_keep(prev, out);
	bench_previous_compare(prev, out);
}

int bench_main(int argc, char **argv)
{
	struct bench_ctx ctx = {.repeat = 3};
	struct bench_machine machine;
	struct bench_previous prev;
	const char *cases = NULL, *out = "results/bench-latest.csv";
	int rc = bench_parse(argc, argv, &ctx, &cases, &out);
	if (rc != 0)
		return rc > 0 ? 0 : EXIT_USAGE;
	if (file_replace_check_out("bench", out) != 0)
		return EXIT_USAGE; /* a folder or a FIFO: said before the run */
	char *full = malloc(BENCH_MACHINE_FULL_MAX);
	if (!full) {
		cli_error("bench: out of memory");
		return 1;
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	ctx.cores = cores > 0 ? (int)cores : 1;
	bench_machine_read("", &machine, full);
	ctx.load = bench_machine_load("");
	bench_machine_print(&machine);
	bench_previous_read(out, &prev);
	struct server_opts so = server_opts_default();
	so.quiet = 1;
	char url[256];
	pid_t server = 0;
	if (server_spawn(&so, &server, url, sizeof(url)) != 0) {
		cli_error("bench: the embedded server did not start");
		rc = 1;
		goto out;
	}
	ctx.server_url = url;
	ctx.server_pid = (int)server;
	printf("  %-21s %-17s %6s %12s %12s %8s %-10s %-4s %s\n", "case",
	       "model", "C", "measured", "reference", "ratio", "target", "met",
	       "unit");
	for (size_t i = 0; i < N_CASES; i++)
		if (bench_selected(cases, bench_cases[i]->name) &&
		    bench_cases[i]->run(&ctx) != 0)
			ctx.wrong = 1;
	server_stop(server);
	bench_finish(&ctx, &machine, full, &prev, out);
	rc = ctx.wrong ? 1 : 0;
out:
	free(ctx.rows);
	free(full);
	free(prev.text);
	bench_file_free(&prev.file);
	return rc;
}
