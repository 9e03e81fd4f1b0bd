// SPDX-License-Identifier: MIT
/*
 * test_http_conn.c - the connection state machine on its own: no sockets,
 * and a clock the test moves by hand, so every deadline is checked exactly
 * and nothing here depends on timing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/server/http_conn.h"
#include "tests/support/runner.h"

static const struct http_limits limits = {.header_timeout_s = 10,
					  .idle_timeout_s = 30};
static struct http_conn conn;
static char out[1 << 16];

static void input(const char *s, double now)
{
	http_conn_input(&conn, s, strlen(s), now);
}

/* Takes every ready output byte, as a socket with room would. */
static const char *drain(double now)
{
	size_t len = 0;
	while (http_conn_want(&conn).write) {
		size_t n =
			http_conn_peek(&conn, out + len, sizeof(out) - 1 - len);
		ck_assert_uint_gt(n, 0);
		http_conn_sent(&conn, n, false, now);
		len += n;
	}
	out[len] = '\0';
	return out;
}

static void setup(void)
{
	http_conn_init(&conn, &limits, 0);
}

static void teardown(void)
{
	http_conn_free(&conn);
}

START_TEST(pipelined_requests_are_answered_in_order)
{
	input("GET /bytes/3 HTTP/1.1\r\n\r\nGET /status/404 HTTP/1.1\r\n\r\n"
	      "GET /bytes/1 HTTP/1.1\r\n\r\n",
	      1);
	const char *o = drain(1);
	const char *a = strstr(o, "200 OK"), *b = strstr(o, "404 Not Found");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(strstr(b, "200 OK")); /* the third, last */
	ck_assert_int_eq(conn.requests, 3);
	ck_assert_int_eq(http_conn_want(&conn).state, HTTP_READING);
}
END_TEST

/* A head of exactly HTTP_HEAD_MAX bytes is fine; one byte more is 431. */
static void head_of(size_t total, char *req)
{
	static const char start[] = "GET /bytes/1 HTTP/1.1\r\nX-Pad: ";
	memset(req, 'p', total); /* the X-Pad value fills the middle */
	memcpy(req, start, sizeof(start) - 1);
	memcpy(req + total - 4, "\r\n\r\n", 5); /* with its NUL */
}

START_TEST(the_head_cap_is_exact)
{
	static char req[HTTP_HEAD_MAX + 16];
	head_of(HTTP_HEAD_MAX, req);
	input(req, 1);
	ck_assert_ptr_nonnull(strstr(drain(1), "HTTP/1.1 200 OK"));
	head_of(HTTP_HEAD_MAX + 1, req);
	input(req, 2);
	ck_assert_ptr_nonnull(strstr(drain(2), "HTTP/1.1 431 "));
	ck_assert_int_eq(http_conn_want(&conn).state, HTTP_LINGERING);
}
END_TEST

START_TEST(a_slow_head_gets_408_at_its_deadline_then_a_close)
{
	struct http_want w = http_conn_want(&conn);
	ck_assert_double_eq(w.deadline, 10); /* from the connection's start */
	input("GET /bytes/1 HTTP/1.1\r\nX-Slow: 1\r\n", 9);
	ck_assert_double_eq(http_conn_want(&conn).deadline, 10);
	http_conn_timeout(&conn, 10);
	ck_assert_ptr_nonnull(strstr(drain(10), "HTTP/1.1 408 "));
	w = http_conn_want(&conn);
	ck_assert_int_eq(w.state, HTTP_LINGERING);
	ck_assert(w.shut_write);
	http_conn_eof(&conn);
	ck_assert_int_eq(http_conn_want(&conn).state, HTTP_CLOSED);
}
END_TEST

