// SPDX-License-Identifier: MIT
/* io.h - lessons 1 and 2: where the time of a fetch goes, and how threads
 * win it back. */
#ifndef CONCUR_LESSON_IO_H
#define CONCUR_LESSON_IO_H

#include "harness/lessons/lesson_ctx.h"

extern const struct lesson lesson_waiting, lesson_threads_io;

#endif
