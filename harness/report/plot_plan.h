// SPDX-License-Identifier: MIT
/*
 * plot_plan.h - the facts and data files gnuplot reads instead of asking
 * a shell (plot_plan.c).
 */
#ifndef CONCUR_PLOT_PLAN_H
#define CONCUR_PLOT_PLAN_H

/* Writes stage/plan.gp (its variables and functions named with prefix,
 * "" or "a_") and stage/summary-series/, stage/tasks-series/ from the
 * checked copies in stage; 0, or -1 (no summary.csv, a write failed). */
int plot_plan_write(const char *stage, const char *prefix);

#endif
