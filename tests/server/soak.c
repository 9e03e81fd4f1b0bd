// SPDX-License-Identifier: MIT
/*
 * soak.c - `make soak`: concur serve under a mixed load for a set time
 * (SOAK_SECONDS, default 300), from a bounded set of client processes:
 *
 *   4 x normal    libcurl keep-alive fetches of /bytes/N and /delay/D,
 *                 every body's size and CRC-32 checked
 *   1 x faults    /reset, /truncate, /hang, /drip, 4xx and 5xx, each
 *                 expected to end in its own result kind
 *   1 x hostile   garbage bytes, requests cut off, clients that leave
 *                 before a delayed answer
 *   1 x slowloris 20 sockets sending a head one line a second, never done
 *   1 x bursts    500 requests over 250 raw connections (rawclient.h)
 *
 * It reports answers received, errors by kind, the server's peak RSS and
 * CPU, and its open descriptors at the start and at the end: a leak shows
 * as growth. Exit 1 when an error was not the expected one, descriptors
 * grew, or the server died.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "common/clock.h"
#include "harness/run/procfs.h"
#include "common/fetch.h"
#include "harness/bench/rawclient.h"
#include "harness/server/route.h"
#include "harness/server/serve.h"
#include "tests/support/rawsock.h"

#define CLIENTS 8
#define SLOW_SOCKETS 20
#define MARGIN_S 2.0

/* What one client process saw; each writes only its own slot. */
struct soak_counts {
	long answers;		       /* HTTP answers received */
	long kinds[RESULT_KIND_COUNT]; /* normal fetches by result kind */
	long expected, unexpected;     /* faults and garbage */
	long abandoned;		       /* requests cut off or left early */
	long slow_cut, slow_late;      /* slowloris cut in time, or late */
	double slow_longest;
};

/* Shared by every client: where the server is and when to stop. */
struct soak {
	char url[128];
	int port;
	double end;
	double header_timeout_s;
	struct soak_counts *counts; /* CLIENTS slots, MAP_SHARED */
};

