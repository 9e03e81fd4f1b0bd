// SPDX-License-Identifier: MIT
/* verify.c - results against the sequential reference, task by task. */
#include "harness/run/verify.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rewrites ".../delay/MS..." to ".../delay/0..." in place when MS <
 * timeout_ms (the URL only gets shorter). */
static void verify_shorten_delay(char *url, long timeout_ms)
{
	char *d = strstr(url, "/delay/");
	if (!d)
		return;
	char *digits = d + strlen("/delay/");
	char *end;
	long ms = strtol(digits, &end, 10);
	if (end == digits || ms >= timeout_ms)
		return;
	memmove(digits + 1, end, strlen(end) + 1);
	digits[0] = '0';
}

struct batch *verify_reference_batch(const struct batch *b, long timeout_ms)
{
	struct batch *ref = batch_new(b->n);
	if (!ref)
		return NULL;
	for (size_t i = 0; i < b->n; i++) {
		ref->tasks[i] = b->tasks[i];
		ref->tasks[i].url = NULL;
		if (!b->tasks[i].url)
			continue;
		/* a copy of any length: --url-file lines may be long */
		char *url = strdup(b->tasks[i].url);
		if (url)
			verify_shorten_delay(url, timeout_ms);
		if (!url || batch_set_url(ref, i, url) != 0) {
			free(url);
			batch_free(ref);
			return NULL;
		}
		free(url);
	}
	return ref;
}

static int verify_same(const struct result *a, const struct result *b)
{
	return a->kind == b->kind && a->status == b->status &&
	       a->bytes == b->bytes && a->checksum == b->checksum;
}

static void verify_note(struct verify_report *rep, size_t i,
			const struct result *want, const struct result *got)
{
	if (rep->n_lines >= VERIFY_MAX_LINES)
		return;
	snprintf(rep->lines[rep->n_lines++], sizeof(rep->lines[0]),
		 "task %zu: expected %s %d, %" PRIu64 " bytes, sum %016" PRIx64
		 "; got %s %d, %" PRIu64 " bytes, sum %016" PRIx64 "%s%.60s",
		 i, result_kind_name(want->kind), want->status, want->bytes,
		 want->checksum, result_kind_name(got->kind), got->status,
		 got->bytes, got->checksum, got->message[0] ? ": " : "",
		 got->message);
}

void verify_thousands(uint64_t v, char *buf, size_t len)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%" PRIu64, v);
	size_t o = 0;
	for (int i = 0; i < n && o + 2 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* A shared task ended ok in both, but the counter's final value differs:
 * said once for the run, not once a task (they all saw the same total). */
static int verify_shared_total(struct verify_report *rep, const struct task *t,
			       const struct result *want,
			       const struct result *got)
{
	if (t->type != TASK_SHARED || want->kind != RESULT_OK ||
	    got->kind != RESULT_OK)
		return 0;
	if (!rep->shared_noted)
		rep->lost = (int64_t)(want->checksum - got->checksum);
	if (rep->shared_noted || rep->n_lines >= VERIFY_MAX_LINES)
		return 1;
	/* "kept N of M" and the difference: "N of M: lost updates" was read
	 * as the number lost. */
	bool lost = got->checksum < want->checksum;
	char have[32], total[32], diff[32];
	verify_thousands(got->checksum, have, sizeof(have));
	verify_thousands(want->checksum, total, sizeof(total));
	verify_thousands(lost ? want->checksum - got->checksum
			      : got->checksum - want->checksum,
			 diff, sizeof(diff));
	snprintf(rep->lines[rep->n_lines++], sizeof(rep->lines[0]),
		 lost ? "kept %s of %s increments (%s lost updates)"
		      : "counted %s for %s increments (%s too many: counted "
			"twice)",
		 have, total, diff);
	rep->shared_noted = 1;
	return 1;
}

void verify_results(const struct batch *ref, const struct batch *got,
		    struct verify_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	for (size_t i = 0; i < got->n && i < ref->n; i++) {
		const struct result *want = &ref->results[i];
		const struct result *r = &got->results[i];
		rep->checked++;
		if (verify_same(want, r))
			continue;
		if (verify_shared_total(rep, &got->tasks[i], want, r)) {
			rep->wrong++;
			continue;
		}
		if (r->kind == RESULT_NOT_RUN && got->open &&
		    want->kind != RESULT_NOT_RUN) {
			/* Open loop: arrived too late to start (overload), a
			 * measurement, not a wrong result. */
			rep->late++;
			continue;
		}
		if (r->kind == RESULT_CRASHED) {
			rep->crashed++;
		} else if (r->kind == RESULT_TIMEOUT &&
			   want->kind != RESULT_TIMEOUT &&
			   got->tasks[i].type != TASK_COMPUTE) {
			/* A transfer slow under load: not wrong. Compute
			 * has no transfer, so its timeout is no timing. */
			rep->timing++;
			continue;
		} else {
			rep->wrong++;
		}
		verify_note(rep, i, want, r);
	}
	if (got->n != ref->n)
		rep->wrong +=
			got->n > ref->n ? got->n - ref->n : ref->n - got->n;
}

void verify_model_hung(struct verify_report *rep, const char *why)
{
	rep->stopped = true;
	rep->wrong += rep->timing;
	rep->timing = 0;
	if (rep->n_lines < VERIFY_MAX_LINES)
		snprintf(rep->lines[rep->n_lines++], sizeof(rep->lines[0]),
			 "%s", why);
}
