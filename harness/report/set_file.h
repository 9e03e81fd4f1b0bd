// SPDX-License-Identifier: MIT
/*
 * set_file.h - one file of a result set read as untrusted input: a set may
 * come from a student, so its files may be FIFOs (an open or a read that
 * never returns), links to the teacher's own files, or gigabytes. A file
 * is opened O_RDONLY|O_NONBLOCK|O_NOFOLLOW|O_CLOEXEC, checked with fstat
 * after the open (S_ISREG: no race between a check and the open), and read
 * only up to a cap.
 *
 * Errors: set_file_open returns a descriptor or -1, set_file_read the
 * bytes or NULL; on failure `why` holds one phrase ("is not a regular
 * file", "is larger than 8 MB (the cap)") and nothing is printed.
 */
#ifndef CONCUR_SET_FILE_H
#define CONCUR_SET_FILE_H

#include <stddef.h>

/* The cap on one file of a set, unless a command raises it (MB). */
#define SET_FILE_MAX_MB 8

/* Opens path for reading if it is a regular file of at most max bytes;
 * follow_link: the last part of path may be a symbolic link (a path the
 * user typed), else a link is refused. */
int set_file_open(const char *path, size_t max, int follow_link, char *why,
		  size_t len);

/* The whole of path (a regular file, not a link, at most max bytes),
 * NUL-terminated (free it), its length in *n. */
char *set_file_read(const char *path, size_t max, size_t *n, char *why,
		    size_t len);

#endif
