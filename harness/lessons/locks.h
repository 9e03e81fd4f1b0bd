// SPDX-License-Identifier: MIT
/* locks.h - lessons 12 and 13: what keeping shared state right costs, a
 * lock against an atomic and a sharded counter, and false sharing. */
#ifndef CONCUR_LESSON_LOCKS_H
#define CONCUR_LESSON_LOCKS_H

#include "harness/lessons/lesson_ctx.h"

extern const struct lesson lesson_lock_price, lesson_false_sharing;

#endif
