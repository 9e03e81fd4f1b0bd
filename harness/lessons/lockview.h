// SPDX-License-Identifier: MIT
/* lockview.h - lesson 6: who holds the lock, traced and drawn (lock.csv,
 * lock.png in the lesson's result set); see lockview.c. */
#ifndef CONCUR_LESSON_LOCKVIEW_H
#define CONCUR_LESSON_LOCKVIEW_H

#include "harness/lessons/lesson_ctx.h"

/* Traces the gil model's lock on a short compute batch at C = workers,
 * at 5 ms and 0.5 ms switch intervals; writes lock.csv and lock.png into
 * ctx->first_set and says how often the lock changed hands. */
void lesson_gil_lockview(struct lesson_ctx *ctx, int workers);

#endif
