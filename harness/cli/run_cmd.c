// SPDX-License-Identifier: MIT
/*
 * run_cmd.c - `concur run`, the command: its options parsed into a plan
 * (config.c), the plan carried out by run/ (the sweep, the result set and
 * its table: harness/run/run.h), then the set drawn: the plots and
 * report.html (harness/report/), when the set was written whole.
 */
#include "harness/cli/run_cmd.h"

#include <stdlib.h>

#include "harness/base/cli.h"
#include "harness/cli/config.h"
#include "harness/report/plot.h"
#include "harness/report/report.h"
#include "harness/run/measure.h"
#include "harness/run/run.h"

/* The plots, and report.html beside them, of a finished, complete set.
 * Returns 130 when Ctrl-C (or SIGTERM) stopped the drawing (the results
 * are saved, the plot left no folder behind: plot.c), else 0. */
static int run_cmd_draw(const struct run_plan *p, const struct sweep *s)
{
	if (!p->plot || !s->finished || s->n_records == 0 || s->partial)
		return 0;
	plot_result_set(s->dir, 0);
	if (measure_stop_requested)
		return 130;
	if (p->report)
		report_write(s->dir, NULL);
	return 0;
}

int run_main(int argc, char **argv)
{
	struct run_plan p;
	int rc = config_parse_run(argc, argv, &p);
	if (rc != 0) {
		free(p.cmdline);
		return rc > 0 ? 0 : EXIT_USAGE;
	}
	struct sweep s;
	rc = run_execute(&p, &s);
	int stopped = run_cmd_draw(&p, &s);
	if (stopped)
		rc = stopped;
	run_release(&s);
	free(p.cmdline);
	return rc;
}
