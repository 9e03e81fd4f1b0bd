// SPDX-License-Identifier: MIT
/*
 * protocol.c - the JSON of the external-model protocol
 * (models/README.md): the batch out, the result lines in, and what is left
 * to say when the program has ended.
 *
 * Nothing a program prints is trusted: every line is parsed with jansson
 * and every field checked against the batch before it becomes a result.
 * 64-bit values (seeds, checksums) travel as hex strings, because a JSON
 * number cannot hold every 64-bit integer (jansson's stop at 2^63, a
 * JavaScript reader's at 2^53).
 */
#include "harness/external/protocol.h"

#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "common/clock.h"
#include "common/kernel.h"
#include "common/shared.h"
#include "harness/external/python.h"
#include "harness/external/status.h"

#define EXT_PROTOCOL_VERSION 1

/* ---- The batch out ------------------------------------------------------ */

static json_t *ext_task_json(const struct batch *b, size_t i)
{
	const struct task *t = &b->tasks[i];
	char seed[24];
	snprintf(seed, sizeof(seed), "0x%" PRIx64, t->seed);
	json_t *task =
		json_pack("{s:I, s:s, s:s?, s:I, s:s}", "index", (json_int_t)i,
			  "type", task_type_name(t->type), "url", t->url,
			  "work", (json_int_t)t->work, "seed", seed);
	/* Open loop: when the task is meant to start, seconds after the
	 * program's own start (common/arrival.h). */
	if (task && b->open)
		json_object_set_new(task, "arrival", json_real(t->arrival));
	return task;
}

/* The C the program is told: at least 1, and never more than the tasks
 * (as the C models cap it: more workers would find nothing to do, and a
 * Python pool would start an interpreter for each). */
static int ext_workers(const struct ext_run *x)
{
	long c = x->o->workers > 0 ? x->o->workers : 1;
	if ((size_t)c > x->b->n)
		c = x->b->n > 0 ? (long)x->b->n : 1;
	return (int)c;
}

/* The compute kind, and for the C loop the library's path: the harness
 * names it, the program does not search for it. */
static void ext_compute_kind_json(json_t *options, const char *kind)
{
	json_object_set_new(options, "compute_kind", json_string(kind));
	char lib[4096];
	if (python_spin_library(lib, sizeof(lib)))
		json_object_set_new(options, "spin_library", json_string(lib));
}

/* --block-ms's fields: task 0 blocks block_ms after its fetch, in the
 * loop or (block_in "executor") in run_in_executor's threads. */
static void ext_block_json(json_t *options, const struct run_opts *o)
{
	json_object_set_new(options, "block_ms", json_integer(o->block_ms));
	json_object_set_new(
		options, "block_in",
		json_string(o->block_in_executor ? "executor" : "loop"));
}

static char *ext_batch_json(const struct ext_run *x)
{
	json_t *tasks = json_array();
	for (size_t i = 0; tasks && i < x->b->n; i++)
		if (json_array_append_new(tasks, ext_task_json(x->b, i)) != 0) {
			json_decref(tasks);
			return NULL;
		}
	const struct run_opts *o = x->o;
	/* "o" hands tasks over to doc, even when json_pack fails. */
	json_t *doc = json_pack(
		"{s:i, s:s, s:{s:i, s:f, s:f, s:I, s:b, s:s}, s:o}", "protocol",
		EXT_PROTOCOL_VERSION, "model", x->m->name, "options", "workers",
		ext_workers(x), "connect_timeout_s",
		o->fetch.connect_timeout_ms / 1000.0, "timeout_s",
		o->fetch.timeout_ms / 1000.0, "kernel_iters_per_unit",
		(json_int_t)KERNEL_ITERS_PER_UNIT, "trace", o->trace, "sync",
		shared_sync_name(o->sync), "tasks", tasks);
	if (!doc)
		return NULL;
	json_t *options = json_object_get(doc, "options");
	if (x->b->open) /* open loop: no task starts after this */
		json_object_set_new(options, "deadline_s",
				    json_real(x->b->deadline));
	if (x->x->start_method) /* optional: the program's default else */
		json_object_set_new(options, "start_method",
				    json_string(x->x->start_method));
	/* Programs that start their own workers on hosts (py-dask). */
	if (x->x->hosts)
		json_object_set_new(options, "hosts", json_string(x->x->hosts));
	if (x->x->hostfile)
		json_object_set_new(options, "hostfile",
				    json_string(x->x->hostfile));
	if (x->x->compute_kind) /* optional: the kernel in Python else */
		ext_compute_kind_json(options, x->x->compute_kind);
	if (o->block_ms > 0) /* --block-ms, --block-in (py-asyncio) */
		ext_block_json(options, o);
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return text;
}

