// SPDX-License-Identifier: MIT
/*
 * test_hardening_input.c - bad input gets a clear answer (issue 14's
 * audit): long, binary or endless --url-file lines are refused on their
 * line (item 5), bad flags and a malformed result set are one line and
 * exit 2 (item 8), the server ignores unknown query parameters and
 * answers a client that half-closed (item 7), and no model follows a
 * redirect off http(s) (item 3).
 */
#define _GNU_SOURCE
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/fetch.h"
#include "harness/external/dispatch.h"
#include "tests/support/files.h"
#include "tests/support/rawsock.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* Each test's own directory for result sets and files. */
static char tmp_dir[64];

/* ---- --url-file: long lines, binary, no end (item 5) ------------------- */

/* Writes len bytes of text (or of `fill` when text is NULL) after prefix
 * into tmp_dir/name; returns the path. */
static const char *url_file(const char *name, const char *prefix,
			    const char *text, char fill, size_t len)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(prefix, f);
	for (size_t i = 0; i < len; i++)
		fputc(text ? text[i] : fill, f);
	fputc('\n', f);
	fclose(f);
	return path;
}

/* concur run --url-file PATH: exit 2 and one line holding `want`. */
static void assert_url_file_refused(const char *path, const char *want)
{
	static char out[65536];
	char args[512];
	snprintf(args, sizeof(args),
		 "run --url-file %s --models sequential --workloads fetch "
		 "--repeat 1 --no-plot --out %s",
		 path, tmp_dir);
	/* /dev/zero must end quickly: 10 s of CPU and it is killed. */
	int rc = support_concur_sh("ulimit -t 10", args, out, sizeof(out));
	ck_assert_msg(rc == 2, "%s: exit %d: %s", path, rc, out);
	ck_assert_int_eq(support_lines(out), 1);
	ck_assert_msg(strstr(out, want), "%s: no '%s' in %s", path, want, out);
	ck_assert_msg(!strchr(out, '\033') && !strchr(out, '\a'),
		      "raw bytes echoed: %s", out);
}

/* A URL of 100,000 bytes (libcurl takes megabytes) is a URL like any:
 * fetched, verified, the run goes on. Over 1 MiB a line is refused on
 * its line, with the cap named. */
START_TEST(url_file_long_line_is_fetched)
{
	static char out[65536];
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char prefix[320];
	snprintf(prefix, sizeof(prefix), "%s/bytes/7?pad=", support_server_url);
	const char *path = url_file("long", prefix, NULL, 'a', 100000);
	char args[512];
	snprintf(args, sizeof(args),
		 "run --url-file %s --models sequential,threads --workers 2 "
		 "--workloads fetch --tasks 2 --repeat 1 --no-plot --out %s",
		 path, tmp_dir);
	int rc = support_concur_sh("ulimit -t 30", args, out, sizeof(out));
	ck_assert_msg(rc == 0, "exit %d: %s", rc, out);
	ck_assert_msg(!strstr(out, "longer than"), "%s", out);
	files_rm_dir(tmp_dir);
}
END_TEST

START_TEST(url_file_line_over_the_cap_is_refused_on_its_line)
{
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	assert_url_file_refused(
		url_file("huge", "http://127.0.0.1:1/", NULL, 'a', 1100000),
		":1: the line is longer than 1 MiB");
	files_rm_dir(tmp_dir);
}
END_TEST

START_TEST(url_file_dev_zero_ends)
{
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	assert_url_file_refused("/dev/zero", "/dev/zero:1:");
	files_rm_dir(tmp_dir);
}
END_TEST

START_TEST(url_file_binary_is_escaped)
{
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	const char bin[] = "\033[31mred\a";
	assert_url_file_refused(
		url_file("bin", "http://x/", bin, 0, sizeof(bin) - 1),
		"'http://x/\\x1b[31mred\\x07' is not an http(s) URL");
	files_rm_dir(tmp_dir);
}
END_TEST

/* ---- The server answers a client that half-closed (item 7) ------------ */

START_TEST(half_closed_client_is_answered)
{
	static const char *const paths[] = {"/delay/100", "/bytes/10",
					    "/drip/3?ms=30", "/status/404"};
	int port = rawsock_port(support_server_url);
	int fd = rawsock_connect(port);
	ck_assert_int_ge(fd, 0);
	char req[256], buf[4096];
	int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n",
			 paths[_i]);
	ck_assert_int_eq(rawsock_send(fd, req, (size_t)n), 0);
	shutdown(fd, SHUT_WR);
	bool closed = false;
	rawsock_read(fd, buf, sizeof(buf), 5, &closed);
	close(fd);
	ck_assert_msg(rawsock_status(buf) == (_i == 3 ? 404 : 200),
		      "%s: no answer after a half-close: '%s'", paths[_i], buf);
	ck_assert_msg(closed, "%s: the server kept the connection", paths[_i]);
}
END_TEST

