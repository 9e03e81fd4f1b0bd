// SPDX-License-Identifier: MIT
/*
 * bench.c - `concur bench`: runs the cases in the table below against the
 * embedded server and writes results/bench-latest.csv (replaced whole). A case
 * measures; it fails only when results are wrong.
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
#include "harness/bench/gil.h"
#include "harness/bench/loop.h"
#include "harness/bench/models.h"
#include "harness/bench/python.h"
#include "harness/bench/memory.h"
#include "harness/bench/mpi.h"
#include "harness/bench/server.h"
#include "harness/bench/shared.h"
#include "harness/base/cli.h"
#include "harness/base/file_replace.h"
#include "harness/server/serve.h"

/* Every case, in the order they run. */
static const struct bench_case *const bench_cases[] = {
	&bench_case_io,
	&bench_case_cpu,
	&bench_case_spawn,
	&bench_case_c10k,
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
	&bench_case_memory,
	&bench_case_lock_cost,
	&bench_case_false_sharing,
};

#define N_CASES (sizeof(bench_cases) / sizeof(bench_cases[0]))

static int bench_write_csv(const struct bench_ctx *ctx, const char *path)
{
	struct file_replace out = {0};
	mkdir("results", 0755);
	if (file_replace_open(&out, path) != 0)
		return -1;
	fprintf(out.f, "case,model,workers,measured,reference,ratio,target,met,"
		       "unit\n");
	for (size_t i = 0; i < ctx->n_rows; i++) {
		const struct bench_row *r = &ctx->rows[i];
		fprintf(out.f, "%s,%s,%d,%.6g,", r->case_name, r->model,
			r->workers, r->measured);
		if (!isnan(r->reference))
			fprintf(out.f, "%.6g", r->reference);
		fputc(',', out.f);
		if (!isnan(r->ratio))
			fprintf(out.f, "%.4f", r->ratio);
		fprintf(out.f, ",%s,%s,%s\n", r->target, bench_met_word(r),
			r->unit);
	}
	return file_replace_commit(&out);
}

static void bench_usage(void)
{
	printf("usage: concur bench [--cases LIST] [--repeat R] [--quick] "
	       "[--out FILE]\n"
	       "Runs fixed benchmark cases, each a ratio to an ideal or to a\n"
	       "peer measured in the same run, and writes "
	       "results/bench-latest.csv.\nCases:\n");
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

int bench_main(int argc, char **argv)
{
	struct bench_ctx ctx = {.repeat = 3};
	const char *cases = NULL, *out = "results/bench-latest.csv";
	int rc = bench_parse(argc, argv, &ctx, &cases, &out);
	if (rc != 0)
		return rc > 0 ? 0 : EXIT_USAGE;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	ctx.cores = cores > 0 ? (int)cores : 1;
	struct server_opts so = server_opts_default();
	so.quiet = 1;
	char url[256];
	pid_t server = 0;
	if (server_spawn(&so, &server, url, sizeof(url)) != 0) {
		cli_error("bench: the embedded server did not start");
		return 1;
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
	if (bench_write_csv(&ctx, out) != 0)
		cli_error("bench: cannot write %s", out);
	else
		printf("\nwritten: %s\n", out);
	free(ctx.rows);
	return ctx.wrong ? 1 : 0;
}