static unsigned soak_rand(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

static void soak_fetch(CURL *h, const struct soak *s, const char *path,
		       long timeout_ms, struct result *r)
{
	char url[300];
	snprintf(url, sizeof(url), "%s%s", s->url, path);
	struct fetch_opts o = {.connect_timeout_ms = 5000,
			       .timeout_ms = timeout_ms};
	fetch_blocking(h, url, &o, r);
}

/* The CRC-32 /bytes/n must have (the rule in route.h). */
static uint32_t soak_crc(size_t n)
{
	static char buf[65536];
	uLong crc = crc32(0L, Z_NULL, 0);
	for (size_t off = 0; off < n; off += sizeof(buf)) {
		size_t k = n - off < sizeof(buf) ? n - off : sizeof(buf);
		route_fill_body(buf, k, off, n);
		crc = crc32(crc, (const Bytef *)buf, (uInt)k);
	}
	return (uint32_t)crc;
}

static void client_normal(const struct soak *s, struct soak_counts *c,
			  unsigned seed)
{
	CURL *h = fetch_handle_new();
	while (clock_now() < s->end) {
		size_t n = soak_rand(&seed) % 100000;
		if (soak_rand(&seed) % 50 == 0)
			n = 4u << 20; /* now and then a big one */
		char path[64];
		if (soak_rand(&seed) % 2)
			snprintf(path, sizeof(path), "/bytes/%zu", n);
		else
			snprintf(path, sizeof(path), "/delay/%u?bytes=%zu",
				 soak_rand(&seed) % 50, n);
		struct result r;
		soak_fetch(h, s, path, 10000, &r);
		if (r.kind == RESULT_OK &&
		    (r.bytes != n || r.checksum != soak_crc(n)))
			r.kind = RESULT_OTHER; /* wrong body */
		c->kinds[r.kind]++;
		c->answers += r.status > 0;
	}
	curl_easy_cleanup(h);
}

static void client_faults(const struct soak *s, struct soak_counts *c)
{
	static const struct {
		const char *path;
		enum result_kind want;
	} faults[] = {
		{"/reset", RESULT_RESET},
		{"/truncate/5000", RESULT_TRUNCATED},
		{"/hang", RESULT_TIMEOUT},
		{"/drip/20?ms=2", RESULT_OK},
		{"/status/503?bytes=10", RESULT_HTTP_ERROR},
		{"/nope", RESULT_HTTP_ERROR},
		{"/delay/70000", RESULT_HTTP_ERROR},
	};
	CURL *h = fetch_handle_new();
	for (unsigned i = 0; clock_now() < s->end; i++) {
		struct result r;
		int k = (int)(i % (sizeof(faults) / sizeof(faults[0])));
		soak_fetch(h, s, faults[k].path, 300, &r);
		if (r.kind == faults[k].want) {
			c->expected++;
		} else {
			c->unexpected++;
			fprintf(stderr, "soak: %s ended %s: %s\n",
				faults[k].path, result_kind_name(r.kind),
				r.message);
		}
		c->answers += r.status > 0;
	}
	curl_easy_cleanup(h);
}

/* Garbage must get an error answer and a close; the other two are
 * clients that vanish, which must cost the server nothing. */
static void client_hostile(const struct soak *s, struct soak_counts *c,
			   unsigned seed)
{
	char junk[4096], buf[1024];
	for (unsigned i = 0; clock_now() < s->end; i++) {
		int fd = rawsock_connect(s->port);
		if (fd < 0) {
			c->unexpected++;
			continue;
		}
		if (i % 3 == 0) {
			size_t n = 1 + soak_rand(&seed) % sizeof(junk);
			for (size_t k = 0; k < n; k++)
				junk[k] = (char)soak_rand(&seed);
			junk[0] = '\x01'; /* never a method's first letter */
			rawsock_send(fd, junk, n);
			bool closed;
			rawsock_read(fd, buf, sizeof(buf), 5, &closed);
			int ok = rawsock_status(buf) == 400 && closed;
			c->expected += ok;
			c->unexpected += !ok;
			c->answers += rawsock_status(buf) > 0;
		} else {
			const char *req =
				i % 3 == 1 ? "GET /bytes/10 HTTP/1.1\r\nHo"
					   : "GET /delay/200 HTTP/1.1\r\n\r\n";
			rawsock_send(fd, req, strlen(req));
			c->abandoned++;
		}
		close(fd);
	}
}

/* SLOW_SOCKETS heads that never end, one line a second each; each must
 * be cut (408 or a close) within the header deadline plus a margin. */
static void client_slowloris(const struct soak *s, struct soak_counts *c)
{
	int fds[SLOW_SOCKETS];
	double since[SLOW_SOCKETS];
	for (int i = 0; i < SLOW_SOCKETS; i++)
		fds[i] = -1;
	while (clock_now() < s->end) {
		for (int i = 0; i < SLOW_SOCKETS; i++) {
			if (fds[i] < 0) {
				fds[i] = rawsock_connect(s->port);
				since[i] = clock_now();
				rawsock_send(fds[i],
					     "GET /bytes/1 HTTP/1.1\r\n", 23);
			}
			send(fds[i], "X-Slow: 1\r\n", 11, MSG_NOSIGNAL);
			char buf[512];
			bool closed;
			rawsock_read(fds[i], buf, sizeof(buf), 0.05, &closed);
			if (!closed && !buf[0])
				continue;
			double held = clock_now() - since[i];
			if (held > c->slow_longest)
				c->slow_longest = held;
			if (held <= s->header_timeout_s + MARGIN_S)
				c->slow_cut++;
			else
				c->slow_late++;
			c->answers += rawsock_status(buf) == 408;
			close(fds[i]);
			fds[i] = -1;
		} /* the reads pace a round at about a second */
	}
	for (int i = 0; i < SLOW_SOCKETS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static void client_bursts(const struct soak *s, struct soak_counts *c)
{
	while (clock_now() < s->end) {
		struct rawclient_stats st;
		rawclient_run("127.0.0.1", s->port, "/delay/50", 500, 250, &st);
		c->answers += st.ok + st.http_errors;
		c->kinds[RESULT_OK] += st.ok;
		c->kinds[RESULT_OTHER] += st.failed + st.http_errors;
	}
}

static void client_run(const struct soak *s, int i)
{
	struct soak_counts *c = &s->counts[i];
	if (i < 4)
		client_normal(s, c, 17u + (unsigned)i);
	else if (i == 4)
		client_faults(s, c);
	else if (i == 5)
		client_hostile(s, c, 99u);
	else if (i == 6)
		client_slowloris(s, c);
	else
		client_bursts(s, c);
}

/* ---- the parent: start, watch, report ---- */

static int proc_fds(pid_t pid)
{
	char cmd[64], out[32] = "";
	snprintf(cmd, sizeof(cmd), "ls /proc/%d/fd 2>/dev/null | wc -l",
		 (int)pid);
	FILE *p = popen(cmd, "r");
	if (p && !fgets(out, sizeof(out), p))
		out[0] = '\0';
	if (p)
		pclose(p);
	return atoi(out);
}

/* Sums the clients' slots, prints the report; returns the exit status. */
static int soak_report(const struct soak *s, double seconds, long peak_kib,
		       double cpu, int fds_start, int fds_end, bool alive)
{
	struct soak_counts t = {0};
	for (int i = 0; i < CLIENTS; i++) {
		const struct soak_counts *c = &s->counts[i];
		t.answers += c->answers;
		for (int k = 0; k < RESULT_KIND_COUNT; k++)
			t.kinds[k] += c->kinds[k];
		t.expected += c->expected;
		t.unexpected += c->unexpected;
		t.abandoned += c->abandoned;
		t.slow_cut += c->slow_cut;
		t.slow_late += c->slow_late;
		if (c->slow_longest > t.slow_longest)
			t.slow_longest = c->slow_longest;
	}
	long errors = 0;
	printf("soak: %.0f s, %d client processes, %s\n", seconds, CLIENTS,
	       s->url);
	printf("  answers received      %ld (%.0f/s)\n", t.answers,
	       (double)t.answers / seconds);
	printf("  normal requests       ");
	for (int k = 0; k < RESULT_KIND_COUNT; k++) {
		if (k != RESULT_OK)
			errors += t.kinds[k];
		if (t.kinds[k] || k == RESULT_OK)
			printf("%s %ld  ",
			       result_kind_name((enum result_kind)k),
			       t.kinds[k]);
	}
	printf("\n  faults and garbage    %ld as expected, %ld not\n",
	       t.expected, t.unexpected);
	printf("  abandoned requests    %ld (cut off, or the client left)\n",
	       t.abandoned);
	printf("  slowloris             %ld cut in time, %ld late (longest "
	       "%.1f s; deadline %.0f s + %.0f s margin)\n",
	       t.slow_cut, t.slow_late, t.slow_longest, s->header_timeout_s,
	       MARGIN_S);
	printf("  server                peak RSS %ld KiB, CPU %.1f s, open "
	       "fds %d at start, %d at end%s\n",
	       peak_kib, cpu, fds_start, fds_end, alive ? "" : ", DIED");
	bool bad = errors || t.unexpected || t.slow_late || !alive ||
		   fds_end > fds_start;
	printf("soak: %s\n", bad ? "PROBLEMS (see above)" : "ok");
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 300;
	if (seconds <= 0) {
		fprintf(stderr, "usage: soak [SECONDS]\n");
		return 2;
	}
	fetch_global_init();
	struct soak s = {0};
	struct server_opts o = server_opts_default();
	o.quiet = 1;
	s.header_timeout_s = o.header_timeout_s;
	pid_t server;
	if (server_spawn(&o, &server, s.url, sizeof(s.url)) != 0)
		return 1;
	s.port = rawsock_port(s.url);
	s.counts =
		mmap(NULL, CLIENTS * sizeof(*s.counts), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s.counts == MAP_FAILED)
		return 1;
	memset(s.counts, 0, CLIENTS * sizeof(*s.counts));
	int fds_start = proc_fds(server);
	double t0 = clock_now();
	s.end = t0 + seconds;
	pid_t kids[CLIENTS];
	for (int i = 0; i < CLIENTS; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			client_run(&s, i);
			_exit(0);
		}
	}
	for (double left; (left = s.end - clock_now()) > 0;) {
		sleep(left < 60 ? (unsigned)left + 1
				: 60); /* report each minute */
		printf("soak: %.0f s, server RSS %ld KiB, %d fds\n",
		       clock_now() - t0, proc_status_kib(server, "VmRSS"),
		       proc_fds(server));
		fflush(stdout);
	}
	for (int i = 0; i < CLIENTS; i++)
		waitpid(kids[i], NULL, 0);
	double elapsed = clock_now() - t0;
	sleep(3); /* lingering closes finish (2 s) */
	bool alive = waitpid(server, NULL, WNOHANG) == 0;
	int fds_end = proc_fds(server);
	long peak = proc_status_kib(server, "VmHWM");
	double cpu = proc_cpu_seconds(server);
	server_stop(server);
	return soak_report(&s, elapsed, peak, cpu, fds_start, fds_end, alive);
}
