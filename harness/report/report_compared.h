// SPDX-License-Identifier: MIT
/*
 * report_compared.h - report.html's "Compared with" section (`concur
 * report DIR --compare OTHER`): the settings that differ, then per case
 * there/here with a 95% interval, the Mann-Whitney p and a verdict, as
 * `concur compare OTHER DIR` judges it (significance.h).
 *
 * Errors: none (write errors show when the page is committed).
 */
#ifndef CONCUR_REPORT_COMPARED_H
#define CONCUR_REPORT_COMPARED_H

#include <stdio.h>

#include "harness/report/set_load.h"

/* This set (s, here) against other (there). */
void report_compared(FILE *f, const struct set *s, const struct set *other);

#endif
