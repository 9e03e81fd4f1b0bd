// SPDX-License-Identifier: MIT
/*
 * class_unpack.h - one archive handed in (.tar.gz, .tgz, .zip) unpacked
 * in-process with libarchive, as a careful tar would and more: every
 * entry is seen before anything is written, so an entry named from / or
 * with "..", more entries, bytes or depth than the caps, or the same name
 * twice refuse the whole archive; links (symbolic and hard), devices and
 * FIFOs are never unpacked (counted, so the caller can say so); each
 * regular file is created new (O_CREAT|O_EXCL|O_NOFOLLOW) under the
 * folder given, which must be private and empty.
 *
 * Errors: class_unpack returns 0, or -1 with one phrase in `why`
 * ("unpacks to more than 64 MB (the cap; --max-unpacked raises it)");
 * nothing is printed. What was written stays for the caller to remove.
 */
#ifndef CONCUR_CLASS_UNPACK_H
#define CONCUR_CLASS_UNPACK_H

#include <stddef.h>

#include "harness/report/set_load.h"

/* The caps on one hand-in; each has a flag of `concur class`. */
struct class_limits {
	struct set_limits set; /* --max-size (each file), --max-rows */
	size_t max_unpacked;   /* --max-unpacked: an archive's bytes, out */
	size_t max_entries;    /* --max-entries: entries of a hand-in */
	int max_depth;	       /* --max-depth: folders above its set */
};

#define CLASS_MAX_UNPACKED_MB 64
#define CLASS_MAX_ENTRIES 5000
#define CLASS_MAX_DEPTH 6
#define CLASS_MAX_DEPTH_CAP 64 /* the largest --max-depth */

/* Unpacks archive into the folder into; follow_link: archive is a path
 * the user typed (its last part may be a link). *skipped counts the
 * links and special files left out. */
int class_unpack(const char *archive, int follow_link, const char *into,
		 const struct class_limits *lim, size_t *skipped, char *why,
		 size_t len);

#endif
