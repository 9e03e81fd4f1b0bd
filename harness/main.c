// SPDX-License-Identifier: MIT
/*
 * main.c - the `concur` program: one front door for every command.
 *
 *     concur run      the comparison: models x workloads x C, verified
 *     concur serve    the embedded HTTP test server
 *     concur models   the models and what each teaches
 *     concur plot     the pictures of a result set
 *     concur compare  two result sets (or two bench files) side by side
 *     concur report   one result set on one HTML page
 *     concur class    many machines' result sets on one HTML page
 *     concur bench    fixed benchmark cases (make bench)
 *     concur lesson   the lessons, step by step
 *     concur grade    check and grade one model (make check-model)
 *
 * Exit status: 0 done, 1 the run found a problem, 2 bad usage.
 */
#include <stdio.h>
#include <string.h>

#include "common/fetch.h"
#include "harness/bench/bench.h"
#include "harness/base/cli.h"
#include "harness/cli/run_cmd.h"
#include "harness/external/external.h"
#include "harness/grade/grade.h"
#include "harness/lessons/lesson.h"
#include "harness/report/class.h"
#include "harness/report/compare.h"
#include "harness/report/plot.h"
#include "harness/report/report.h"
#include "harness/server/serve.h"
#include "models/model.h"

struct command {
	const char *name;
	const char *summary;
	int (*main)(int argc, char **argv);
};

static int models_main(int argc, char **argv);

static const struct command commands[] = {
	{"run", "run the comparison: models x workloads x workers", run_main},
	{"serve", "the embedded HTTP test server", server_main},
	{"models", "list the models and what each teaches", models_main},
	{"plot", "draw the plots of a result set", plot_main},
	{"compare", "two result sets (or bench files) side by side",
	 compare_main},
	{"report", "one result set on one HTML page", report_main},
	{"class", "many machines' result sets on one HTML page", class_main},
	{"bench", "fixed benchmark cases (make bench)", bench_main},
	{"lesson", "the lessons, step by step", lesson_main},
	{"grade", "check and grade one model (make check-model)", grade_main},
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out, "usage: concur COMMAND [options]   (concur COMMAND --help "
		     "for its options)\n\n"
		     "Runs the same work under different concurrency models "
		     "and measures them side by side.\n\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out, "\n  --help     this text\n  --version  the version\n");
}

static int models_main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		printf("usage: concur models\nLists every model: name, "
		       "flags, one-line summary.\n");
		return 0;
	}
	if (argc > 1) {
		cli_error("models: unexpected argument '%s'", argv[1]);
		return EXIT_USAGE;
	}
	size_t n;
	const struct model *const *all = model_list(&n);
	for (size_t i = 0; i < n; i++) {
		char why[512] = "";
		int missing =
			(all[i]->flags & MODEL_EXTERNAL) &&
			!external_available(all[i], NULL, why, sizeof(why));
		printf("  %-14s %s%s", all[i]->name, all[i]->summary,
		       all[i]->flags & MODEL_EXERCISE ? " [exercise]" : "");
		if (missing)
			printf(" [unavailable: %s]", why);
		printf("\n");
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("concur %s\n", CONCUR_VERSION);
		return 0;
	}
	for (size_t i = 0; i < N_COMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		if (fetch_global_init() != 0) {
			cli_error("cannot initialise libcurl");
			return 1;
		}
		int rc = commands[i].main(argc - 1, argv + 1);
		curl_global_cleanup();
		return rc;
	}
	cli_error("unknown command '%s' (see concur --help)", argv[1]);
	return EXIT_USAGE;
}
