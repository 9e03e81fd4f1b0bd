// SPDX-License-Identifier: MIT
/*
 * file_replace.h - writing a file so that readers see the old version or
 * the new one, never half of one: write a temporary file in the same
 * directory, then rename() it over the target (rename replaces a name in
 * one step on the same file system). Only a regular file, a symbolic
 * link (the link itself is replaced: what it points to is never written)
 * or a new name is replaced; a directory, a FIFO, a device or a socket by
 * that name is refused, not swapped for a regular file.
 *
 * Errors: 0 or -1 with errno (EISDIR or EEXIST for a refused target); on
 * failure the temporary file is removed and the old version, if any,
 * stays.
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

/* What stands at path that must not be replaced ("a directory", "a
 * FIFO", "a device", "a socket"), or NULL when path is free, a regular
 * file or a symbolic link. Commands check their --out with it first, to
 * refuse it in one line (exit 2) before doing any work. */
const char *file_replace_obstacle(const char *path);
/* The check of a command's --out: 0, or -1 after one line naming the
 * command, the path and what is there ("concur: class: --out /dev/null is
 * a device, not a file"); the caller exits 2. */
int file_replace_check_out(const char *command, const char *path);
/* Opens a temporary file next to path; 0 or -1. */
int file_replace_open(struct file_replace *r, const char *path);
/* Closes and renames it into place; 0 or -1 (the temporary is removed). */
int file_replace_commit(struct file_replace *r);

/* mkdir -p path: every missing directory on the way, mode 0755; 0 or -1
 * (errno set, nothing printed). */
int file_mkdirs(const char *path);

#endif
