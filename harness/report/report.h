// SPDX-License-Identifier: MIT
/*
 * report.h - `concur report DIR`: report.html, one self-contained page of
 * a result set (html.h): the settings and the machine, whether every
 * result was verified, the summary table with each number defined, the
 * plots and timelines as inline SVG, the notes and warnings, and, with
 * --compare, the comparison with another set (compare.h). `concur run`
 * writes it beside the plots.
 *
 * Errors: report_write returns 0, or -1 after one line on stderr;
 * report_main returns the exit status (2: not a result set).
 */
#ifndef CONCUR_REPORT_H
#define CONCUR_REPORT_H

/* Writes dir/report.html (replaced whole); other, when not NULL, is a set
 * to compare with. */
int report_write(const char *dir, const char *other);

/* `concur report DIR [--compare OTHER]`. */
int report_main(int argc, char **argv);

#endif
