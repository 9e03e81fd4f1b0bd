// SPDX-License-Identifier: MIT
/*
 * class_sets.h - a class's result sets as gathered (class_gather.c) and
 * read by every section of the class page (class_lessons.c, class_tally.c,
 * class_status.c, class_workload.c), in a header of its own so that the
 * gatherer and the sections do not include each other (make check-layers).
 */
#ifndef CONCUR_CLASS_SETS_H
#define CONCUR_CLASS_SETS_H

#include <stddef.h>

#include "harness/report/class_unpack.h"
#include "harness/report/set_load.h"

struct class_sets {
	struct set *sets; /* the readable ones */
	size_t n, cap;
	size_t refused;		 /* paths skipped, each said on stderr */
	struct class_limits lim; /* set by the caller before gathering */
	char tmp[4096];		 /* where archives were unpacked ("": none) */
};

#endif
