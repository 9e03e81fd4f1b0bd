// SPDX-License-Identifier: MIT
/*
 * test_server_hostile.c - `concur serve` against clients that break the
 * rules: garbage, oversized and cut-off requests, smuggling headers,
 * slowloris, clients that leave early, 2,000 at once, and a server out of
 * descriptors. Each test ends by checking the server still answers.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/run/procfs.h"
#include "harness/bench/rawclient.h"
#include "harness/server/serve.h"
#include "tests/support/rawsock.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

#define MARGIN_S 2.0 /* slack on every deadline: loaded CI machines */

static int port(void)
{
	return rawsock_port(support_server_url);
}

static void assert_serving(void)
{
	support_assert_serving(support_server_url);
}

/* Sends bytes, expects `status` and then the server's close. */
static void expect_status_then_close(const char *bytes, size_t len, int status)
{
	int fd = rawsock_connect(port());
	ck_assert_int_ge(fd, 0);
	rawsock_send(fd, bytes, len); /* may fail half-way: fine */
	char buf[4096];
	bool closed;
	rawsock_read(fd, buf, sizeof(buf), 5, &closed);
	close(fd);
	ck_assert_msg(rawsock_status(buf) == status, "wanted %d, got: %s",
		      status, buf);
	ck_assert_msg(closed, "the connection stayed open after %d", status);
}

/* Open descriptors of a process, from /proc. */
static int open_fds(pid_t pid)
{
	char cmd[64], out[32] = "";
	snprintf(cmd, sizeof(cmd), "ls /proc/%d/fd | wc -l", (int)pid);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	if (!fgets(out, sizeof(out), p))
		out[0] = '\0';
	pclose(p);
	return atoi(out);
}

START_TEST(garbage_gets_400_and_a_close)
{
	static const char junk[] = "\x00\x01\x02\xff garbage\r\n\r\n";
	expect_status_then_close(junk, sizeof(junk) - 1, 400);
	char noise[4096];
	for (size_t i = 0; i < sizeof(noise); i++)
		noise[i] = (char)(i * 131 + 7);
	expect_status_then_close(noise, sizeof(noise), 400);
	assert_serving();
}
END_TEST

START_TEST(an_oversized_head_gets_431_and_a_close)
{
	static char req[20000];
	int n = snprintf(req, sizeof(req), "GET /bytes/1 HTTP/1.1\r\nX-Pad: ");
	memset(req + n, 'a', 16000);
	snprintf(req + n + 16000, sizeof(req) - (size_t)n - 16000, "\r\n\r\n");
	expect_status_then_close(req, (size_t)n + 16004, 431);
	assert_serving();
}
END_TEST

START_TEST(smuggling_headers_get_400_and_a_close)
{
	static const char cl_te[] = "GET /bytes/1 HTTP/1.1\r\nHost: t\r\n"
				    "Content-Length: 5\r\n"
				    "Transfer-Encoding: chunked\r\n\r\n"
				    "0\r\n\r\nGET /bytes/2 HTTP/1.1\r\n\r\n";
	expect_status_then_close(cl_te, sizeof(cl_te) - 1, 400);
	static const char two_cl[] = "GET /bytes/1 HTTP/1.1\r\nHost: t\r\n"
				     "Content-Length: 0\r\n"
				     "Content-Length: 27\r\n\r\n"
				     "GET /bytes/2 HTTP/1.1\r\n\r\n";
	expect_status_then_close(two_cl, sizeof(two_cl) - 1, 400);
	assert_serving();
}
END_TEST

START_TEST(long_targets_and_big_bodies_get_414_and_413)
{
	static char req[80000];
	int n = snprintf(req, sizeof(req), "GET /bytes/1?");
	memset(req + n, 'q', 300);
	n += 300;
	n += snprintf(req + n, sizeof(req) - (size_t)n, " HTTP/1.1\r\n\r\n");
	expect_status_then_close(req, (size_t)n, 414);
	n = snprintf(req, sizeof(req),
		     "GET /bytes/1 HTTP/1.1\r\n"
		     "Content-Length: 70000\r\n\r\n");
	memset(req + n, 'b', 70000);
	expect_status_then_close(req, (size_t)n + 70000, 413);
	assert_serving();
}
END_TEST

