// SPDX-License-Identifier: MIT
/*
 * messages.h - part 1 of the lesson "Beyond one machine" (beyond.c):
 * what one 8-byte message costs between two threads, two processes
 * (a pipe), and two MPI ranks over shared memory and over TCP, judged
 * before the student's prediction is (judge.h).
 */
#ifndef CONCUR_LESSON_MESSAGES_H
#define CONCUR_LESSON_MESSAGES_H

#include <stdbool.h>

#include "harness/lessons/lesson_ctx.h"

/* Measures and explains the latencies; sets ctx->actual to the one the
 * student predicted (MPI over TCP, or a pipe without MPI), and
 * ctx->judge: whether the run shows it, and what this machine should
 * give (the fastest trips). Returns 0, or -1 when nothing was measured. */
int messages_part(struct lesson_ctx *ctx, bool mpi);

#endif
