// SPDX-License-Identifier: MIT
/*
 * server.c - the `server` case: is `concur serve` fast enough that it
 * is never the bottleneck of a measurement?
 *   concur-serve       wrk, 100 connections, GET of a 64-byte body, against
 *                      concur serve and against nginx (one worker, the
 *                      same 64 bytes), alternated and repeated; ratio =
 *                      concur's req/s / nginx's, target >= 0.5
 *   concur-serve-held  10,000 connections each waiting on /delay/1000 at
 *                      once (rawclient.h); measured: the server's peak RSS
 *                      per connection, in KiB
 *   concur-serve-wait  the same run's wall time against the ideal (every
 *                      answer 1 s after its request), target <= 2
 * wrk and nginx are bench-only dependencies; without them the rows that
 * need them are left out, with a note.
 */
#include "harness/bench/server.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/run/procfs.h"
#include "harness/bench/kit.h"
#include "harness/bench/rawclient.h"
#include "harness/server/route.h"
#include "harness/server/serve.h"

#define WRK_CONNECTIONS 100
#define BODY_BYTES 64

/* Requests/s that wrk measured on url, or -1; *errors gets the socket
 * errors plus the non-2xx answers it saw. */
static double wrk_rps(const char *url, int seconds, long *errors)
{
	char cmd[512], line[256];
	snprintf(cmd, sizeof(cmd), "wrk -t2 -c%d -d%ds %s 2>&1",
		 WRK_CONNECTIONS, seconds, url);
	FILE *p = popen(cmd, "r");
	double rps = -1;
	long a, b, c, d;
	*errors = 0;
	while (p && fgets(line, sizeof(line), p)) {
		sscanf(line, "Requests/sec: %lf", &rps);
		if (sscanf(line,
			   " Socket errors: connect %ld, read %ld, "
			   "write %ld, timeout %ld",
			   &a, &b, &c, &d) == 4)
			*errors += a + b + c + d;
		if (sscanf(line, " Non-2xx or 3xx responses: %ld", &a) == 1)
			*errors += a;
	}
	if (!p || pclose(p) != 0)
		return -1;
	return rps;
}

/* Writes an nginx config serving the same 64 bytes as /bytes/64 on
 * 127.0.0.1:port with one worker; 0 or -1. */
static int nginx_config(const char *dir, int port)
{
	char body[BODY_BYTES + 1], path[512];
	route_fill_body(body, BODY_BYTES, 0, BODY_BYTES);
	body[BODY_BYTES] = '\0';
	snprintf(path, sizeof(path), "%s/nginx.conf", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f,
		"daemon off;\nworker_processes 1;\npid %s/nginx.pid;\n"
		"error_log %s/error.log;\n"
		"events { worker_connections 4096; }\n"
		"http {\n  access_log off;\n  keepalive_requests 1000000;\n"
		"  client_body_temp_path %s/body;\n  proxy_temp_path "
		"%s/proxy;\n"
		"  fastcgi_temp_path %s/fcgi;\n  uwsgi_temp_path %s/uwsgi;\n"
		"  scgi_temp_path %s/scgi;\n"
		"  default_type application/octet-stream;\n"
		"  server {\n    listen 127.0.0.1:%d backlog=65535;\n"
		"    location / { return 200 \"%s\"; }\n  }\n}\n",
		dir, dir, dir, dir, dir, dir, dir, port, body);
	return fclose(f) == 0 ? 0 : -1;
}

