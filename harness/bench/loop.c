// SPDX-License-Identifier: MIT
/*
 * loop.c - the event loop's two claims, measured:
 *   c10k        10,000 fetches of /delay/1000 at C = 10,000, on one thread:
 *               rows c10k per backend (model eventloop/epoll, /poll, ...;
 *               ratio = its time / the raw epoll client's time, same
 *               server, same run; a backend that cannot hold C is skipped
 *               with the reason), c10k-ideal (/ 1.0 s), c10k-memory (peak
 *               RSS growth per transfer, KiB) and c10k-syscalls (system
 *               calls per transfer, eventloop on epoll / the raw client,
 *               counted by strace: syscalls.h)
 *   throughput  20,000 fetches of /bytes/64 at C = 100 with keep-alive:
 *               tasks/s of each model next to the curl command-line tool
 *               (--parallel --parallel-max 100 -K config), and the
 *               embedded server's CPU share while each client ran
 * Runs of the clients alternate, so drift hits all alike.
 */
#include "harness/bench/loop.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/run/procfs.h"
#include "harness/bench/kit.h"
#include "harness/bench/rawclient.h"
#include "harness/run/measure.h"
#include "harness/run/verify.h"
#include "harness/bench/syscalls.h"
#include "models/loop_backend.h"

#define LOOP_MAX_CLIENTS 8
#define LOOP_MAX_REPEAT 64

/* ---- measuring tools ------------------------------------------------ */

double loop_time_model(struct bench_ctx *ctx, const struct model *m,
		       struct batch *b, const struct batch *ref, int workers,
		       enum loop_backend backend, double *growth_kib)
{
	struct run_opts o = run_opts_default();
	o.workers = workers;
	o.loop.backend = backend;
	o.fetch.timeout_ms = 60000;
	struct measurement meas;
	struct verify_report rep;
	*growth_kib = NAN;
	batch_reset_results(b);
	if (measure_run(m, b, &o, NULL, &meas) != 0 || meas.model_rc != 0)
		goto wrong;
	verify_results(ref, b, &rep);
	if (!verify_ok(&rep) || rep.timing)
		goto wrong;
	*growth_kib = (double)(meas.peak_rss_kib - meas.start_rss_kib);
	return meas.wall_s;
wrong:
	fprintf(stderr, "bench: %s at C=%d gave wrong results\n", m->name,
		workers);
	ctx->wrong = 1;
	return -1;
}

/* The embedded server's address, split for rawclient_run. */
static int loop_server_addr(const struct bench_ctx *ctx, char *host, size_t len,
			    int *port)
{
	char fmt[32];
	snprintf(fmt, sizeof(fmt), "http://%%%zu[0-9.]:%%d", len - 1);
	return sscanf(ctx->server_url, fmt, host, port) == 2 ? 0 : -1;
}

/* ---- c10k ---------------------------------------------------------------- */

/* The backends c10k times, in the order of their rows. */
static const enum loop_backend c10k_backends[] = {
	LOOP_BACKEND_EPOLL,
	LOOP_BACKEND_POLL,
	LOOP_BACKEND_IO_URING,
	LOOP_BACKEND_SELECT,
};
#define C10K_BACKENDS (sizeof(c10k_backends) / sizeof(c10k_backends[0]))

/* Why backend b cannot hold n transfers (NULL: it can). */
static const char *c10k_cannot(enum loop_backend b, long n)
{
	if (b == LOOP_BACKEND_SELECT && n > LOOP_SELECT_MAX_TRANSFERS)
		return "select watches descriptors below FD_SETSIZE (1,024) "
		       "only";
	if (b == LOOP_BACKEND_IO_URING && n > LOOP_IOURING_MAX_TRANSFERS)
		return "libev 4.33's io_uring backend aborts above 256 "
		       "sockets (models/loop_backend.h); it would run on epoll";
	return NULL;
}

