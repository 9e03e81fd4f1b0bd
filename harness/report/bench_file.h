// SPDX-License-Identifier: MIT
/*
 * bench_file.h - a bench file (results/bench-latest.csv) written and read
 * back: each row's ratio and the machine it was measured on, so that
 * `concur bench` can compare a run with the one before it and `concur
 * compare A.csv B.csv` two runs (bench_compare.h). A ratio is read against
 * another only when both come from the same machine: the same CPU model,
 * kernel, mitigations and cores. (A kernel with page-table isolation makes
 * every system call dearer: c10k's ratio moves with no change in concur.)
 *
 * The columns: the measurement's nine, the machine's five, and the run's
 * sizes ("full", or "quick" under --quick, whose ratios are of other work)
 * and the load average when it started (not compared: shown beside a
 * warning, since a loaded machine moves ratios too):
 *
 *     case,model,workers,measured,reference,ratio,target,met,unit,
 *     cpu_model,kernel,mitigations,mitigations_hash,cores,sizes,load
 *
 * A file is read as untrusted input (set_file.h): a regular file, never a
 * link or a FIFO, at most 1 MB, each field at most 512 bytes, quotes as
 * RFC 4180 has them, every row as long as the header. A file that breaks a
 * rule is refused whole, with one phrase in `why`. A file from before the
 * machine columns is read, with has_machine 0: its ratios are compared
 * with no other's.
 *
 * Errors: bench_file_load and bench_file_parse return 0 or -1 (why says
 * what); the rest cannot fail.
 */
#ifndef CONCUR_BENCH_FILE_H
#define CONCUR_BENCH_FILE_H

#include <stddef.h>
#include <stdio.h>

#define BENCH_FILE_MAX_BYTES ((size_t)1024 * 1024)
#define BENCH_FILE_MAX_FIELD 512
#define BENCH_FILE_MAX_ROWS 4096

/* The header line bench.c writes (without its newline). */
#define BENCH_FILE_HEADER                                                      \
	"case,model,workers,measured,reference,ratio,target,met,unit,"         \
	"cpu_model,kernel,mitigations,mitigations_hash,cores,sizes,load"

/* The machine a bench ran on (bench/machine.h reads it). */
struct bench_machine {
	char cpu_model[128];	   /* /proc/cpuinfo's "model name" */
	char kernel[128];	   /* uname -r */
	char mitigations[480];	   /* "spectre_v2=retpolines;tsa=vulnerable" */
	char mitigations_hash[24]; /* their full text's hash, 16 hex digits */
	int cores;		   /* online CPUs */
};

/* One row as read back: what a comparison needs. */
struct bench_file_row {
	char case_name[64];
	char model[64];
	int workers;
	double ratio; /* NAN when the row has none */
	char target[24];
	char unit[16];
};

struct bench_file {
	struct bench_file_row *rows; /* n of them (owned; bench_file_free) */
	size_t n;
	int has_machine;	      /* 0: a file without machine columns */
	struct bench_machine machine; /* every row's (they must agree) */
	char sizes[8]; /* "full" or "quick" (every row's); "": not said */
	double load; /* the 1-minute load average at the start; NAN: not said */
};

/* Reads path (refused if it is not a regular file of at most
 * BENCH_FILE_MAX_BYTES, or a link); 0 or -1. */
int bench_file_load(const char *path, struct bench_file *f, char *why,
		    size_t len);

/* Parses the n bytes at text; 0 or -1. */
int bench_file_parse(const char *text, size_t n, struct bench_file *f,
		     char *why, size_t len);

void bench_file_free(struct bench_file *f);

/* Writes s as one CSV field: quoted, its quotes doubled, when it holds a
 * comma, a quote or a line break. */
void bench_file_put_field(FILE *out, const char *s);

/* Writes ",cpu_model,kernel,mitigations,mitigations_hash,cores" (the
 * row's last five fields, after its unit). */
void bench_file_put_machine(FILE *out, const struct bench_machine *m);

/* NULL when a and b are the same machine, else what differs first:
 * "CPU model", "kernel", "mitigations" or "cores". */
const char *bench_machine_differs(const struct bench_machine *a,
				  const struct bench_machine *b);

#endif
