// SPDX-License-Identifier: MIT
/*
 * handin.h - hand-ins made for `concur class` and what it left judged
 * (tests/support/handin.c), shared by the suites on hostile hand-ins:
 * tests/e2e/test_hostile_handins.c (files) and test_hostile_archives.c
 * (archives and signals). A test calls handin_scratch() first and
 * files_rm_dir(handin_dir) last; each test runs in a process of its own,
 * so the folders and buffers below are that test's.
 */
#ifndef CONCUR_TEST_HANDIN_H
#define CONCUR_TEST_HANDIN_H

extern char handin_dir[64];    /* the test's scratch folder */
extern char handin_tmp[128];   /* the TMPDIR concur is given: empty after */
extern char handin_out[65536]; /* what the last command printed */
extern char handin_err[65536]; /* concur's stderr (handin_concur) */

/* text written to path (fails the test when it cannot be). */
void handin_write_file(const char *path, const char *text);

/* A small, valid result set at path, its machine called host. */
void handin_make_set(const char *path, const char *host);

/* Runs cmd through sh (stdout and stderr into handin_out); asserts it
 * exits 0. */
void handin_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The scratch folder: dir/tmp (TMPDIR), dir/c/good (the good hand-in),
 * dir/secret/set (a set of the teacher's, never to be shown). */
void handin_scratch(void);

/* `concur ARGS` with TMPDIR=handin_tmp, killed after 30 s (a hang fails
 * the test instead of stopping the suite); stdout and stderr apart. */
int handin_concur(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Nothing left in TMPDIR, and no page half-written beside the page. */
void handin_assert_no_temp_left(void);

/* `concur class` on dir/c (the good hand-in and the bad ones, plus
 * flags): exit 0, the page written for the good one, each of the
 * `refused` bad ones in one line of stderr, no temp file left. */
void handin_class_refuses(int refused, const char *flags);

/* The one line about hand-in `name` holds `why`. */
void handin_assert_said(const char *name, const char *why);

#endif
