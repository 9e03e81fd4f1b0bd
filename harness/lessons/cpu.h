// SPDX-License-Identifier: MIT
/* cpu.h - lessons 5 and 6: work that keeps the CPU busy, and the GIL. */
#ifndef CONCUR_LESSON_CPU_H
#define CONCUR_LESSON_CPU_H

#include "harness/lessons/lesson_ctx.h"

extern const struct lesson lesson_cpu_bound, lesson_gil;

#endif
