// SPDX-License-Identifier: MIT
/*
 * plot.c - gnuplot over a result set. Each plots/NAME.gp script reads the
 * set's CSV files (the variable `dir` names them) and writes dir/NAME.png
 * and dir/NAME.svg; the scripts hold the pictures, this file only runs
 * them. plots/common.gp is what the scripts share, and plots/compare.gp is
 * `concur compare --plot`'s, so neither is run here.
 *
 * A set may come from someone else: gnuplot never reads it nor writes in
 * it. It works in a private folder (plot_stage.h) on checked copies of
 * the set's files, and the pictures are moved into the set at the end.
 * What the scripts need to know of the set (its workloads, models, ...)
 * and one data file per series are written there too (plot_plan.h), so
 * the scripts run no shell, awk or sed at all.
 *
 * gnuplot's own chatter (warnings about an empty series, a script saying
 * it has nothing to draw) goes to gnuplot.log, not to the terminal: the
 * run ends with its table and the paths of its pictures.
 *
 * Ctrl-C (or SIGTERM, SIGHUP) while gnuplot draws: gnuplot is stopped, the
 * private folder removed, and then the signal is given its old meaning (a
 * plain program dies of it), so an interrupted plot leaves no .plot-XXXXXX
 * folder behind in the set.
 */
#include "harness/report/plot.h"

#include <fcntl.h>
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/base/cli.h"
#include "harness/base/datadir.h"
#include "harness/report/plot_plan.h"
#include "harness/report/plot_stage.h"

/* ---- interruption ---- */

static const int plot_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define PLOT_N_SIGNALS (sizeof(plot_signals) / sizeof(plot_signals[0]))

static volatile sig_atomic_t plot_stopped; /* the signal that came, or 0 */

static void plot_on_signal(int sig)
{
	plot_stopped = sig;
}

/* The dispositions in force before the plot, given back at its end. */
struct plot_guard {
	struct sigaction old[PLOT_N_SIGNALS];
};

static void plot_guard_begin(struct plot_guard *g)
{
	struct sigaction sa = {0};
	sa.sa_handler = plot_on_signal; /* no SA_RESTART: waitpid returns */
	sigemptyset(&sa.sa_mask);
	plot_stopped = 0;
	for (size_t i = 0; i < PLOT_N_SIGNALS; i++)
		sigaction(plot_signals[i], &sa, &g->old[i]);
}

/* Gives the old dispositions back; a signal that came during the plot is
 * raised again under them. Returns rc, or -1 when the plot was stopped. */
static int plot_guard_end(struct plot_guard *g, int rc)
{
	for (size_t i = 0; i < PLOT_N_SIGNALS; i++)
		sigaction(plot_signals[i], &g->old[i], NULL);
	if (!plot_stopped)
		return rc;
	fprintf(stderr, "concur: plotting stopped by a signal; the results "
			"are saved, `concur plot` draws them\n");
	raise(plot_stopped);
	return -1;
}

/* Is there a gnuplot in $PATH? (Looked for here, not by a shell.) */
static int plot_have_gnuplot(void)
{
	const char *path = getenv("PATH");
	for (const char *dir = path; dir && *dir;) {
		size_t len = strcspn(dir, ":");
		char file[4200];
		struct stat sb;
		snprintf(file, sizeof(file), "%.*s/gnuplot", len ? (int)len : 1,
			 len ? dir : ".");
		if (stat(file, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    access(file, X_OK) == 0)
			return 1;
		dir += len + (dir[len] == ':');
	}
	return 0;
}

/* gnuplot -e "VARS" SCRIPT, its stderr appended to log (and its stdout
 * dropped unless it draws on the terminal); 0 when it exits 0. */
static int plot_gnuplot(const char *script, const char *vars, const char *log,
			int to_terminal)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW,
			      0644);
		if (fd >= 0)
			dup2(fd, STDERR_FILENO);
		if (!to_terminal && fd >= 0)
			dup2(fd, STDOUT_FILENO);
		execlp("gnuplot", "gnuplot", "-e", vars, script, (char *)NULL);
		_exit(127);
	}
	int status;
	pid_t got;
	while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		if (plot_stopped) /* a signal for us alone: gnuplot too */
			kill(pid, SIGTERM);
	if (got != pid || plot_stopped)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* A path goes into gnuplot as a '...' string: it must hold no quote. */
static int plot_path_ok(const char *path)
{
	if (!strchr(path, '\'') && !strchr(path, '\n'))
		return 1;
	fprintf(stderr,
		"concur: cannot plot '%s': gnuplot cannot be given "
		"a path with a quote or a newline in it\n",
		path);
	return 0;
}

