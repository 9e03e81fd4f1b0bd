// SPDX-License-Identifier: MIT
/*
 * protocol.c - the batch in and the result lines out, for concur-mpi (the
 * protocol is in models/README.md). No MPI here: plain JSON with jansson.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/kernel.h"
#include "models/mpi/job.h"

/* "fetch" | "compute" | "mixed". */
static int job_type(const char *name, enum task_type *out)
{
	static const char *const names[] = {"fetch", "compute", "mixed"};
	for (int k = 0; k < 3; k++)
		if (strcmp(name, names[k]) == 0) {
			*out = (enum task_type)k;
			return 0;
		}
	return -1;
}

static int job_task(struct batch *b, size_t i, json_t *t)
{
	const char *type = NULL, *seed = NULL;
	json_t *url = NULL; /* a string, or null for compute */
	json_int_t index = -1, work = 0;
	if (json_unpack(t, "{s:I, s:s, s?o, s:I, s:s}", "index", &index, "type",
			&type, "url", &url, "work", &work, "seed",
			&seed) != 0 ||
	    index != (json_int_t)i || work < 0 || work > UINT32_MAX ||
	    job_type(type, &b->tasks[i].type) != 0) {
		fprintf(stderr, "concur-mpi: task %zu is malformed\n", i);
		return -1;
	}
	b->tasks[i].work = (uint32_t)work;
	b->tasks[i].seed = strtoull(seed, NULL, 16);
	if (b->tasks[i].type != TASK_COMPUTE &&
	    (!json_is_string(url) ||
	     batch_set_url(b, i, json_string_value(url)) != 0)) {
		fprintf(stderr, "concur-mpi: task %zu has no URL\n", i);
		return -1;
	}
	return 0;
}

/* The options every model reads: C, the timeouts, the kernel's size. */
static int job_options(struct mpi_job *j, json_t *o)
{
	json_int_t workers = 1, iters = 0;
	double connect_s = 5, timeout_s = 10;
	int trace = 0;
	if (json_unpack(o, "{s:I, s:F, s:F, s:I, s?b}", "workers", &workers,
			"connect_timeout_s", &connect_s, "timeout_s",
			&timeout_s, "kernel_iters_per_unit", &iters, "trace",
			&trace) != 0) {
		fprintf(stderr, "concur-mpi: the options are malformed\n");
		return -1;
	}
	if (iters != (json_int_t)KERNEL_ITERS_PER_UNIT) {
		fprintf(stderr,
			"concur-mpi: a unit is %" PRId64
			" iterations here, %lld in the batch\n",
			(int64_t)KERNEL_ITERS_PER_UNIT, (long long)iters);
		return -1;
	}
	j->opts = run_opts_default();
	j->opts.workers = (int)workers;
	j->opts.fetch.connect_timeout_ms = (long)(connect_s * 1000);
	j->opts.fetch.timeout_ms = (long)(timeout_s * 1000);
	j->opts.trace = trace;
	return 0;
}

int job_parse(struct mpi_job *j, const char *text, size_t len)
{
	json_error_t err;
	json_t *doc = json_loadb(text, len, 0, &err);
	json_t *tasks = json_object_get(doc, "tasks");
	const char *model = json_string_value(json_object_get(doc, "model"));
	int rc = -1;
	if (!json_is_array(tasks) || !model ||
	    job_options(j, json_object_get(doc, "options")) != 0) {
		fprintf(stderr, "concur-mpi: the batch is malformed (%s)\n",
			doc ? "fields" : err.text);
		goto done;
	}
	snprintf(j->model, sizeof(j->model), "%s", model);
	j->batch = batch_new(json_array_size(tasks));
	if (!j->batch)
		goto done;
	batch_reset_results(j->batch);
	for (size_t i = 0; i < j->batch->n; i++)
		if (job_task(j->batch, i, json_array_get(tasks, i)) != 0)
			goto done;
	rc = 0;
done:
	json_decref(doc);
	return rc;
}

void job_write_result(FILE *out, const struct batch *b, size_t i,
		      long handed_out)
{
	const struct result *r = &b->results[i];
	char sum[24]; /* a hex string: 64 bits do not fit every reader */
	snprintf(sum, sizeof(sum), "0x%" PRIx64, r->checksum);
	json_t *line = json_pack(
		"{s:I, s:s, s:i, s:I, s:s, s:f, s:f, s:i, s:s}", "index",
		(json_int_t)i, "kind", result_kind_name(r->kind), "status",
		r->status, "bytes", (json_int_t)r->bytes, "checksum", sum,
		"start", r->start, "end", r->end, "worker", r->worker,
		"message", r->message);
	if (line && handed_out >= 0)
		json_object_set_new(line, "handed_out",
				    json_integer(handed_out));
	char *text = line ? json_dumps(line, JSON_COMPACT) : NULL;
	if (text)
		fprintf(out, "%s\n", text);
	fflush(out);
	free(text);
	json_decref(line);
}

void job_write_handed_out(FILE *out, size_t n)
{
	fprintf(out, "{\"handed_out\": %zu}\n", n);
	fflush(out);
}

void job_write_end(FILE *out, double run_s, int workers)
{
	fprintf(out, "{\"run_s\": %.6f, \"workers\": %d}\n", run_s, workers);
	fflush(out);
}
