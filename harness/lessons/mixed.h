// SPDX-License-Identifier: MIT
/* mixed.h - lessons 7 and 8: tasks that wait and then compute, and how many
 * workers a pool needs. */
#ifndef CONCUR_LESSON_MIXED_H
#define CONCUR_LESSON_MIXED_H

#include "harness/lessons/lesson_ctx.h"

extern const struct lesson lesson_mixed, lesson_how_many;

#endif
