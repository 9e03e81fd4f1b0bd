// SPDX-License-Identifier: MIT
/* openloop.h - lesson 16: closed loop, open loop, and the missing
 * samples: a pool's knee under open-loop arrivals, and a server stall
 * that a naive latency hides (coordinated omission). */
#ifndef CONCUR_LESSON_OPENLOOP_H
#define CONCUR_LESSON_OPENLOOP_H

#include "harness/lessons/lesson_ctx.h"

extern const struct lesson lesson_open_loop;

#endif
