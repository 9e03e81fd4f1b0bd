// SPDX-License-Identifier: MIT
/*
 * speed_tally.h - exercise 2's speed check: the student's tally timed
 * against the grader's own tallies (tally_ref.h: padded slots, packed
 * ones, one atomic counter, a mutex; run in concur-host-ref) in the same
 * run,
 * each batch sized from a calibration to last about TALLY_TARGET_S, the
 * runs alternated and the grade a median of ratios; a slow tally's cause
 * read from where its time falls among the grader's variants, not from
 * its code.
 *
 * Errors: a speed run that fails (a crash, an early end, a wrong total)
 * fails the check with why; the judge itself cannot fail.
 */
#ifndef CONCUR_GRADE_SPEED_TALLY_H
#define CONCUR_GRADE_SPEED_TALLY_H

#include <stdbool.h>

#include "harness/grade/grade_sheet.h"

/* How long one run of the padded reference lasts once calibrated: long
 * enough that starting a contained host (tens of ms) is noise, short
 * enough that a mutex answer (30 times slower) is done in seconds. */
#define TALLY_TARGET_S 0.15
/* The same under a sanitizer or --quick: the grade is only indicative. */
#define TALLY_QUICK_TARGET_S 0.05
/* Full marks need at least 0.8 of the padded reference's speed: a
 * slowdown under 1.25. Padded slots graded beside a CPU hog came out at
 * up to 1.2 (median of 5 rounds), so the line cannot be nearer. */
#define TALLY_FAST_LIMIT 1.25
/* Packed slots at least this much slower than padded ones (1.25 squared:
 * full marks end halfway between them) show false sharing on this
 * machine; below it the machine cannot tell the two layouts apart (two
 * virtual CPUs sharing a core's L1 cache, or a busy machine running the
 * threads in turns). */
#define TALLY_FALSE_SHARING_SHOWN (TALLY_FAST_LIMIT * TALLY_FAST_LIMIT)
/* With one worker, against padded slots with one: at least this slow
 * takes a lock or a locked instruction an increment (an atomic add alone
 * costs 6 to 20 times a plain one, a mutex 20 to 50); false sharing, no
 * more than padded slots (nothing to share with). */
#define TALLY_SOLO_LOCKED 2.0

/* Each variant's time an increment over the padded reference's, median
 * of the rounds (1 = as fast; NAN: not measured). */
struct tally_slowdowns {
	double student, packed;
	double packed_worst; /* the slowest round of packed slots */
	double atomic, mutex;
	double solo; /* the student's, one worker against one (NAN: not
			measured) */
};

/* Why a right tally is slow, as the grader measured it, and its score
 * of the speed check's 1 point. */
enum tally_cause {
	TALLY_FAST,   /* as fast as padded slots: 1 */
	TALLY_PACKED, /* slower than padded, far faster than an atomic:
			 most likely false sharing: 0.5 */
	TALLY_ATOMIC, /* like one atomic counter, one contended line: 0.5 */
	TALLY_LOCK,   /* like a mutex around each increment: 0 */
	TALLY_SLOW,   /* slower than padded, not yet raced against the
			 atomic and the mutex: 0.5 */
};

struct tally_verdict {
	enum tally_cause cause;
	double score;		  /* of the speed check's 1 point */
	double fast_limit;	  /* the slowdown full marks end at */
	bool false_sharing_shown; /* packed measurably slower than padded */
	bool needs_slow_variants; /* slow: measure atomic and mutex, judge
				     again */
};

/* Where s->student falls among the grader's variants: full marks up to
 * TALLY_FAST_LIMIT, then the geometric midpoints between neighbours
 * (packed, atomic, mutex). */
struct tally_verdict speed_tally_judge(const struct tally_slowdowns *s);

/* The check, into g (a test, hint bits, g->failed when a run failed). */
void speed_tally_check(struct grade *g, const char *name);

#endif
