// SPDX-License-Identifier: MIT
/*
 * scheduler.h - the lesson "Scheduler costs" (scheduler.c): what handing
 * out one task costs a central scheduler (py-dask), a master-worker farm
 * (mpi) and a process pool (py-processes), and the task size below which
 * distributing loses to one loop (issue 31 item 4).
 */
#ifndef CONCUR_LESSON_SCHEDULER_H
#define CONCUR_LESSON_SCHEDULER_H

#include "harness/lessons/lesson_ctx.h"

extern const struct lesson lesson_scheduler;

#endif
