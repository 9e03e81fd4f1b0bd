// SPDX-License-Identifier: MIT
/*
 * bench.h - `concur bench` (make bench): fixed cases, each a ratio to an
 * ideal or to a peer measured in the same run, written to
 * results/bench-latest.csv with the columns
 *
 *     case,model,workers,measured,reference,ratio,target,met,unit
 *
 * then the machine's and the run's (report/bench_file.h): cpu_model,
 * kernel, mitigations, mitigations_hash, cores, sizes. The file it
 * replaces is kept as results/bench-previous.csv and, when from the same
 * machine, compared with the new one (report/bench_compare.h).
 *
 * What a case is and the rows it adds: rows.h. The cases live in gil.c,
 * loop.c, memory.c, models.c, mpi.c, python.c, server.c and shared.c, each
 * with its header, and are listed in the table in bench.c. A benchmark
 * measures: it never fails because a target was missed, only when results
 * are wrong (the case returns -1).
 */
#ifndef CONCUR_BENCH_H
#define CONCUR_BENCH_H

/* `concur bench [--cases LIST] [--repeat R] [--quick] [--out FILE]`;
 * returns the exit status. */
int bench_main(int argc, char **argv);

#endif