START_TEST(a_request_cut_off_midway_is_dropped)
{
	static const char half[] = "GET /bytes/5 HTTP/1.1\r\nHo";
	int fd = rawsock_connect(port());
	rawsock_send(fd, half, sizeof(half) - 1);
	shutdown(fd, SHUT_WR); /* the client's last word */
	char buf[512];
	bool closed;
	rawsock_read(fd, buf, sizeof(buf), MARGIN_S, &closed);
	ck_assert_msg(closed && buf[0] == '\0', "got: %s", buf);
	close(fd);
	fd = rawsock_connect(port()); /* and one that vanishes */
	rawsock_send(fd, half, sizeof(half) - 1);
	close(fd);
	assert_serving();
}
END_TEST

START_TEST(clients_that_leave_before_their_answer_are_forgotten)
{
	char url[128];
	pid_t pid =
		support_server_start(server_opts_default(), url, sizeof(url));
	support_assert_serving(url);
	int before = open_fds(pid);
	static const char *const reqs[] = {
		"GET /delay/300 HTTP/1.1\r\n\r\n", "GET /hang HTTP/1.1\r\n\r\n",
		"GET /drip/100?ms=50 HTTP/1.1\r\n\r\n"};
	for (int i = 0; i < 60; i++) {
		int fd = rawsock_connect(rawsock_port(url));
		rawsock_send(fd, reqs[i % 3], strlen(reqs[i % 3]));
		close(fd);
	}
	/* Every connection is closed once its client is seen gone: by EOF
	 * (/delay, /hang) or a failed write (/drip). */
	double give_up = clock_now() + 5 + MARGIN_S;
	while (open_fds(pid) > before && clock_now() < give_up)
		usleep(50 * 1000);
	ck_assert_int_eq(open_fds(pid), before);
	support_assert_serving(url);
	server_stop(pid);
	assert_serving();
}
END_TEST

/* Sends a head one line at a time, never finishing it, until the server
 * answers or closes; returns the seconds that took. */
static double slowloris(int fd, char *buf, size_t cap, bool *closed)
{
	double t0 = clock_now();
	rawsock_send(fd, "GET /bytes/1 HTTP/1.1\r\n", 23);
	while (clock_now() - t0 < 10) {
		if (send(fd, "X-Slow: yes\r\n", 13, MSG_NOSIGNAL) < 0) {
			*closed = true;
			break;
		}
		if (rawsock_read(fd, buf, cap, 0.2, closed) > 0 || *closed)
			break;
	}
	if (!*closed) /* an answer came: the close follows it */
		rawsock_read(fd, buf + strlen(buf), cap - strlen(buf), 1,
			     closed);
	return clock_now() - t0;
}

START_TEST(slowloris_gets_408_or_a_close_within_the_header_deadline)
{
	struct server_opts o = server_opts_default();
	o.header_timeout_s = 1;
	char url[128];
	pid_t pid = support_server_start(o, url, sizeof(url));
	int fd = rawsock_connect(rawsock_port(url));
	char buf[4096] = "";
	bool closed = false;
	double took = slowloris(fd, buf, sizeof(buf), &closed);
	close(fd);
	ck_assert_msg(rawsock_status(buf) == 408 || closed, "got: %s", buf);
	ck_assert_msg(took <= 1 + MARGIN_S, "held %.2f s", took);
	/* A client that sends nothing at all gets the same. */
	fd = rawsock_connect(rawsock_port(url));
	double t0 = clock_now();
	rawsock_read(fd, buf, sizeof(buf), 1 + MARGIN_S, &closed);
	close(fd);
	ck_assert_msg(rawsock_status(buf) == 408 && closed, "got: %s", buf);
	ck_assert_double_le(clock_now() - t0, 1 + MARGIN_S);
	support_assert_serving(url);
	server_stop(pid);
	assert_serving();
}
END_TEST

