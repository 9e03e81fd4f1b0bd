// SPDX-License-Identifier: MIT
/* wait.h - lessons 3 and 4: other ways to wait (processes, the event loop). */
#ifndef CONCUR_LESSON_WAIT_H
#define CONCUR_LESSON_WAIT_H

#include "harness/lessons/lesson_ctx.h"

extern const struct lesson lesson_processes_io, lesson_event_loop;

#endif
