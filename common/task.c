// SPDX-License-Identifier: MIT
/* task.c - batches and the names of result kinds. */
#include "common/task.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[RESULT_KIND_COUNT] = {
	[RESULT_OK] = "ok",
	[RESULT_HTTP_ERROR] = "http_error",
	[RESULT_REFUSED] = "refused",
	[RESULT_TIMEOUT] = "timeout",
	[RESULT_DNS] = "dns",
	[RESULT_RESET] = "reset",
	[RESULT_TRUNCATED] = "truncated",
	[RESULT_CRASHED] = "crashed",
	[RESULT_NOT_RUN] = "not_run",
	[RESULT_OTHER] = "other",
};

const char *result_kind_name(enum result_kind kind)
{
	if ((unsigned)kind >= RESULT_KIND_COUNT)
		return "other";
	return kind_names[kind];
}

int result_kind_parse(const char *name, enum result_kind *out)
{
	for (int k = 0; k < RESULT_KIND_COUNT; k++) {
		if (strcmp(name, kind_names[k]) == 0) {
			*out = (enum result_kind)k;
			return 0;
		}
	}
	return -1;
}

const char *task_type_name(enum task_type type)
{
	switch (type) {
	case TASK_FETCH:
		return "fetch";
	case TASK_COMPUTE:
		return "compute";
	case TASK_MIXED:
		return "mixed";
	case TASK_SHARED:
		return "shared";
	}
	return "?";
}

/* The batch owns its URL strings; tasks point at them. */
struct batch_storage {
	struct batch batch;
	char **urls;
};

struct batch *batch_new(size_t n)
{
	struct batch_storage *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	size_t slots = n ? n : 1;
	s->batch.n = n;
	s->batch.tasks = calloc(slots, sizeof(struct task));
	s->batch.results = calloc(slots, sizeof(struct result));
	s->urls = calloc(slots, sizeof(char *));
	if (!s->batch.tasks || !s->batch.results || !s->urls) {
		batch_free(&s->batch);
		return NULL;
	}
	batch_reset_results(&s->batch);
	return &s->batch;
}

int batch_set_url(struct batch *batch, size_t i, const char *url)
{
	struct batch_storage *s = (struct batch_storage *)batch;
	char *copy = strdup(url);
	if (!copy)
		return -1;
	free(s->urls[i]);
	s->urls[i] = copy;
	batch->tasks[i].url = copy;
	return 0;
}

void batch_reset_results(struct batch *batch)
{
	for (size_t i = 0; i < batch->n; i++) {
		memset(&batch->results[i], 0, sizeof(struct result));
		batch->results[i].kind = RESULT_NOT_RUN;
		batch->results[i].worker = -1;
	}
}

void batch_free(struct batch *batch)
{
	if (!batch)
		return;
	struct batch_storage *s = (struct batch_storage *)batch;
	if (s->urls)
		for (size_t i = 0; i < batch->n; i++)
			free(s->urls[i]);
	free(s->urls);
	free(batch->tasks);
	free(batch->results);
	free(s);
}

void result_set_message(struct result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
}
