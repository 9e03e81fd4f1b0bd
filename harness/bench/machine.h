// SPDX-License-Identifier: MIT
/*
 * machine.h - the machine a bench runs on, as each bench row records it
 * (report/bench_file.h's struct bench_machine): the CPU model (the first
 * "model name" of /proc/cpuinfo), the kernel (/proc/sys/kernel/osrelease,
 * what uname -r prints), the mitigations the kernel applies (the files of
 * /sys/devices/system/cpu/vulnerabilities) and the online CPUs
 * (/sys/devices/system/cpu/online). Two benches are compared only when
 * all four agree: with page-table isolation on, every system call costs
 * more, and a ratio moves with no change in the code.
 *
 * The mitigations are kept twice: a short summary ("meltdown=pti;
 * spectre_v2=retpolines;tsa=vulnerable"; "Not affected" left out, "none"
 * when nothing is left) and a hash of their full text (FNV-1a, 64 bits,
 * 16 hex digits), which catches what the summary leaves out; the full
 * text goes to a side file named after the hash.
 *
 * Every file is read under a root ("" for this machine; a test's folder
 * holding proc/ and sys/), each as untrusted input: a regular file, never
 * a link or a FIFO, read up to a cap; control bytes become spaces. What
 * cannot be read is "unknown".
 *
 * Errors: bench_machine_read cannot fail; bench_machine_save returns 0 or
 * -1 (errno set, nothing printed).
 */
#ifndef CONCUR_BENCH_MACHINE_H
#define CONCUR_BENCH_MACHINE_H

#include <stddef.h>

#include "harness/report/bench_file.h"

/* Room for the mitigations' full text (longer text is cut, the same way
 * every time, so its hash stays stable). */
#define BENCH_MACHINE_FULL_MAX 16384

/* Reads the machine under root into m, and the mitigations' full text,
 * one "name: text" line each, into full (BENCH_MACHINE_FULL_MAX bytes). */
void bench_machine_read(const char *root, struct bench_machine *m, char *full);

/* The 1-minute load average (root/proc/loadavg's first figure), or NAN:
 * not the machine's identity, but what a ratio moved with. */
double bench_machine_load(const char *root);

/* Writes full to DIR/bench-mitigations-HASH.txt (replaced whole) and its
 * path into path (len bytes); 0 or -1. */
int bench_machine_save(const char *dir, const struct bench_machine *m,
		       const char *full, char *path, size_t len);

#endif
