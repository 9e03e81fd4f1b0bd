// SPDX-License-Identifier: MIT
/*
 * test_bench_files.c - bench files compared and refused
 * (harness/report/bench_file.h, bench_compare.h), on hand-made CSVs, no
 * bench run: a ratio 20% worse the target's way warns, 10% does not; a
 * file from another machine, or one that records none, is not compared;
 * `concur compare A.csv B.csv` refuses two machines unless --any-machine;
 * a --quick run is not compared with a full one; a huge field, a quote
 * out of place, a missing column, a short row, a link and a FIFO are
 * refused in one phrase.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/report/bench_compare.h"
#include "harness/report/bench_file.h"
#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

#define MACHINE "Test CPU,6.18.0,meltdown=pti,00112233aabbccdd,2,full,1.50"

/* A bench file: the header, then rows (with MACHINE appended each). */
static char *bench_text(const char *const *rows, size_t n, const char *m)
{
	static char text[8192];
	size_t used =
		(size_t)snprintf(text, sizeof(text), "%s\n", BENCH_FILE_HEADER);
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used,
					 "%s,%s\n", rows[i], m);
	return text;
}

static const char *const before_rows[] = {
	"io,threads,100,1.1,1,1.0000,<=1.10,yes,s",
	"io,processes,100,1.1,1,1.0000,<=1.10,yes,s",
	"cpu,threads,2,1,1,2.0000,>=1.90,yes,s",
	"cpu,eventloop,2,1,1,1.0000,0.9..1.1,yes,s",
	"spawn,threads,1,40,,,,n/a,us",
};
static const char *const now_rows[] = {
	"io,threads,100,1.3,1,1.2000,<=1.10,no,s",    /* 20% worse */
	"io,processes,100,1.2,1,1.1000,<=1.10,yes,s", /* 10% worse */
	"cpu,threads,2,1,1,1.6000,>=1.90,no,s",	      /* 20% worse */
	"cpu,eventloop,2,1,1,1.5000,0.9..1.1,no,s",   /* a range */
	"spawn,threads,1,80,,,,n/a,us",		      /* no ratio */
};

static void parse(const char *text, struct bench_file *f)
{
	char why[256];
	ck_assert_msg(
		bench_file_parse(text, strlen(text), f, why, sizeof(why)) == 0,
		"refused: %s", why);
}

/* What bench_compare_previous printed, in a static buffer. */
static const char *previous_said(const struct bench_file *a,
				 const struct bench_file *b, size_t *warned)
{
	static char out[4096];
	FILE *f = fmemopen(out, sizeof(out), "w");
	ck_assert_ptr_nonnull(f);
	*warned = bench_compare_previous(f, a, b);
	fclose(f);
	return out;
}

START_TEST(a_ratio_20_percent_worse_warns_10_does_not)
{
	struct bench_file a, b;
	size_t warned;
	double pct;
	parse(bench_text(before_rows, 5, MACHINE), &a);
	parse(bench_text(now_rows, 5, MACHINE), &b);
	const char *said = previous_said(&a, &b, &warned);
	ck_assert_uint_eq(warned, 2);
	ck_assert_msg(strstr(said, "warning: io, threads, C=100") &&
			      strstr(said, "warning: cpu, threads, C=2") &&
			      !strstr(said, "processes") &&
			      strstr(said, "load average 1.50 then, 1.50 "
					   "now): 2 of 3 ratios"),
		      "said: %s", said);
	ck_assert_int_eq(bench_move_of("<=1.10", 1.0, 1.15, &pct),
			 BENCH_MOVE_WORSE);
	ck_assert_int_eq(bench_move_of("<=1.10", 1.0, 0.8, &pct),
			 BENCH_MOVE_BETTER);
	ck_assert_int_eq(bench_move_of(">=1.9", 2.0, 2.2, &pct),
			 BENCH_MOVE_SAME);
	ck_assert_int_eq(bench_move_of("", 1.0, 3.0, &pct), BENCH_MOVE_NONE);
	ck_assert_double_eq_tol(pct, 200.0, 1e-9);
	bench_file_free(&a);
	bench_file_free(&b);
}
END_TEST

