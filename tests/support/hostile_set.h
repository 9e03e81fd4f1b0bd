// SPDX-License-Identifier: MIT
/*
 * hostile_set.h - result sets made hostile from a real one
 * (tests/support/hostile_set.c), shared by the suites on what concur
 * shows of a hand-in: tests/e2e/test_hostile_pages.c (markup on the
 * pages) and test_hostile_terminal.c (control bytes on the terminal).
 * hostile_sets_make, as a suite's unchecked fixture, makes a scratch
 * folder with a set as `concur run` made it; a test copies that set and
 * rewrites its names and meta.json.
 */
#ifndef CONCUR_TEST_HOSTILE_SET_H
#define CONCUR_TEST_HOSTILE_SET_H

#include <stddef.h>

extern char hostile_dir[128];	  /* the suite's scratch folder */
extern char hostile_run_set[256]; /* a set as concur run made it */

/* The scratch folder and the set in it (an unchecked fixture), and
 * both removed. */
void hostile_sets_make(void);
void hostile_sets_remove(void);

/* The text of path made by a function of the text (copied as is when fn
 * is NULL) into to. */
void hostile_rewrite(const char *from, const char *to,
		     char *(*fn)(const char *text));

/* Every file of the set `from` copied into a new folder `to`. */
void hostile_copy_set(const char *from, const char *to);

/* A CSV file of the set with its names replaced: workload and model
 * (the first two fields; "threads" only), and every case noisy, slow on
 * its first run, with a timing difference and an estimated baseline, so
 * that the report's notes name each case. */
void hostile_rename_cases(const char *set, const char *file,
			  const char *workload, const char *model);

/* meta.json's strings replaced by value (its sections' too), and a key of
 * options named key. */
void hostile_poison_meta(const char *set, const char *value, const char *key);

/* `concur ARGS` (a printf format; sh runs it, so more commands may
 * follow), stdout and stderr into out; the last one's exit status must
 * be want. */
void hostile_concur_expect(int want, char *out, size_t len, const char *fmt,
			   ...) __attribute__((format(printf, 4, 5)));

/* s in single quotes for sh, into buf; returns buf. */
const char *hostile_sq(const char *s, char *buf, size_t len);

#endif
