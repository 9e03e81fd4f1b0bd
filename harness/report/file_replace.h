// SPDX-License-Identifier: MIT
/*
 * file_replace.h - writing a file so that readers see the old version or
 * the new one, never half of one: write a temporary file in the same
 * directory, then rename() it over the target (rename replaces a name in
 * one step on the same file system).
 *
 * Errors: 0 or -1; on failure the temporary file is removed and the old
 * version, if any, stays.
 */
#ifndef CONCUR_FILE_REPLACE_H
#define CONCUR_FILE_REPLACE_H

#include <stdio.h>

/* One replacement in progress: write to f, then commit. */
struct file_replace {
	FILE *f;	/* the temporary file, open for writing */
	char tmp[4352]; /* its name: path + ".tmp.XXXXXX" */
	char path[4096];
};

/* Opens a temporary file next to path; 0 or -1. */
int file_replace_open(struct file_replace *r, const char *path);
/* Closes and renames it into place; 0 or -1 (the temporary is removed). */
int file_replace_commit(struct file_replace *r);

#endif
