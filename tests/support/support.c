// SPDX-License-Identifier: MIT
/* support.c - the server, batches, runs, the reference and the binary,
 * for the tests. */
#include "tests/support/support.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fetch.h"
#include "harness/external/dispatch.h"
#include "harness/external/external.h"
#include "harness/external/python.h"
#include "tests/support/files.h"

/* ---- the server ---------------------------------------------------------- */

char support_server_url[256];
static pid_t support_server_pid;

void support_server_up(void)
{
	fetch_global_init();
	struct server_opts o = server_opts_default();
	o.quiet = 1;
	if (server_spawn(&o, &support_server_pid, support_server_url,
			 sizeof(support_server_url)) != 0) {
		fprintf(stderr, "tests: the embedded server did not start\n");
		exit(1);
	}
}

void support_server_down(void)
{
	if (support_server_pid > 0)
		server_stop(support_server_pid);
	support_server_pid = 0;
}

pid_t support_server_start(struct server_opts o, char *url, size_t len)
{
	pid_t pid;
	o.quiet = 1;
	ck_assert_msg(server_spawn(&o, &pid, url, len) == 0,
		      "a server of the test's own did not start");
	return pid;
}

const char *support_url(char *buf, size_t len, const char *path)
{
	if (strncmp(path, "http", 4) == 0)
		snprintf(buf, len, "%s", path);
	else
		snprintf(buf, len, "%s%s", support_server_url, path);
	return buf;
}

void support_fetch(const char *url, long timeout_ms, struct result *r)
{
	struct fetch_opts o = {.connect_timeout_ms = 2000,
			       .timeout_ms = timeout_ms};
	CURL *h = fetch_handle_new();
	ck_assert_ptr_nonnull(h);
	memset(r, 0, sizeof(*r));
	fetch_blocking(h, url, &o, r);
	curl_easy_cleanup(h);
}

void support_assert_serving(const char *base)
{
	char url[512];
	struct result r;
	snprintf(url, sizeof(url), "%s/bytes/10", base);
	support_fetch(url, 5000, &r);
	ck_assert_msg(r.kind == RESULT_OK && r.bytes == 10,
		      "server no longer answers: %s", r.message);
}

/* ---- batches and runs ---------------------------------------------------- */

void support_set_url(struct batch *b, size_t i, const char *path)
{
	char url[512];
	ck_assert_int_eq(
		batch_set_url(b, i, support_url(url, sizeof(url), path)), 0);
}

struct batch *support_fetch_batch(size_t n, const char *path_fmt)
{
	struct batch *b = batch_new(n);
	ck_assert_ptr_nonnull(b);
	for (size_t i = 0; i < n; i++) {
		char path[256];
		snprintf(path, sizeof(path), path_fmt, i % 64);
		b->tasks[i].type = TASK_FETCH;
		support_set_url(b, i, path);
	}
	return b;
}

struct batch *support_compute_batch(size_t n, uint32_t work)
{
	struct batch *b = batch_new(n);
	ck_assert_ptr_nonnull(b);
	for (size_t i = 0; i < n; i++) {
		b->tasks[i].type = TASK_COMPUTE;
		b->tasks[i].seed = i;
		b->tasks[i].work = work;
	}
	return b;
}

int support_run(const char *name, struct batch *b, const struct run_opts *o)
{
	return support_run_external(name, b, o, NULL);
}

int support_run_external(const char *name, struct batch *b,
			 const struct run_opts *o,
			 const struct external_opts *x)
{
	const struct model *m = model_find(name);
	ck_assert_msg(m != NULL, "model %s is not registered", name);
	batch_reset_results(b);
	b->t0 = clock_now();
	return model_run(m, b, o, x);
}

void support_verify(const struct batch *b, long timeout_ms,
		    struct verify_report *rep)
{
	struct batch *ref = verify_reference_batch(b, timeout_ms);
	struct run_opts o = run_opts_default();
	o.workers = 1;
	o.fetch.timeout_ms = timeout_ms;
	memset(rep, 0, sizeof(*rep));
	if (!ref || model_run(model_find("sequential"), ref, &o, NULL) != 0) {
		rep->wrong = b->n + 1;
		batch_free(ref);
		return;
	}
	verify_results(ref, b, rep);
	batch_free(ref);
}

