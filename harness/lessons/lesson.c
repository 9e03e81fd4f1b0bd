// SPDX-License-Identifier: MIT
/*
 * lesson.c - `concur lesson [N]`: the lessons, step by step.
 *
 *     concur lesson                     the list, one question each
 *     concur lesson 2                   lesson 2: predict, run, explain
 *     concur lesson 2 --predict 0.3     the prediction on the command line
 *     echo 0.3 | concur lesson 2        the prediction read from a pipe
 *     concur lesson 2 --no-pause        no question asked (tests, scripts)
 *     concur lesson 2 --quick --out DIR a shorter experiment, saved in DIR
 *     concur lesson 5 --repeat 5        more runs per case from the start
 *
 * The runner states the question, takes the student's prediction (from
 * the terminal, or a pipe read line by line: answer.c), lets the lesson
 * run, judge (judge.c) and explain its experiment, then puts the
 * prediction next to what happened and saves both as lesson.json in the
 * result set. The lessons themselves are in io.c, wait.c, cpu.c, mixed.c,
 * cost.c, race.c, locks.c, amdahl.c, beyond.c, pythreads.c and scheduler.c.
 */
#include "harness/lessons/lesson.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/base/cli.h"
#include "harness/lessons/amdahl.h"
#include "harness/lessons/answer.h"
#include "harness/lessons/async.h"
#include "harness/lessons/beyond.h"
#include "harness/lessons/cost.h"
#include "harness/lessons/cpu.h"
#include "harness/lessons/io.h"
#include "harness/lessons/judge.h"
#include "harness/lessons/kit.h"
#include "harness/lessons/locks.h"
#include "harness/lessons/mixed.h"
#include "harness/lessons/openloop.h"
#include "harness/lessons/pythreads.h"
#include "harness/lessons/race.h"
#include "harness/lessons/scheduler.h"
#include "harness/lessons/wait.h"

static const struct lesson *const lessons[] = {
	&lesson_waiting,       &lesson_threads_io, &lesson_processes_io,
	&lesson_event_loop,    &lesson_cpu_bound,  &lesson_gil,
	&lesson_mixed,	       &lesson_how_many,   &lesson_worker_price,
	&lesson_honest,	       &lesson_data_race,  &lesson_lock_price,
	&lesson_false_sharing, &lesson_deadlock,   &lesson_amdahl,
	&lesson_open_loop,     &lesson_beyond,	   &lesson_python_threads,
	&lesson_async,	       &lesson_scheduler,
};

#define N_LESSONS ((int)(sizeof(lessons) / sizeof(lessons[0])))

/* What the command line asked for. */
struct lesson_args {
	const char *which; /* "3", or NULL for the list */
	bool has_prediction;
	double prediction;
	bool no_pause, quick;
	long repeat; /* --repeat, or 0 */
	const char *out_dir;
};

static void lesson_list(FILE *out)
{
	fprintf(out, "The lessons (run one with `concur lesson N`):\n");
	for (int i = 0; i < N_LESSONS; i++)
		fprintf(out, "  %2d  %-26s %s\n", i + 1, lessons[i]->title,
			lessons[i]->question);
}

static void lesson_usage(void)
{
	printf("usage: concur lesson [N] [--predict VALUE] [--no-pause] "
	       "[--quick] [--repeat R] [--out DIR]\n"
	       "Without N: the list of lessons. With N: states the question, "
	       "asks for a\nprediction, runs a small experiment on this "
	       "machine and explains it.\n"
	       "  --predict VALUE  your prediction (a number), instead of "
	       "being asked\n"
	       "                   (a pipe works too: echo 0.3 | concur "
	       "lesson 2)\n"
	       "  --no-pause       do not ask or read a prediction\n"
	       "  --quick          a shorter experiment (for tests)\n"
	       "  --repeat R       runs per case (default 3, 2 with --quick); "
	       "a noisy\n"
	       "                   run is repeated with more, within a "
	       "bounded time\n"
	       "  --out DIR        where the result set goes (default "
	       "results)\n\n");
	lesson_list(stdout);
}

