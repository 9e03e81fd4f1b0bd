// SPDX-License-Identifier: MIT
/*
 * beyond.h - the lesson "Beyond one machine" (beyond.c): what a message
 * costs, when messages pay, dynamic vs static on skewed work, strong and
 * weak scaling with Amdahl and Gustafson.
 */
#ifndef CONCUR_LESSON_BEYOND_H
#define CONCUR_LESSON_BEYOND_H

#include "harness/lessons/lesson_ctx.h"

extern const struct lesson lesson_beyond;

#endif
