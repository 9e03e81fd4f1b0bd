// SPDX-License-Identifier: MIT
/*
 * answer.h - the student's side of a lesson: reading the prediction (from
 * --predict, a terminal, or a pipe line by line), grading it against the
 * run (or, when the run judged itself unable to show the claim, against
 * what this machine should give), and saving both as lesson.json in the
 * result set, so that a class's answers can be collected.
 *
 * Errors: answer_save returns 0 or -1 after one line on stderr; the
 * others cannot fail.
 */
#ifndef CONCUR_LESSON_ANSWER_H
#define CONCUR_LESSON_ANSWER_H

#include <stdbool.h>

#include "harness/lessons/lesson_ctx.h"

/* A prediction and what became of it. */
struct answer {
	bool given;	   /* a prediction was made */
	double predicted;  /* its value, in the lesson's unit */
	const char *from;  /* "command line", "terminal", "standard input" */
	const char *grade; /* the verdict: "close", "close to what this
			      machine should give", "right order", "off",
			      "not graded", or NULL before grading */
	double against;	   /* the value it was graded against, or NAN */
	int runs_close;	   /* graded run by run (lesson_ctx.each_run): the
			      runs it was close to, of runs_graded; 0 of 0
			      otherwise */
	int runs_graded;
};

/* Asks for the prediction when none was given: on a terminal it waits
 * for the student; a pipe is read line by line (a line that is not a
 * number is said and skipped); nothing is read under --no-pause. */
void answer_ask(const struct lesson *l, bool no_pause, struct answer *a);

/* Puts the prediction next to the run, as "Your prediction" and a
 * "  verdict: ..." line; fills a->grade and a->against. */
void answer_grade(const struct lesson *l, const struct lesson_ctx *ctx,
		  struct answer *a);

/* Writes ctx->first_set/lesson.json (no result set: nothing written). */
int answer_save(const struct lesson *l, const struct lesson_ctx *ctx,
		const struct answer *a);

#endif