/* Parses argv; 0, 1 after --help, or -1 after one line (exit 2). */
static int lesson_parse(int argc, char **argv, struct lesson_args *a)
{
	memset(a, 0, sizeof(*a));
	a->out_dir = "results";
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		bool has_value = i + 1 < argc;
		if (strcmp(arg, "--help") == 0) {
			lesson_usage();
			return 1;
		} else if (strcmp(arg, "--no-pause") == 0) {
			a->no_pause = true;
		} else if (strcmp(arg, "--quick") == 0) {
			a->quick = true;
		} else if (strcmp(arg, "--predict") == 0 && has_value) {
			if (cli_double("--predict", argv[++i], -1e12, 1e12, 0,
				       &a->prediction) != 0)
				return -1;
			a->has_prediction = true;
		} else if (strcmp(arg, "--repeat") == 0 && has_value) {
			if (cli_long("--repeat", argv[++i], 1, 50,
				     &a->repeat) != 0)
				return -1;
		} else if (strcmp(arg, "--out") == 0 && has_value) {
			a->out_dir = argv[++i];
		} else if (strcmp(arg, "--predict") == 0 ||
			   strcmp(arg, "--repeat") == 0 ||
			   strcmp(arg, "--out") == 0) {
			cli_error("lesson: option '%s' needs a value", arg);
			return -1;
		} else if (arg[0] == '-' && !isdigit((unsigned char)arg[1])) {
			cli_error("lesson: unknown option '%s' (see concur "
				  "lesson --help)",
				  arg);
			return -1;
		} else if (a->which) {
			cli_error("lesson: one lesson at a time ('%s' and "
				  "'%s')",
				  a->which, arg);
			return -1;
		} else {
			a->which = arg;
		}
	}
	return 0;
}

/* Lesson number from text, or 0. A word of three letters or more names
 * the lesson whose title starts with it ("beyond"), so a tutorial can
 * name a lesson that the table may renumber. */
static int lesson_number(const char *text)
{
	char *end;
	errno = 0;
	long n = strtol(text, &end, 10);
	if (strlen(text) >= 3 && isalpha((unsigned char)text[0]))
		for (int i = 0; i < N_LESSONS; i++)
			if (strncasecmp(lessons[i]->title, text,
					strlen(text)) == 0)
				return i + 1;
	if (text[0] == '\0' || *end != '\0' || errno || n < 1 || n > N_LESSONS)
		return 0;
	return (int)n;
}

static void lesson_ctx_init(struct lesson_ctx *ctx, const struct lesson *l,
			    const struct lesson_args *a, int n)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->number = n;
	ctx->lesson = l;
	ctx->quick = a->quick;
	ctx->repeat = (int)a->repeat;
	ctx->out_dir = a->out_dir;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	ctx->cores = cores > 0 ? (int)cores : 1;
	ctx->actual = NAN;
	ctx->judge.expected = NAN;
	ctx->started = clock_now();
	ctx->load_before = judge_load();
}

static int lesson_start(const struct lesson_args *a, int n, int argc,
			char **argv)
{
	const struct lesson *l = lessons[n - 1];
	struct lesson_ctx ctx;
	lesson_ctx_init(&ctx, l, a, n);
	ctx.cmdline = cli_join_args(argc, argv);
	l->plan(&ctx);
	if (ctx.repeat > 0)
		ctx.plan.repeat = ctx.repeat;
	printf("Lesson %d: %s\n  %s\n\n", n, l->title, l->question);
	lesson_say("Predict: %s", ctx.ask);
	struct answer answer = {.given = a->has_prediction,
				.predicted = a->prediction,
				.from = "command line"};
	if (answer.given)
		printf("  your prediction: %g %s\n", answer.predicted, l->unit);
	else
		answer_ask(l, a->no_pause, &answer);
	fflush(stdout);
	lesson_keep_values(&ctx);
	int rc = l->run(&ctx);
	lesson_keep_values(NULL);
	answer_grade(l, &ctx, &answer);
	if (answer_save(l, &ctx, &answer) != 0 && rc == 0)
		rc = 1;
	free(ctx.values);
	free(ctx.cmdline);
	return rc;
}

int lesson_main(int argc, char **argv)
{
	struct lesson_args a;
	int rc = lesson_parse(argc, argv, &a);
	if (rc != 0)
		return rc > 0 ? 0 : EXIT_USAGE;
	if (!a.which) {
		lesson_list(stdout);
		return 0;
	}
	int n = lesson_number(a.which);
	if (n == 0) {
		cli_error("lesson: '%s' is not a lesson; choose 1 to %d:",
			  a.which, N_LESSONS);
		lesson_list(stderr);
		return EXIT_USAGE;
	}
	return lesson_start(&a, n, argc, argv);
}
