// SPDX-License-Identifier: MIT
/*
 * protocol.h - the two sides of the external-model protocol
 * (models/README.md), private to external.c: the batch written as one
 * JSON document, and the JSON lines read back, each checked before it
 * becomes a result.
 *
 * Errors: ext_proto_begin returns 0 or -1 (out of memory). A bad line is
 * never an error of the run: it becomes an `other` result on its task, or
 * is counted when it names no task.
 */
#ifndef CONCUR_EXTERNAL_PROTOCOL_H
#define CONCUR_EXTERNAL_PROTOCOL_H

#include <stddef.h>
#include <sys/types.h>

#include "harness/external/launcher.h"
#include "models/model.h"

/* A result line longer than this is malformed. */
#define EXT_LINE_MAX 8192

/* One run of an external program: owned by external_run, on its stack. */
struct ext_run {
	const struct model *m;
	struct batch *b;
	const struct run_opts *o;
	const struct external_opts *x; /* never NULL here */
	pid_t pid;		       /* the program, also its process group */
	int in_fd;	      /* our end of its stdin; -1 once closed */
	int out_fd;	      /* our end of its stdout; -1 at end of file */
	int err_fd;	      /* our end of its stderr, -1 at EOF */
	struct launch launch; /* how it is started, its stderr read and
				 its end judged (launcher.h) */
	double t_start;	      /* when we started it (clock_now) */
	double deadline;      /* the launcher may bring it nearer */
	int timed_out;	      /* we killed it at the deadline */

	/* The batch, written to in_fd (external.c sends it). */
	char *doc;
	size_t doc_len, doc_sent;

	/* What came back (protocol.c). */
	char line[EXT_LINE_MAX]; /* the line being assembled */
	size_t line_len;
	int line_too_long;	 /* skipping to the next newline */
	unsigned char *reported; /* reported[i]: task i had a line */
	size_t n_reported;
	long handed_out;    /* tasks below it reached a worker; -1: not said */
	size_t n_bad_lines; /* lines that named no task */
	char first_bad[64]; /* the start of the first such line */
	int have_run_s;
	double run_s;	     /* the program's own run time */
	int workers_started; /* what the last line says, or 0 */
};

/* Builds the document and the bookkeeping; 0 or -1. */
int ext_proto_begin(struct ext_run *x);

/* Takes n bytes of the program's stdout; (NULL, 0) at end of file, where a
 * last line without a newline still counts. */
void ext_proto_bytes(struct ext_run *x, const char *buf, size_t n);

/* After the reap: the verdict in stats->external_status (status.h) and note, and a
 * result for every task the program did not report, whose kind follows
 * from how it ended (wstatus from wait4). */
void ext_proto_finish(struct ext_run *x, int wstatus, double timeout_s);

/* Frees what ext_proto_begin allocated. */
void ext_proto_end(struct ext_run *x);

#endif
