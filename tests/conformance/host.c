// SPDX-License-Identifier: MIT
/*
 * host.c - concur-host, the process a student's model runs in while the
 * grader (harness/grade/grade.c) grades it. The grader holds no student
 * code; it starts this program contained (harness/grade/contain.h), sends
 * one batch, and checks every result itself once this program and all it
 * started are gone. Nothing said here is trusted: a result is a claim the
 * grader verifies against its own sequential reference, and a line here
 * can only fail a check (a probe's verdict), never pass one.
 *
 * It is linked like the test binaries, with the conformance suite's
 * probes (tests/support/pool_probe.h), so a scenario runs here exactly as
 * in test_conformance: gate, spurious wake-up, barrier, watchdog, soak
 * (tests/support/scenario_run.c).
 *
 * Protocol (the external models' one, models/README.md): stdin holds the
 * batch document, with two fields more: "scenario" (the conformance
 * scenario it is, harness/grade/scenarios.c; absent: a plain run, the
 * speed check's) and "server" (the base URL the tasks fetch from: this
 * program starts its own server and fetches from it instead, since it
 * may run in a network namespace of its own). stdout gets one result line
 * a task, {"probe": "..."} when the probes saw a pool's bug, and the last
 * line {"run_s": S, "cpu_s": C, "workers": N} (C: the CPU time the run
 * took, every thread's).
 *
 * MODEL is a registered model, or the grader's own tallies
 * (harness/grade/tally_ref.h) that exercise 2's speed check times.
 *
 * Usage: concur-host MODEL <batch.json; exit 0 when the run was reported,
 * 2 bad usage or batch, 3 the watchdog ended the run.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fetch.h"
#include "common/shared.h"
#include "harness/external/dispatch.h"
#include "harness/grade/tally_ref.h"
#include "harness/server/serve.h"
#include "tests/support/pool_probe.h"
#include "tests/support/scenario_run.h"

#define HOST_DOC_MAX (4u << 20) /* the biggest batch document read */

/* One run: what the document said, and the server this program started. */
struct host_run {
	const struct model *m;
	const struct scenario *sc; /* NULL: a plain run */
	struct batch *b;
	struct run_opts o;
	char base[256]; /* the grader's server, in the tasks' URLs */
	pid_t server;	/* ours, or 0 */
};

static char *host_read_stdin(size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	ssize_t got;
	while (buf && (got = read(STDIN_FILENO, buf + n, cap - n)) > 0) {
		n += (size_t)got;
		if (n == cap && cap < HOST_DOC_MAX) {
			char *more = realloc(buf, cap * 2);
			if (!more)
				break;
			buf = more;
			cap *= 2;
		} else if (n == cap)
			break;
	}
	*len = n;
	return buf;
}

static int host_type(const char *name, enum task_type *out)
{
	for (int k = TASK_FETCH; k <= TASK_SHARED; k++)
		if (strcmp(name, task_type_name((enum task_type)k)) == 0) {
			*out = (enum task_type)k;
			return 0;
		}
	return -1;
}

static int host_task(struct batch *b, size_t i, json_t *t)
{
	const char *type = NULL, *seed = NULL;
	json_t *url = NULL; /* a string, or null for compute */
	json_int_t work = 0;
	if (json_unpack(t, "{s:s, s?o, s:I, s:s}", "type", &type, "url", &url,
			"work", &work, "seed", &seed) != 0 ||
	    work < 0 || work > UINT32_MAX ||
	    host_type(type, &b->tasks[i].type) != 0)
		return -1;
	b->tasks[i].work = (uint32_t)work;
	b->tasks[i].seed = strtoull(seed, NULL, 16);
	return json_is_string(url) ? batch_set_url(b, i, json_string_value(url))
				   : 0;
}

static int host_options(struct host_run *h, json_t *o)
{
	json_int_t workers = 1;
	double connect_s = 5, timeout_s = 10;
	const char *sync = "mutex";
	if (json_unpack(o, "{s:I, s:F, s:F, s?s}", "workers", &workers,
			"connect_timeout_s", &connect_s, "timeout_s",
			&timeout_s, "sync", &sync) != 0 ||
	    workers < 0 || workers > 4096 ||
	    shared_sync_parse(sync, &h->o.sync) != 0)
		return -1;
	h->o.workers = (int)workers;
	h->o.fetch.connect_timeout_ms = (long)(connect_s * 1000);
	h->o.fetch.timeout_ms = (long)(timeout_s * 1000);
	return 0;
}

static int host_parse(struct host_run *h, const char *text, size_t len)
{
	json_t *doc = json_loadb(text, len, 0, NULL);
	json_t *tasks = json_object_get(doc, "tasks");
	const char *scenario =
		json_string_value(json_object_get(doc, "scenario"));
	const char *base = json_string_value(json_object_get(doc, "server"));
	int rc = -1;
	h->o = run_opts_default();
	if (!json_is_array(tasks) ||
	    host_options(h, json_object_get(doc, "options")) != 0 ||
	    (scenario && !(h->sc = scenario_find(scenario))))
		goto done;
	snprintf(h->base, sizeof(h->base), "%s", base ? base : "");
	h->b = batch_new(json_array_size(tasks));
	for (size_t i = 0; h->b && i < h->b->n; i++)
		if (host_task(h->b, i, json_array_get(tasks, i)) != 0)
			goto done;
	rc = h->b ? 0 : -1;
done:
	json_decref(doc);
	return rc;
}

