// SPDX-License-Identifier: MIT
/*
 * files.h - the files the tests read back (what a command printed or
 * saved) and the scratch directories they write into.
 */
#ifndef CONCUR_TEST_FILES_H
#define CONCUR_TEST_FILES_H

#include <stddef.h>

/* The whole file, NUL-terminated (free it), its length in *len (may be
 * NULL); NULL when it cannot be read. */
char *files_read(const char *path, size_t *len);

/* The file into buf, NUL-terminated and truncated to cap; "" when it
 * cannot be read. */
void files_read_into(const char *path, char *buf, size_t cap);

/* A fresh directory /tmp/concur-NAME-XXXXXX into dir (fails the test
 * when it cannot be made). */
void files_tmp_dir(char *dir, size_t len, const char *name);

/* Removes dir and everything in it (fails the test when it cannot). */
void files_rm_dir(const char *dir);

#endif
