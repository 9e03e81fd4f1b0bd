// SPDX-License-Identifier: MIT
/*
 * coro_switch.h - a coroutine and the switch between it and the code that
 * resumed it, for models/coroutines.c (and the switch benchmark,
 * harness/bench/coro.c).
 *
 * A coroutine is a function with its own stack that can stop halfway
 * (coro_yield) and be continued later (coro_resume) exactly where it
 * stopped, its locals intact. The switch saves the registers the C ABI
 * says a call keeps (callee-saved) and the stack pointer, and loads the
 * other side's. Two ways to do it, chosen per coroutine (--switch):
 *   asm       a dozen instructions of our own (x86-64 only): no system call
 *   ucontext  glibc's swapcontext (POSIX, every CPU): saves every register
 *             and the signal mask, and that costs an rt_sigprocmask system
 *             call on each switch
 * Boost.Context and greenlet do the same: assembly per CPU, ucontext as
 * the fallback.
 *
 * A stack overflow is caught, not suffered: the stack has a guard page
 * (models/coro_stack.h), coro_guard_install sets a SIGSEGV handler on an
 * alternate signal stack, and a fault in the running coroutine's guard
 * ends that coroutine as CORO_CRASHED: coro_resume returns, the run goes
 * on. Any other SIGSEGV goes to the handler that was there before.
 *
 * Threads: a coroutine is created, resumed and freed on one thread, and
 * resumed by plain code, never from inside another coroutine.
 * Errors: coro_start and coro_guard_install return 0, or -1 with errno
 * set (nothing said); the rest cannot fail.
 */
#ifndef CONCUR_CORO_SWITCH_H
#define CONCUR_CORO_SWITCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <ucontext.h>

#include "common/options.h"
#include "models/coro_stack.h"

enum coro_state {
	CORO_SUSPENDED, /* started or yielded: coro_resume continues it */
	CORO_RUNNING,	/* between coro_resume and its return */
	CORO_FINISHED,	/* its body returned */
	CORO_CRASHED,	/* it overflowed its stack and was abandoned */
};

/* One coroutine. Owned by whoever resumes it; every field is written on
 * that one thread. */
struct coro {
	enum coro_switch how;	 /* ASM or UCONTEXT, never DEFAULT */
	enum coro_state state;	 /* read it after coro_resume returns */
	struct coro_stack stack; /* owned: kept by coro_start for reuse */
	void (*body)(void *arg); /* what the coroutine runs, once */
	void *arg;
	void *sp, *caller_sp;	  /* asm: saved stack pointers */
	ucontext_t uc, caller_uc; /* ucontext: the two saved contexts */
	/* The sanitizers' view of the switch (compiled in under ASan/TSan):
	 * the stack we return to, and TSan's fibers. */
	const void *caller_lo;
	size_t caller_size;
	void *asan_fake, *caller_asan_fake;
	void *tsan_fiber, *tsan_caller;
};

/* The switch a name means ("asm", "ucontext"); -1 for a name that is not
 * one, or asm on a CPU without it. */
int coro_switch_parse(const char *name, enum coro_switch *out);
/* "asm, ucontext" (or "ucontext"): what coro_switch_parse takes. */
const char *coro_switch_names(void);
/* DEFAULT resolved: asm where there is one, else ucontext. */
enum coro_switch coro_switch_resolve(enum coro_switch how);
/* "asm" or "ucontext". */
const char *coro_switch_name(enum coro_switch how);

/* Prepares co to run body(arg) on a stack of stack_bytes, switched with
 * `how`; the stack co already has is reused if it is as big. The body
 * starts at the first coro_resume. co must be zeroed the first time. */
int coro_start(struct coro *co, enum coro_switch how, size_t stack_bytes,
	       void (*body)(void *arg), void *arg);

/* Runs co until it yields, finishes or crashes (see co->state). */
void coro_resume(struct coro *co);

/* Inside co's body: back to whoever resumed it, until resumed again. */
void coro_yield(struct coro *co);

/* Unmaps co's stack and forgets it. */
void coro_free(struct coro *co);

/* The calling thread's stack-overflow catcher (see above). */
struct coro_guard {
	stack_t old_altstack;	     /* restored by coro_guard_remove */
	struct sigaction old_action; /* SIGSEGV's before */
	void *altstack;		     /* owned: the handler's stack */
	size_t altstack_size;
};
int coro_guard_install(struct coro_guard *g);
void coro_guard_remove(struct coro_guard *g);

/* What one switch of `how` costs, in ns: `rounds` resume-and-yield round
 * trips of a coroutine that only yields (after rounds / 10 to warm up),
 * two switches each. -1 when the coroutine cannot start. For the bench
 * (harness/bench/coro.c) and the lesson "async/await"
 * (harness/lessons/async.c). */
double coro_switch_ns(enum coro_switch how, long rounds);

#endif
