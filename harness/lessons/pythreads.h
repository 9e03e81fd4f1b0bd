// SPDX-License-Identifier: MIT
/* pythreads.h - lesson 18, "Python threads in parallel": py-threads on 2
 * cores with work that holds the GIL and work that lets go of it; see
 * pythreads.c. */
#ifndef CONCUR_LESSON_PYTHREADS_H
#define CONCUR_LESSON_PYTHREADS_H

#include "harness/lessons/lesson_ctx.h"

extern const struct lesson lesson_python_threads;

#endif