int ext_proto_begin(struct ext_run *x)
{
	x->reported = calloc(x->b->n ? x->b->n : 1, 1);
	x->doc = ext_batch_json(x);
	if (!x->reported || !x->doc) {
		ext_proto_end(x);
		return -1;
	}
	x->doc_len = strlen(x->doc);
	x->handed_out = -1;
	return 0;
}

void ext_proto_end(struct ext_run *x)
{
	free(x->doc);
	free(x->reported);
	x->doc = NULL;
	x->reported = NULL;
}

/* ---- A result line in --------------------------------------------------- */

/* The fields of a result line, as read. */
struct ext_fields {
	const char *kind, *checksum, *message;
	json_int_t status, bytes, worker;
	double start, end;
};

/* "0x1f" or "1f", 1 to 16 hex digits. Returns 0 or -1. */
static int ext_parse_hex(const char *s, uint64_t *out)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	size_t n = strspn(s, "0123456789abcdefABCDEF");
	if (n == 0 || n > 16 || s[n] != '\0')
		return -1;
	*out = strtoull(s, NULL, 16);
	return 0;
}

/* Checks a parsed line against its task and fills r. Returns NULL, or
 * what is wrong (written into why). */
static const char *ext_check(const struct ext_run *x, size_t i,
			     const struct ext_fields *f, struct result *r,
			     char *why, size_t len)
{
	double wall = clock_now() - x->t_start;
	int workers = ext_workers(x);
	/* not_run only for a task that arrived too late (open loop) */
	if (result_kind_parse(f->kind, &r->kind) != 0 ||
	    (r->kind == RESULT_NOT_RUN && !x->b->open))
		snprintf(why, len, "unknown kind \"%.20s\"", f->kind);
	else if (f->status < 0 || f->status > 999)
		snprintf(why, len, "status %lld out of range",
			 (long long)f->status);
	else if (f->bytes < 0)
		snprintf(why, len, "negative bytes");
	else if (ext_parse_hex(f->checksum, &r->checksum) != 0)
		snprintf(why, len, "checksum \"%.20s\" is not hex",
			 f->checksum);
	else if (x->b->tasks[i].type == TASK_FETCH && r->checksum > UINT32_MAX)
		snprintf(why, len, "a fetch checksum is a CRC-32");
	else if (!isfinite(f->start) || !isfinite(f->end) || f->start < 0 ||
		 f->end < f->start || f->end > wall)
		snprintf(why, len, "times %g..%g out of range", f->start,
			 f->end);
	else if (f->worker < 0 || f->worker >= workers)
		snprintf(why, len, "worker %lld out of range",
			 (long long)f->worker);
	else
		return NULL;
	return why;
}