START_TEST(another_machine_is_not_compared)
{
	struct bench_file a, b, old;
	size_t warned;
	parse(bench_text(before_rows, 5, MACHINE), &a);
	parse(bench_text(
		      now_rows, 5,
		      "Test CPU,6.1.0,meltdown=pti,00112233aabbccdd,2,full,"),
	      &b);
	const char *said = previous_said(&a, &b, &warned);
	ck_assert_uint_eq(warned, 0);
	ck_assert_msg(strstr(said, "previous bench from another machine: "
				   "not compared (kernel: 6.18.0 (previous) "
				   "vs 6.1.0 (this run))"),
		      "said: %s", said);
	/* a file from before the machine columns: not compared either */
	parse("case,model,workers,ratio,target,unit\nio,threads,100,1.0,"
	      "<=1.10,s\n",
	      &old);
	ck_assert_int_eq(old.has_machine, 0);
	said = previous_said(&old, &a, &warned);
	ck_assert_uint_eq(warned, 0);
	ck_assert_ptr_nonnull(strstr(said, "previous records no machine"));
	/* a --quick run's ratios are of smaller batches: not compared */
	bench_file_free(&b);
	parse(bench_text(
		      now_rows, 5,
		      "Test CPU,6.18.0,meltdown=pti,00112233aabbccdd,2,quick,"),
	      &b);
	said = previous_said(&b, &a, &warned);
	ck_assert_uint_eq(warned, 0);
	ck_assert_msg(strstr(said, "previous bench ran other sizes: not "
				   "compared (quick (previous) vs full"),
		      "said: %s", said);
	bench_file_free(&a);
	bench_file_free(&b);
	bench_file_free(&old);
}
END_TEST

/* Quotes and commas survive the writer and the reader. */
START_TEST(a_quoted_field_reads_back_as_written)
{
	struct bench_machine m = {"CPU \"X\", rev 2", "6.18", "none", "ab", 4};
	struct bench_file f;
	char text[1024];
	FILE *out = fmemopen(text, sizeof(text), "w");
	fprintf(out, "%s\nio,threads,100,1,1,1.0,<=1.1,yes,s",
		BENCH_FILE_HEADER);
	bench_file_put_machine(out, &m);
	fputs(",full,\n", out);
	fclose(out);
	parse(text, &f);
	ck_assert_uint_eq(f.n, 1);
	ck_assert_str_eq(f.machine.cpu_model, "CPU \"X\", rev 2");
	ck_assert_int_eq(f.machine.cores, 4);
	ck_assert_double_eq_tol(f.rows[0].ratio, 1.0, 1e-9);
	bench_file_free(&f);
}
END_TEST