/* ---- Smaller ones (item 8) ------------------------------------------- */

static const struct bad_flag {
	const char *args, *says;
} bad_flags[] = {
	{"run --workers -1", "--workers: -1 is out of range (1 to 100000)"},
	{"run --workers 2,-3", "--workers: -3 is out of range"},
	{"run --models threads,threads", "--models: 'threads' is listed twice"},
	{"run --out ''", "--out: the directory name is empty"},
	{"run --label LONG", "is longer than 63 characters"},
	{"run --url-file /dev/null --server http://x",
	 "cannot be used together"},
	{"serve --backlog 99999999", "--backlog must be an integer 1..1048576"},
	{"run --model-timeout 1e9", "out of range (above 0 to 86400)"},
};

START_TEST(bad_flag_is_one_line_and_exit_2)
{
	static char out[16384];
	char args[8192];
	const struct bad_flag *b = &bad_flags[_i];
	const char *long_at = strstr(b->args, "LONG");
	if (long_at) {
		char label[5001];
		memset(label, 'a', 5000);
		label[5000] = '\0';
		snprintf(args, sizeof(args), "%.*s%s", (int)(long_at - b->args),
			 b->args, label);
	} else {
		snprintf(args, sizeof(args), "%s", b->args);
	}
	/* Tiny, in a directory of its own: a flag wrongly accepted costs a
	 * moment and writes nowhere else. */
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char cwd[128],
		*bin = realpath(getenv("CONCUR_BIN") ? getenv("CONCUR_BIN")
						     : "build/concur",
				NULL);
	ck_assert_ptr_nonnull(bin);
	setenv("CONCUR_BIN", bin, 1);
	free(bin);
	snprintf(cwd, sizeof(cwd), "cd %s", tmp_dir);
	if (strncmp(args, "run ", 4) == 0) {
		size_t used = strlen(args);
		snprintf(args + used, sizeof(args) - used,
			 " --models sequential --workloads compute --tasks 1 "
			 "--work 0 --repeat 1 --no-plot --quiet");
	}
	int rc = support_concur_sh(cwd, args, out, sizeof(out));
	files_rm_dir(tmp_dir);
	ck_assert_msg(rc == 2, "%s: exit %d: %s", b->args, rc, out);
	ck_assert_msg(support_lines(out) == 1, "%s: %s", b->args, out);
	ck_assert_msg(strstr(out, b->says), "%s: %s", b->args, out);
}
END_TEST

START_TEST(plot_of_a_malformed_set_is_one_line_and_exit_2)
{
	static char out[16384];
	files_tmp_dir(tmp_dir, sizeof(tmp_dir), "hard");
	char path[128], args[256];
	snprintf(path, sizeof(path), "%s/summary.csv", tmp_dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("garbage\n1,2,3\n", f);
	fclose(f);
	snprintf(args, sizeof(args), "plot %s", tmp_dir);
	int rc = support_concur_sh("", args, out, sizeof(out));
	ck_assert_msg(rc == 2, "exit %d: %s", rc, out);
	ck_assert_msg(support_lines(out) == 1, "%s", out);
	ck_assert_msg(strstr(out, "is not a result set"), "%s", out);
	files_rm_dir(tmp_dir);
}
END_TEST

/* Unknown query parameters are ignored; a bad value of a known one is a
 * 400 that names it. */
START_TEST(server_ignores_unknown_parameters)
{
	static const struct {
		const char *path;
		int status;
		const char *says;
	} cases[] = {
		{"/delay/10?run=3", 200, "Content-Length: 0"},
		{"/bytes/3?colour=red&x", 200, "Content-Length: 3"},
		{"/bytes/3?colour=red&bytes=x", 400, "bytes must be"},
		{"/delay/10?run=3&delay=-1", 400, "delay must be"},
	};
	int port = rawsock_port(support_server_url);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char req[256];
		snprintf(req, sizeof(req),
			 "GET %s HTTP/1.1\r\nHost: t\r\n"
			 "Connection: close\r\n\r\n",
			 cases[k].path);
		char *answer = rawsock_exchange(port, req, 5);
		ck_assert_msg(rawsock_status(answer) == cases[k].status,
			      "%s: %s", cases[k].path, answer);
		ck_assert_msg(strstr(answer, cases[k].says), "%s: %s",
			      cases[k].path, answer);
		free(answer);
	}
}
END_TEST

/* ---- Redirects stay on http and https (item 3) ------------------------ */

