// SPDX-License-Identifier: MIT
/*
 * class_status.h - what each set of a class is worth to the page, said
 * before anything else: a case with wrong results (a lost update, a task
 * that differs from the reference, a run the watchdog stopped, a failed
 * task) is not a speedup, and a set whose summary.csv is cut mid-row or
 * whose meta.json is not "complete" is partial. The page names both at
 * its top, in words, marks them in the machines table (red: wrong;
 * yellow: partial) and leaves them out of the speedup plots. The
 * machines table is here too: a setting is marked when it differs from
 * the sets that ran the same kind of experiment (a sweep, or the same
 * lesson) and it changes what that set measured.
 *
 * Errors: none (write errors show when the page is committed).
 */
#ifndef CONCUR_CLASS_STATUS_H
#define CONCUR_CLASS_STATUS_H

#include <stdio.h>

#include "harness/report/class_sets.h"

/* 1 when the case's results were wrong: not verified, a failed task, a
 * lost update or a stopped run. */
int class_case_wrong(const struct set_case *c);

/* Why, in words ("lost updates: up to 798,977 increments lost in one
 * run (--sync none)"). */
void class_case_why(const struct set *s, const struct set_case *c, char *buf,
		    size_t len);

/* 1 when the set is partial (why says so in words), else 0. */
int class_set_partial(const struct set *s, char *why, size_t len);

/* The top of the page: which students' runs are wrong and why, which
 * sets are partial, or that every set is complete and right. */
void class_alerts(FILE *f, const struct class_sets *c);

/* The machines table, one row per set. */
void class_machines(FILE *f, const struct class_sets *c);

#endif