/* Each text is refused, and why says so. */
START_TEST(hostile_text_is_refused_in_one_phrase)
{
	static char huge[2048];
	memset(huge, 'x', sizeof(huge) - 1);
	const struct {
		const char *text, *why;
	} cases[] = {
		{"", "no column 'case'"},
		{"case,model,workers,ratio,target\n", "no column 'unit'"},
		{"case,model,workers,ratio,target,unit,kernel\n",
		 "some of the machine's columns"},
		{"case,model,workers,ratio,target,unit\nio,a\"b,1,1,,s\n",
		 "quote out of place"},
		{"case,model,workers,ratio,target,unit\nio,\"ab,1,1,,s\n",
		 "quote out of place"},
		{"case,model,workers,ratio,target,unit\nio,t,1,1\n",
		 "row 2 has 4 fields, the header 6"},
		{"case,model,workers,ratio,target,unit\nio,t,x,1,,s\n",
		 "workers is not a number"},
		{"case,model,workers,ratio,target,unit\nio,t,1,nan,,s\n",
		 "ratio is not a number"},
		{"case,model,workers,ratio,target,unit,sizes\nio,t,1,1,,s,x\n",
		 "sizes is neither full nor quick"},
		{"case,model,workers,ratio,target,unit,load\nio,t,1,1,,s,-1\n",
		 "load is not a number"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bench_file f;
		char why[256] = "";
		ck_assert_int_eq(bench_file_parse(cases[i].text,
						  strlen(cases[i].text), &f,
						  why, sizeof(why)),
				 -1);
		ck_assert_msg(strstr(why, cases[i].why), "case %zu: %s", i,
			      why);
	}
	char field[4096];
	snprintf(field, sizeof(field),
		 "case,model,workers,ratio,target,unit\nio,%s,1,1,,s\n", huge);
	struct bench_file f;
	char why[256];
	ck_assert_int_eq(
		bench_file_parse(field, strlen(field), &f, why, sizeof(why)),
		-1);
	ck_assert_ptr_nonnull(strstr(why, "longer than 512 bytes"));
	ck_assert_int_eq(bench_file_parse("a\0b", 3, &f, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "NUL"));
	/* two machines in one file */
	const char *rows[] = {"io,threads,100,1,1,1.0,,n/a,s"};
	char two[9000];
	snprintf(two, sizeof(two), "%s%s", bench_text(rows, 1, MACHINE),
		 "io,t,1,1,1,1.0,,n/a,s,Other CPU,6.18.0,x,0,2,full,\n");
	ck_assert_int_eq(
		bench_file_parse(two, strlen(two), &f, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "another machine"));
}
END_TEST

/* A link, a FIFO and a file over the cap: refused, none waited on. */
START_TEST(links_fifos_and_huge_files_are_refused)
{
	char dir[256], path[512], link[512], fifo[512], why[256];
	struct bench_file f;
	files_tmp_dir(dir, sizeof(dir), "benchfile");
	snprintf(path, sizeof(path), "%s/good.csv", dir);
	FILE *out = fopen(path, "w");
	fputs(bench_text(before_rows, 5, MACHINE), out);
	fclose(out);
	ck_assert_int_eq(bench_file_load(path, &f, why, sizeof(why)), 0);
	ck_assert_uint_eq(f.n, 5);
	bench_file_free(&f);
	snprintf(link, sizeof(link), "%s/link.csv", dir);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(bench_file_load(link, &f, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "symbolic link"));
	snprintf(fifo, sizeof(fifo), "%s/fifo.csv", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(bench_file_load(fifo, &f, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "not a regular file"));
	ck_assert_int_eq(truncate(path, (off_t)BENCH_FILE_MAX_BYTES + 1), 0);
	ck_assert_int_eq(bench_file_load(path, &f, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "larger than 1 MB"));
	files_rm_dir(dir);
}
END_TEST

/* `concur compare A.csv B.csv`: the table on one machine, exit 2 across
 * two, the table again with --any-machine; --help says it. */
START_TEST(compare_reads_two_bench_files_from_one_machine)
{
	char dir[256], a[512], b[512], c[512], args[2048];
	static char out[16384], err[4096];
	files_tmp_dir(dir, sizeof(dir), "benchcmp");
	snprintf(a, sizeof(a), "%s/a.csv", dir);
	snprintf(b, sizeof(b), "%s/b.csv", dir);
	snprintf(c, sizeof(c), "%s/c.csv", dir);
	FILE *f = fopen(a, "w");
	fputs(bench_text(before_rows, 5, MACHINE), f);
	fclose(f);
	f = fopen(b, "w");
	fputs(bench_text(now_rows, 5, MACHINE), f);
	fclose(f);
	f = fopen(c, "w");
	fputs(bench_text(now_rows, 5, "Other,6.18.0,x,0,2,full,"), f);
	fclose(f);
	snprintf(args, sizeof(args), "compare %s %s", a, b);
	ck_assert_int_eq(
		support_concur(args, out, sizeof(out), err, sizeof(err)), 0);
	ck_assert_msg(strstr(out, "+20.0%  worse") &&
			      strstr(out, "+10.0%  same") &&
			      strstr(out, "-20.0%  worse") &&
			      strstr(out, "not judged: a range"),
		      "table: %s", out);
	snprintf(args, sizeof(args), "compare %s %s", a, c);
	ck_assert_int_eq(
		support_concur(args, out, sizeof(out), err, sizeof(err)), 2);
	ck_assert_msg(strstr(err, "different machines (CPU model: Test CPU "
				  "(A) vs Other (B))"),
		      "err: %s", err);
	snprintf(args, sizeof(args), "compare %s %s --any-machine", a, c);
	ck_assert_int_eq(
		support_concur(args, out, sizeof(out), err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(out, "WARNING: different machines"));
	ck_assert_int_eq(support_concur("compare --help", out, sizeof(out), err,
					sizeof(err)),
			 0);
	ck_assert_ptr_nonnull(strstr(out, "bench files"));
	files_rm_dir(dir);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("bench_files");
	TCase *tc = runner_tcase(s, "bench_files", 20);
	tcase_add_test(tc, a_ratio_20_percent_worse_warns_10_does_not);
	tcase_add_test(tc, another_machine_is_not_compared);
	tcase_add_test(tc, a_quoted_field_reads_back_as_written);
	tcase_add_test(tc, hostile_text_is_refused_in_one_phrase);
	tcase_add_test(tc, links_fifos_and_huge_files_are_refused);
	tcase_add_test(tc, compare_reads_two_bench_files_from_one_machine);
	return s;
}
