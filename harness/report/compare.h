// SPDX-License-Identifier: MIT
/*
 * compare.h - `concur compare DIR DIR`: two result sets side by side. The
 * settings that differ come first (a ratio between runs of different work
 * says nothing); then per case the change B/A with a 95% interval and the
 * Mann-Whitney test over the runs' wall times (significance.h), and a
 * verdict: B faster, B slower, no measurable difference, or too few runs
 * to tell. The report's "compared with" section uses the same parts.
 *
 * Errors: compare_main returns the exit status (2: bad usage, a set that
 * cannot be read); the rest cannot fail.
 */
#ifndef CONCUR_COMPARE_H
#define CONCUR_COMPARE_H

#include <jansson.h>

/* Called once per setting that differs: "options.tasks", A's value, B's
 * value (as JSON text; "(none)" when one side lacks it). */
typedef void (*compare_diff_fn)(void *ctx, const char *setting, const char *a,
				const char *b);

/* Calls fn for every key of meta.json's options, machine and versions
 * whose value differs between a and b; returns how many. */
int compare_settings_each(json_t *a, json_t *b, compare_diff_fn fn, void *ctx);

/* `concur compare DIR_A DIR_B [--plot]`; returns the exit status. */
int compare_main(int argc, char **argv);

#endif