/* The tasks fetch from a server of this program's own, at the same
 * paths. */
static int host_serve(struct host_run *h)
{
	size_t n = strlen(h->base);
	bool needed = false;
	for (size_t i = 0; n && i < h->b->n; i++)
		needed |= h->b->tasks[i].url &&
			  strncmp(h->b->tasks[i].url, h->base, n) == 0;
	if (!needed)
		return 0;
	struct server_opts so = server_opts_default();
	so.quiet = 1;
	char ours[256];
	if (server_spawn(&so, &h->server, ours, sizeof(ours)) != 0)
		return -1;
	for (size_t i = 0; i < h->b->n; i++) {
		const char *url = h->b->tasks[i].url;
		char moved[2048];
		if (!url || strncmp(url, h->base, n) != 0)
			continue;
		snprintf(moved, sizeof(moved), "%s%s", ours, url + n);
		if (batch_set_url(h->b, i, moved) != 0)
			return -1;
	}
	return 0;
}

/* One line a task: the external models' result line. */
static void host_write_result(const struct batch *b, size_t i)
{
	const struct result *r = &b->results[i];
	char sum[24];
	snprintf(sum, sizeof(sum), "0x%" PRIx64, r->checksum);
	json_t *line = json_pack(
		"{s:I, s:s, s:i, s:I, s:s, s:f, s:f, s:i, s:s}", "index",
		(json_int_t)i, "kind", result_kind_name(r->kind), "status",
		r->status, "bytes", (json_int_t)r->bytes, "checksum", sum,
		"start", r->start, "end", r->end, "worker", r->worker,
		"message", r->message);
	char *text = line ? json_dumps(line, JSON_COMPACT) : NULL;
	if (text)
		printf("%s\n", text);
	free(text);
	json_decref(line);
}

static void host_write_probe(const char *msg)
{
	json_t *line = json_pack("{s:s}", "probe", msg);
	char *text = line ? json_dumps(line, JSON_COMPACT) : NULL;
	if (text)
		printf("%s\n", text);
	fflush(stdout);
	free(text);
	json_decref(line);
}

/* The watchdog's verdict: said, and the run ends here. */
static void host_verdict_cb(const char *msg)
{
	host_write_probe(msg);
	_exit(3);
}

/* The CPU time this process and its waited-for children have used:
 * what a run costs whatever else shares the cores. */
static double host_cpu_s(void)
{
	struct rusage self, kids;
	if (getrusage(RUSAGE_SELF, &self) != 0 ||
	    getrusage(RUSAGE_CHILDREN, &kids) != 0)
		return 0;
	struct timeval t[] = {self.ru_utime, self.ru_stime, kids.ru_utime,
			      kids.ru_stime};
	double sum = 0;
	for (size_t k = 0; k < 4; k++)
		sum += (double)t[k].tv_sec + (double)t[k].tv_usec / 1e6;
	return sum;
}

static int host_run(struct host_run *h)
{
	struct run_stats stats = {0};
	h->o.stats = &stats;
	char who[256], why[512] = "";
	snprintf(who, sizeof(who), "%s on '%s'", h->m->name,
		 h->sc ? h->sc->name : "the speed batch");
	pool_probe_on_verdict(host_verdict_cb);
	double t0 = clock_now(), cpu0 = host_cpu_s();
	int rc;
	if (h->sc)
		rc = scenario_run(h->m, h->sc, h->b, &h->o, who, why,
				  sizeof(why));
	else {
		batch_reset_results(h->b);
		h->b->t0 = t0;
		rc = model_run(h->m, h->b, &h->o, NULL);
		if (rc != 0)
			snprintf(why, sizeof(why), "%s could not run it", who);
	}
	double run_s = clock_now() - t0, cpu_s = host_cpu_s() - cpu0;
	for (size_t i = 0; rc == 0 && i < h->b->n; i++)
		host_write_result(h->b, i);
	if (why[0])
		host_write_probe(why);
	printf("{\"run_s\": %.6f, \"cpu_s\": %.6f, \"workers\": %d}\n", run_s,
	       cpu_s, stats.workers_started);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct host_run h = {0};
	if (argc == 2 && !(h.m = model_find(argv[1])))
		h.m = tally_ref_find(argv[1]); /* the grader's own tallies */
	if (!h.m) {
		fprintf(stderr, "usage: concur-host MODEL <batch.json\n");
		return 2;
	}
	size_t len;
	char *doc = host_read_stdin(&len);
	fetch_global_init();
	if (!doc || host_parse(&h, doc, len) != 0 || host_serve(&h) != 0) {
		fprintf(stderr, "concur-host: the batch is malformed\n");
		free(doc);
		batch_free(h.b);
		return 2;
	}
	free(doc);
	int rc = host_run(&h);
	if (h.server > 0)
		server_stop(h.server);
	batch_free(h.b);
	return rc;
}
