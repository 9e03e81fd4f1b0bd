// SPDX-License-Identifier: MIT
/*
 * test_fuzz_corpus.c - replays every input the fuzzer kept
 * (tests/fuzz/corpus/, grown by `make fuzz`) through the same driver and
 * invariants (tests/support/fuzz_drive.h), so a change that breaks one of
 * them fails `make test`, not only a fuzzing run. Run from the source
 * root, as `make test` does.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/files.h"
#include "tests/support/fuzz_drive.h"
#include "tests/support/runner.h"

#define CORPUS "tests/fuzz/corpus"

START_TEST(every_corpus_input_keeps_the_invariants)
{
	DIR *d = opendir(CORPUS);
	ck_assert_msg(d != NULL, "no %s: run from the source root", CORPUS);
	int replayed = 0;
	size_t answered = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof(path), "%s/%s", CORPUS, e->d_name);
		size_t len;
		uint8_t *data = (uint8_t *)files_read(path, &len);
		ck_assert_msg(data != NULL, "cannot read %s", path);
		answered += fuzz_drive(data, len); /* aborts on a broken one */
		free(data);
		replayed++;
	}
	closedir(d);
	ck_assert_int_ge(replayed, 10);
	ck_assert_uint_gt(answered, 0);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("fuzz_corpus");
	TCase *tc = runner_tcase(s, "replay", 120);
	tcase_add_test(tc, every_corpus_input_keeps_the_invariants);
	return s;
}
