// SPDX-License-Identifier: MIT
/*
 * lesson_run.h - a lesson run as a student runs it, for the suites that
 * judge lessons (test_lesson_judge, test_lesson_judge_late): `concur` with
 * a prediction piped in, its stdout and stderr kept, the lesson.json it
 * says it saved read back, its verdict line, and a CPU hog (a child
 * spinning on one core) to run it beside.
 */
#ifndef CONCUR_TEST_LESSON_RUN_H
#define CONCUR_TEST_LESSON_RUN_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>

/* What the last lesson_run_piped printed. */
struct lesson_output {
	char out[256 * 1024]; /* stdout */
	char err[16384];      /* stderr */
};

/* Runs `printf INPUT | concur ARGS` in dir (its stdout and stderr go to
 * dir/stdout and dir/stderr, then into o); returns the exit status. */
int lesson_run_piped(const char *input, const char *args, const char *dir,
		     struct lesson_output *o);

/* The lesson.json the output says it saved; NULL when none. */
json_t *lesson_run_saved_json(const char *output);

/* The word(s) after "  verdict: ", or "" when there is no verdict. */
void lesson_run_verdict(const char *output, char *buf, size_t len);

/* A child spinning on one core until lesson_hog_stop. */
pid_t lesson_hog_start(void);
void lesson_hog_stop(pid_t pid);

#endif
