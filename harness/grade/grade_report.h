// SPDX-License-Identifier: MIT
/*
 * grade_report.h - the two halves of a grade that are not conformance: the
 * speed check and the grade file (results.json).
 */
#ifndef CONCUR_GRADE_REPORT_H
#define CONCUR_GRADE_REPORT_H

#include "common/shared.h"
#include "harness/grade/grade_sheet.h"

/* The speed check: the model and threads on one small batch of fetches
 * and computes, run as `concur run` runs them, in the same run, so the
 * ratio does not depend on whose laptop ran it. */
void grade_speed(struct grade *g);

/* Writes g->out; 0 or -1 after one line. */
int grade_write(const struct grade *g, double elapsed_s);

#endif
