// SPDX-License-Identifier: MIT
/* cpython.h - the Python side of lessons 5 and 6: py-threads and
 * py-processes beside the C models, and Python's start methods (fork,
 * forkserver, spawn) with the cost of pickling, measured; see cpython.c. */
#ifndef CONCUR_LESSON_CPYTHON_H
#define CONCUR_LESSON_CPYTHON_H

#include "harness/lessons/lesson_ctx.h"
#include "harness/run/sweep.h"

/* Prints and explains py-threads' and py-processes' speed-ups at C = cw
 * in s (nothing when s has no Python models). */
void lesson_cpython_speedups(const struct lesson_ctx *ctx,
			     const struct sweep *s, int cw);

/* Runs py-processes at C = workers on s's Python compute batch under each
 * start method and explains the difference. Does nothing when s has no
 * Python group. */
void lesson_py_start(struct lesson_ctx *ctx, struct sweep *s, int workers);

#endif
