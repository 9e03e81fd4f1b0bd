// SPDX-License-Identifier: MIT
/*
 * coro_switch.c - coroutines: their start, the two switches, and the
 * stack-overflow catcher (coro_switch.h says what each one does).
 *
 * Why our own, not a library: Debian has two. GNU Pth (libpth-dev) is a
 * whole cooperative-threads system: its own scheduler, and it replaces
 * read, write and sleep with versions that yield; it would hide the very
 * thing this model shows (the libev loop deciding who runs) and it would
 * fight libev for the descriptors. libpcl (Portable Coroutine Library)
 * is the right size, but underneath it is ucontext, the slow switch
 * measured here; and neither knows about the sanitizers or a guard page.
 * What is left is small enough to read in one sitting: one switch of a
 * dozen instructions, glibc's as the portable alternative.
 *
 * The hazard: the switch is the only place registers change hands behind
 * the compiler's back. It must save exactly what the ABI says a call
 * preserves (x86-64 System V: rbx, rbp, r12-r15, rsp, and the MXCSR and
 * x87 control words) - forget one and a caller's variable changes value
 * after a coro_resume, far from here. aarch64 would save x19-x29, lr, sp
 * and d8-d15 the same way (not written: untestable on this machine).
 */
#include "models/coro_switch.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "common/clock.h"

/* ---- the sanitizers: told about every switch ---- */

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define CORO_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define CORO_TSAN 1
#endif
#ifdef CORO_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef CORO_TSAN
#include <sanitizer/tsan_interface.h>
#endif

/* ASan keeps a shadow of every stack and TSan a history per thread: a
 * switch they are not told about looks to them like a corrupted stack or
 * two threads in one. `leaving` is NULL when the side we leave will never
 * run again. */
static void san_switch_to(void **leaving_fake, const void *lo, size_t size,
			  void *tsan_fiber)
{
#ifdef CORO_ASAN
	__sanitizer_start_switch_fiber(leaving_fake, lo, size);
#else
	(void)leaving_fake, (void)lo, (void)size;
#endif
#ifdef CORO_TSAN
	__tsan_switch_to_fiber(tsan_fiber, 0);
#else
	(void)tsan_fiber;
#endif
}

/* After a switch, on the side that now runs. */
static void san_arrived(void *fake, const void **from_lo, size_t *from_size)
{
#ifdef CORO_ASAN
	__sanitizer_finish_switch_fiber(fake, from_lo, from_size);
#else
	(void)fake, (void)from_lo, (void)from_size;
#endif
}

/* A stack about to be used again: frames a coroutine never returned from
 * are still poisoned in ASan's shadow. */
static void san_fresh_stack(struct coro *co)
{
#ifdef CORO_ASAN
	ASAN_UNPOISON_MEMORY_REGION(co->stack.lo, co->stack.size);
#endif
#ifdef CORO_TSAN
	if (!co->tsan_fiber)
		co->tsan_fiber = __tsan_create_fiber(0);
#else
	(void)co;
#endif
}

static void san_forget(struct coro *co)
{
#ifdef CORO_TSAN
	if (co->tsan_fiber)
		__tsan_destroy_fiber(co->tsan_fiber);
#endif
	co->tsan_fiber = NULL;
}

static void *san_current_fiber(void)
{
#ifdef CORO_TSAN
	return __tsan_get_current_fiber();
#else
	return NULL;
#endif
}

/* ---- the asm switch (x86-64 System V) ---- */

#if defined(__x86_64__)
#define CORO_HAVE_ASM 1
/* Saves the callee-saved registers on the current stack, stores the stack
 * pointer in *save, loads next and pops the other side's registers: its
 * `ret` returns into the other side's coro_asm_switch call (or, the first
 * time, into coro_asm_start). */
void coro_asm_switch(void **save, void *next);
/* A new coroutine's first return address: calls r13(r12). */
void coro_asm_start(void);
__asm__(".pushsection .text\n"
	".globl coro_asm_switch\n"
	".hidden coro_asm_switch\n"
	".type coro_asm_switch, @function\n"
	"coro_asm_switch:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	subq $8, %rsp\n"
	"	stmxcsr (%rsp)\n" /* SSE rounding and exception flags */
	"	fnstcw 4(%rsp)\n" /* x87 control word */
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n" /* the switch itself */
	"	ldmxcsr (%rsp)\n"
	"	fldcw 4(%rsp)\n"
	"	addq $8, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".size coro_asm_switch, .-coro_asm_switch\n"
	".globl coro_asm_start\n"
	".hidden coro_asm_start\n"
	".type coro_asm_start, @function\n"
	"coro_asm_start:\n"
	"	movq %r12, %rdi\n"
	"	callq *%r13\n"
	"	ud2\n" /* the entry never returns */
	".size coro_asm_start, .-coro_asm_start\n"
	".popsection\n"); /* back to whatever section the compiler was in */
