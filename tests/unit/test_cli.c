// SPDX-License-Identifier: MIT
/*
 * test_cli.c - the command line as a user meets it: every bad flag or
 * value exits 2 with exactly one line on stderr naming the problem, and
 * nothing on stdout; help and version exit 0.
 */
#include <check.h>
#include <string.h>

#include "tests/support/runner.h"
#include "tests/support/support.h"

struct bad_case {
	const char *args;
	const char *must_say; /* a word the one line must contain */
};

static const struct bad_case bad_cases[] = {
	{"", "usage"},
	{"nosuchcommand", "nosuchcommand"},
	{"run --workers 0", "--workers"},
	{"run --workers -3", "--workers"},
	{"run --workers x", "--workers"},
	{"run --workers 99999999999", "--workers"},
	{"run --workers 1,,2", "--workers"},
	{"run --workers 8-2", "--workers"},
	{"run --tasks -1", "--tasks"},
	{"run --tasks lots", "--tasks"},
	{"run --delay 99999999", "--delay"},
	{"run --bytes 1e9", "--bytes"},
	{"run --work -2", "--work"},
	{"run --timeout 0", "--timeout"},
	{"run --repeat 0", "--repeat"},
	{"run --warmup -1", "--warmup"},
	{"run --models nosuch", "sequential"},
	{"run --models sequential,,threads", "--models"},
	{"run --workloads foo", "--workloads"},
	{"run --workloads fetch,fetch", "--workloads"},
	{"run --switch-interval 0", "--switch-interval"},
	{"run --switch-interval -1", "--switch-interval"},
	{"run --switch-interval abc", "--switch-interval"},
	{"run --cpu-workers 0", "--cpu-workers"},
	{"run --backend kqueue", "--backend"},
	{"run --backend EPOLL", "--backend"},
	{"run --backend", "--backend"},
	{"run --backend select --workers 10,2000", "1000"},
	{"run --switch fast", "--switch"},
	{"run --switch", "--switch"},
	{"run --stack-kib 2", "--stack-kib"},
	{"run --stack-kib 64k", "--stack-kib"},
	{"run --url-file /nonexistent/urls.txt", "/nonexistent/urls.txt"},
	{"run --url-file tests/data/bad-urls.txt", "bad-urls.txt:4"},
	{"run --server ftp://x", "--server"},
	{"run --out /proc/concur-cannot-write --tasks 1", "--out"},
	{"run --bogus", "--bogus"},
	{"run --workers", "--workers"},
	{"run extra", "extra"},
	{"compare /tmp", "compare"},
	{"compare /tmp /tmp", "result set"},
	{"plot /tmp", "result set"},
	{"models extra", "extra"},
	{"bench --cases nosuch", "--cases"},
	{"bench --out /tmp", "--out /tmp is a directory"},
	{"compare /tmp/nosuch-a.csv /tmp/nosuch-b.csv", "not a bench file"},
	{"compare /tmp/nosuch-a.csv /tmp/nosuch-b.csv --plot", "--plot"},
	{"compare /tmp /tmp --any-machine", "--any-machine"},
	{"run --python /nonexistent/python3 --models threads", "--python"},
	{"run --python /bin/false --models threads", "aiohttp"},
	{"compare /tmp /tmp --bogus", "--bogus"},
};

#define N_BAD (sizeof(bad_cases) / sizeof(bad_cases[0]))

START_TEST(bad_input_exits_2_with_one_line)
{
	const struct bad_case *c = &bad_cases[_i];
	char out[4096], err[4096];
	int rc = support_concur(c->args, out, sizeof(out), err, sizeof(err));
	ck_assert_msg(rc == 2, "'concur %s' exited %d, not 2 (stderr: %s)",
		      c->args, rc, err);
	if (c->args[0]) {
		ck_assert_msg(support_lines(err) == 1,
			      "'concur %s' printed %d lines on stderr: %s",
			      c->args, support_lines(err), err);
		ck_assert_msg(out[0] == '\0',
			      "'concur %s' printed on stdout: "
			      "%s",
			      c->args, out);
	}
	ck_assert_msg(strstr(err, c->must_say) != NULL,
		      "'concur %s' did not name '%s': %s", c->args, c->must_say,
		      err);
}
END_TEST

START_TEST(help_and_version_exit_0)
{
	static const char *const ok[] = {
		"--help", "--version",	 "run --help",	   "serve --help",
		"models", "plot --help", "compare --help", "bench --help"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char out[16384];
		int rc = support_concur(ok[i], out, sizeof(out), NULL, 0);
		ck_assert_msg(rc == 0, "'concur %s' exited %d", ok[i], rc);
		ck_assert_msg(out[0] != '\0', "'concur %s' printed nothing",
			      ok[i]);
	}
}
END_TEST

START_TEST(models_lists_the_registry)
{
	char out[16384];
	ck_assert_int_eq(support_concur("models", out, sizeof(out), NULL, 0),
			 0);
	ck_assert_ptr_nonnull(strstr(out, "sequential"));
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = runner_tcase(s, "cli", 30);
	tcase_add_loop_test(tc, bad_input_exits_2_with_one_line, 0, (int)N_BAD);
	tcase_add_test(tc, help_and_version_exit_0);
	tcase_add_test(tc, models_lists_the_registry);
	return s;
}
