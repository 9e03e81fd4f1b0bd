// SPDX-License-Identifier: MIT
/*
 * plot.h - `concur plot DIR`: runs the gnuplot scripts in plots/NAME.gp over a
 * result set's CSV files and writes PNG and SVG pictures inside the set.
 */
#ifndef CONCUR_PLOT_H
#define CONCUR_PLOT_H

/* Draws every plot of the result set in dir; terminal != 0 also prints a
 * terminal chart (gnuplot's dumb terminal). Returns 0, or -1 when gnuplot
 * is missing or failed (it says how to get the plots). */
int plot_result_set(const char *dir, int terminal);

/* Draws one picture of the set in dir: plots/NAME.gp (a lesson's own
 * data, written after the set's plots, such as lock.csv). 0 or -1 after
 * saying why. */
int plot_one_script(const char *dir, const char *name);

/* Draws two result sets side by side (plots/compare.gp): writes
 * dir_b/compare.png and .svg. Returns 0 or -1 (after saying why). */
int plot_compare(const char *dir_a, const char *dir_b);

/* `concur plot DIR [--terminal]` or `concur plot --compare DIR_A DIR_B`. */
int plot_main(int argc, char **argv);

#endif
