// SPDX-License-Identifier: MIT
/* cost.h - lessons 9 and 10: what a worker costs, and how to measure without
 * fooling yourself. */
#ifndef CONCUR_LESSON_COST_H
#define CONCUR_LESSON_COST_H

#include "harness/lessons/lesson_ctx.h"

extern const struct lesson lesson_worker_price, lesson_honest;

/* Measures and prints what starting one thread and one process costs,
 * with the spawn benchmark's code (harness/run/spawn_cost.c); returns the
 * process's median in microseconds, or NAN. Lesson 3 uses it too. */
double lesson_spawn_cost(const struct lesson_ctx *ctx);

#endif
