// SPDX-License-Identifier: MIT
/*
 * class_workload.h - one workload's section of the class page: the box
 * and strip plot of every machine's speedup per model and C (class_plot.h),
 * the machines far from the class named, and the table: machines, median,
 * middle half, slowest and fastest by name, and the cases left out for
 * their wrong results.
 *
 * Errors: none (write errors show when the page is committed).
 */
#ifndef CONCUR_CLASS_WORKLOAD_H
#define CONCUR_CLASS_WORKLOAD_H

#include <stdio.h>

#include "harness/report/class_sets.h"
#include "harness/report/class_plot.h"

/* The section of `workload`, from the groups (n of them) the sets gave. */
void class_workload(FILE *f, const struct class_sets *sets,
		    const struct class_group *groups, size_t n,
		    const char *workload);

#endif
