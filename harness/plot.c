// SPDX-License-Identifier: MIT
/*
 * plot.c - gnuplot over a result set. Each plots/NAME.gp script reads the
 * set's CSV files (the variable `dir` names the set) and writes
 * dir/NAME.png and dir/NAME.svg; the scripts hold the pictures, this file
 * only runs them.
 */
#include "harness/plot.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include "harness/cli.h"
#include "harness/datadir.h"

static int plot_have_gnuplot(void)
{
	return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

/* Runs one script with `dir` and `term` set; 0 or -1. */
static int plot_script(const char *script, const char *dir,
		       const char *term)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char vars[8400];
		snprintf(vars, sizeof(vars), "dir='%s'; term='%s'", dir, term);
		if (strcmp(term, "dumb") != 0) {
			int null = open("/dev/null", O_WRONLY);
			if (null >= 0)
				dup2(null, STDOUT_FILENO);
		}
		execlp("gnuplot", "gnuplot", "-e", vars, script, (char *)NULL);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int plot_result_set(const char *dir, int terminal)
{
	if (!plot_have_gnuplot()) {
		fprintf(stderr, "concur: gnuplot is not installed: the results "
				"are saved; to draw the plots run `apt-get "
				"install gnuplot-nox` then `concur plot %s`\n",
			dir);
		return -1;
	}
	char pattern[4200];
	concur_data_path(pattern, sizeof(pattern), "plots/*.gp");
	glob_t g;
	if (glob(pattern, 0, NULL, &g) != 0) {
		fprintf(stderr, "concur: no plot scripts in %s\n", pattern);
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *script = g.gl_pathv[i];
		if (strstr(script, "/common.gp") || strstr(script, "/compare"))
			continue;
		if (plot_script(script, dir, "files") != 0) {
			fprintf(stderr, "concur: gnuplot failed on %s\n",
				script);
			rc = -1;
		}
	}
	globfree(&g);
	if (terminal) {
		concur_data_path(pattern, sizeof(pattern), "plots/wall.gp");
		plot_script(pattern, dir, "dumb");
	}
	if (rc == 0)
		printf("plots:   %s/*.png and *.svg\n", dir);
	return rc;
}

int plot_main(int argc, char **argv)
{
	int terminal = 0;
	const char *dir = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0) {
			printf("usage: concur plot DIR [--terminal]\n"
			       "Draws the plots of a result set (PNG and SVG "
			       "inside DIR).\n");
			return 0;
		}
		if (strcmp(argv[i], "--terminal") == 0)
			terminal = 1;
		else if (argv[i][0] == '-') {
			cli_error("plot: unknown option '%s'", argv[i]);
			return EXIT_USAGE;
		} else if (!dir)
			dir = argv[i];
		else {
			cli_error("plot: one result set at a time");
			return EXIT_USAGE;
		}
	}
	if (!dir) {
		cli_error("plot: which result set? (concur plot DIR)");
		return EXIT_USAGE;
	}
	char probe[4200];
	snprintf(probe, sizeof(probe), "%s/summary.csv", dir);
	if (access(probe, R_OK) != 0) {
		cli_error("plot: '%s' is not a result set (no summary.csv)",
			  dir);
		return EXIT_USAGE;
	}
	return plot_result_set(dir, terminal) == 0 ? 0 : 1;
}