/* Runs one script over dir with term ('files' or 'dumb'). */
static int plot_script(const char *script, const char *dir, const char *term,
		       const char *log)
{
	char vars[8400];
	snprintf(vars, sizeof(vars), "dir='%s'; term='%s'", dir, term);
	return plot_gnuplot(script, vars, log, strcmp(term, "dumb") == 0);
}

/* Is this script one that draws a result set (not common.gp, not
 * compare*.gp)? */
static int plot_is_per_set(const char *script)
{
	const char *base = strrchr(script, '/');
	base = base ? base + 1 : script;
	return strcmp(base, "common.gp") != 0 &&
	       strncmp(base, "compare", 7) != 0;
}

/* Opens the stage of dir with its checked files; 0, or -1 after saying
 * why. Rows refused are said in one line. */
static int plot_stage_begin(struct plot_stage *st, const char *dir)
{
	if (plot_stage_open(st, dir) != 0) {
		fprintf(stderr, "concur: cannot plot in %s: %s\n", dir,
			strerror(errno));
		return -1;
	}
	if (!plot_path_ok(st->dir)) { /* a link's target holds a quote */
		plot_stage_remove(st);
		return -1;
	}
	if (plot_stage_copy_set(st, dir, NULL) != 0) {
		fprintf(stderr,
			"concur: cannot plot %s: no readable "
			"summary.csv\n",
			dir);
		plot_stage_remove(st);
		return -1;
	}
	if (plot_plan_write(st->dir, "") != 0) {
		fprintf(stderr, "concur: cannot plot in %s: %s\n", dir,
			strerror(errno));
		plot_stage_remove(st);
		return -1;
	}
	return 0;
}

/* Says the rows refused, delivers the pictures, removes the stage. */
static int plot_stage_end(struct plot_stage *st, int rc)
{
	if (st->refused)
		fprintf(stderr,
			"concur: plot: %zu row%s of %s left out (a name that "
			"is not [A-Za-z0-9_.+-], a field that is not a plain "
			"word or number)\n",
			st->refused, st->refused == 1 ? "" : "s", st->set);
	/* stopped: the pictures may be half drawn, none is delivered */
	if (plot_stopped || plot_stage_deliver(st) != 0)
		rc = -1;
	plot_stage_remove(st);
	return rc;
}

static int plot_in_stage(struct plot_stage *st, int terminal)
{
	char pattern[4200], log[4300];
	concur_data_path(pattern, sizeof(pattern), "plots/*.gp");
	snprintf(log, sizeof(log), "%s/gnuplot.log", st->dir);
	glob_t g;
	if (glob(pattern, 0, NULL, &g) != 0) {
		fprintf(stderr, "concur: no plot scripts in %s\n", pattern);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < g.gl_pathc && !plot_stopped; i++) {
		const char *script = g.gl_pathv[i];
		if (!plot_is_per_set(script))
			continue;
		if (plot_script(script, st->dir, "files", log) != 0 &&
		    !plot_stopped) {
			fprintf(stderr,
				"concur: gnuplot failed on %s (see "
				"%s/gnuplot.log)\n",
				script, st->set);
			rc = -1;
		}
	}
	globfree(&g);
	if (terminal && !plot_stopped) {
		concur_data_path(pattern, sizeof(pattern), "plots/wall.gp");
		plot_script(pattern, st->dir, "dumb", log);
	}
	return rc;
}

int plot_result_set(const char *dir, int terminal)
{
	if (!plot_have_gnuplot()) {
		fprintf(stderr,
			"concur: gnuplot is not installed: the results "
			"are saved; to draw the plots run `apt-get "
			"install gnuplot-nox` then `concur plot %s`\n",
			dir);
		return -1;
	}
	struct plot_stage st = {0};
	if (!plot_path_ok(dir) || plot_stage_begin(&st, dir) != 0)
		return -1;
	struct plot_guard guard;
	plot_guard_begin(&guard);
	int rc = plot_stage_end(&st, plot_in_stage(&st, terminal));
	rc = plot_guard_end(&guard, rc);
	if (rc == 0)
		printf("plots:   %s/*.png and *.svg\n", dir);
	return rc;
}

int plot_one_script(const char *dir, const char *name)
{
	struct plot_stage st = {0};
	if (!plot_have_gnuplot() || !plot_path_ok(dir) ||
	    plot_stage_begin(&st, dir) != 0)
		return -1;
	char file[128], script[4200], log[4300];
	snprintf(file, sizeof(file), "plots/%s.gp", name);
	concur_data_path(script, sizeof(script), file);
	snprintf(log, sizeof(log), "%s/%s.log", st.dir, name);
	struct plot_guard guard;
	plot_guard_begin(&guard);
	int rc = plot_script(script, st.dir, "files", log);
	if (rc != 0 && !plot_stopped)
		fprintf(stderr, "concur: gnuplot failed on %s\n", script);
	return plot_guard_end(&guard, plot_stage_end(&st, rc));
}

