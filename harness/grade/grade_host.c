// SPDX-License-Identifier: MIT
/*
 * grade_host.c - a batch run in a contained host and read back
 * (grade_host.h): the document out, the run, the result lines in.
 */
#include "harness/grade/grade_host.h"

#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/kernel.h"
#include "common/shared.h"
#include "harness/base/file_replace.h"

#define HOST_OUT_MAX (8u << 20) /* the most of a host's stdout read */
#define HOST_LOG_MAX (1u << 20) /* the most of its stderr kept */

/* ---- The private directory ---------------------------------------------- */

static void host_path(const struct grade_host *h, const char *name, char *buf,
		      size_t len)
{
	snprintf(buf, len, "%s/%s", h->dir, name);
}

/* A sanitized host gets no address-space limit (its shadow memory needs
 * terabytes of it): its sanitizer refuses any one allocation over the
 * limit instead, returning NULL as malloc would under RLIMIT_AS. The
 * options are added to the ones the caller set, for every host started
 * from now on (the grader's own sanitizer read its options at start). */
static void host_cap_sanitized_allocations(void)
{
	static const char *const vars[] = {"ASAN_OPTIONS", "TSAN_OPTIONS"};
	char value[2048];
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *old = getenv(vars[i]);
		if (old && strstr(old, "max_allocation_size_mb"))
			continue; /* the caller's, or set by a host before */
		snprintf(value, sizeof(value),
			 "%s%smax_allocation_size_mb=%d:"
			 "allocator_may_return_null=1",
			 old ? old : "", old && old[0] ? ":" : "",
			 (int)(CONTAIN_ADDRESS_SPACE >> 20));
		setenv(vars[i], value, 1);
	}
}