/* A c10k row's model name: "eventloop/epoll" (rows keep the pointer). */
static const char *c10k_row_model(enum loop_backend b)
{
	static const char *const names[] = {
		[LOOP_BACKEND_EPOLL] = "eventloop/epoll",
		[LOOP_BACKEND_POLL] = "eventloop/poll",
		[LOOP_BACKEND_SELECT] = "eventloop/select",
		[LOOP_BACKEND_IO_URING] = "eventloop/io_uring",
	};
	return b >= LOOP_BACKEND_EPOLL && b <= LOOP_BACKEND_IO_URING
		       ? names[b]
		       : "eventloop";
}

/* What one counted run does (syscalls_count's work, in its child). */
struct c10k_work {
	const char *host;
	int port;
	long n;
	const struct model *m; /* NULL: the raw client */
	struct batch *b;
};

static int c10k_work_cb(void *arg)
{
	struct c10k_work *w = arg;
	if (!w->m) {
		struct rawclient_stats st;
		return rawclient_run(w->host, w->port, "/delay/1000", w->n,
				     (int)w->n, &st) < 0 ||
		       st.ok != w->n;
	}
	struct run_opts o = run_opts_default();
	o.workers = (int)w->n;
	o.fetch.timeout_ms = 60000;
	o.loop.backend = LOOP_BACKEND_EPOLL;
	batch_reset_results(w->b);
	w->b->t0 = clock_now();
	if (w->m->run(w->b, &o) != 0)
		return 1;
	for (size_t i = 0; i < w->b->n; i++)
		if (w->b->results[i].kind != RESULT_OK)
			return 1;
	return 0;
}

/* Row c10k-syscalls: system calls per transfer of eventloop on epoll
 * and of the raw client, each counted once under strace; skipped, with
 * the reason, when they cannot be counted. */
static void c10k_syscalls_row(struct bench_ctx *ctx, struct c10k_work *w)
{
	char why[128];
	const struct model *m = w->m;
	w->m = NULL;
	long raw = syscalls_count(c10k_work_cb, w, why, sizeof(why));
	w->m = m;
	long loop = raw < 0 ? -1
			    : syscalls_count(c10k_work_cb, w, why, sizeof(why));
	if (raw <= 0 || loop <= 0) {
		printf("bench: c10k-syscalls skipped: %s\n", why);
		return;
	}
	double per_raw = (double)raw / (double)w->n;
	double per_loop = (double)loop / (double)w->n;
	bench_add_row(ctx,
		      &(struct bench_row){"c10k-syscalls", "eventloop/epoll",
					  (int)w->n, per_loop, per_raw,
					  per_loop / per_raw, "", "calls"});
}

/* One repetition: the raw client, then each backend that can hold n. */
static int c10k_rep(struct bench_ctx *ctx, struct c10k_work *w,
		    const struct batch *ref, double *raw_t,
		    double loop_t[][LOOP_MAX_REPEAT], double *kib, int r)
{
	struct rawclient_stats st;
	/* Half a second before each run lets the last run's 10,000
	 * connections finish closing on both ends, so neither client pays
	 * for the other's. */
	usleep(500 * 1000);
	raw_t[r] = rawclient_run(w->host, w->port, "/delay/1000", w->n,
				 (int)w->n, &st);
	if (raw_t[r] < 0 || st.ok != w->n) {
		fprintf(stderr, "bench: the raw client failed\n");
		return -1;
	}
	for (size_t k = 0; k < C10K_BACKENDS; k++) {
		double growth;
		if (c10k_cannot(c10k_backends[k], w->n))
			continue;
		usleep(500 * 1000);
		loop_t[k][r] = loop_time_model(ctx, w->m, w->b, ref, (int)w->n,
					       c10k_backends[k], &growth);
		if (loop_t[k][r] < 0)
			return -1;
		if (k == 0) /* epoll: libev's own choice on Linux */
			kib[r] = growth / (double)w->n;
	}
	return 0;
}

