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

/* The hint bits one failure message points at. */
static unsigned grade_classify(const char *msg)
{
	if (strstr(msg, "ended holding a lock"))
		return HINT_HELD;
	if (strstr(msg, "hung:")) /* the watchdog says what threads wait on */
		return strstr(msg, " 0 waiting for a lock") ? HINT_HANG
							    : HINT_HELD;
	if (strstr(msg, "empty but still open"))
		return HINT_WAKEUP;
	if (strstr(msg, "one at a time"))
		return HINT_SERIAL;
	if (strstr(msg, "counted twice"))
		return HINT_TALLY_SUM;
	if (strstr(msg, "lost updates"))
		return HINT_LOST_UPDATES;
	if (strstr(msg, "got not_run"))
		return HINT_LOST;
	if (strstr(msg, "expected ok") && strstr(msg, "got ok"))
		return HINT_ORDER;
	if (strstr(msg, "timeout expired"))
		return HINT_HANG;
	if (strstr(msg, "Early exit with return value 66"))
		return HINT_RACE; /* ThreadSanitizer's exit status */
	if (strstr(msg, "Received signal") || strstr(msg, "Early exit"))
		return HINT_CRASH;
	if (strstr(msg, "could not run"))
		return HINT_NO_RUN;
	if (strstr(msg, "no worker or runs backwards"))
		return HINT_FIELDS;
	return HINT_OTHER;
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
	unsigned hint = grade_classify(msg);
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

static const struct {
	unsigned bit;
	const char *text;
} grade_hints[] = {
	{HINT_LOST, "A task was lost: its result is still not_run, so no "
		    "worker ever ran it. In a queue-fed pool, check that pop "
		    "hands out indices until the queue is closed AND empty, "
		    "that every popped index reaches task_execute, and that "
		    "every push succeeds (in student.c: the TODOs of "
		    "queue_push, queue_pop and student_consumer)."},
	{HINT_ORDER, "Results out of order: a task's slot holds another "
		     "task's result. Run task i into batch->results[i] (pass "
		     "the index you popped to task_execute), and make sure "
		     "no two workers take the same index (head and count "
		     "change only under the lock)."},
	{HINT_HELD, "A lock is never released: a worker thread returned "
		    "still holding the queue's mutex (or a sanitizer saw a "
		    "locked mutex destroyed), so every other thread waits "
		    "for it forever. Each return between pthread_mutex_lock "
		    "and pthread_mutex_unlock must unlock first: look at the "
		    "early returns of queue_pop and queue_push, the path "
		    "taken when the queue is closed."},
	{HINT_HANG, "A hang, most likely a lost wake-up: threads asleep in "
		    "pthread_cond_wait that nobody wakes (the failed check "
		    "says how many, and that none waits for a lock). Someone "
		    "waits on a condition nobody signals again: when the "
		    "queue closes, every sleeping consumer must wake to see "
		    "it (pthread_cond_broadcast in queue_close, not "
		    "pthread_cond_signal, which wakes one); or the producer "
		    "sleeps on not_full with no consumer popping."},
	{HINT_WAKEUP, "A consumer left too early: woken while the queue was "
		      "empty but still open, it returned as if the queue were "
		      "closed. A wake-up is only a hint (it can be spurious, "
		      "or another consumer took the index first): wait in a "
		      "while loop that re-checks the condition, not an if "
		      "(in queue_pop: while (count == 0 && !closed) "
		      "pthread_cond_wait(...))."},
	{HINT_SERIAL, "Tasks ran one at a time: the consumer holds the "
		      "queue's lock while it runs a task, so the other "
		      "workers wait for the lock instead of working. Hold "
		      "the lock only to take an index out of the queue; "
		      "unlock, then call task_execute."},
	{HINT_LOST_UPDATES,
	 "Increments were lost: two workers read the same total, each added "
	 "one and wrote it back, and one write undid the other (the "
	 "failed check says how many of how many survived). Make the read, "
	 "the add and the write one step (a mutex around them, or one "
	 "atomic_fetch_add), then make it fast: each worker adds to its own "
	 "slot with no lock, and tally_total sums the slots after the join "
	 "(in tally.c: the TODOs of tally_add and tally_total)."},
	{HINT_TALLY_SUM,
	 "The total is wrong with one worker, where nothing can race: the "
	 "sum misses increments or counts some twice. tally_total must add "
	 "every worker's slot once (all t->workers of them), or return the "
	 "one shared total, whichever tally_add adds to."},
	{HINT_SLOW_TALLY,
	 "Right, but slow: every increment still waits for the others, "
	 "either for a lock (a mutex, a spin lock) or for the one cache "
	 "line the cores pass back and forth (an atomic counter, or slots "
	 "side by side: false sharing). Let each worker add to its own slot "
	 "with no lock, give each slot a 64-byte cache line of its own "
	 "(_Alignas(64)), and sum them once after the join."},
	{HINT_FEW_AT_ONCE,
	 "Slow: %s ran far fewer tasks at once than its C = 4 workers allow "
	 "(the speed check says how many, next to threads'). Something makes "
	 "the workers take turns: a lock held while a task runs, or "
	 "consumers that sleep while tasks wait in the queue."},
	{HINT_CRASH, "A crash: a check died of a signal or did not run; "
		     "conformance.log has the details. To see where, run "
		     "with AddressSanitizer: make check-model MODEL=%s "
		     "SANITIZE=address"},
	{HINT_RACE, "A data race: ThreadSanitizer's report in "
		    "conformance.log names the two accesses. A field two "
		    "threads touch, one of them writing, must be guarded: "
		    "touched only between pthread_mutex_lock and "
		    "pthread_mutex_unlock (a field marked 'guarded by lock'), "
		    "or atomic, or written by one thread only and read after "
		    "the join."},
	{HINT_MEMORY, "A memory error: AddressSanitizer's report in "
		      "conformance.log shows the bad access and where the "
		      "memory came from."},
	{HINT_UB, "Undefined behaviour: UBSan's 'runtime error:' line in "
		  "conformance.log names the file and line."},
	{HINT_NO_RUN, "run() returned -1: the model said it could not run "
		      "the batch at all (its message is in conformance.log)."},
	{HINT_FIELDS, "A result has no worker number or ends before it "
		      "starts: fill results with task_execute, which sets "
		      "start, end and worker."},
	{HINT_OTHER, "A result differs from the sequential reference: the "
		     "check's output shows the first difference."},
};

/* A cause found explains its effects: a lock never released makes a
 * hang; a consumer that left, a lost task; any cause, a differing result. */
static unsigned grade_hint_causes(unsigned hints)
{
	if (hints & HINT_HELD)
		hints &= ~(unsigned)HINT_HANG;
	if (hints & HINT_WAKEUP)
		hints &= ~(unsigned)HINT_LOST;
	if (hints & HINT_TALLY_SUM) /* a wrong sum is short everywhere */
		hints &= ~(unsigned)HINT_LOST_UPDATES;
	if (hints & (HINT_HELD | HINT_HANG | HINT_WAKEUP | HINT_SERIAL))
		hints &= ~(unsigned)HINT_OTHER;
	return hints;
}

/* Builds the hint text from the bits, and says how to look closer. */
static void grade_hint(struct grade *g)
{
	size_t used = 0, len = sizeof(g->hint_text);
	g->hints = grade_hint_causes(g->hints);
	g->hint_text[0] = '\0';
	for (size_t i = 0; i < sizeof(grade_hints) / sizeof(grade_hints[0]);
	     i++) {
		if (!(g->hints & grade_hints[i].bit) || used >= len)
			continue;
		used += (size_t)snprintf(g->hint_text + used, len - used,
					 "hint: ");
		if (used < len)
			used += (size_t)snprintf(
				g->hint_text + used, len - used,
				grade_hints[i].text, g->model->name);
		if (used < len)
			used += (size_t)snprintf(g->hint_text + used,
						 len - used, "\n");
	}
	if (g->failed && !(g->sanitize && !strcmp(g->sanitize, "thread")) &&
	    used < len)
		snprintf(g->hint_text + used, len - used,
			 "hint: to look for data races: make check-model "
			 "MODEL=%s SANITIZE=thread\n",
			 g->model->name);
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
		if (!strcmp(argv[i], "--out") && value)
			*out = argv[++i];
		else if (!strcmp(argv[i], "--conformance") && value)
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
