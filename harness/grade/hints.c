// SPDX-License-Identifier: MIT
/*
 * hints.c - the grader's advice (hints.h): from the words of a failed
 * check to the paragraph that explains the likely mistake.
 */
#include "harness/grade/hints.h"

#include <stdio.h>
#include <string.h>

/* The hint bits one failure message points at. */
unsigned hints_classify(const char *msg)
{
	if (strstr(msg, "ended holding a lock"))
		return HINT_HELD;
	if (strstr(msg, "hung:")) /* the watchdog says what threads wait on */
		return strstr(msg, " 0 waiting for a lock") ? HINT_HANG
							    : HINT_HELD;
	if (strstr(msg, "empty but still open"))
		return HINT_WAKEUP;
	if (strstr(msg, "one at a time"))
		return HINT_SERIAL;
	if (strstr(msg, "counted twice"))
		return HINT_TALLY_SUM;
	if (strstr(msg, "lost updates"))
		return HINT_LOST_UPDATES;
	if (strstr(msg, "got not_run"))
		return HINT_LOST;
	if (strstr(msg, "expected ok") && strstr(msg, "got ok"))
		return HINT_ORDER;
	if (strstr(msg, "timeout expired"))
		return HINT_HANG;
	if (strstr(msg, "Early exit with return value 66"))
		return HINT_RACE; /* ThreadSanitizer's exit status */
	if (strstr(msg, "Received signal") || strstr(msg, "Early exit"))
		return HINT_CRASH;
	if (strstr(msg, "could not run"))
		return HINT_NO_RUN;
	if (strstr(msg, "no worker or runs backwards"))
		return HINT_FIELDS;
	return HINT_OTHER;
}