/* The rows of the backends timed, and the reason for the others. */
static void c10k_rows(struct bench_ctx *ctx, long n, double raw,
		      double loop_t[][LOOP_MAX_REPEAT], int reps)
{
	for (size_t k = 0; k < C10K_BACKENDS; k++) {
		const char *why = c10k_cannot(c10k_backends[k], n);
		const char *name = c10k_row_model(c10k_backends[k]);
		if (why) {
			printf("bench: c10k %s skipped: %s\n", name, why);
			continue;
		}
		double t = bench_median(loop_t[k], (size_t)reps);
		bench_add_row(ctx,
			      &(struct bench_row){"c10k", name, (int)n, t, raw,
						  t / raw, "<=1.25", "s"});
	}
}

static int bench_c10k(struct bench_ctx *ctx)
{
	const struct model *m = model_find("eventloop");
	long n = ctx->quick ? 1000 : 10000;
	int reps =
		ctx->repeat < LOOP_MAX_REPEAT ? ctx->repeat : LOOP_MAX_REPEAT;
	char host[64];
	struct c10k_work w = {.host = host, .n = n, .m = m};
	if (!m || loop_server_addr(ctx, host, sizeof(host), &w.port) != 0)
		return -1;
	w.b = bench_fetch_batch(ctx, (size_t)n, "/delay/1000");
	struct batch *ref = w.b ? bench_reference(ctx, w.b) : NULL;
	static double loop_t[C10K_BACKENDS][LOOP_MAX_REPEAT];
	double raw_t[LOOP_MAX_REPEAT], kib[LOOP_MAX_REPEAT];
	int rc = -1;
	for (int r = 0; ref && r < reps; r++)
		if (c10k_rep(ctx, &w, ref, raw_t, loop_t, kib, r) != 0)
			goto out;
	if (!ref)
		goto out;
	double raw = bench_median(raw_t, (size_t)reps);
	double epoll = bench_median(loop_t[0], (size_t)reps);
	c10k_rows(ctx, n, raw, loop_t, reps);
	bench_add_row(ctx,
		      &(struct bench_row){"c10k-ideal", "eventloop", (int)n,
					  epoll, 1.0, epoll, "", "s"});
	double mem = bench_median(kib, (size_t)reps);
	bench_add_row(ctx,
		      &(struct bench_row){"c10k-memory", "eventloop", (int)n,
					  mem, NAN, mem, "<=20", "KiB"});
	usleep(500 * 1000);
	c10k_syscalls_row(ctx, &w);
	rc = 0;
out:
	batch_free(w.b);
	batch_free(ref);
	return rc;
}

/* ---- throughput ---------------------------------------------------------- */

/* Writes the -K config for the curl tool: each URL, its body discarded. */
static int loop_curl_config(const struct bench_ctx *ctx, long n,
			    const char *path, char *file, size_t len)
{
	snprintf(file, len, "/tmp/concur-curl-XXXXXX");
	int fd = mkstemp(file);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f)
		return -1;
	for (long i = 0; i < n; i++)
		fprintf(f, "url = \"%s%s\"\noutput = \"/dev/null\"\n",
			ctx->server_url, path);
	return fclose(f) == 0 ? 0 : -1;
}

/* Runs the curl tool on the config; returns its wall time, or -1. */
static double loop_time_curl(const char *config, int parallel)
{
	char max[16];
	snprintf(max, sizeof(max), "%d", parallel);
	double t0 = clock_now();
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO); /* its parallel progress meter */
		execlp("curl", "curl", "--silent", "--fail", "--parallel",
		       "--parallel-max", max, "-K", config, (char *)NULL);
		_exit(127);
	}
	int status;
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: the curl tool failed (is Debian's curl "
				"installed?)\n");
		return -1;
	}
	return clock_now() - t0;
}

/* The clients: the curl tool first, then every built-in model that
 * takes a C (not sequential, not exercises, not external programs). */
