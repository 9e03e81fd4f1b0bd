// SPDX-License-Identifier: MIT
/*
 * tally_ref.h - the grader's own tallies: exercise 2's tally
 * (models/exercises/tally.c) written four ways with the same loop as the
 * answer, so the speed check compares like with like. The hosts know it
 * as model "grader-tally"; --sync picks the way: sharded-padded (a slot
 * a worker, a cache line each: the answer), sharded-packed (slots side by
 * side: false sharing), atomic (one counter, one atomic add an
 * increment) or mutex (one counter, a lock around each increment).
 *
 * Errors: the model's run returns -1 (and says why on stderr) when it
 * cannot allocate its slots or is asked for another --sync.
 */
#ifndef CONCUR_GRADE_TALLY_REF_H
#define CONCUR_GRADE_TALLY_REF_H

#include "models/model.h"

#define TALLY_REF_MODEL "grader-tally"

/* The model by name: TALLY_REF_MODEL, else NULL. */
const struct model *tally_ref_find(const char *name);

#endif
