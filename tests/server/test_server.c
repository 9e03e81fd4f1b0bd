// SPDX-License-Identifier: MIT
/*
 * test_server.c - `concur serve` as a client sees it: every endpoint, the
 * limits, and the fault endpoints through the fetch in common/, which must
 * name each fault the way the lessons do. Every test ends by checking that
 * the server still answers a normal request.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "common/clock.h"
#include "harness/server/route.h"
#include "harness/server/serve.h"
#include "tests/support/rawsock.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* Fetches a path of the suite's server with a fresh handle. */
static void get(const char *path, long timeout_ms, struct result *r)
{
	char url[512];
	support_fetch(support_url(url, sizeof(url), path), timeout_ms, r);
}

/* Fetches path and checks the kind of result the fetch named it. */
static void get_expecting(const char *path, long timeout_ms,
			  enum result_kind want, struct result *r)
{
	get(path, timeout_ms, r);
	ck_assert_msg(r->kind == want, "%s: %s: %s", path,
		      result_kind_name(r->kind), r->message);
}

/* The CRC-32 of an n-byte body by the rule in route.h, computed here
 * independently: byte i is 'a' + (i * 7 + n) % 26. */
static uint32_t expected_crc(size_t n)
{
	static unsigned char chunk[65536];
	uLong crc = crc32(0L, Z_NULL, 0);
	for (size_t done = 0; done < n;) {
		size_t k = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
		for (size_t j = 0; j < k; j++)
			chunk[j] = (unsigned char)('a' +
						   ((done + j) * 7 + n) % 26);
		crc = crc32(crc, chunk, (uInt)k);
		done += k;
	}
	return (uint32_t)crc;
}

static void assert_serving(void)
{
	struct result r;
	get("/bytes/10", 5000, &r);
	ck_assert_msg(r.kind == RESULT_OK, "server no longer answers: %s",
		      r.message);
	ck_assert_uint_eq(r.bytes, 10);
	ck_assert_uint_eq(r.checksum, expected_crc(10));
}

/* The raw answer to one request, for the text of error messages. */
static char *raw(const char *request)
{
	return rawsock_exchange(rawsock_port(support_server_url), request, 5);
}

START_TEST(bytes_body_follows_the_documented_rule)
{
	static const size_t sizes[] = {0, 1, 26, 1000, 100000};
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		char path[64];
		struct result r;
		snprintf(path, sizeof(path), "/bytes/%zu", sizes[k]);
		get(path, 5000, &r);
		ck_assert_int_eq(r.kind, RESULT_OK);
		ck_assert_int_eq(r.status, 200);
		ck_assert_uint_eq(r.bytes, sizes[k]);
		ck_assert_uint_eq(r.checksum, expected_crc(sizes[k]));
	}
	char buf[32];
	route_fill_body(buf, 5, 0, 5); /* n = 5: 'a' + (7i + 5) % 26 */
	ck_assert_int_eq(memcmp(buf, "fmtah", 5), 0);
	route_fill_body(buf, 2, 3, 5); /* from offset 3 of the same body */
	ck_assert_int_eq(memcmp(buf, "ah", 2), 0);
	assert_serving();
}
END_TEST

START_TEST(the_largest_body_is_streamed_whole)
{
	struct result r;
	get("/bytes/67108864", 60000, &r);
	ck_assert_int_eq(r.kind, RESULT_OK);
	ck_assert_uint_eq(r.bytes, 67108864);
	ck_assert_uint_eq(r.checksum, expected_crc(67108864));
	assert_serving();
}
END_TEST

START_TEST(delay_waits_and_combines_with_bytes_and_status)
{
	struct result r;
	double t0 = clock_now();
	get("/delay/200?bytes=1024", 5000, &r);
	ck_assert_double_ge(clock_now() - t0, 0.2);
	ck_assert_int_eq(r.kind, RESULT_OK);
	ck_assert_uint_eq(r.bytes, 1024);
	ck_assert_uint_eq(r.checksum, expected_crc(1024));
	get("/status/503?delay=10", 5000, &r);
	ck_assert_int_eq(r.kind, RESULT_HTTP_ERROR);
	ck_assert_int_eq(r.status, 503);
	get("/bytes/7?status=201&delay=0", 5000, &r);
	ck_assert_int_eq(r.kind, RESULT_OK);
	ck_assert_int_eq(r.status, 201);
	ck_assert_uint_eq(r.bytes, 7);
	get("/status/204?bytes=10", 5000, &r); /* 204 never has a body */
	ck_assert_int_eq(r.status, 204);
	ck_assert_uint_eq(r.bytes, 0);
	assert_serving();
}
END_TEST

START_TEST(unknown_paths_are_404)
{
	static const char *const paths[] = {"/", "/nope", "/bytes", "/hang/1",
					    "/resetx"};
	for (size_t k = 0; k < sizeof(paths) / sizeof(paths[0]); k++) {
		struct result r;
		get(paths[k], 5000, &r);
		ck_assert_int_eq(r.kind, RESULT_HTTP_ERROR);
		ck_assert_msg(r.status == 404, "%s: %d", paths[k], r.status);
	}
	assert_serving();
}
END_TEST

