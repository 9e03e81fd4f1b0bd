// SPDX-License-Identifier: MIT
/*
 * class_gather.h - the result sets of a class, as students hand them in:
 * set directories, folders of them, and archives (.tar.gz, .tgz, .zip)
 * unpacked by Debian's own tools (tar, unzip) into a temporary folder.
 * A set that cannot be read is refused with one line on stderr naming
 * it and why, and the others are kept.
 *
 * Errors: class_gather returns 0, or -1 when memory runs out; refusals
 * are counted, not errors.
 */
#ifndef CONCUR_CLASS_GATHER_H
#define CONCUR_CLASS_GATHER_H

#include <stddef.h>

#include "harness/report/set_load.h"

struct class_sets {
	struct set *sets; /* the readable ones */
	size_t n;
	size_t refused; /* paths skipped, each said on stderr */
	char tmp[64];	/* where archives were unpacked ("": none) */
};

/* Adds the sets found at path (a set, a folder of sets or archives, an
 * archive). */
int class_gather(struct class_sets *c, const char *path);

/* Frees the sets and removes the unpacked archives. */
void class_gather_free(struct class_sets *c);

#endif
