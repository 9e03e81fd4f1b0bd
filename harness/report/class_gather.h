// SPDX-License-Identifier: MIT
/*
 * class_gather.h - the result sets of a class, as students hand them in:
 * set directories, folders of them, and archives (.tar.gz, .tgz, .zip)
 * unpacked in-process (class_unpack.h) into a private temporary folder
 * (class_tmp.h). A hand-in is untrusted input: a walk never follows a
 * link, looks at most max_depth folders deep and max_entries entries
 * wide, and a set's files are read as set_file.h reads them. A hand-in
 * that cannot be read, or breaks a cap, is refused with one line on
 * stderr naming it and why, and the others are kept.
 *
 * Errors: class_gather returns 0, or -1 when memory runs out; refusals
 * are counted, not errors.
 */
#ifndef CONCUR_CLASS_GATHER_H
#define CONCUR_CLASS_GATHER_H

#include <stddef.h>

#include "harness/report/class_sets.h"

/* The limits a class is read within when no flag changes them. */
void class_limits_default(struct class_limits *lim);

/* Adds the sets found at path (a set, a folder of sets or archives, an
 * archive). */
int class_gather(struct class_sets *c, const char *path);

/* Frees the sets and removes the unpacked archives. */
void class_gather_free(struct class_sets *c);

#endif
