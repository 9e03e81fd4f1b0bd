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
#include "harness/run/run.h"

/* The plots, and report.html beside them, of a finished, complete set. */
static void run_cmd_draw(const struct run_plan *p, const struct sweep *s)
{
	if (!p->plot || !s->finished || s->n_records == 0 || s->partial)
		return;
	plot_result_set(s->dir, 0);
	if (p->report)
		report_write(s->dir, NULL);
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
	run_cmd_draw(&p, &s);
	run_release(&s);
	free(p.cmdline);
	return rc;
}
