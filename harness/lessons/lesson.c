// SPDX-License-Identifier: MIT
/*
 * lesson.c - `concur lesson [N]`: the lessons, step by step.
 *
 *     concur lesson                     the list, one question each
 *     concur lesson 2                   lesson 2: predict, run, explain
 *     concur lesson 2 --predict 0.3     the prediction on the command line
 *     concur lesson 2 --no-pause        no question asked (tests, scripts)
 *     concur lesson 2 --quick --out DIR a shorter experiment, saved in DIR
 *
 * The runner states the question, takes the student's prediction (it
 * waits only when standard input is a terminal), lets the lesson run and
 * explain its experiment, then puts the prediction next to what happened.
 * The lessons themselves are in io.c, wait.c, cpu.c, mixed.c, cost.c,
 * race.c, locks.c and amdahl.c.
 */
#include "harness/lessons/lesson.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/cli/cli.h"
#include "harness/lessons/amdahl.h"
#include "harness/lessons/cost.h"
#include "harness/lessons/cpu.h"
#include "harness/lessons/io.h"
#include "harness/lessons/kit.h"
#include "harness/lessons/locks.h"
#include "harness/lessons/mixed.h"
#include "harness/lessons/race.h"
#include "harness/lessons/wait.h"

static const struct lesson *const lessons[] = {
	&lesson_waiting,       &lesson_threads_io, &lesson_processes_io,
	&lesson_event_loop,    &lesson_cpu_bound,  &lesson_gil,
	&lesson_mixed,	       &lesson_how_many,   &lesson_worker_price,
	&lesson_honest,	       &lesson_data_race,  &lesson_lock_price,
	&lesson_false_sharing, &lesson_deadlock,   &lesson_amdahl,
};

#define N_LESSONS ((int)(sizeof(lessons) / sizeof(lessons[0])))

/* What the command line asked for. */
struct lesson_args {
	const char *which; /* "3", or NULL for the list */
	bool has_prediction;
	double prediction;
	bool no_pause, quick;
	const char *out_dir;
};

static void lesson_list(FILE *out)
{
	fprintf(out, "The lessons (run one with `concur lesson N`):\n");
	for (int i = 0; i < N_LESSONS; i++)
		fprintf(out, "  %2d  %-22s %s\n", i + 1, lessons[i]->title,
			lessons[i]->question);
}

static void lesson_usage(void)
{
	printf("usage: concur lesson [N] [--predict VALUE] [--no-pause] "
	       "[--quick] [--out DIR]\n"
	       "Without N: the list of lessons. With N: states the question, "
	       "asks for a\nprediction, runs a small experiment on this "
	       "machine and explains it.\n"
	       "  --predict VALUE  your prediction (a number), instead of "
	       "being asked\n"
	       "  --no-pause       do not ask (also when stdin is not a "
	       "terminal)\n"
	       "  --quick          a shorter experiment (for tests)\n"
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
		} else if (strcmp(arg, "--out") == 0 && has_value) {
			a->out_dir = argv[++i];
		} else if (strcmp(arg, "--predict") == 0 ||
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

/* Lesson number from text, or 0. */
static int lesson_number(const char *text)
{
	char *end;
	errno = 0;
	long n = strtol(text, &end, 10);
	if (text[0] == '\0' || *end != '\0' || errno || n < 1 || n > N_LESSONS)
		return 0;
	return (int)n;
}

/* Asks on the terminal; true with *out when the student answered. */
static bool lesson_ask(const struct lesson *l, double *out)
{
	char line[128];
	for (int tries = 0; tries < 3; tries++) {
		printf("  your prediction, in %s (Enter to skip): ", l->unit);
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return false;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\0')
			return false;
		char *end;
		double v = strtod(line, &end);
		while (*end == ' ')
			end++;
		if (end != line && *end == '\0' && isfinite(v)) {
			*out = v;
			return true;
		}
		printf("  '%s' is not a number; type one like 1.5\n", line);
	}
	return false;
}

/* The prediction next to what happened. */
static void lesson_compare(const struct lesson *l, const struct lesson_ctx *c,
			   double predicted)
{
	lesson_heading("Your prediction");
	if (isnan(c->actual)) {
		printf("  prediction: %g %s; the run did not measure it (the "
		       "part was skipped)\n",
		       predicted, l->unit);
		return;
	}
	double off = c->actual != 0 ? (predicted - c->actual) / c->actual : NAN;
	printf("  prediction: %g %s; the run: %.4g %s; off by %+.0f%%\n",
	       predicted, l->unit, c->actual, l->unit, off * 100);
	double factor =
		predicted > 0 && c->actual > 0
			? fmax(predicted / c->actual, c->actual / predicted)
			: INFINITY;
	if (factor <= 1.25)
		lesson_say("Close: within 25%%. Your model of the machine "
			   "held.");
	else if (factor <= 2)
		lesson_say("The right order of magnitude, off by less than "
			   "a factor of 2. Which part of the explanation "
			   "above did you not count on?");
	else
		lesson_say("Off by more than a factor of 2. Read the "
			   "explanation again and find the quantity you "
			   "guessed differently: that is this lesson.");
}

static int lesson_start(const struct lesson_args *a, int n, int argc,
			char **argv)
{
	const struct lesson *l = lessons[n - 1];
	struct lesson_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.number = n;
	ctx.quick = a->quick;
	ctx.out_dir = a->out_dir;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	ctx.cores = cores > 0 ? (int)cores : 1;
	ctx.actual = NAN;
	ctx.cmdline = cli_join_args(argc, argv);
	l->plan(&ctx);
	printf("Lesson %d: %s\n  %s\n\n", n, l->title, l->question);
	lesson_say("Predict: %s", ctx.ask);
	bool has = a->has_prediction;
	double predicted = a->prediction;
	if (has)
		printf("  your prediction: %g %s\n", predicted, l->unit);
	else if (!a->no_pause && isatty(STDIN_FILENO))
		has = lesson_ask(l, &predicted);
	else
		printf("  (no prediction asked: --no-pause or no terminal)\n");
	fflush(stdout);
	int rc = l->run(&ctx);
	if (has)
		lesson_compare(l, &ctx, predicted);
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
