// SPDX-License-Identifier: MIT
/*
 * passes.h - the measured runs of a sweep whose groups and references are
 * ready (run.c makes them): every case, every repetition, each run in a
 * fresh child (measure.h), recorded in the sweep.
 *
 * Errors: passes_run returns 0, or -1 when a run could not be started or
 * the user interrupted (then s->partial is set).
 */
#ifndef CONCUR_PASSES_H
#define CONCUR_PASSES_H

#include <stddef.h>

#include "harness/base/progress.h"
#include "harness/run/sweep.h"

/* How many runs passes_run will make, warm-ups included (the progress
 * bar's total). */
size_t passes_count(const struct sweep *s);

/* The warm-up passes, then one pass per repetition, group by group. */
int passes_run(struct sweep *s, struct progress *p);

#endif