void support_assert_reference(const struct batch *b, long timeout_ms,
			      const char *who)
{
	struct verify_report rep;
	support_verify(b, timeout_ms, &rep);
	ck_assert_msg(verify_ok(&rep) && rep.timing == 0,
		      "%s: %zu wrong, %zu crashed, %zu timing; %s", who,
		      rep.wrong, rep.crashed, rep.timing,
		      rep.n_lines ? rep.lines[0] : "");
}

size_t support_models(const struct model **out, size_t cap, unsigned skip)
{
	size_t n, kept = 0;
	const struct model *const *all = model_list(&n);
	for (size_t i = 0; i < n && kept < cap; i++)
		if (!(all[i]->flags & skip))
			out[kept++] = all[i];
	return kept;
}

bool support_python(const char *suite)
{
	char why[512];
	if (python_find(NULL, why, sizeof(why)))
		return true;
	const char *ci = getenv("CI");
	ck_assert_msg(!(ci && strcmp(ci, "true") == 0),
		      "CI needs the py-* models: %s", why);
	fprintf(stderr, "%s: py-* tests skipped: %s\n", suite, why);
	return false;
}

bool support_mpi(const char *suite)
{
	char why[512];
	if (external_available(model_find("mpi"), NULL, why, sizeof(why)))
		return true;
	const char *ci = getenv("CI");
	ck_assert_msg(!(ci && strcmp(ci, "true") == 0),
		      "CI needs the MPI models: %s", why);
	fprintf(stderr, "%s: MPI tests skipped: %s\n", suite, why);
	return false;
}

/* ---- the binary ---------------------------------------------------------- */

const char *support_bin(void)
{
	const char *bin = getenv("CONCUR_BIN");
	return bin && bin[0] ? bin : "build/concur";
}

int support_run_bin(const char *bin, const char *args, char *out,
		    size_t out_len, char *err, size_t err_len)
{
	char o_path[] = "/tmp/concur-test-out-XXXXXX";
	char e_path[] = "/tmp/concur-test-err-XXXXXX";
	int ofd = mkstemp(o_path), efd = mkstemp(e_path);
	if (ofd >= 0)
		close(ofd);
	if (efd >= 0)
		close(efd);
	if (ofd < 0 || efd < 0)
		return -1;
	char cmd[8192];
	snprintf(cmd, sizeof(cmd), "%s %s </dev/null >%s 2>%s", bin, args,
		 o_path, e_path);
	int status = system(cmd);
	if (out)
		files_read_into(o_path, out, out_len);
	if (err)
		files_read_into(e_path, err, err_len);
	unlink(o_path);
	unlink(e_path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int support_concur(const char *args, char *out, size_t out_len, char *err,
		   size_t err_len)
{
	return support_run_bin(support_bin(), args, out, out_len, err, err_len);
}

int support_concur_sh(const char *prefix, const char *args, char *out,
		      size_t len)
{
	char cmd[8192];
	snprintf(cmd, sizeof(cmd), "%s%s %s %s 2>&1 </dev/null", prefix,
		 prefix[0] ? ";" : "", support_bin(), args);
	FILE *f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	/* Read to the end (so concur never blocks on a full pipe), keeping
	 * what fits. */
	size_t got = 0, n;
	char buf[4096];
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		size_t keep = n < len - 1 - got ? n : len - 1 - got;
		memcpy(out + got, buf, keep);
		got += keep;
	}
	out[got] = '\0';
	int status = pclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char *support_table_row(const char *out, const char *model)
{
	static char line[512];
	for (const char *p = out; p && *p;
	     p = strchr(p, '\n'), p = p ? p + 1 : p) {
		const char *q = p;
		while (*q == ' ')
			q++;
		size_t n = strlen(model);
		if (strncmp(q, model, n) == 0 && q[n] == ' ') {
			size_t l = strcspn(p, "\n");
			snprintf(line, sizeof(line), "%.*s", (int)l, p);
			return line;
		}
	}
	return NULL;
}

int support_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}
