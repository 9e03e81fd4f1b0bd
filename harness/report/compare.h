// SPDX-License-Identifier: MIT
/*
 * compare.h - `concur compare DIR DIR`: two result sets side by side, with
 * a verdict per case on whether the difference is larger than the spread.
 */
#ifndef CONCUR_COMPARE_H
#define CONCUR_COMPARE_H

/* `concur compare DIR_A DIR_B [--plot]`; returns the exit status (2: bad
 * usage). */
int compare_main(int argc, char **argv);

#endif