/* Starts nginx in the foreground as our child; its pid, or -1. */
static pid_t nginx_start(const char *dir, int port)
{
	char conf[512], err[512];
	snprintf(conf, sizeof(conf), "%s/nginx.conf", dir);
	snprintf(err, sizeof(err), "%s/error.log", dir);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execlp("nginx", "nginx", "-q", "-c", conf, "-p", dir, "-e", err,
		       (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	char cmd[128]; /* ready once it answers */
	snprintf(cmd, sizeof(cmd),
		 "curl -s -o /dev/null http://127.0.0.1:%d/ 2>/dev/null", port);
	for (double end = clock_now() + 5; clock_now() < end;) {
		if (system(cmd) == 0)
			return pid;
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return -1;
		usleep(50 * 1000);
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return -1;
}

/* A server of the case's own, quiet: its pid and base URL into url. */
static int bench_fresh_server(pid_t *pid, char *url, size_t len)
{
	struct server_opts o = server_opts_default();
	o.quiet = 1;
	return server_spawn(&o, pid, url, len);
}

/* A port that was free a moment ago: our own server binds 0 and tells. */
static int free_port(void)
{
	pid_t pid;
	char url[128];
	if (bench_fresh_server(&pid, url, sizeof(url)) != 0)
		return -1;
	server_stop(pid);
	return atoi(strrchr(url, ':') + 1);
}

/* The wrk rows: alternated runs, medians, one ratio. */
static int bench_wrk(struct bench_ctx *ctx, const char *concur_url)
{
	char dir[] = "/tmp/concur-nginx-XXXXXX", nginx_url[64];
	int port = free_port();
	if (!mkdtemp(dir) || port < 0 || nginx_config(dir, port) != 0)
		return 0;
	pid_t nginx = nginx_start(dir, port);
	if (nginx < 0) {
		fprintf(stderr,
			"bench server: nginx or wrk missing (make bench "
			"installs them as root; otherwise: sudo apt-get "
			"install -y wrk nginx-light); row skipped\n");
		return 0;
	}
	snprintf(nginx_url, sizeof(nginx_url), "http://127.0.0.1:%d/", port);
	char url[300];
	snprintf(url, sizeof(url), "%s/bytes/%d", concur_url, BODY_BYTES);
	int seconds = ctx->quick ? 1 : 3, rc = 0;
	double ours[100], theirs[100];
	for (int r = 0; r < ctx->repeat && rc == 0; r++) {
		long err_ours, err_theirs;
		ours[r] = wrk_rps(url, seconds, &err_ours);
		theirs[r] = wrk_rps(nginx_url, seconds, &err_theirs);
		if (ours[r] <= 0 || theirs[r] <= 0 || err_ours > 0) {
			fprintf(stderr,
				"bench server: wrk failed or saw %ld "
				"errors from concur serve\n",
				err_ours);
			rc = -1;
		}
	}
	kill(nginx, SIGTERM);
	waitpid(nginx, NULL, 0);
	char cleanup[128];
	snprintf(cleanup, sizeof(cleanup), "rm -rf %s", dir);
	if (system(cleanup) != 0)
		fprintf(stderr, "bench server: could not remove %s\n", dir);
	if (rc != 0)
		return rc;
	double a = bench_median(ours, (size_t)ctx->repeat);
	double b = bench_median(theirs, (size_t)ctx->repeat);
	bench_add_row(ctx, &(struct bench_row){"server", "concur-serve",
					       WRK_CONNECTIONS, a, b, a / b,
					       ">=0.5", "req/s"});
	return 0;
}

/* 10,000 connections held on /delay/1000 by a fresh server, so its
 * memory growth is theirs alone. */
static int bench_held(struct bench_ctx *ctx)
{
	pid_t pid;
	char url[128];
	if (bench_fresh_server(&pid, url, sizeof(url)) != 0)
		return -1;
	int port = atoi(strrchr(url, ':') + 1);
	long n = ctx->quick ? 2000 : 10000;
	struct rawclient_stats st;
	rawclient_run("127.0.0.1", port, "/bytes/1", 1, 1, &st); /* warm */
	long base = proc_status_kib(pid, "VmRSS");
	double wall =
		rawclient_run("127.0.0.1", port, "/delay/1000", n, (int)n, &st);
	long peak = proc_status_kib(pid, "VmHWM");
	server_stop(pid);
	if (wall < 0 || st.ok != n || st.max_open != n) {
		fprintf(stderr,
			"bench server: %ld of %ld held connections "
			"answered (%ld at once)\n",
			st.ok, n, st.max_open);
		return -1;
	}
	double per_conn = (double)(peak - base) / (double)n;
	bench_add_row(ctx,
		      &(struct bench_row){"server", "concur-serve-held", (int)n,
					  per_conn, NAN, NAN, "", "KiB"});
	bench_add_row(ctx,
		      &(struct bench_row){"server", "concur-serve-wait", (int)n,
					  wall, 1.0, wall / 1.0, "<=2", "s"});
	return 0;
}

static int bench_server(struct bench_ctx *ctx)
{
	pid_t pid;
	char url[128];
	if (bench_fresh_server(&pid, url, sizeof(url)) != 0)
		return -1;
	int rc = bench_wrk(ctx, url);
	server_stop(pid);
	if (bench_held(ctx) != 0)
		rc = -1;
	return rc;
}

const struct bench_case bench_case_server = {
	"server",
	"concur serve: wrk req/s vs nginx (>= 0.5); 10,000 held connections",
	bench_server,
};
