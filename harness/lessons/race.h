// SPDX-License-Identifier: MIT
/* race.h - lessons 11 and 14: what goes wrong with shared state, a data
 * race that loses updates and two locks taken in opposite orders. */
#ifndef CONCUR_LESSON_RACE_H
#define CONCUR_LESSON_RACE_H

#include "harness/lessons/lesson_ctx.h"

extern const struct lesson lesson_data_race, lesson_deadlock;

#endif