#endif

/* ---- one switch, either way ---- */

/* The coroutine running on this thread, for the SIGSEGV handler, which
 * gets no argument of ours: the one state here that is not in a struct. */
static __thread struct coro *coro_running;

static void coro_switch_in(struct coro *co)
{
#ifdef CORO_HAVE_ASM
	if (co->how == CORO_SWITCH_ASM) {
		coro_asm_switch(&co->caller_sp, co->sp);
		return;
	}
#endif
	swapcontext(&co->caller_uc, &co->uc);
}

static void coro_switch_out(struct coro *co)
{
#ifdef CORO_HAVE_ASM
	if (co->how == CORO_SWITCH_ASM) {
		coro_asm_switch(&co->sp, co->caller_sp);
		return;
	}
#endif
	swapcontext(&co->uc, &co->caller_uc);
}

/* Leaves co for its resumer; for good unless `coming_back`. */
static void coro_leave(struct coro *co, bool coming_back)
{
	san_switch_to(coming_back ? &co->asan_fake : NULL, co->caller_lo,
		      co->caller_size, co->tsan_caller);
	coro_switch_out(co);
	san_arrived(co->asan_fake, &co->caller_lo, &co->caller_size);
}

/* Every coroutine's first frame: runs the body, then leaves for good. */
static void coro_entry(struct coro *co)
{
	san_arrived(NULL, &co->caller_lo, &co->caller_size);
	co->body(co->arg);
	co->state = CORO_FINISHED;
	coro_leave(co, false);
	abort(); /* a finished coroutine is never resumed */
}

/* ucontext passes int arguments only: the pointer in two halves. */
static void coro_uc_entry(unsigned hi, unsigned lo)
{
	coro_entry((struct coro *)(((uintptr_t)hi << 32) | (uintptr_t)lo));
}

void coro_resume(struct coro *co)
{
	coro_running = co;
	co->state = CORO_RUNNING;
	co->tsan_caller = san_current_fiber();
	san_switch_to(&co->caller_asan_fake, co->stack.lo, co->stack.size,
		      co->tsan_fiber);
	coro_switch_in(co);
	san_arrived(co->caller_asan_fake, NULL, NULL);
	coro_running = NULL;
	if (co->state == CORO_CRASHED) { /* left from inside the handler */
		sigset_t segv;
		sigemptyset(&segv);
		sigaddset(&segv, SIGSEGV);
		pthread_sigmask(SIG_UNBLOCK, &segv, NULL);
	}
}

void coro_yield(struct coro *co)
{
	co->state = CORO_SUSPENDED;
	coro_leave(co, true);
}

/* ---- starting and freeing ---- */

/* The asm switch's first frame on a new stack: what coro_asm_switch pops,
 * then coro_asm_start as the return address, 16-byte aligned as the ABI
 * wants at a call. */
static void coro_asm_prepare(struct coro *co)
{
	uintptr_t top = ((uintptr_t)co->stack.lo + co->stack.size) & ~15UL;
	uint64_t *sp = (uint64_t *)(top - 16);
	uint32_t mxcsr = 0x1f80; /* the ABI's initial values */
	uint16_t fpucw = 0x037f;
	*--sp = (uint64_t)(uintptr_t)coro_asm_start; /* ret goes here */
	*--sp = 0;				     /* rbp */
	*--sp = 0;				     /* rbx */
	*--sp = (uint64_t)(uintptr_t)co;	     /* r12: the argument */
	*--sp = (uint64_t)(uintptr_t)coro_entry;     /* r13: the function */
	*--sp = 0;				     /* r14 */
	*--sp = 0;				     /* r15 */
	*--sp = (uint64_t)mxcsr | (uint64_t)fpucw << 32;
	co->sp = sp;
}

static int coro_uc_prepare(struct coro *co)
{
	if (getcontext(&co->uc) != 0)
		return -1;
	co->uc.uc_stack.ss_sp = co->stack.lo;
	co->uc.uc_stack.ss_size = co->stack.size;
	co->uc.uc_link = NULL; /* coro_entry never returns */
	uintptr_t p = (uintptr_t)co;
	makecontext(&co->uc, (void (*)(void))coro_uc_entry, 2,
		    (unsigned)(p >> 32), (unsigned)(p & 0xffffffffu));
	return 0;
}

