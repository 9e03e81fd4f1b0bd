// SPDX-License-Identifier: MIT
/*
 * test_speed_tally.c - exercise 2's speed judge (harness/grade/
 * speed_tally.h) on measurements made up to sit where each answer's do:
 * only padded slots earn full marks; packed slots, one atomic counter and
 * a mutex each get their own cause (one worker tells false sharing at
 * its worst from an atomic); a machine that does not show false
 * sharing says so instead of guessing; full marks end at 0.8 of the
 * padded reference's speed; a slow tally asks for the slow variants
 * before it is judged.
 */
#include <check.h>
#include <math.h>

#include "harness/grade/speed_tally.h"
#include "tests/support/runner.h"

/* Where the grader's variants sit over its padded slots: packed 1.0 to
 * 9 (as the machine shows false sharing), atomic 10, mutex 40. */
static struct tally_verdict judge(double student, double packed)
{
	struct tally_slowdowns s = {student, packed, packed, 10, 40, NAN};
	return speed_tally_judge(&s);
}

START_TEST(only_padded_slots_earn_full_marks)
{
	struct tally_verdict v = judge(1.0, 3);
	ck_assert_int_eq(v.cause, TALLY_FAST);
	ck_assert(v.score == 1 && v.false_sharing_shown);
	v = judge(3, 3);
	ck_assert_int_eq(v.cause, TALLY_PACKED);
	ck_assert(v.score == 0.5);
}
END_TEST

START_TEST(each_slow_answer_gets_its_own_cause)
{
	ck_assert_int_eq(judge(2, 3).cause, TALLY_PACKED);
	ck_assert_int_eq(judge(9, 3).cause, TALLY_ATOMIC);
	ck_assert_int_eq(judge(12, 1.0).cause, TALLY_ATOMIC);
	ck_assert_int_eq(judge(35, 3).cause, TALLY_LOCK);
	ck_assert(judge(35, 3).score == 0);
	/* Slower than padded, far faster than an atomic, where the
	 * grader's packed slots ran as fast as padded in this run: still
	 * most likely false sharing, which comes and goes. */
	ck_assert_int_eq(judge(2, 1.0).cause, TALLY_PACKED);
}
END_TEST

/* Full marks end at 0.8 of padded's speed, wherever packed slots are:
 * padded slots beside a CPU hog came out at up to 1.2. */
START_TEST(full_marks_end_at_0_8_of_padded)
{
	ck_assert_int_eq(judge(1.2, 9).cause, TALLY_FAST);
	ck_assert_int_eq(judge(1.3, 9).cause, TALLY_PACKED);
	struct tally_verdict v = judge(1.2, 1.44); /* too near to tell */
	ck_assert_int_eq(v.cause, TALLY_FAST);
	ck_assert(!v.false_sharing_shown);
	ck_assert(v.fast_limit == TALLY_FAST_LIMIT);
}
END_TEST

/* False sharing at its worst is as slow as one atomic counter at C = 4;
 * with one worker it costs nothing, where an atomic add or a lock still
 * does: that tells them apart. */
START_TEST(one_worker_tells_false_sharing_from_an_atomic)
{
	struct tally_slowdowns s = {12, 1.0, 9, 10, 40, 1.1};
	ck_assert_int_eq(speed_tally_judge(&s).cause, TALLY_PACKED);
	s.solo = 8; /* an atomic add alone */
	ck_assert_int_eq(speed_tally_judge(&s).cause, TALLY_ATOMIC);
	s.student = 35;
	s.solo = 30; /* a lock alone */
	ck_assert_int_eq(speed_tally_judge(&s).cause, TALLY_LOCK);
}
END_TEST

/* Packed slots as fast as padded: the machine cannot tell the two
 * layouts apart, and the verdict says so rather than guess. */
START_TEST(a_machine_without_false_sharing_says_so)
{
	struct tally_verdict v = judge(1.05, 1.05);
	ck_assert_int_eq(v.cause, TALLY_FAST);
	ck_assert(!v.false_sharing_shown);
	ck_assert(v.fast_limit == TALLY_FAST_LIMIT);
}
END_TEST

START_TEST(a_slow_tally_asks_for_the_slow_variants_first)
{
	struct tally_slowdowns s = {5, 3, 3, NAN, NAN, NAN};
	struct tally_verdict v = speed_tally_judge(&s);
	ck_assert(v.needs_slow_variants);
	s.student = 1.0;
	ck_assert(!speed_tally_judge(&s).needs_slow_variants);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("speed_tally");
	TCase *tc = runner_tcase(s, "judge", 0);
	tcase_add_test(tc, only_padded_slots_earn_full_marks);
	tcase_add_test(tc, each_slow_answer_gets_its_own_cause);
	tcase_add_test(tc, full_marks_end_at_0_8_of_padded);
	tcase_add_test(tc, one_worker_tells_false_sharing_from_an_atomic);
	tcase_add_test(tc, a_machine_without_false_sharing_says_so);
	tcase_add_test(tc, a_slow_tally_asks_for_the_slow_variants_first);
	return s;
}
