// SPDX-License-Identifier: MIT
/*
 * grade.c - `concur grade MODEL`: checks one model the way the test suite
 * does and says, when it fails, what the mistake most likely is.
 *
 * Order of work: run tests/test_conformance with CONCUR_MODELS=MODEL (its
 * TAP log says which scenario passed; its output, kept in conformance.log,
 * holds the first difference and any sanitizer report); turn each failure
 * into a hint; if everything passed, time the model against threads
 * (grade_report.c); write results.json.
 */
#include "harness/grade/grade.h"

#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/cli/cli.h"
#include "harness/grade/grade_report.h"
#include "harness/report/file_replace.h"
#include "harness/report/result_set.h"

struct grade_test *grade_add(struct grade *g, const char *name, double score,
			     double max_score, const char *output)
{
	struct grade_test *t = &g->tests[g->n_tests];
	if (g->n_tests < GRADE_MAX_TESTS - 1)
		g->n_tests++;
	snprintf(t->name, sizeof(t->name), "%.*s", (int)sizeof(t->name) - 1,
		 name);
	t->score = score;
	t->max_score = max_score;
	snprintf(t->output, sizeof(t->output), "%.*s",
		 (int)sizeof(t->output) - 1, output);
	return t;
}

/* Runs the conformance binary with env NAME=VALUE pairs (NULL-ended),
 * stdout and stderr into log. Returns its exit status, or -1. */
static int grade_exec(const char *bin, const char *const *env, const char *log)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(127);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		close(fd);
		for (size_t i = 0; env[i]; i += 2)
			setenv(env[i], env[i + 1], 1);
		execl(bin, bin, (char *)NULL);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Does the file at path contain needle? */
static bool grade_file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char line[1024];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

/* The scenario names, in the order their checks run. */
static size_t grade_scenarios(struct grade *g, char names[][128], size_t cap)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/scenarios.txt", g->dir);
	const char *env[] = {"CONCUR_LIST_SCENARIOS", "1", "CONCUR_MODELS",
			     g->model->name, NULL};
	if (grade_exec(g->conformance, env, path) != 0)
		return 0;
	FILE *f = fopen(path, "r");
	size_t n = 0;
	while (f && n < cap && fgets(names[n], 128, f)) {
		names[n][strcspn(names[n], "\n")] = '\0';
		n++;
	}
	if (f)
		fclose(f);
	unlink(path);
	return n;
}

/* One TAP line ("ok 3 - file:tcase:test: message") into a check. */
static void grade_tap_line(struct grade *g, const char *line, char names[][128],
			   size_t n_names)
{
	bool ok = strncmp(line, "ok ", 3) == 0;
	if (!ok && strncmp(line, "not ok ", 7) != 0)
		return;
	long number = strtol(line + (ok ? 3 : 7), NULL, 10);
	const char *msg = strstr(line, " - ");
	msg = msg ? msg + 3 : line;
	for (int colons = 0; colons < 3 && strchr(msg, ':'); colons++)
		msg = strchr(msg, ':') + 1;
	while (*msg == ' ')
		msg++;
	char name[160];
	if (number >= 1 && (size_t)number <= n_names)
		snprintf(name, sizeof(name), "conformance: %s",
			 names[number - 1]);
	else
		snprintf(name, sizeof(name), "conformance: check %ld", number);
	struct grade_test *t = grade_add(g, name, ok ? 1 : 0, 1, msg);
	t->output[strcspn(t->output, "\n")] = '\0';
	if (ok)
		return;
	g->failed = true;
	unsigned hint = hints_classify(msg);
	/* One worker cannot race with itself: a total wrong there is the
	 * sum, not the adding. */
	if (hint == HINT_LOST_UPDATES && strstr(name, "one worker"))
		hint = HINT_TALLY_SUM;
	g->hints |= hint;
}

static void grade_log_evidence(struct grade *g, const char *log);

