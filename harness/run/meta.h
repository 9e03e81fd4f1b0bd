// SPDX-License-Identifier: MIT
/*
 * meta.h - meta.json of a result set: the machine, the versions, the
 * command line, every option, and whether the set is complete or partial.
 */
#ifndef CONCUR_META_H
#define CONCUR_META_H

#include "harness/run/sweep.h"

/* Writes <dir>/meta.json, replaced whole; status is "running", "complete"
 * or "partial" (then "reason" says why when a file could not be written:
 * s->write_error). 0 or -1. */
int meta_write(const struct sweep *s, const char *status);

/* The CPU model as lscpu reports it ("Model name"), into buf. */
void meta_cpu_model(char *buf, size_t len);

#endif