int plot_compare(const char *dir_a, const char *dir_b)
{
	if (!plot_have_gnuplot()) {
		fprintf(stderr, "concur: gnuplot is not installed: `apt-get "
				"install gnuplot-nox` draws the comparison\n");
		return -1;
	}
	struct plot_stage st = {0};
	char name_a[64];
	if (!plot_path_ok(dir_a) || !plot_path_ok(dir_b) ||
	    plot_stage_begin(&st, dir_b) != 0)
		return -1;
	plot_stage_name(name_a, sizeof(name_a), dir_a);
	/* A's files go in the subfolder a/ of B's stage */
	char stage_a[4400];
	snprintf(stage_a, sizeof(stage_a), "%s/a", st.dir);
	if (plot_stage_copy_set(&st, dir_a, "a") != 0 ||
	    plot_plan_write(stage_a, "a_") != 0) {
		fprintf(stderr,
			"concur: cannot plot %s: no readable "
			"summary.csv\n",
			dir_a);
		plot_stage_remove(&st);
		return -1;
	}
	char script[4200], log[4300], vars[9000];
	concur_data_path(script, sizeof(script), "plots/compare.gp");
	snprintf(log, sizeof(log), "%s/gnuplot.log", st.dir);
	snprintf(vars, sizeof(vars),
		 "dir='%s'; dir_a='%s/a'; name_a='%s'; name_b='%s'; "
		 "term='files'",
		 st.dir, st.dir, name_a, st.name);
	struct plot_guard guard;
	plot_guard_begin(&guard);
	int rc = plot_gnuplot(script, vars, log, 0);
	if (rc != 0 && !plot_stopped)
		fprintf(stderr,
			"concur: gnuplot failed on %s (see "
			"%s/gnuplot.log)\n",
			script, dir_b);
	rc = plot_guard_end(&guard, plot_stage_end(&st, rc));
	if (rc == 0)
		printf("plot:    %s/compare.png and compare.svg\n", dir_b);
	return rc;
}

/* Is dir a result set? Every CSV file the scripts read is there and opens
 * with concur's header, or gnuplot would say so once per script. Says
 * why not (exit 2) in one line. */
static int plot_is_result_set(const char *dir)
{
	static const char *const files[] = {"summary.csv", "runs.csv",
					    "tasks.csv"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4200], line[64] = "";
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW);
		struct stat sb;
		FILE *f = fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)
				  ? fdopen(fd, "r")
				  : NULL;
		if (!f) {
			if (fd >= 0)
				close(fd);
			cli_error("plot: '%s' is not a result set (no %s, or "
				  "not a regular file)",
				  dir, files[i]);
			return 0;
		}
		int ok = fgets(line, sizeof(line), f) &&
			 strncmp(line, "workload,model,workers,", 23) == 0;
		fclose(f);
		if (!ok) {
			cli_error("plot: '%s' is not a result set (%s has no "
				  "concur header)",
				  dir, files[i]);
			return 0;
		}
	}
	return 1;
}

static void plot_usage(void)
{
	printf("usage: concur plot DIR [--terminal]\n"
	       "       concur plot --compare DIR_A DIR_B\n"
	       "Draws the plots of a result set (PNG and SVG inside DIR; "
	       "gnuplot's messages\nin DIR/gnuplot.log).\n"
	       "  --terminal   also draw the wall times on the terminal\n"
	       "  --compare    the wall times of two result sets side by "
	       "side, written to\n"
	       "               DIR_B/compare.png and .svg\n");
}

int plot_main(int argc, char **argv)
{
	int terminal = 0, compare = 0;
	const char *dirs[2] = {NULL, NULL};
	size_t n_dirs = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			plot_usage();
			return 0;
		}
		if (strcmp(argv[i], "--terminal") == 0)
			terminal = 1;
		else if (strcmp(argv[i], "--compare") == 0)
			compare = 1;
		else if (argv[i][0] == '-') {
			cli_error("plot: unknown option '%s'", argv[i]);
			return EXIT_USAGE;
		} else if (n_dirs < 2)
			dirs[n_dirs++] = argv[i];
		else {
			cli_error("plot: too many result sets ('%s')", argv[i]);
			return EXIT_USAGE;
		}
	}
	if (n_dirs != (compare ? 2u : 1u)) {
		cli_error(compare ? "plot: --compare needs two result sets "
				    "(concur plot --compare DIR_A DIR_B)"
				  : "plot: one result set at a time (concur "
				    "plot DIR)");
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < n_dirs; i++)
		if (!plot_is_result_set(dirs[i]))
			return EXIT_USAGE;
	if (compare)
		return plot_compare(dirs[0], dirs[1]) == 0 ? 0 : 1;
	return plot_result_set(dirs[0], terminal) == 0 ? 0 : 1;
}