START_TEST(an_idle_connection_closes_silently_after_the_idle_timeout)
{
	input("GET /bytes/1 HTTP/1.1\r\n\r\n", 2);
	drain(2);
	struct http_want w = http_conn_want(&conn);
	ck_assert_double_eq(w.deadline, 32);
	input("G", 5); /* a next request starts: the header clock runs */
	ck_assert_double_eq(http_conn_want(&conn).deadline, 15);
	input("ET /bytes/1 HTTP/1.1\r\n\r\n", 6);
	drain(6);
	http_conn_timeout(&conn, 36);
	ck_assert_int_eq(http_conn_want(&conn).state, HTTP_CLOSED);
	ck_assert_str_eq(drain(36), "");
}
END_TEST

START_TEST(a_delay_holds_the_answer_until_its_deadline)
{
	input("GET /delay/250?bytes=2 HTTP/1.1\r\n\r\n", 5);
	struct http_want w = http_conn_want(&conn);
	ck_assert_int_eq(w.state, HTTP_WAITING);
	ck_assert(!w.write && w.read); /* reading to see the client leave */
	ck_assert_double_eq_tol(w.deadline, 5.25, 1e-9);
	http_conn_timeout(&conn, 5.25);
	ck_assert_ptr_nonnull(strstr(drain(5.25), "Content-Length: 2\r\n"));
}
END_TEST

/* /stall/MS stalls the whole server: an answer already waiting on another
 * connection, and one asked for during the stall, both wait for its end;
 * after it, answers are on time again. */
START_TEST(a_stall_holds_every_connections_answer_until_it_ends)
{
	double stalled_until = 0;
	struct http_limits shared = limits;
	shared.stalled_until = &stalled_until;
	struct http_conn other, late, after;
	http_conn_init(&other, &shared, 0);
	http_conn_init(&late, &shared, 0);
	http_conn_init(&after, &shared, 0);
	http_conn_input(&other, "GET /delay/100 HTTP/1.1\r\n\r\n", 27, 1.0);
	ck_assert_double_eq_tol(http_conn_want(&other).deadline, 1.1, 1e-9);
	http_conn_input(&late, "GET /stall/1000 HTTP/1.1\r\n\r\n", 28, 1.05);
	ck_assert_double_eq_tol(stalled_until, 2.05, 1e-9);
	ck_assert_double_eq_tol(http_conn_want(&late).deadline, 2.05, 1e-9);
	/* other's delay ends inside the stall: it waits for the stall. */
	http_conn_timeout(&other, 1.1);
	ck_assert_int_eq(http_conn_want(&other).state, HTTP_WAITING);
	ck_assert_double_eq_tol(http_conn_want(&other).deadline, 2.05, 1e-9);
	http_conn_timeout(&other, 2.05);
	ck_assert(http_conn_want(&other).write);
	/* A request after the stall is answered on its own time. */
	http_conn_input(&after, "GET /delay/10 HTTP/1.1\r\n\r\n", 26, 3.0);
	ck_assert_double_eq_tol(http_conn_want(&after).deadline, 3.01, 1e-9);
	http_conn_free(&other);
	http_conn_free(&late);
	http_conn_free(&after);
}
END_TEST

/* EOF may be a half-close (HTTP/1.1 allows it after the request): the
 * answer still goes out, then the connection closes. A client that has
 * really gone makes that write fail, and the socket layer closes. */
START_TEST(a_client_that_half_closes_during_a_delay_is_answered)
{
	input("GET /delay/1000 HTTP/1.1\r\n\r\n", 1);
	http_conn_eof(&conn);
	struct http_want w = http_conn_want(&conn);
	ck_assert_int_eq(w.state, HTTP_WAITING);
	ck_assert(!w.read); /* EOF would be read again and again */
	http_conn_timeout(&conn, 2);
	ck_assert_ptr_nonnull(strstr(drain(2), "HTTP/1.1 200"));
	ck_assert_int_eq(http_conn_want(&conn).state, HTTP_LINGERING);
}
END_TEST

