// SPDX-License-Identifier: MIT
/*
 * hints.h - what `concur grade` says when a check fails: each failure
 * message is read for its evidence (a lock left held, a hang with every
 * thread asleep, lost updates, a race report...), the evidence becomes
 * bits, a cause found clears the effects it explains, and each bit left
 * is one paragraph of advice naming the functions to look at.
 */
#ifndef CONCUR_GRADE_HINTS_H
#define CONCUR_GRADE_HINTS_H

#include <stdbool.h>
#include <stddef.h>

/* Likely mistakes, as bits: what the hint explains. */
enum grade_hint {
	HINT_LOST = 1 << 0,	     /* a result left not_run */
	HINT_ORDER = 1 << 1,	     /* a result in another task's slot */
	HINT_HANG = 1 << 2,	     /* a check ran out of time */
	HINT_CRASH = 1 << 3,	     /* a signal killed the check */
	HINT_RACE = 1 << 4,	     /* ThreadSanitizer reported a race */
	HINT_MEMORY = 1 << 5,	     /* AddressSanitizer reported an error */
	HINT_UB = 1 << 6,	     /* UBSan reported undefined behaviour */
	HINT_NO_RUN = 1 << 7,	     /* run() returned -1 */
	HINT_FIELDS = 1 << 8,	     /* no worker, or end before start */
	HINT_OTHER = 1 << 9,	     /* a result differs otherwise */
	HINT_HELD = 1 << 10,	     /* a lock never released: a thread ended
				 holding it, or a locked mutex destroyed */
	HINT_WAKEUP = 1 << 11,	     /* a consumer left on a wake-up for nothing
				  (an if, not a while, around the wait) */
	HINT_SERIAL = 1 << 12,	     /* tasks ran one at a time (the lock held
				  while running one) */
	HINT_LOST_UPDATES = 1 << 13, /* the shared total came out short */
	HINT_TALLY_SUM = 1 << 14,    /* wrong with one worker, or too high:
					the sum, not a race */
	HINT_SLOW_TALLY = 1 << 15,   /* right, but slower than padded slots,
					like none of the grader's variants */
	HINT_FEW_AT_ONCE = 1 << 16,  /* the speed run's parallelism far
					below threads' */
	HINT_TALLY_LOCK = 1 << 17,   /* as slow as a mutex an increment */
	HINT_TALLY_ATOMIC = 1 << 18, /* as slow as one atomic counter */
	HINT_TALLY_PACKED = 1 << 19, /* as slow as packed slots */
};

/* The hint bits one failure message points at. */
unsigned hints_classify(const char *msg);

/* Clears the effects a cause found explains (a lock never released makes
 * a hang; a wrong sum, lost updates; ...). */
unsigned hints_causes(unsigned hints);

/* The advice for `hints` into buf, a "hint: ..." paragraph a bit; model
 * fills the %s some of them have. race_advice: end by saying how to look
 * for data races. */
void hints_write(unsigned hints, const char *model, bool race_advice, char *buf,
		 size_t len);

#endif
