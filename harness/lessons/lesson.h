// SPDX-License-Identifier: MIT
/*
 * lesson.h - `concur lesson`, the runner that asks for a prediction and
 * puts it next to what happened.
 *
 * The runner (lesson.c) keeps the table of the lessons, lists
 * them, asks for the prediction (answer.c), runs the lesson and grades the
 * prediction against what the lesson's own run gave. What a lesson is, and
 * what one lesson run holds: lesson_ctx.h.
 *
 * Errors: lesson_main returns the exit status: 0 done, 1 the experiment
 * could not run or found wrong results, 2 bad usage.
 */
#ifndef CONCUR_LESSON_H
#define CONCUR_LESSON_H

/* `concur lesson [N] [--predict VALUE] [--no-pause] [--quick] [--repeat R]
 * [--out DIR]`;
 * returns the exit status. */
int lesson_main(int argc, char **argv);

#endif