int grade_host_open(struct grade_host *h, const char *bin, bool sanitized,
		    double limit_s)
{
	memset(h, 0, sizeof(*h));
	h->log_fd = -1;
	if (!realpath(bin, h->bin) || access(h->bin, X_OK) != 0)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(h->dir, sizeof(h->dir), "%s/concur-grade-XXXXXX",
		 tmp && tmp[0] && strlen(tmp) < 32 ? tmp : "/tmp");
	if (!mkdtemp(h->dir)) /* mode 0700: the grader's alone */
		return -1;
	char log[128];
	host_path(h, "log", log, sizeof(log));
	h->log_fd = open(log, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	h->sanitized = sanitized;
	if (sanitized)
		host_cap_sanitized_allocations();
	h->limit_s = limit_s;
	return h->log_fd >= 0 ? 0 : -1;
}

/* The log, copied whole into a new file at path. */
static void host_copy_log(const struct grade_host *h, const char *path)
{
	struct file_replace out = {0};
	char buf[65536];
	ssize_t n;
	if (lseek(h->log_fd, 0, SEEK_SET) != 0 ||
	    file_replace_open(&out, path) != 0)
		return;
	while ((n = read(h->log_fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, out.f);
	file_replace_commit(&out);
}

void grade_host_close(struct grade_host *h, const char *log_path)
{
	static const char *const files[] = {"log", "batch.json", "host.out",
					    "host.err"};
	if (h->log_fd >= 0 && log_path)
		host_copy_log(h, log_path);
	if (h->log_fd >= 0)
		close(h->log_fd);
	h->log_fd = -1;
	for (size_t k = 0; h->dir[0] && k < sizeof(files) / sizeof(*files);
	     k++) {
		char path[128];
		host_path(h, files[k], path, sizeof(path));
		unlink(path);
	}
	if (h->dir[0])
		rmdir(h->dir);
	h->dir[0] = '\0';
}

/* ---- The batch out -------------------------------------------------------- */

static json_t *host_task_json(const struct batch *b, size_t i)
{
	const struct task *t = &b->tasks[i];
	char seed[24];
	snprintf(seed, sizeof(seed), "0x%" PRIx64, t->seed);
	return json_pack("{s:I, s:s, s:s?, s:I, s:s}", "index", (json_int_t)i,
			 "type", task_type_name(t->type), "url", t->url, "work",
			 (json_int_t)t->work, "seed", seed);
}

/* The external models' document, C not capped at N (the scenarios "C >
 * N" are about exactly that), with the scenario and the server. */
static int host_write_doc(const char *path, const char *model,
			  const char *scenario, const struct batch *b,
			  const struct run_opts *o, const char *base)
{
	json_t *tasks = json_array();
	for (size_t i = 0; tasks && i < b->n; i++)
		json_array_append_new(tasks, host_task_json(b, i));
	json_t *doc = json_pack(
		"{s:i, s:s, s:{s:i, s:f, s:f, s:I, s:b, s:s}, s:o, s:s, s:s?}",
		"protocol", 1, "model", model, "options", "workers", o->workers,
		"connect_timeout_s", o->fetch.connect_timeout_ms / 1000.0,
		"timeout_s", o->fetch.timeout_ms / 1000.0,
		"kernel_iters_per_unit", (json_int_t)KERNEL_ITERS_PER_UNIT,
		"trace", 0, "sync", shared_sync_name(o->sync), "tasks", tasks,
		"server", base, "scenario", scenario);
	unlink(path);
	int rc = doc ? json_dump_file(doc, path, JSON_COMPACT) : -1;
	json_decref(doc);
	return rc;
}

/* ---- The result lines in ------------------------------------------------ */

/* A result line into task i's result; -1 when it is malformed. */
static int host_result(struct batch *b, size_t i, json_t *line)
{
	const char *kind, *sum, *msg = "";
	json_int_t status, bytes, worker;
	double start, end;
	struct result *r = &b->results[i];
	char *tail;
	if (json_unpack(line, "{s:s, s:I, s:I, s:s, s:F, s:F, s:I, s?s}",
			"kind", &kind, "status", &status, "bytes", &bytes,
			"checksum", &sum, "start", &start, "end", &end,
			"worker", &worker, "message", &msg) != 0 ||
	    result_kind_parse(kind, &r->kind) != 0 || status < 0 ||
	    status > 999 || bytes < 0 || !isfinite(start) || !isfinite(end) ||
	    worker < -1 || worker > 1 << 20)
		return -1;
	r->checksum = strtoull(sum, &tail, 16);
	if (!sum[0] || *tail)
		return -1;
	r->status = (int)status;
	r->bytes = (uint64_t)bytes;
	r->start = start;
	r->end = end;
	r->worker = (int)worker;
	result_set_message(r, "%s", msg);
	return 0;
}

/* A finite number field of line, else 0. */
static double host_number(json_t *line, const char *key)
{
	double v = json_number_value(json_object_get(line, key));
	return isfinite(v) ? v : 0;
}

static void host_line(struct batch *b, unsigned char *seen, char *text,
		      struct host_report *rep)
{
	json_t *line = json_loads(text, 0, NULL);
	json_t *index = json_object_get(line, "index");
	json_t *probe = json_object_get(line, "probe");
	json_int_t i = json_is_integer(index) ? json_integer_value(index) : -1;
	if (i >= 0 && (size_t)i < b->n && !seen[i] &&
	    host_result(b, (size_t)i, line) == 0) {
		seen[i] = 1;
		rep->reported++;
	} else if (json_is_string(probe) && !rep->probe[0]) {
		snprintf(rep->probe, sizeof(rep->probe), "%s",
			 json_string_value(probe));
	} else if (json_is_number(json_object_get(line, "run_s"))) {
		rep->ended = true;
		rep->run_s = fmax(rep->run_s, host_number(line, "run_s"));
		rep->cpu_s = fmax(rep->cpu_s, host_number(line, "cpu_s"));
		rep->workers = (int)json_integer_value(
			json_object_get(line, "workers"));
	}
	json_decref(line);
}

/* Reads what the host wrote (at most HOST_OUT_MAX), line by line. */
static void host_read(int fd, struct batch *b, struct host_report *rep)
{
	unsigned char *seen = calloc(b->n ? b->n : 1, 1);
	char *text = malloc(HOST_OUT_MAX + 1);
	ssize_t got = 0, n;
	while (text && seen &&
	       (n = read(fd, text + got, HOST_OUT_MAX - (size_t)got)) > 0)
		got += n;
	for (char *line = text, *nl; seen && text && line < text + got;
	     line = nl + 1) {
		text[got] = '\0';
		nl = strchr(line, '\n');
		if (!nl)
			nl = text + got;
		*nl = '\0';
		host_line(b, seen, line, rep);
	}
	rep->first_missing = b->n;
	for (size_t i = 0; seen && i < b->n; i++)
		if (!seen[i]) {
			rep->first_missing = i;
			break;
		}
	free(text);
	free(seen);
}

/* The host's stderr (sanitizer reports, its own lines) into the log. */
static void host_log(const struct grade_host *h, int err_fd, const char *what)
{
	char head[512], buf[65536];
	int len = snprintf(head, sizeof(head), "---- %s\n", what);
	if (write(h->log_fd, head, (size_t)len) < 0)
		return;
	size_t kept = 0;
	ssize_t n;
	lseek(err_fd, 0, SEEK_SET);
	while (kept < HOST_LOG_MAX && (n = read(err_fd, buf, sizeof(buf))) > 0)
		kept += (size_t)write(h->log_fd, buf, (size_t)n);
}

static int host_open(const struct grade_host *h, const char *name, int flags)
{
	char path[128];
	host_path(h, name, path, sizeof(path));
	if (flags & O_CREAT)
		unlink(path);
	return open(path, flags | O_NOFOLLOW | O_CLOEXEC, 0600);
}

int grade_host_run(const struct grade_host *h, const char *model,
		   const char *scenario, struct batch *b,
		   const struct run_opts *o, const char *base,
		   struct host_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	batch_reset_results(b);
	char doc[128];
	host_path(h, "batch.json", doc, sizeof(doc));
	int in = -1, out = -1, err = -1, rc = -1;
	if (host_write_doc(doc, model, scenario, b, o, base) != 0 ||
	    (in = host_open(h, "batch.json", O_RDONLY)) < 0 ||
	    (out = host_open(h, "host.out", O_RDWR | O_CREAT | O_EXCL)) < 0 ||
	    (err = host_open(h, "host.err", O_RDWR | O_CREAT | O_EXCL)) < 0) {
		snprintf(rep->why, sizeof(rep->why),
			 "cannot write the batch in %s", h->dir);
		goto done;
	}
	struct contain_opts co;
	contain_opts_default(&co);
	if (h->sanitized)
		co.address_space = 0;
	co.timeout_s = h->limit_s;
	co.stdin_fd = in;
	co.stdout_fd = out;
	co.stderr_fd = err;
	char *argv[] = {(char *)h->bin, (char *)model, NULL};
	if (contain_run(argv, NULL, &co, &rep->run) != 0) {
		snprintf(rep->why, sizeof(rep->why), "%s", rep->run.why);
		goto done;
	}
	/* Every process of the run is gone: what it wrote is final. */
	lseek(out, 0, SEEK_SET);
	host_read(out, b, rep);
	host_log(h, err, scenario ? scenario : "speed run");
	rc = 0;
done:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (err >= 0)
		close(err);
	return rc;
}
