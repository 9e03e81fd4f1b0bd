// SPDX-License-Identifier: MIT
/*
 * loop.c - the event loop's two claims, measured:
 *   c10k        10,000 fetches of /delay/1000 at C = 10,000, on one thread:
 *               rows c10k (ratio = eventloop time / the raw epoll client's
 *               time, same server, same run), c10k-ideal (/ 1.0 s) and
 *               c10k-memory (peak RSS growth per transfer, KiB); the
 *               coroutines model in the same run: c10k-coroutines (ratio
 *               = its time / eventloop's) and c10k-coroutines-memory
 *               (ratio = its KiB per transfer / eventloop's)
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

#define LOOP_MAX_CLIENTS 8
#define LOOP_MAX_REPEAT 64

/* ---- measuring tools ------------------------------------------------ */

/* Runs model m on b at C = workers in a fresh child (measure_run), checks
 * the results against ref; returns the wall time and, in *growth_kib, how
 * far the child's peak RSS rose above its RSS as the model began.
 * Negative when wrong. */
static double loop_time_model(struct bench_ctx *ctx, const struct model *m,
			      struct batch *b, const struct batch *ref,
			      int workers, double *growth_kib)
{
	struct run_opts o = run_opts_default();
	o.workers = workers;
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

static int bench_c10k(struct bench_ctx *ctx)
{
	const struct model *m = model_find("eventloop");
	const struct model *co = model_find("coroutines");
	long n = ctx->quick ? 1000 : 10000;
	int reps =
		ctx->repeat < LOOP_MAX_REPEAT ? ctx->repeat : LOOP_MAX_REPEAT;
	char host[64];
	int port;
	if (!m || !co || loop_server_addr(ctx, host, sizeof(host), &port) != 0)
		return -1;
	struct batch *b = bench_fetch_batch(ctx, (size_t)n, "/delay/1000");
	struct batch *ref = b ? bench_reference(ctx, b) : NULL;
	double loop_t[LOOP_MAX_REPEAT], raw_t[LOOP_MAX_REPEAT];
	double kib[LOOP_MAX_REPEAT], co_t[LOOP_MAX_REPEAT];
	double co_kib[LOOP_MAX_REPEAT];
	int rc = -1;
	for (int r = 0; ref && r < reps; r++) {
		struct rawclient_stats st;
		/* Half a second before each run lets the last run's 10,000
		 * connections finish closing on both ends, so neither client
		 * pays for the other's. */
		usleep(500 * 1000);
		raw_t[r] = rawclient_run(host, port, "/delay/1000", n, (int)n,
					 &st);
		if (raw_t[r] < 0 || st.ok != n) {
			fprintf(stderr, "bench: the raw client failed\n");
			goto out;
		}
		usleep(500 * 1000);
		loop_t[r] = loop_time_model(ctx, m, b, ref, (int)n, &kib[r]);
		if (loop_t[r] < 0)
			goto out;
		kib[r] /= (double)n;
		usleep(500 * 1000);
		co_t[r] = loop_time_model(ctx, co, b, ref, (int)n, &co_kib[r]);
		if (co_t[r] < 0)
			goto out;
		co_kib[r] /= (double)n;
	}
	if (!ref)
		goto out;
	double loop = bench_median(loop_t, (size_t)reps);
	double raw = bench_median(raw_t, (size_t)reps);
	double mem = bench_median(kib, (size_t)reps);
	bench_add_row(ctx,
		      &(struct bench_row){"c10k", "eventloop", (int)n, loop,
					  raw, loop / raw, "<=1.25", "s"});
	bench_add_row(ctx,
		      &(struct bench_row){"c10k-ideal", "eventloop", (int)n,
					  loop, 1.0, loop, "", "s"});
	bench_add_row(ctx,
		      &(struct bench_row){"c10k-memory", "eventloop", (int)n,
					  mem, NAN, mem, "<=20", "KiB"});
	double co_med = bench_median(co_t, (size_t)reps);
	double co_mem = bench_median(co_kib, (size_t)reps);
	bench_add_row(ctx, &(struct bench_row){"c10k-coroutines", "coroutines",
					       (int)n, co_med, loop,
					       co_med / loop, "<=1.10", "s"});
	bench_add_row(ctx,
		      &(struct bench_row){"c10k-coroutines-memory",
					  "coroutines", (int)n, co_mem, mem,
					  co_mem / mem, "<=2", "KiB"});
	rc = 0;
out:
	batch_free(b);
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
	double t = c ? loop_time_model(ctx, c, b, ref, 100, &kib)
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
	"10,000 x /delay/1000 at C = 10,000: eventloop vs raw epoll, "
	"coroutines vs eventloop",
	bench_c10k};
const struct bench_case bench_case_throughput = {
	"throughput", "20,000 x /bytes/64 at C = 100: models vs the curl tool",
	bench_throughput};