START_TEST(two_thousand_delayed_connections_are_all_answered)
{
	struct rawclient_stats st;
	double wall = rawclient_run("127.0.0.1", port(), "/delay/500", 2000,
				    2000, &st);
	ck_assert_double_gt(wall, 0);
	ck_assert_int_eq(st.ok, 2000);
	ck_assert_int_eq(st.failed, 0);
	ck_assert_int_eq(st.max_open, 2000); /* all at once */
	assert_serving();
}
END_TEST

/* A child with few descriptors runs a server and holds it until killed;
 * the server dies with it (PR_SET_PDEATHSIG). */
static pid_t spawn_starved(pid_t *server, char *url, size_t len)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t holder = fork();
	if (holder == 0) {
		struct rlimit rl = {48, 48};
		setrlimit(RLIMIT_NOFILE, &rl);
		struct server_opts o = server_opts_default();
		o.quiet = 1;
		pid_t pid;
		char u[128];
		if (server_spawn(&o, &pid, u, sizeof(u)) != 0)
			_exit(1);
		if (write(p[1], &pid, sizeof(pid)) < 0 ||
		    write(p[1], u, sizeof(u)) < 0)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	char u[128];
	ck_assert_int_eq(read(p[0], server, sizeof(*server)), sizeof(*server));
	ck_assert_int_eq(read(p[0], u, sizeof(u)), sizeof(u));
	close(p[0]);
	snprintf(url, len, "%s", u);
	return holder;
}

START_TEST(out_of_descriptors_accept_pauses_and_recovers)
{
	pid_t server;
	char url[128];
	pid_t holder = spawn_starved(&server, url, sizeof(url));
	enum {
		N = 100
	};
	static const char req[] = "GET /delay/1000 HTTP/1.1\r\n"
				  "Connection: close\r\n\r\n";
	int fds[N];
	double cpu0 = proc_cpu_seconds(server);
	for (int i = 0; i < N; i++) { /* more than 48 fds: EMFILE */
		fds[i] = rawsock_connect(rawsock_port(url));
		ck_assert_int_ge(fds[i], 0);
		rawsock_send(fds[i], req, sizeof(req) - 1);
	}
	sleep(1); /* the first batch waits its delay; the rest can't be
		     accepted: a busy accept loop would burn this second */
	double spent = proc_cpu_seconds(server) - cpu0;
	int answered = 0;
	for (int i = 0; i < N; i++) {
		char buf[512];
		rawsock_read(fds[i], buf, sizeof(buf), 10, NULL);
		answered += rawsock_status(buf) == 200;
		close(fds[i]);
	}
	kill(holder, SIGKILL);
	waitpid(holder, NULL, 0);
	ck_assert_int_eq(answered, N);
	ck_assert_msg(spent < 0.3, "server used %.2f CPU s while starved",
		      spent);
	assert_serving();
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("server_hostile");
	TCase *tc = runner_tcase(s, "hostile", 60);
	tcase_add_unchecked_fixture(tc, support_server_up, support_server_down);
	tcase_add_test(tc, garbage_gets_400_and_a_close);
	tcase_add_test(tc, an_oversized_head_gets_431_and_a_close);
	tcase_add_test(tc, smuggling_headers_get_400_and_a_close);
	tcase_add_test(tc, long_targets_and_big_bodies_get_414_and_413);
	tcase_add_test(tc, a_request_cut_off_midway_is_dropped);
	tcase_add_test(tc,
		       clients_that_leave_before_their_answer_are_forgotten);
	tcase_add_test(
		tc, slowloris_gets_408_or_a_close_within_the_header_deadline);
	tcase_add_test(tc, two_thousand_delayed_connections_are_all_answered);
	tcase_add_test(tc, out_of_descriptors_accept_pauses_and_recovers);
	return s;
}