int coro_start(struct coro *co, enum coro_switch how, size_t stack_bytes,
	       void (*body)(void *arg), void *arg)
{
	if (co->stack.map && co->stack.size < stack_bytes)
		coro_free(co);
	if (!co->stack.map && coro_stack_map(&co->stack, stack_bytes) != 0)
		return -1;
	san_fresh_stack(co);
	co->how = coro_switch_resolve(how);
	co->state = CORO_SUSPENDED;
	co->body = body;
	co->arg = arg;
#ifdef CORO_HAVE_ASM
	if (co->how == CORO_SWITCH_ASM) {
		coro_asm_prepare(co);
		return 0;
	}
#endif
	return coro_uc_prepare(co);
}

void coro_free(struct coro *co)
{
	san_fresh_stack(co); /* ASan: no poison left on unmapped pages */
	san_forget(co);
	coro_stack_unmap(&co->stack);
}

/* ---- names ---- */

int coro_switch_parse(const char *name, enum coro_switch *out)
{
#ifdef CORO_HAVE_ASM
	if (strcmp(name, "asm") == 0) {
		*out = CORO_SWITCH_ASM;
		return 0;
	}
#endif
	if (strcmp(name, "ucontext") == 0) {
		*out = CORO_SWITCH_UCONTEXT;
		return 0;
	}
	return -1;
}

const char *coro_switch_names(void)
{
#ifdef CORO_HAVE_ASM
	return "asm, ucontext";
#else
	return "ucontext (no asm switch for this CPU)";
#endif
}

enum coro_switch coro_switch_resolve(enum coro_switch how)
{
	if (how != CORO_SWITCH_DEFAULT)
		return how;
#ifdef CORO_HAVE_ASM
	return CORO_SWITCH_ASM;
#else
	return CORO_SWITCH_UCONTEXT;
#endif
}

const char *coro_switch_name(enum coro_switch how)
{
	return coro_switch_resolve(how) == CORO_SWITCH_ASM ? "asm" : "ucontext";
}

/* ---- the stack-overflow catcher ---- */

/* What SIGSEGV did before coro_guard_install: a faults that is not an
 * overflow goes there. Process-wide, as signal actions are. */
static struct sigaction coro_previous_action;

/* SIGSEGV, on the alternate stack (the coroutine's own is full). A fault
 * in the running coroutine's guard page: mark it crashed and leave it for
 * good; coro_resume returns as if it had yielded. Anything else: put the
 * previous action back and return; the fault repeats and goes there. */
static void coro_segv_cb(int sig, siginfo_t *info, void *uctx)
{
	(void)sig;
	(void)uctx;
	struct coro *co = coro_running;
	if (co && coro_stack_in_guard(&co->stack, info->si_addr)) {
		co->state = CORO_CRASHED;
		coro_leave(co, false);
	}
	sigaction(SIGSEGV, &coro_previous_action, NULL);
}

int coro_guard_install(struct coro_guard *g)
{
	/* ASan's handler wants more than SIGSTKSZ; 64 KiB suits both. */
	g->altstack_size = (size_t)64 * 1024;
	g->altstack = mmap(NULL, g->altstack_size, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->altstack == MAP_FAILED) {
		g->altstack = NULL;
		return -1;
	}
	stack_t ss = {.ss_sp = g->altstack, .ss_size = g->altstack_size};
	struct sigaction sa = {.sa_sigaction = coro_segv_cb,
			       .sa_flags = SA_SIGINFO | SA_ONSTACK};
	sigemptyset(&sa.sa_mask);
	if (sigaltstack(&ss, &g->old_altstack) != 0)
		goto fail;
	if (sigaction(SIGSEGV, &sa, &g->old_action) != 0) {
		sigaltstack(&g->old_altstack, NULL);
		goto fail;
	}
	coro_previous_action = g->old_action;
	return 0;
fail:
	munmap(g->altstack, g->altstack_size);
	g->altstack = NULL;
	return -1;
}

void coro_guard_remove(struct coro_guard *g)
{
	if (!g->altstack)
		return;
	sigaction(SIGSEGV, &g->old_action, NULL);
	sigaltstack(&g->old_altstack, NULL);
	munmap(g->altstack, g->altstack_size);
	g->altstack = NULL;
}

/* ---- what one switch costs ---- */

/* A coroutine that only yields: each resume + yield is two switches. */
static void coro_switch_yielder(void *arg)
{
	struct coro *co = arg;
	for (;;)
		coro_yield(co);
}

double coro_switch_ns(enum coro_switch how, long rounds)
{
	struct coro co = {0};
	if (coro_start(&co, how, (size_t)64 * 1024, coro_switch_yielder, &co) !=
	    0)
		return -1;
	for (long i = 0; i < rounds / 10; i++) /* warm up */
		coro_resume(&co);
	double t0 = clock_now();
	for (long i = 0; i < rounds; i++)
		coro_resume(&co);
	double t = clock_now() - t0;
	coro_free(&co); /* suspended for good: its stack just goes */
	return t * 1e9 / (2.0 * (double)rounds);
}