/* A listening socket on 127.0.0.1, any port. */
static int listen_local(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(fd, 64), 0);
	socklen_t len = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &len);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Two sockets: `web` answers every request with a 302 to an ftp:// URL
 * on `ftp`, which greets like an FTP server and counts who comes. */
struct redirector {
	int web, ftp, ftp_port;
	int ftp_connections; /* written by the thread, read after join */
	volatile int stop;
};

static void *redirector_cb(void *arg)
{
	struct redirector *rd = arg;
	while (!rd->stop) {
		struct pollfd p[2] = {{.fd = rd->web, .events = POLLIN},
				      {.fd = rd->ftp, .events = POLLIN}};
		if (poll(p, 2, 50) <= 0)
			continue;
		if (p[1].revents) {
			int c = accept(rd->ftp, NULL, NULL);
			rd->ftp_connections++;
			if (write(c, "220 ready\r\n", 11) < 0)
				perror("redirector");
			usleep(50 * 1000);
			close(c);
		}
		if (p[0].revents) {
			int c = accept(rd->web, NULL, NULL);
			char req[4096], ans[256];
			if (read(c, req, sizeof(req)) < 0)
				perror("redirector");
			int n = snprintf(ans, sizeof(ans),
					 "HTTP/1.1 302 Found\r\n"
					 "Location: ftp://127.0.0.1:%d/x\r\n"
					 "Content-Length: 0\r\n"
					 "Connection: close\r\n\r\n",
					 rd->ftp_port);
			if (write(c, ans, (size_t)n) < 0)
				perror("redirector");
			close(c);
		}
	}
	return NULL;
}

static const char *const c_models[] = {"sequential", "threads", "processes",
				       "eventloop",  "gil",	"hybrid"};

START_TEST(redirect_to_ftp_is_not_followed)
{
	struct redirector rd = {0};
	int web_port;
	rd.web = listen_local(&web_port);
	rd.ftp = listen_local(&rd.ftp_port);
	pthread_t t;
	ck_assert_int_eq(pthread_create(&t, NULL, redirector_cb, &rd), 0);
	struct batch *b = batch_new(2);
	char url[128];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/go", web_port);
	for (size_t i = 0; i < b->n; i++) {
		b->tasks[i].type = TASK_FETCH;
		ck_assert_int_eq(batch_set_url(b, i, url), 0);
	}
	struct run_opts o = run_opts_default();
	o.workers = 2;
	o.fetch.timeout_ms = 2000;
	b->t0 = clock_now();
	model_run(model_find(c_models[_i]), b, &o, NULL);
	rd.stop = 1;
	pthread_join(t, NULL);
	ck_assert_msg(rd.ftp_connections == 0,
		      "%s followed a redirect to ftp:// (%d connections)",
		      c_models[_i], rd.ftp_connections);
	for (size_t i = 0; i < b->n; i++)
		ck_assert_msg(b->results[i].kind != RESULT_OK, "%s: %s",
			      c_models[_i], b->results[i].message);
	batch_free(b);
	close(rd.web);
	close(rd.ftp);
}
END_TEST

Suite *test_suite(void)
{
	if (fetch_global_init() != 0)
		exit(EXIT_FAILURE);
	Suite *s = suite_create("hardening_input");
	TCase *url_files = runner_tcase(s, "url_files", 60);
	tcase_add_unchecked_fixture(url_files, support_server_up,
				    support_server_down);
	tcase_add_test(url_files, url_file_long_line_is_fetched);
	tcase_add_test(url_files,
		       url_file_line_over_the_cap_is_refused_on_its_line);
	tcase_add_test(url_files, url_file_dev_zero_ends);
	tcase_add_test(url_files, url_file_binary_is_escaped);
	TCase *half = runner_tcase(s, "half_close", 0);
	tcase_add_unchecked_fixture(half, support_server_up,
				    support_server_down);
	tcase_add_loop_test(half, half_closed_client_is_answered, 0, 4);
	TCase *small = runner_tcase(s, "small", 60);
	tcase_add_unchecked_fixture(small, support_server_up,
				    support_server_down);
	tcase_add_loop_test(small, bad_flag_is_one_line_and_exit_2, 0,
			    (int)(sizeof(bad_flags) / sizeof(bad_flags[0])));
	tcase_add_test(small, plot_of_a_malformed_set_is_one_line_and_exit_2);
	tcase_add_test(small, server_ignores_unknown_parameters);
	TCase *redirects = runner_tcase(s, "redirects", 0);
	tcase_add_loop_test(redirects, redirect_to_ftp_is_not_followed, 0,
			    (int)(sizeof(c_models) / sizeof(c_models[0])));
	return s;
}
