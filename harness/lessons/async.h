// SPDX-License-Identifier: MIT
/* async.h - lesson "async/await is a loop plus coroutines" (async.c). */
#ifndef CONCUR_LESSON_ASYNC_H
#define CONCUR_LESSON_ASYNC_H

#include "harness/lessons/lesson_ctx.h"

extern const struct lesson lesson_async;

#endif