/* Runs the suite against the model and adds one check per scenario. */
static int grade_conformance(struct grade *g)
{
	char names[32][128];
	size_t n_names = grade_scenarios(g, names, 32);
	if (n_names == 0) {
		cli_error("grade: cannot run the conformance suite '%s' "
			  "(build it: make %s)",
			  g->conformance, g->conformance);
		return -1;
	}
	char tap[4200], log[4200];
	snprintf(tap, sizeof(tap), "%s/conformance.tap", g->dir);
	snprintf(log, sizeof(log), "%s/conformance.log", g->dir);
	const char *mult = getenv("CK_TIMEOUT_MULTIPLIER");
	const char *env[] = {"CONCUR_MODELS",
			     g->model->name,
			     "CK_TAP_LOG_FILE_NAME",
			     tap,
			     "CK_TIMEOUT_MULTIPLIER",
			     mult	   ? mult
			     : g->sanitize ? "1"
					   : "0.25",
			     NULL};
	printf("conformance: %zu scenarios against %s (log: %s)\n", n_names,
	       g->model->name, log);
	grade_exec(g->conformance, env, log);
	FILE *f = fopen(tap, "r");
	char line[2048];
	size_t before = g->n_tests;
	while (f && fgets(line, sizeof(line), f))
		grade_tap_line(g, line, names, n_names);
	if (f)
		fclose(f);
	for (size_t i = g->n_tests - before; i < n_names; i++) {
		char name[160];
		snprintf(name, sizeof(name), "conformance: %s", names[i]);
		grade_add(g, name, 0, 1, "did not run: see conformance.log");
		g->failed = true;
		g->hints |= HINT_CRASH;
	}
	grade_log_evidence(g, log);
	return 0;
}

/* What the sanitizers (and the probes) left in the log. A TSan report
 * fails its scenario with exit 66, read as a race; when the report is a
 * lock left held rather than a race, say that instead. */
static void grade_log_evidence(struct grade *g, const char *log)
{
	if (grade_file_has(log, "destroy of a locked mutex") ||
	    grade_file_has(log, "returned holding"))
		g->hints |= HINT_HELD;
	if (grade_file_has(log, "ThreadSanitizer: data race"))
		g->hints |= HINT_RACE;
	else if (g->hints & HINT_HELD)
		g->hints &= ~(unsigned)HINT_RACE;
	if (grade_file_has(log, "ERROR: AddressSanitizer") ||
	    grade_file_has(log, "ERROR: LeakSanitizer"))
		g->hints |= HINT_MEMORY;
	if (grade_file_has(log, "runtime error:"))
		g->hints |= HINT_UB;
}

/* A sanitizer's verdict. A report fails the scenario it came from (the
 * sanitizer's exit status), so it is no check of its own: the score has
 * the same checks, and the same scale, with and without a sanitizer. A
 * report no scenario failed on still fails the grade. */
static void grade_sanitizer_verdict(struct grade *g)
{
	unsigned bad = HINT_RACE | HINT_MEMORY | HINT_UB | HINT_HELD;
	if (g->sanitize && (g->hints & bad))
		g->failed = true;
}

/* Builds the hint text from the bits, and says how to look closer. */
static void grade_hint(struct grade *g)
{
	g->hints = hints_causes(g->hints);
	bool under_tsan = g->sanitize && !strcmp(g->sanitize, "thread");
	hints_write(g->hints, g->model->name, g->failed && !under_tsan,
		    g->hint_text, sizeof(g->hint_text));
}

static void grade_print(const struct grade *g)
{
	double score = 0, max = 0;
	printf("\n");
	for (size_t i = 0; i < g->n_tests; i++) {
		const struct grade_test *t = &g->tests[i];
		score += t->score;
		max += t->max_score;
		printf("  %-4s %-58s %4.1f/%.0f\n",
		       t->score >= t->max_score ? "PASS"
		       : t->score > 0		? "PART"
						: "FAIL",
		       t->name, t->score, t->max_score);
		if (t->score < t->max_score)
			printf("       %s\n", t->output);
	}
	printf("\nscore: %.1f/%.0f\n", score, max);
	cli_wrap("", g->hint_text);
}

/* The conformance binary beside this program: <dir of concur>/tests/. */
static void grade_default_bin(char *buf, size_t len)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		snprintf(buf, len, "build/tests/test_conformance");
		return;
	}
	self[n] = '\0';
	snprintf(buf, len, "%s/tests/test_conformance", dirname(self));
}

#define GRADE_USAGE                                                            \
	"concur grade MODEL [--out FILE] [--conformance BIN] "                 \
	"[--sanitize S] [--student NAME] [--source FILE] [--quick]"

