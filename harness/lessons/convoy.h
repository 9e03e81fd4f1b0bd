// SPDX-License-Identifier: MIT
/* convoy.h - lesson 6's last part: the GIL's convoy effect, measured; see
 * convoy.c. */
#ifndef CONCUR_LESSON_CONVOY_H
#define CONCUR_LESSON_CONVOY_H

#include "harness/lessons/lesson_ctx.h"

/* Times a few short fetches alone and beside computing threads, under the
 * gil and without it, against the server at server_url; explains the
 * difference and saves convoy.csv in ctx->first_set. */
void lesson_gil_convoy(struct lesson_ctx *ctx, const char *server_url);

#endif