static size_t loop_clients(const struct model **out)
{
	size_t n_all, k = 0;
	const struct model *const *all = model_list(&n_all);
	out[k++] = NULL; /* the curl tool */
	for (size_t i = 0; i < n_all && k < LOOP_MAX_CLIENTS; i++)
		if (all[i]->run && !(all[i]->flags & MODEL_EXERCISE) &&
		    strcmp(all[i]->name, "sequential") != 0)
			out[k++] = all[i];
	return k;
}

/* One timed run of client c (NULL: the curl tool); the server's CPU time
 * over it goes to *server_cpu. */
static double loop_time_client(struct bench_ctx *ctx, const struct model *c,
			       struct batch *b, const struct batch *ref,
			       const char *config, double *server_cpu)
{
	/* Let the last client's processes and connections wind down
	 * first (processes leaves 100 workers to reap), so no client runs
	 * in another's shadow. */
	usleep(300 * 1000);
	double kib, cpu0 = proc_cpu_seconds(ctx->server_pid);
	double t = c ? loop_time_model(ctx, c, b, ref, 100, LOOP_BACKEND_AUTO,
				       &kib)
		     : loop_time_curl(config, 100);
	double cpu1 = proc_cpu_seconds(ctx->server_pid);
	*server_cpu = cpu0 < 0 || cpu1 < 0 ? NAN : cpu1 - cpu0;
	return t;
}

static int bench_throughput(struct bench_ctx *ctx)
{
	long n = ctx->quick ? 2000 : 20000;
	int reps = ctx->repeat < 5 ? 5 : ctx->repeat;
	if (reps > LOOP_MAX_REPEAT)
		reps = LOOP_MAX_REPEAT;
	const struct model *cl[LOOP_MAX_CLIENTS];
	size_t n_cl = loop_clients(cl);
	char config[64];
	struct batch *b = bench_fetch_batch(ctx, (size_t)n, "/bytes/64");
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	static double t[LOOP_MAX_CLIENTS][LOOP_MAX_REPEAT];
	static double share[LOOP_MAX_CLIENTS][LOOP_MAX_REPEAT];
	int rc = -1;
	if (!ref ||
	    loop_curl_config(ctx, n, "/bytes/64", config, sizeof(config)) != 0)
		goto out;
	for (int r = 0; r < reps; r++)
		for (size_t i = 0; i < n_cl; i++) {
			double cpu;
			t[i][r] = loop_time_client(ctx, cl[i], b, ref, config,
						   &cpu);
			if (t[i][r] < 0)
				goto out_config;
			share[i][r] = cpu / t[i][r];
		}
	double curl_rate = (double)n / bench_median(t[0], (size_t)reps);
	for (size_t i = 0; i < n_cl; i++) {
		const char *name = cl[i] ? cl[i]->name : "curl-cli";
		double rate = (double)n / bench_median(t[i], (size_t)reps);
		struct bench_row row = {
			"throughput",	  name, 100,	  rate, curl_rate,
			rate / curl_rate, "",	"tasks/s"};
		if (cl[i] && strcmp(name, "eventloop") == 0)
			snprintf(row.target, sizeof(row.target), ">=1.5");
		bench_add_row(ctx, &row);
		double sh = bench_median(share[i], (size_t)reps);
		bench_add_row(ctx, &(struct bench_row){"throughput-server-cpu",
						       name, 100, sh, NAN, NAN,
						       "", "cores"});
	}
	rc = 0;
out_config:
	unlink(config);
out:
	batch_free(b);
	batch_free(ref);
	return rc;
}

const struct bench_case bench_case_c10k = {
	"c10k",
	"10,000 x /delay/1000 at C = 10,000: eventloop per backend vs raw "
	"epoll",
	bench_c10k};
const struct bench_case bench_case_throughput = {
	"throughput", "20,000 x /bytes/64 at C = 100: models vs the curl tool",
	bench_throughput};
