// SPDX-License-Identifier: MIT
/*
 * task.h - the shared vocabulary of concur: tasks, their results, a batch.
 *
 * A batch is N independent tasks, each with its own result slot. A model
 * runs the batch and fills every slot; the harness then compares the slots
 * with a sequential reference. A result is plain data (no pointers), so a
 * model may keep the whole array in memory shared between processes.
 *
 * Errors: functions returning int return 0 on success, -1 on failure.
 */
#ifndef CONCUR_TASK_H
#define CONCUR_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a task does. */
enum task_type {
	TASK_FETCH,   /* HTTP GET of url: status, bytes, CRC-32 of the body */
	TASK_COMPUTE, /* `work` units of the kernel seeded by `seed` */
	TASK_MIXED,   /* fetch url, then compute seeded by the body's CRC-32 */
	TASK_SHARED,  /* `work` increments of the run's one shared counter
			 (common/shared.h) */
};

/* How a task ended: one fixed list, spelled the same everywhere. */
enum result_kind {
	RESULT_OK,
	RESULT_HTTP_ERROR, /* the server answered with status >= 400 */
	RESULT_REFUSED,	   /* nobody listens on that port */
	RESULT_TIMEOUT,	   /* connect or total timeout fired */
	RESULT_DNS,	   /* the host name did not resolve */
	RESULT_RESET,	   /* the peer reset or closed without an answer */
	RESULT_TRUNCATED,  /* fewer body bytes than the headers promised */
	RESULT_CRASHED,	   /* the worker running it died */
	RESULT_NOT_RUN,	   /* no worker ever started it */
	RESULT_OTHER,	   /* anything else; see the message */
	RESULT_KIND_COUNT
};

/* One unit of work. Owned by the batch; models only read it. */
struct task {
	enum task_type type;
	const char *url; /* fetch and mixed; points into the batch's storage */
	uint32_t work;	 /* compute and mixed: kernel units; shared:
			    increments */
	uint64_t seed;	 /* compute: the kernel's seed (the task's index) */
	double arrival;	 /* open loop: when the task is meant to start,
			    seconds after the batch's t0 (common/arrival.h);
			    0 in a closed run */
};

#define RESULT_MESSAGE_MAX 96

/* One task's outcome. Written once, by whichever worker ran the task. */
struct result {
	enum result_kind kind;
	int status;	   /* HTTP status, 0 when there was no answer */
	uint64_t bytes;	   /* body bytes received */
	uint64_t checksum; /* fetch: CRC-32 of the body; compute: kernel */
	double start;	   /* seconds since the batch's t0 (monotonic) */
	double end;	   /* seconds since the batch's t0 */
	double wait;	   /* seconds spent waiting for something the
			      workers share (the gil's lock); 0 if none */
	int worker;	   /* thread, process or loop number, from 0 */
	double intended;   /* seconds since t0 the task was meant to start:
			      its arrival in an open run, its start in a
			      closed one (latency from here is honest) */
	char message[RESULT_MESSAGE_MAX]; /* why, when kind is not ok */
};

struct shared_state;

/* A batch: the tasks and one result slot per task. */
struct batch {
	size_t n;
	struct task *tasks;
	struct result *results;	     /* n slots, filled by the model */
	double t0;		     /* monotonic time the run started */
	struct shared_state *shared; /* what shared tasks add to: set by the
					model for its run, in memory its
					workers share; NULL otherwise */
	bool open;		     /* open loop: tasks start at their
					arrival, not when a worker is free */
	double deadline;	     /* open loop: seconds after t0 after which
					no task starts (it stays not_run) */
};

/* The stable name of a result kind ("ok", "http_error", ...). */
const char *result_kind_name(enum result_kind kind);
/* Parses a name back; returns -1 when unknown. */
int result_kind_parse(const char *name, enum result_kind *out);
/* Does a task of this type fetch a URL (fetch and mixed)? */
static inline int task_fetches(const struct task *t)
{
	return t->type == TASK_FETCH || t->type == TASK_MIXED;
}
/* "fetch", "compute", "mixed" or "shared". */
const char *task_type_name(enum task_type type);

/* Allocates a batch of n tasks with zeroed results; NULL on failure. */
struct batch *batch_new(size_t n);
/* Gives a task its URL (copied into the batch). Returns 0 or -1. */
int batch_set_url(struct batch *batch, size_t i, const char *url);
/* Marks every result not_run, the state before a model runs. */
void batch_reset_results(struct batch *batch);
void batch_free(struct batch *batch);

/* Fills a result's message with printf-style text (truncated to fit). */
void result_set_message(struct result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
