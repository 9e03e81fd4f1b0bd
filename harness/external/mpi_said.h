// SPDX-License-Identifier: MIT
/*
 * mpi_said.h - a program's stderr, read line by line through a pipe: every
 * line passed on to ours, made safe for the terminal, or, for mpirun,
 * Open MPI's own messages held back to be said as one line of ours when
 * the run fails (mpi.c's launcher does that).
 *
 * Errors: none; what does not fit is cut.
 */
#ifndef CONCUR_MPI_SAID_H
#define CONCUR_MPI_SAID_H

#include <stddef.h>

/* What mpirun writes on its stderr (the harness reads it through a
 * pipe). The ranks' own lines (--trace's "[mpi w3] ...", "concur-mpi:
 * ...") pass through to ours as they come; Open MPI's messages (boxes of
 * dashes, ten lines for one fact) are held, and when the run fails the
 * harness says one line of its own made from them. With pass_all
 * (--trace, and any program that is not mpirun) everything passes
 * through. What passes is made safe for the terminal (term.h). */
struct mpi_said {
	int pass_all;
	char line[1024]; /* the line being assembled (longer: cut) */
	size_t line_len;
	char held[4096]; /* Open MPI's lines (the first 4 KiB) */
	size_t held_len;
};

/* Takes n bytes of mpirun's stderr; (NULL, 0) at end of file. */
void mpi_said_bytes(struct mpi_said *s, const char *buf, size_t n);

/* Reads what is there now on *fd (non-blocking) into s; at end of file
 * closes it and sets *fd to -1. */
void mpi_said_read(struct mpi_said *s, int *fd);

/* One line saying why the job failed, into out: the line naming a rank
 * that died, else Open MPI's first paragraph (empty when it said
 * nothing). Returns 1 when what it said names a rank, that is, ranks had
 * started; 0 when the job never started (a host unreachable, no slots). */
int mpi_said_summary(const struct mpi_said *s, char *out, size_t len);

/* 1 when mpirun said that a rank died ("mpirun noticed that process rank
 * N ... exited on signal 9"). */
int mpi_said_rank_died(const struct mpi_said *s);

#endif