START_TEST(drip_releases_one_byte_per_interval)
{
	input("GET /drip/3?ms=100 HTTP/1.1\r\n\r\n", 0);
	const char *head = drain(0);
	ck_assert_ptr_nonnull(strstr(head, "Content-Length: 3\r\n\r\n"));
	ck_assert_str_eq(head + strlen(head) - 4, "\r\n\r\n"); /* no body yet */
	for (int k = 1; k <= 3; k++) {
		double due = http_conn_want(&conn).deadline;
		ck_assert_double_eq_tol(due, k * 0.1, 1e-9);
		http_conn_timeout(&conn, due);
		ck_assert_uint_eq(strlen(drain(due)), 1);
	}
	ck_assert_int_eq(http_conn_want(&conn).state, HTTP_READING);
}
END_TEST

START_TEST(truncate_promises_n_sends_half_and_closes)
{
	input("GET /truncate/9 HTTP/1.1\r\n\r\n", 1);
	const char *o = drain(1);
	ck_assert_ptr_nonnull(strstr(o, "Content-Length: 9\r\n"));
	ck_assert_uint_eq(strlen(strstr(o, "\r\n\r\n") + 4), 4);
	ck_assert_int_eq(http_conn_want(&conn).state, HTTP_LINGERING);
}
END_TEST

START_TEST(reset_and_hang_give_no_answer)
{
	input("GET /reset HTTP/1.1\r\n\r\n", 1);
	ck_assert_int_eq(http_conn_want(&conn).state, HTTP_RESET);
	ck_assert_str_eq(drain(1), "");
	http_conn_free(&conn);
	http_conn_init(&conn, &limits, 0);
	input("GET /hang HTTP/1.1\r\n\r\n", 1);
	struct http_want w = http_conn_want(&conn);
	ck_assert_int_eq(w.state, HTTP_HANGING);
	ck_assert(w.read && w.deadline == 0); /* only the client ends it */
	http_conn_eof(&conn);
	ck_assert_int_eq(http_conn_want(&conn).state, HTTP_CLOSED);
}
END_TEST

START_TEST(a_full_stash_stops_reading)
{
	input("GET /delay/1000 HTTP/1.1\r\n\r\n", 1);
	static char more[HTTP_STASH_MAX + 1];
	memset(more, 'x', HTTP_STASH_MAX);
	ck_assert(http_conn_want(&conn).read);
	input(more, 1);
	ck_assert(!http_conn_want(&conn).read);
	/* After the answer the held bytes are parsed: junk, so 400. */
	http_conn_timeout(&conn, 2);
	ck_assert_ptr_nonnull(strstr(drain(2), "HTTP/1.1 400 "));
}
END_TEST

START_TEST(a_client_that_stops_reading_is_closed_after_the_idle_timeout)
{
	input("GET /bytes/100000 HTTP/1.1\r\n\r\n", 1);
	char buf[100];
	size_t n = http_conn_peek(&conn, buf, sizeof(buf));
	http_conn_sent(&conn, n / 2, true, 1); /* the socket is full */
	ck_assert_double_eq(http_conn_want(&conn).deadline, 31);
	http_conn_timeout(&conn, 31);
	ck_assert_int_eq(http_conn_want(&conn).state, HTTP_CLOSED);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("http_conn");
	TCase *tc = runner_tcase(s, "state machine", 0);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pipelined_requests_are_answered_in_order);
	tcase_add_test(tc, the_head_cap_is_exact);
	tcase_add_test(tc, a_slow_head_gets_408_at_its_deadline_then_a_close);
	tcase_add_test(
		tc, an_idle_connection_closes_silently_after_the_idle_timeout);
	tcase_add_test(tc, a_delay_holds_the_answer_until_its_deadline);
	tcase_add_test(tc,
		       a_client_that_half_closes_during_a_delay_is_answered);
	tcase_add_test(tc,
		       a_stall_holds_every_connections_answer_until_it_ends);
	tcase_add_test(tc, drip_releases_one_byte_per_interval);
	tcase_add_test(tc, truncate_promises_n_sends_half_and_closes);
	tcase_add_test(tc, reset_and_hang_give_no_answer);
	tcase_add_test(tc, a_full_stash_stops_reading);
	tcase_add_test(
		tc,
		a_client_that_stops_reading_is_closed_after_the_idle_timeout);
	return s;
}
