// SPDX-License-Identifier: MIT
/*
 * atomic.h - writing a file so that readers see the old version or the new
 * one, never half of one: write a temporary file in the same directory,
 * then rename() it over the target.
 */
#ifndef CONCUR_ATOMIC_H
#define CONCUR_ATOMIC_H

#include <stdio.h>

struct atomic_file {
	FILE *f;
	char tmp[4352];
	char path[4096];
};

/* Opens a temporary file next to path; 0 or -1. */
int atomic_open(struct atomic_file *a, const char *path);
/* Closes and renames it into place; 0 or -1 (the temporary is removed). */
int atomic_commit(struct atomic_file *a);

#endif
