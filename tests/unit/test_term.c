// SPDX-License-Identifier: MIT
/*
 * test_term.c - term_safe and term_line (harness/base/term.h): a control
 * byte, DEL, a C1 control, a bidirectional override and a byte that is
 * not UTF-8 are shown as escapes; tabs and valid UTF-8 are kept; a text
 * that does not fit is cut between characters, never inside an escape.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/base/term.h"
#include "tests/support/runner.h"

/* What term_safe makes of text, in a buffer big enough. */
static const char *safe(const char *text)
{
	static char out[512];
	return term_safe(out, sizeof(out), text);
}

START_TEST(controls_are_shown_not_sent)
{
	ck_assert_str_eq(safe("\033]0;PWNED\007"), "\\x1b]0;PWNED\\x07");
	ck_assert_str_eq(safe("a\033[2Jb"), "a\\x1b[2Jb");
	ck_assert_str_eq(safe("line\nfake\r"), "line\\x0afake\\x0d");
	ck_assert_str_eq(safe("del\177"), "del\\x7f");
	ck_assert_str_eq(safe("csi\302\2332J"), "csi\\xc2\\x9b2J");
	ck_assert_str_eq(safe("rtl\342\200\256gpj.exe"), "rtl\\u202egpj.exe");
	ck_assert_str_eq(safe("iso\351"), "iso\\xe9");
}
END_TEST

START_TEST(text_and_utf8_are_kept)
{
	const char *kept[] = {"threads C=4", "tab\there", "caf\303\251",
			      "0.5\342\200\2232\303\227", "\360\237\230\200"};
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		ck_assert_str_eq(safe(kept[i]), kept[i]);
}
END_TEST

START_TEST(invalid_utf8_is_shown_byte_by_byte)
{
	/* overlong '/', a surrogate, beyond U+10FFFF, a cut sequence */
	ck_assert_str_eq(safe("\300\257"), "\\xc0\\xaf");
	ck_assert_str_eq(safe("\355\240\200"), "\\xed\\xa0\\x80");
	ck_assert_str_eq(safe("\364\220\200\200"), "\\xf4\\x90\\x80\\x80");
	ck_assert_str_eq(safe("\342\202"), "\\xe2\\x82");
}
END_TEST

START_TEST(a_cut_never_splits_an_escape)
{
	char out[8];
	ck_assert_str_eq(term_safe(out, 7, "ab\033cdef"), "ab\\x1b");
	ck_assert_str_eq(term_safe(out, 5, "a\033"), "a");
	ck_assert_str_eq(term_safe(out, 1, "abc"), "");
}
END_TEST

START_TEST(a_line_takes_bytes_with_nul)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	term_write_line(f, "a\0\033b", 4);
	term_line(f, "%s: %d", "x\ny", 7);
	fclose(f);
	ck_assert_str_eq(buf, "a\\x00\\x1bb\nx\\x0ay: 7\n");
	free(buf);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("term");
	TCase *tc = runner_tcase(s, "term", 0);
	tcase_add_test(tc, controls_are_shown_not_sent);
	tcase_add_test(tc, text_and_utf8_are_kept);
	tcase_add_test(tc, invalid_utf8_is_shown_byte_by_byte);
	tcase_add_test(tc, a_cut_never_splits_an_escape);
	tcase_add_test(tc, a_line_takes_bytes_with_nul);
	return s;
}