/* Past a limit: 400 with a message that names the limit. */
START_TEST(values_past_the_limits_are_400_with_a_message)
{
	static const struct {
		const char *path, *says;
	} cases[] = {
		{"/delay/60001", "delay must be an integer 0..60000"},
		{"/bytes/67108865", "bytes must be an integer 0..67108864"},
		{"/bytes/99999999999999999999", "bytes must be"},
		{"/bytes/-1", "bytes must be"},
		{"/delay/5?bytes=1e3", "bytes must be"},
		{"/status/99", "status must be an integer 200..599"},
		{"/status/600", "status must be"},
		{"/drip/3?ms=70000", "ms must be"},
		{"/drip/67108864?ms=60000",
		 "drip: N x ms must be at most 60000"},
		{"/drip/601", "drip: N x ms must be at most 60000"},
		{"/drip/2?ms=20000&delay=30000", "drip: N x ms must be"},
		{"/truncate/0", "truncate needs N >= 1"},
		{"/bytes/1?colour=red&status=x", "status must be"},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char req[256];
		snprintf(req, sizeof(req),
			 "GET %s HTTP/1.1\r\nHost: t\r\n"
			 "Connection: close\r\n\r\n",
			 cases[k].path);
		char *answer = raw(req);
		ck_assert_msg(rawsock_status(answer) == 400, "%s: %s",
			      cases[k].path, answer);
		ck_assert_msg(strstr(answer, cases[k].says), "%s: %s",
			      cases[k].path, answer);
		free(answer);
	}
	assert_serving();
}
END_TEST

START_TEST(head_gets_the_headers_of_get_and_no_body)
{
	int fd = rawsock_connect(rawsock_port(support_server_url));
	ck_assert_int_ge(fd, 0);
	const char *req = "HEAD /bytes/100 HTTP/1.1\r\nHost: t\r\n\r\n"
			  "GET /bytes/3 HTTP/1.1\r\nHost: t\r\n"
			  "Connection: close\r\n\r\n";
	ck_assert_int_eq(rawsock_send(fd, req, strlen(req)), 0);
	char buf[2048];
	rawsock_read(fd, buf, sizeof(buf), 5, NULL);
	close(fd);
	/* Both answers, in order, on one connection (pipelined). */
	ck_assert_ptr_nonnull(strstr(buf, "Content-Length: 100\r\n"));
	char *second = strstr(buf, "\r\n\r\nHTTP/1.1 200");
	ck_assert_msg(second != NULL, "%s", buf);
	ck_assert_ptr_nonnull(strstr(second, "Content-Length: 3\r\n"));
	ck_assert_str_eq(buf + strlen(buf) - 3, "dkr"); /* n = 3: 3,10,17 */
	assert_serving();
}
END_TEST

START_TEST(methods_other_than_get_and_head_are_405)
{
	char *answer = raw("POST /bytes/3 HTTP/1.1\r\nHost: t\r\n"
			   "Content-Length: 2\r\nConnection: close\r\n\r\nhi");
	ck_assert_int_eq(rawsock_status(answer), 405);
	ck_assert_ptr_nonnull(strstr(answer, "Allow: GET, HEAD\r\n"));
	free(answer);
	answer = raw("DELETE /bytes/3 HTTP/1.1\r\nConnection: close\r\n\r\n");
	ck_assert_int_eq(rawsock_status(answer), 405);
	free(answer);
	assert_serving();
}
END_TEST

START_TEST(fault_reset_is_recorded_as_reset)
{
	struct result r;
	get_expecting("/reset", 5000, RESULT_RESET, &r);
	assert_serving();
}
END_TEST

START_TEST(fault_truncate_is_recorded_as_truncated)
{
	struct result r;
	get_expecting("/truncate/1000", 5000, RESULT_TRUNCATED, &r);
	ck_assert_uint_eq(r.bytes, 500); /* half of what was promised */
	assert_serving();
}
END_TEST

START_TEST(fault_hang_is_recorded_as_timeout)
{
	struct result r;
	get_expecting("/hang", 300, RESULT_TIMEOUT, &r);
	assert_serving();
}
END_TEST

START_TEST(fault_drip_is_ok_but_slow)
{
	struct result r;
	double t0 = clock_now();
	get("/drip/5?ms=40", 5000, &r);
	ck_assert_double_ge(clock_now() - t0, 0.2); /* 5 bytes x 40 ms */
	ck_assert_int_eq(r.kind, RESULT_OK);
	ck_assert_uint_eq(r.bytes, 5);
	ck_assert_uint_eq(r.checksum, expected_crc(5));
	assert_serving();
}
END_TEST

