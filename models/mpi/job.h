// SPDX-License-Identifier: MIT
/*
 * job.h - what every rank of concur-mpi holds, and the protocol's JSON on
 * both ends (protocol.c).
 *
 * concur-mpi is one program started as R ranks by `mpirun`. Rank 0 alone
 * has the harness's pipe on its stdin: it reads the batch and broadcasts
 * the bytes, so every rank parses the same batch into its own copy. Ranks
 * share no memory: a result travels to rank 0 as a message, and rank 0
 * alone writes the result lines (models/README.md, the protocol).
 *
 * Errors: functions return 0 or -1 after one line on stderr.
 */
#ifndef CONCUR_MPI_JOB_H
#define CONCUR_MPI_JOB_H

#include <curl/curl.h>
#include <stdio.h>

#include "common/options.h"
#include "common/task.h"

/* One rank's view of the run. Every field is this rank's own: nothing is
 * shared between ranks except through messages. */
struct mpi_job {
	struct batch *batch;  /* this rank's copy; results are filled where
				  the task ran, then sent to rank 0 */
	struct run_opts opts; /* from the batch's "options" */
	char model[32];	      /* "mpi" or "mpi-static" */
	int rank, size;	      /* MPI_COMM_WORLD */
	CURL *curl;	      /* this rank's handle (kept-alive connections) */
};

/* Parses the protocol's batch document (len bytes of text) into j->batch,
 * j->opts and j->model. */
int job_parse(struct mpi_job *j, const char *text, size_t len);

/* One result line for task i, flushed (lines that reached the harness
 * before a crash are kept); with handed_out >= 0, the line also says
 * that tasks 0..handed_out-1 have reached a worker. */
void job_write_result(FILE *out, const struct batch *b, size_t i,
		      long handed_out);

/* {"handed_out": n}, flushed: tasks 0..n-1 have reached a worker (or are
 * about to: it is written before the send, so that a crash can only make
 * the harness think a task started, never the reverse). The tasks above
 * it are not_run if the job dies. */
void job_write_handed_out(FILE *out, size_t n);

/* The last line: the run time and how many ranks did work. */
void job_write_end(FILE *out, double run_s, int workers);

/* The two models; both run on every rank and return 0 or -1. */
int farm_run(struct mpi_job *j);
int static_run(struct mpi_job *j);

/* `concur-mpi --latency`: 8-byte ping-pong between ranks 0 and 1
 * (pingpong.c); rank 0 prints {"latency_us": X}. Returns 0 or -1. */
int pingpong_run(int rank, int size);

#endif
