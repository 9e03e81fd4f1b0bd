// SPDX-License-Identifier: MIT
/*
 * report_latency.h - report.html's latency section: each case's latency
 * tail (p50, p90, p99, p99.9, max) measured from the task's start (naive)
 * and from its intended start (corrected), side by side. In an open run
 * (--arrival open) the two differ by the time tasks queued: lesson 16's
 * coordinated omission, on the page.
 *
 * Errors: none; a set without the columns (older than them) gets no
 * section.
 */
#ifndef CONCUR_REPORT_LATENCY_H
#define CONCUR_REPORT_LATENCY_H

#include <stdio.h>

#include "harness/report/set_load.h"

/* Writes the section, or nothing when no case has the figures. */
void report_latency(FILE *f, const struct set *s);

#endif