/* A line that names task i: becomes its result, or `other` saying why. */
static void ext_result_line(struct ext_run *x, json_t *line, size_t i)
{
	struct result *r = &x->b->results[i];
	memset(r, 0, sizeof(*r));
	r->kind = RESULT_OTHER;
	if (x->reported[i]) {
		result_set_message(r, "bad result: task reported twice");
		return;
	}
	x->reported[i] = 1;
	x->n_reported++;

	struct ext_fields f = {.message = ""};
	json_error_t err;
	char why[RESULT_MESSAGE_MAX];
	if (json_unpack_ex(
		    line, &err, 0, "{s:s, s:I, s:I, s:s, s:F, s:F, s:I, s?s}",
		    "kind", &f.kind, "status", &f.status, "bytes", &f.bytes,
		    "checksum", &f.checksum, "start", &f.start, "end", &f.end,
		    "worker", &f.worker, "message", &f.message) != 0) {
		result_set_message(r, "bad result: %s", err.text);
		return;
	}
	if (ext_check(x, i, &f, r, why, sizeof(why))) {
		memset(r, 0, sizeof(*r));
		r->kind = RESULT_OTHER;
		result_set_message(r, "bad result: %s", why);
		return;
	}
	r->status = (int)f.status;
	r->bytes = (uint64_t)f.bytes;
	r->start = f.start;
	r->end = f.end;
	r->worker = r->kind == RESULT_NOT_RUN ? -1 : (int)f.worker;
	result_set_message(r, "%s", f.message);
}

/* The last line's optional "figures": {"name": number, ...}, kept as a C
 * model's figures (names of lower-case letters, digits and '_'; not
 * external_status, which is the harness's to say). */
static void ext_figures(struct ext_run *x, json_t *figures)
{
	const char *name;
	json_t *value;
	json_object_foreach(figures, name, value)
	{
		size_t len = strlen(name);
		if (json_is_number(value) && len > 0 &&
		    len < RUN_FIGURE_NAME_MAX &&
		    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
			    len &&
		    strcmp(name, "external_status") != 0)
			run_stats_set(x->o->stats, name,
				      json_number_value(value));
	}
}

/* The last line: {"run_s": S} and, optionally, "workers": how many
 * threads, processes or slots the program started, and "figures". Returns
 * 0 or -1. */
static int ext_last_line(struct ext_run *x, json_t *line)
{
	double run_s, wall = clock_now() - x->t_start;
	json_int_t workers = 0;
	int max_workers = ext_workers(x);
	if (x->have_run_s ||
	    json_unpack(line, "{s:F, s?I}", "run_s", &run_s, "workers",
			&workers) != 0 ||
	    !(run_s >= 0 && run_s <= wall) || workers < 0 ||
	    workers > max_workers)
		return -1;
	x->run_s = run_s;
	x->workers_started = (int)workers;
	ext_figures(x, json_object_get(line, "figures"));
	return 0;
}

/* "handed_out": N, on its own line or on a result line: tasks 0..N-1
 * have reached a worker. Never more than the batch, never decreasing.
 * Absent: 0; malformed: -1. */
static int ext_handed_out(struct ext_run *x, json_t *value)
{
	if (!value)
		return 0;
	json_int_t n = json_is_integer(value) ? json_integer_value(value) : -1;
	if (n < 0 || (size_t)n > x->b->n || n < x->handed_out)
		return -1;
	x->handed_out = (long)n;
	return 0;
}

/* A line that names no task: counted, and the first one kept. */
static void ext_bad_line(struct ext_run *x, const char *text, size_t len)
{
	if (x->n_bad_lines++ == 0)
		snprintf(x->first_bad, sizeof(x->first_bad), "%.*s",
			 (int)(len < 40 ? len : 40), text);
}

static void ext_line(struct ext_run *x, const char *text, size_t len)
{
	json_error_t err;
	json_t *line = json_loadb(text, len, 0, &err);
	json_t *index = json_object_get(line, "index"); /* NULL-safe */
	json_t *handed = json_object_get(line, "handed_out");
	if (json_is_integer(index) && json_integer_value(index) >= 0 &&
	    (size_t)json_integer_value(index) < x->b->n) {
		ext_result_line(x, line, (size_t)json_integer_value(index));
		if (ext_handed_out(x, handed) != 0)
			ext_bad_line(x, text, len);
	} else if (!index && handed && json_object_size(line) == 1) {
		if (ext_handed_out(x, handed) != 0)
			ext_bad_line(x, text, len);
	} else if (!index && ext_last_line(x, line) == 0) {
		x->have_run_s = 1;
	} else {
		ext_bad_line(x, text, len);
	}
	json_decref(line);
}

