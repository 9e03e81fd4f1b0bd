// SPDX-License-Identifier: MIT
/*
 * grade.c - `concur grade MODEL`: checks one model the way the test suite
 * does and says, when it fails, what the mistake most likely is.
 *
 * It runs as build/concur-grade, which has no student code linked in (a
 * constructor or destructor in student.c never runs in the grader). Order
 * of work: start the grader's own server (its reference fetches from it);
 * send each scenario to the model in a contained host (grade_check.c);
 * turn each failure into a hint; if everything passed, time the model
 * against threads, contained too (grade_report.c); once every process of
 * the student's is gone, write conformance.log and results.json, each a
 * new file renamed into place.
 */
#include "harness/grade/grade.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fetch.h"
#include "harness/base/cli.h"
#include "harness/grade/grade_check.h"
#include "harness/grade/grade_sheet.h"
#include "harness/grade/grade_report.h"
#include "harness/base/file_replace.h"
#include "harness/server/serve.h"

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

/* A program beside this one (concur-host, concur-grade). */
static void grade_beside(const char *name, char *buf, size_t len)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		snprintf(buf, len, "build/%s", name);
		return;
	}
	self[n] = '\0';
	snprintf(buf, len, "%s/%s", dirname(self), name);
}

#define GRADE_USAGE                                                            \
	"concur grade MODEL [--out FILE] [--host BIN] "                        \
	"[--sanitize S] [--student NAME] [--source FILE] [--quick]"

static void grade_help(void)
{
	printf("usage: %s\n\n"
	       "Checks one model the way the test suite does (the "
	       "conformance\nscenarios, each run contained in the model's "
	       "host, each result\nchecked by the grader), says what the "
	       "mistake most likely is when one\nfails, times the model "
	       "against threads (the "
	       "tally exercise: against\nthe grader's own tallies), "
	       "and writes a grade file in\nGradescope's results.json layout. "
	       "`make check-model MODEL=name`\nbuilds and runs it.\n\n"
	       "  --out FILE         the grade file (default "
	       "results/check-model/MODEL/results.json)\n"
	       "  --host BIN         the model's host (default: "
	       "concur-host beside concur-grade)\n"
	       "  --sanitize S       the suite was built with sanitizer S "
	       "(thread, address, undefined)\n"
	       "  --student NAME     whose work (default $STUDENT, else "
	       "$USER)\n"
	       "  --source FILE      the model's source, hashed into the "
	       "grade file\n                     (default "
	       "models/exercises/MODEL.c when it exists)\n"
	       "  --quick            a smaller speed batch (the tally: "
	       "shorter runs, 3 rounds)\n\n"
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
		} else if (!strcmp(argv[i], "--host") && value)
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

/* In a build with student code, the grade is concur-grade's: this
 * process hands over to it (exec, so nothing here runs after). */
static int grade_hand_over(char **argv)
{
	char grader[4096];
	grade_beside("concur-grade", grader, sizeof(grader));
	argv[-1] = "concur-grade"; /* main's argv: "concur grade ..." */
	fflush(stdout);
	execv(grader, argv - 1);
	cli_error("grade: cannot run the grader '%s' (%s): make %s", grader,
		  strerror(errno), grader);
	return EXIT_USAGE;
}

/* The grade file's path and directory. */
static int grade_paths(struct grade *g, const char *out)
{
	if (out)
		snprintf(g->out, sizeof(g->out), "%s", out);
	else
		snprintf(g->out, sizeof(g->out),
			 "results/check-model/%s/results.json", g->model->name);
	char copy[4200];
	snprintf(copy, sizeof(copy), "%s", g->out);
	snprintf(g->dir, sizeof(g->dir), "%s", dirname(copy));
	if (file_mkdirs(g->dir) != 0) {
		cli_error("grade: cannot create '%s'", g->dir);
		return -1;
	}
	return 0;
}

/* The hosts beside a grader built with ASan or TSan were built with it
 * too (one build directory): no address-space limit for them, whose
 * shadow memory needs terabytes of it, even without --sanitize. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GRADE_BUILT_SANITIZED true
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GRADE_BUILT_SANITIZED true
#endif
#endif
#ifndef GRADE_BUILT_SANITIZED
#define GRADE_BUILT_SANITIZED false
#endif

/* The grader's server and the hosts' directory; 0, or -1 after a line. */
static int grade_start(struct grade *g, const char *bin, pid_t *server)
{
	/* A run's limit: the watchdog ends a hang in SCENARIO_HANG_S, the
	 * soak takes half a second; Python models compute slowly. */
	const char *mult = getenv("CK_TIMEOUT_MULTIPLIER");
	double limit = (g->sanitize ? 120 : 60) * (mult ? atof(mult) : 1);
	bool sanitized = g->sanitize != NULL || GRADE_BUILT_SANITIZED;
	if (grade_host_open(&g->host, bin, sanitized, limit > 0 ? limit : 60) !=
	    0) {
		cli_error("grade: cannot run the host '%s' (build it: make %s)",
			  bin, bin);
		return -1;
	}
	/* The speed check's baseline runs in a host without student code:
	 * a student's constructor cannot slow threads down to look fast. */
	char ref[4096];
	grade_beside("concur-host-ref", ref, sizeof(ref));
	if (grade_host_open(&g->ref, ref, sanitized, limit > 0 ? limit : 60) !=
	    0) {
		cli_error("grade: cannot run the reference host '%s' (build "
			  "it: make %s)",
			  ref, ref);
		grade_host_close(&g->host, NULL);
		return -1;
	}
	fetch_global_init();
	struct server_opts so = server_opts_default();
	so.quiet = 1;
	if (server_spawn(&so, server, g->base, sizeof(g->base)) != 0) {
		cli_error("grade: the grader's server did not start");
		grade_host_close(&g->host, NULL);
		grade_host_close(&g->ref, NULL);
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
	grade_beside("concur-host", bin, sizeof(bin));
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			grade_help();
			return 0;
		}
	if (!model_registry_is_grader)
		return grade_hand_over(argv);
	if (grade_parse(argc, argv, &g, &out, bin, sizeof(bin)) != 0 ||
	    grade_paths(&g, out) != 0)
		return EXIT_USAGE;
	pid_t server;
	if (grade_start(&g, bin, &server) != 0)
		return EXIT_USAGE;
	double t0 = clock_now();
	grade_conformance(&g);
	char log[4200];
	snprintf(log, sizeof(log), "%s/log", g.host.dir);
	grade_log_evidence(&g, log);
	grade_sanitizer_verdict(&g);
	grade_speed(&g);
	server_stop(server);
	/* Every host has ended: its log and the grade are the grader's. */
	snprintf(log, sizeof(log), "%s/conformance.log", g.dir);
	grade_host_close(&g.host, log);
	grade_host_close(&g.ref, NULL);
	grade_hint(&g);
	grade_print(&g);
	if (grade_write(&g, clock_now() - t0) != 0)
		return 1;
	printf("grade file: %s\n", g.out);
	return g.failed ? 1 : 0;
}