START_TEST(an_idle_keep_alive_connection_is_closed)
{
	struct server_opts o = server_opts_default();
	o.idle_timeout_s = 0.3;
	char url[128];
	pid_t pid = support_server_start(o, url, sizeof(url));
	int fd = rawsock_connect(rawsock_port(url));
	const char *req = "GET /bytes/2 HTTP/1.1\r\nHost: t\r\n\r\n";
	ck_assert_int_eq(rawsock_send(fd, req, strlen(req)), 0);
	char buf[512];
	bool closed;
	double t0 = clock_now();
	/* The answer, then the close 0.3 s later (2 s of margin). */
	rawsock_read(fd, buf, sizeof(buf), 2.3, &closed);
	ck_assert_int_eq(rawsock_status(buf), 200);
	ck_assert_msg(closed, "still open after %.1f s", clock_now() - t0);
	ck_assert_double_ge(clock_now() - t0, 0.25);
	close(fd);
	server_stop(pid);
	assert_serving();
}
END_TEST

/* Bad flags: one line on stderr naming the problem, exit 2. */
START_TEST(bad_command_lines_exit_2_with_one_line)
{
	char taken[64], err[1024];
	snprintf(taken, sizeof(taken), "serve --port %d",
		 rawsock_port(support_server_url));
	const char *const cases[][2] = {
		{"serve --port 70000", "--port"},
		{"serve --port -1", "--port"},
		{"serve --port abc", "--port"},
		{"serve --listen nowhere", "not an IPv4 or IPv6 address"},
		{"serve --listen 999.1.1.1", "not an IPv4"},
		{taken, "the port is taken"},
		{"serve --header-timeout 0", "--header-timeout"},
		{"serve --idle-timeout x", "--idle-timeout"},
		{"serve --backlog 0", "--backlog"},
		{"serve --bogus", "unknown option"},
		{"serve --port", "needs a value"},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		int rc = support_concur(cases[k][0], NULL, 0, err, sizeof(err));
		ck_assert_msg(rc == 2, "%s: exit %d", cases[k][0], rc);
		ck_assert_msg(strstr(err, cases[k][1]), "%s: %s", cases[k][0],
			      err);
		ck_assert_msg(support_lines(err) == 1, "%s: %s", cases[k][0],
			      err);
	}
	static char out[8192];
	ck_assert_int_eq(
		support_concur("serve --help", out, sizeof(out), NULL, 0), 0);
	static const char *const documented[] = {
		"/delay/MS", "/bytes/N",       "/status/CODE",
		"/reset",    "/truncate/N",    "/hang",
		"/drip/N",   "--idle-timeout", "--header-timeout"};
	for (size_t k = 0; k < sizeof(documented) / sizeof(documented[0]); k++)
		ck_assert_msg(strstr(out, documented[k]), "--help lacks %s",
			      documented[k]);
	assert_serving();
}
END_TEST

START_TEST(sigterm_and_sigint_stop_it_cleanly)
{
	static const int sigs[] = {SIGTERM, SIGINT};
	for (int k = 0; k < 2; k++) {
		int p[2];
		ck_assert_int_eq(pipe(p), 0);
		pid_t pid = fork();
		if (pid == 0) {
			dup2(p[1], 1);
			execl(support_bin(), "concur", "serve", NULL);
			_exit(127);
		}
		close(p[1]);
		char line[256] = ""; /* the banner: it serves */
		ck_assert_int_gt(read(p[0], line, sizeof(line) - 1), 0);
		ck_assert_ptr_nonnull(strstr(line, "http://127.0.0.1:"));
		close(p[0]);
		kill(pid, sigs[k]);
		int status;
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "signal %d: status %d", sigs[k], status);
	}
	assert_serving();
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("server");
	TCase *tc = runner_tcase(s, "endpoints", 60);
	tcase_add_unchecked_fixture(tc, support_server_up, support_server_down);
	tcase_add_test(tc, bytes_body_follows_the_documented_rule);
	tcase_add_test(tc, the_largest_body_is_streamed_whole);
	tcase_add_test(tc, delay_waits_and_combines_with_bytes_and_status);
	tcase_add_test(tc, unknown_paths_are_404);
	tcase_add_test(tc, values_past_the_limits_are_400_with_a_message);
	tcase_add_test(tc, head_gets_the_headers_of_get_and_no_body);
	tcase_add_test(tc, methods_other_than_get_and_head_are_405);
	tcase_add_test(tc, fault_reset_is_recorded_as_reset);
	tcase_add_test(tc, fault_truncate_is_recorded_as_truncated);
	tcase_add_test(tc, fault_hang_is_recorded_as_timeout);
	tcase_add_test(tc, fault_drip_is_ok_but_slow);
	tcase_add_test(tc, an_idle_keep_alive_connection_is_closed);
	tcase_add_test(tc, bad_command_lines_exit_2_with_one_line);
	tcase_add_test(tc, sigterm_and_sigint_stop_it_cleanly);
	return s;
}