static void grade_help(void)
{
	printf("usage: %s\n\n"
	       "Checks one model the way the test suite does (the "
	       "conformance\nscenarios), says what the mistake most likely "
	       "is when one fails,\ntimes the model against threads (the "
	       "tally exercise: against\nthreads --sync sharded-padded), "
	       "and writes a grade file in\nGradescope's results.json layout. "
	       "`make check-model MODEL=name`\nbuilds and runs it.\n\n"
	       "  --out FILE         the grade file (default "
	       "results/check-model/MODEL/results.json)\n"
	       "  --conformance BIN  the conformance suite (default: "
	       "tests/test_conformance beside concur)\n"
	       "  --sanitize S       the suite was built with sanitizer S "
	       "(thread, address, undefined)\n"
	       "  --student NAME     whose work (default $STUDENT, else "
	       "$USER)\n"
	       "  --source FILE      the model's source, hashed into the "
	       "grade file\n                     (default "
	       "models/exercises/MODEL.c when it exists)\n"
	       "  --quick            a smaller speed batch\n\n"
	       "Exit status: 0 every check passed, 1 a check failed, 2 bad "
	       "usage.\n",
	       GRADE_USAGE);
}

/* Parses the command line; 0, or -1 after one line. */
static int grade_parse(int argc, char **argv, struct grade *g, const char **out,
		       char *bin, size_t bin_len)
{
	const char *name = NULL;
	for (int i = 1; i < argc; i++) {
		bool value = i + 1 < argc;
		if (!strcmp(argv[i], "--out") && value) {
			*out = argv[++i];
			if (file_replace_check_out("grade", *out) != 0)
				return -1;
		} else if (!strcmp(argv[i], "--conformance") && value)
			snprintf(bin, bin_len, "%s", argv[++i]);
		else if (!strcmp(argv[i], "--sanitize") && value)
			g->sanitize = argv[++i][0] ? argv[i] : NULL;
		else if (!strcmp(argv[i], "--student") && value)
			g->student = argv[++i];
		else if (!strcmp(argv[i], "--source") && value)
			g->source = argv[++i];
		else if (!strcmp(argv[i], "--quick"))
			g->quick = true;
		else if (argv[i][0] == '-' || name) {
			cli_error("grade: unexpected argument '%s' (usage: "
				  "%s)",
				  argv[i], GRADE_USAGE);
			return -1;
		} else
			name = argv[i];
	}
	if (!name || !name[0] || !(g->model = model_find(name))) {
		cli_error("check-model: %s%s%s; the models are: %s",
			  name && name[0] ? "unknown model '" : "",
			  name && name[0] ? name
					  : "which model? give "
					    "MODEL=name",
			  name && name[0] ? "'" : "", model_names());
		return -1;
	}
	return 0;
}

int grade_main(int argc, char **argv)
{
	static struct grade g; /* large: keep it off the stack */
	memset(&g, 0, sizeof(g));
	const char *out = NULL;
	char bin[4096];
	grade_default_bin(bin, sizeof(bin));
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			grade_help();
			return 0;
		}
	if (grade_parse(argc, argv, &g, &out, bin, sizeof(bin)) != 0)
		return EXIT_USAGE;
	g.conformance = bin;
	if (out)
		snprintf(g.out, sizeof(g.out), "%s", out);
	else
		snprintf(g.out, sizeof(g.out),
			 "results/check-model/%s/"
			 "results.json",
			 g.model->name);
	char copy[4200];
	snprintf(copy, sizeof(copy), "%s", g.out);
	snprintf(g.dir, sizeof(g.dir), "%s", dirname(copy));
	if (result_set_mkdirs(g.dir) != 0) {
		cli_error("grade: cannot create '%s'", g.dir);
		return EXIT_USAGE;
	}
	double t0 = clock_now();
	if (grade_conformance(&g) != 0)
		return EXIT_USAGE;
	grade_sanitizer_verdict(&g);
	grade_speed(&g);
	grade_hint(&g);
	grade_print(&g);
	if (grade_write(&g, clock_now() - t0) != 0)
		return 1;
	printf("grade file: %s\n", g.out);
	return g.failed ? 1 : 0;
}
