// SPDX-License-Identifier: MIT
/* amdahl.h - lesson 15: Amdahl's law fitted to a measured speedup curve,
 * and Gustafson's view when the work grows with the workers. */
#ifndef CONCUR_LESSON_AMDAHL_H
#define CONCUR_LESSON_AMDAHL_H

#include "harness/lessons/lesson_ctx.h"

extern const struct lesson lesson_amdahl;

#endif
