// SPDX-License-Identifier: MIT
/*
 * table.h - the terminal table of a sweep: one block per workload, one row
 * per case, then the error kinds, the noise warnings, the notes, and the
 * runs whose results were wrong.
 */
#ifndef CONCUR_TABLE_H
#define CONCUR_TABLE_H

#include "harness/run/sweep.h"

/* Prints the table of a summarized sweep on stdout. */
void table_print(const struct sweep *s);

#endif
