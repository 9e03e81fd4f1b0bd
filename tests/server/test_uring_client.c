// SPDX-License-Identifier: MIT
/*
 * test_uring_client.c - the raw io_uring client of make bench
 * (harness/bench/uringclient.h) against the test server: every transfer
 * answered with the right bytes (the raw epoll client beside it as the
 * witness), the probe's fallback to socket(2) and its refusal forced
 * through their environment variables, and a refused connect failing
 * every request instead of hanging.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness/bench/rawclient.h"
#include "harness/bench/uringclient.h"
#include "tests/support/files.h"
#include "tests/support/rawsock.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

#define PATH_3000 "/delay/100?bytes=3000" /* more than one recv's buffer */

/* Runs the io_uring client on PATH_3000; returns false (and says why)
 * when this kernel or a seccomp profile refuses io_uring altogether. */
static bool run_uring(long n, int c, struct rawclient_stats *st,
		      enum uring_support *used)
{
	char why[200];
	if (uringclient_probe(why, sizeof(why)) == URING_REFUSED &&
	    !getenv("CONCUR_URING_REFUSE")) {
		fprintf(stderr, "skipped: %s\n", why);
		return false;
	}
	double wall =
		uringclient_run("127.0.0.1", rawsock_port(support_server_url),
				PATH_3000, n, c, st, used, why, sizeof(why));
	ck_assert_msg(wall > 0, "%s", why);
	return true;
}

START_TEST(every_transfer_is_answered_with_the_right_bytes)
{
	struct rawclient_stats st, raw;
	enum uring_support used;
	if (!run_uring(400, 200, &st, &used))
		return;
	ck_assert_int_eq(used, URING_FULL);
	ck_assert_int_eq(st.ok, 400);
	ck_assert_int_eq(st.failed + st.http_errors, 0);
	ck_assert_int_eq(st.max_open, 200); /* all at once */
	ck_assert_uint_eq(st.bytes, (uintmax_t)400 * 3000);
	/* The epoll client reads the same bodies from the same server. */
	ck_assert_double_gt(rawclient_run("127.0.0.1",
					  rawsock_port(support_server_url),
					  PATH_3000, 400, 200, &raw),
			    0);
	ck_assert_uint_eq(raw.bytes, st.bytes);
}
END_TEST

START_TEST(without_the_socket_op_socket2_opens_each_connection)
{
	setenv("CONCUR_URING_NO_SOCKET_OP", "1", 1);
	char why[200] = "";
	enum uring_support s = uringclient_probe(why, sizeof(why));
	if (s == URING_REFUSED)
		return;
	ck_assert_int_eq(s, URING_NO_SOCKET);
	ck_assert_ptr_nonnull(strstr(why, "socket(2)"));
	struct rawclient_stats st;
	enum uring_support used;
	ck_assert(run_uring(300, 100, &st, &used));
	ck_assert_int_eq(used, URING_NO_SOCKET);
	ck_assert_int_eq(st.ok, 300);
	ck_assert_uint_eq(st.bytes, (uintmax_t)300 * 3000);
}
END_TEST

START_TEST(a_refused_io_uring_is_said_in_one_line)
{
	setenv("CONCUR_URING_REFUSE", "1", 1);
	char why[200] = "";
	ck_assert_int_eq(uringclient_probe(why, sizeof(why)), URING_REFUSED);
	ck_assert_ptr_nonnull(strstr(why, "io_uring refused"));
	ck_assert_ptr_null(strchr(why, '\n'));
	struct rawclient_stats st;
	enum uring_support used;
	ck_assert_double_lt(uringclient_run("127.0.0.1", 1, "/", 10, 10, &st,
					    &used, why, sizeof(why)),
			    0);
	ck_assert_int_eq(used, URING_REFUSED);
	ck_assert_int_eq(st.ok, 0);
}
END_TEST

/* make bench where io_uring is refused: the case's rows are skipped with
 * one line saying why, and the bench still succeeds. */
START_TEST(bench_skips_the_rows_in_one_line_when_refused)
{
	setenv("CONCUR_URING_REFUSE", "1", 1);
	char dir[64], args[256], out[16384], err[4096];
	files_tmp_dir(dir, sizeof(dir), "uring-bench");
	snprintf(args, sizeof(args),
		 "bench --cases c10k-uring --quick --repeat 3 --out %s/b.csv",
		 dir);
	int rc = support_concur(args, out, sizeof(out), err, sizeof(err));
	files_rm_dir(dir);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, err);
	ck_assert_msg(strstr(out, "bench: c10k-uring skipped: io_uring "
				  "refused (CONCUR_URING_REFUSE)\n"),
		      "%s", out);
	ck_assert_ptr_null(strstr(out, "raw-io_uring"));
}
END_TEST

/* A port nobody listens on: bound, never listening. */
static int dead_port(int *fd)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(*fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(*fd, (struct sockaddr *)&a, &len), 0);
	return ntohs(a.sin_port);
}

START_TEST(a_refused_connect_fails_every_request)
{
	char why[200];
	if (uringclient_probe(why, sizeof(why)) == URING_REFUSED)
		return;
	int fd, port = dead_port(&fd);
	struct rawclient_stats st;
	enum uring_support used;
	ck_assert_double_gt(uringclient_run("127.0.0.1", port, "/", 50, 20, &st,
					    &used, why, sizeof(why)),
			    0);
	close(fd);
	ck_assert_int_eq(st.ok, 0);
	ck_assert_int_eq(st.failed, 50);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("uring_client");
	TCase *tc = runner_tcase(s, "uring", 30);
	tcase_add_unchecked_fixture(tc, support_server_up, support_server_down);
	tcase_add_test(tc, every_transfer_is_answered_with_the_right_bytes);
	tcase_add_test(tc, without_the_socket_op_socket2_opens_each_connection);
	tcase_add_test(tc, a_refused_io_uring_is_said_in_one_line);
	tcase_add_test(tc, a_refused_connect_fails_every_request);
	tcase_add_test(tc, bench_skips_the_rows_in_one_line_when_refused);
	return s;
}