void ext_proto_bytes(struct ext_run *x, const char *buf, size_t n)
{
	if (!buf) { /* end of file: a last line without its newline */
		if (x->line_len > 0 && !x->line_too_long)
			ext_line(x, x->line, x->line_len);
		x->line_len = 0;
		return;
	}
	for (size_t k = 0; k < n; k++) {
		if (buf[k] == '\n') {
			if (x->line_too_long)
				ext_bad_line(x, x->line, x->line_len);
			else if (x->line_len > 0)
				ext_line(x, x->line, x->line_len);
			x->line_len = 0;
			x->line_too_long = 0;
		} else if (x->line_len < sizeof(x->line)) {
			x->line[x->line_len++] = buf[k];
		} else {
			x->line_too_long = 1;
		}
	}
}

/* ---- What is left to say ------------------------------------------------ */

/* How the program ended, and what that makes of the tasks it did not
 * report: the launcher's word first (mpirun's failures, mpi.c), then
 * what any program's end means. */
static enum external_status ext_verdict(const struct ext_run *x, int wstatus,
					double timeout_s,
					enum result_kind *missing, char *why,
					size_t len)
{
	const struct launcher *api = x->launch.api;
	struct launch_end end = {.wstatus = wstatus,
				 .timed_out = x->timed_out,
				 .n_reported = x->n_reported};
	int said = api->verdict ? api->verdict(&x->launch, x->m, x->x, &end,
					       missing, why, len)
				: -1;
	if (said >= 0)
		return (enum external_status)said;
	if (x->timed_out) {
		*missing = RESULT_TIMEOUT;
		snprintf(why, len, "killed after its time limit of %.0f s",
			 timeout_s);
		return EXTERNAL_TIMED_OUT;
	}
	if (WIFSIGNALED(wstatus)) {
		*missing = RESULT_CRASHED;
		snprintf(why, len, "the program died of signal %d (%s)",
			 WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
		return EXTERNAL_CRASHED;
	}
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0) {
		*missing = RESULT_CRASHED;
		snprintf(why, len, "the program exited with status %d",
			 WEXITSTATUS(wstatus));
		return EXTERNAL_FAILED;
	}
	*missing = RESULT_OTHER;
	snprintf(why, len, "the program reported no result for it");
	return x->n_reported == x->b->n && x->n_bad_lines == 0 && x->have_run_s
		       ? EXTERNAL_OK
		       : EXTERNAL_BAD_OUTPUT;
}

void ext_proto_finish(struct ext_run *x, int wstatus, double timeout_s)
{
	enum result_kind missing;
	char why[RESULT_MESSAGE_MAX];
	enum external_status st =
		ext_verdict(x, wstatus, timeout_s, &missing, why, sizeof(why));
	/* A task the program said it never handed out never started,
	 * whatever ended the program. */
	bool ended = missing == RESULT_CRASHED || missing == RESULT_TIMEOUT;
	for (size_t i = 0; i < x->b->n; i++) {
		if (x->reported[i])
			continue;
		struct result *r = &x->b->results[i];
		if (ended && x->handed_out >= 0 && i >= (size_t)x->handed_out) {
			r->kind = RESULT_NOT_RUN;
			result_set_message(r, "never handed out: %s", why);
			continue;
		}
		r->kind = missing;
		result_set_message(r, "%s", why);
	}
	struct run_stats *s = x->o->stats;
	if (!s)
		return;
	external_status_set(s, st);
	if (st == EXTERNAL_OK)
		return;
	int n = snprintf(
		s->note, sizeof(s->note), "%s: %s", external_status_name(st),
		st == EXTERNAL_BAD_OUTPUT ? "lines missing or wrong" : why);
	if (x->n_bad_lines && n > 0 && (size_t)n < sizeof(s->note))
		snprintf(s->note + n, sizeof(s->note) - (size_t)n,
			 "; %zu unreadable lines, the first: %s",
			 x->n_bad_lines, x->first_bad);
	if (!x->have_run_s && st == EXTERNAL_BAD_OUTPUT)
		fprintf(stderr, "concur: %s reported no run time\n",
			x->m->name);
}