static const struct {
	unsigned bit;
	const char *text;
} hints_text[] = {
	{HINT_LOST, "A task was lost: its result is still not_run, so no "
		    "worker ever ran it. In a queue-fed pool, check that pop "
		    "hands out indices until the queue is closed AND empty, "
		    "that every popped index reaches task_execute, and that "
		    "every push succeeds (in student.c: the TODOs of "
		    "queue_push, queue_pop and student_consumer)."},
	{HINT_ORDER, "Results out of order: a task's slot holds another "
		     "task's result. Run task i into batch->results[i] (pass "
		     "the index you popped to task_execute), and make sure "
		     "no two workers take the same index (head and count "
		     "change only under the lock)."},
	{HINT_HELD, "A lock is never released: a worker thread returned "
		    "still holding the queue's mutex (or a sanitizer saw a "
		    "locked mutex destroyed), so every other thread waits "
		    "for it forever. Each return between pthread_mutex_lock "
		    "and pthread_mutex_unlock must unlock first: look at the "
		    "early returns of queue_pop and queue_push, the path "
		    "taken when the queue is closed."},
	{HINT_HANG, "A hang, most likely a lost wake-up: threads asleep in "
		    "pthread_cond_wait that nobody wakes (the failed check "
		    "says how many, and that none waits for a lock). Someone "
		    "waits on a condition nobody signals again: when the "
		    "queue closes, every sleeping consumer must wake to see "
		    "it (pthread_cond_broadcast in queue_close, not "
		    "pthread_cond_signal, which wakes one); or the producer "
		    "sleeps on not_full with no consumer popping."},
	{HINT_WAKEUP, "A consumer left too early: woken while the queue was "
		      "empty but still open, it returned as if the queue were "
		      "closed. A wake-up is only a hint (it can be spurious, "
		      "or another consumer took the index first): wait in a "
		      "while loop that re-checks the condition, not an if "
		      "(in queue_pop: while (count == 0 && !closed) "
		      "pthread_cond_wait(...))."},
	{HINT_SERIAL, "Tasks ran one at a time: the consumer holds the "
		      "queue's lock while it runs a task, so the other "
		      "workers wait for the lock instead of working. Hold "
		      "the lock only to take an index out of the queue; "
		      "unlock, then call task_execute."},
	{HINT_LOST_UPDATES,
	 "Increments were lost: two workers read the same total, each added "
	 "one and wrote it back, and one write undid the other (the "
	 "failed check says how many of how many survived). Make the read, "
	 "the add and the write one step (a mutex around them, or one "
	 "atomic_fetch_add), then make it fast: each worker adds to its own "
	 "slot with no lock, and tally_total sums the slots after the join "
	 "(in tally.c: the TODOs of tally_add and tally_total)."},
	{HINT_TALLY_SUM,
	 "The total is wrong with one worker, where nothing can race: the "
	 "sum misses increments or counts some twice. tally_total must add "
	 "every worker's slot once (all t->workers of them), or return the "
	 "one shared total, whichever tally_add adds to."},
	{HINT_TALLY_LOCK,
	 "Right, but slow: a lock on every increment. Your tally ran about as "
	 "fast as the grader's mutex around each increment: every worker "
	 "waits for the lock, and the lock's own cache line goes from core to "
	 "core. Do not share the count: let each worker add to its own slot, "
	 "t->slots[worker].count, with no lock, and sum the slots once after "
	 "the join (tally_add, tally_total)."},
	{HINT_TALLY_ATOMIC,
	 "Right, but slow: one contended cache line, even without a lock. "
	 "Your tally ran about as fast as the grader's single atomic counter: "
	 "an atomic add is one instruction, but every core must own the "
	 "counter's line to do it, so the line moves at each increment. Let "
	 "each worker add to its own slot with a plain increment, and sum the "
	 "slots after the join."},
	{HINT_TALLY_PACKED,
	 "Right, but slow: slots sharing a cache line (false sharing), most "
	 "likely. Your tally ran slower than the grader's padded slots but "
	 "far faster than its atomic counter: no lock, no locked instruction, "
	 "yet the cores wait. Slots side by side, eight to a 64-byte line, "
	 "do that: no worker reads another's slot, but the cores write the "
	 "same line, and the hardware moves whole lines. Give each slot a "
	 "line of its own: _Alignas(64) on the field in struct tally_slot."},
	{HINT_SLOW_TALLY,
	 "Right, but slow, and like none of the grader's own slow tallies "
	 "(packed slots, one atomic counter, a mutex): the speed check gives "
	 "its ratios. Something else costs time at each increment: a system "
	 "call, a yield, an allocation, a printf? Each worker should do a "
	 "plain add to its own padded slot and nothing more."},
	{HINT_FEW_AT_ONCE,
	 "Slow: %s ran far fewer tasks at once than its C = 4 workers allow "
	 "(the speed check says how many, next to threads'). Something makes "
	 "the workers take turns: a lock held while a task runs, or "
	 "consumers that sleep while tasks wait in the queue."},
	{HINT_CRASH, "A crash: a check died of a signal or did not run; "
		     "conformance.log has the details. To see where, run "
		     "with AddressSanitizer: make check-model MODEL=%s "
		     "SANITIZE=address"},
	{HINT_RACE, "A data race: ThreadSanitizer's report in "
		    "conformance.log names the two accesses. A field two "
		    "threads touch, one of them writing, must be guarded: "
		    "touched only between pthread_mutex_lock and "
		    "pthread_mutex_unlock (a field marked 'guarded by lock'), "
		    "or atomic, or written by one thread only and read after "
		    "the join."},
	{HINT_MEMORY, "A memory error: AddressSanitizer's report in "
		      "conformance.log shows the bad access and where the "
		      "memory came from."},
	{HINT_UB, "Undefined behaviour: UBSan's 'runtime error:' line in "
		  "conformance.log names the file and line."},
	{HINT_NO_RUN, "run() returned -1: the model said it could not run "
		      "the batch at all (its message is in conformance.log)."},
	{HINT_FIELDS, "A result has no worker number or ends before it "
		      "starts: fill results with task_execute, which sets "
		      "start, end and worker."},
	{HINT_OTHER, "A result differs from the sequential reference: the "
		     "check's output shows the first difference."},
};

/* A cause found explains its effects: a lock never released makes a
 * hang; a consumer that left, a lost task; any cause, a differing result. */
unsigned hints_causes(unsigned hints)
{
	if (hints & HINT_HELD)
		hints &= ~(unsigned)HINT_HANG;
	if (hints & HINT_WAKEUP)
		hints &= ~(unsigned)HINT_LOST;
	if (hints & HINT_TALLY_SUM) /* a wrong sum is short everywhere */
		hints &= ~(unsigned)HINT_LOST_UPDATES;
	if (hints & (HINT_HELD | HINT_HANG | HINT_WAKEUP | HINT_SERIAL))
		hints &= ~(unsigned)HINT_OTHER;
	return hints;
}

void hints_write(unsigned hints, const char *model, bool race_advice, char *buf,
		 size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(hints_text) / sizeof(hints_text[0]);
	     i++) {
		if (!(hints & hints_text[i].bit) || used >= len)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "hint: ");
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used,
						 hints_text[i].text, model);
		if (used < len)
			used += (size_t)snprintf(buf + used, len - used, "\n");
	}
	if (race_advice && used < len)
		snprintf(buf + used, len - used,
			 "hint: to look for data races: make check-model "
			 "MODEL=%s SANITIZE=thread\n",
			 model);
}
