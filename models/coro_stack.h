// SPDX-License-Identifier: MIT
/*
 * coro_stack.h - a coroutine's stack for models/coroutines.c: memory from
 * mmap with a guard page below it, so that a coroutine that runs off the
 * end of its stack faults at once (SIGSEGV at an address in the guard)
 * instead of writing over whatever lies below, as a thread's stack does.
 *
 * Stacks grow down on every CPU concur runs on: the guard is the lowest
 * page of the mapping, the stack the pages above it.
 *
 * Threads: a stack is used by one coroutine at a time, on one thread.
 * Errors: coro_stack_map returns 0, or -1 with errno set (nothing said).
 */
#ifndef CONCUR_CORO_STACK_H
#define CONCUR_CORO_STACK_H

#include <stdbool.h>
#include <stddef.h>

struct coro_stack {
	void *map;	 /* the whole mapping: guard page, then stack */
	size_t map_size; /* its size in bytes */
	char *lo;	 /* the stack's lowest byte, just above the guard */
	size_t size;	 /* usable bytes from lo: the stack's top is lo+size */
	bool in_slab;	 /* carved from a slab: unmapped with the slab */
};

/* Many stacks in one mapping, each with its own guard page. A mapping
 * costs the kernel more than its pages: on the 2-core VM, mmap +
 * mprotect + munmap of one stack took ~30 us, a slab's share ~18 us, and
 * at 10,000 coroutines in flight that is 0.1 s of a 2.5 s run. */
struct coro_stack_slab {
	void *map;		      /* n stacks, each guard page + stack */
	size_t map_size, stride;      /* bytes: all of it, one stack */
	size_t n, used;		      /* stacks in it, stacks carved */
	struct coro_stack_slab *next; /* the owner's list */
};

/* Maps a stack of at least `bytes` (rounded up to whole pages) with an
 * inaccessible guard page below it. Pages are only touched, and so only
 * count in RSS, when the coroutine reaches them. */
int coro_stack_map(struct coro_stack *st, size_t bytes);

/* Maps a slab for n stacks of at least `bytes` each. 0, or -1 (errno). */
int coro_stack_slab_map(struct coro_stack_slab *slab, size_t n, size_t bytes);

/* Carves the slab's next stack into *st and makes its guard page
 * inaccessible. 0, or -1: the slab is used up (or mprotect failed). */
int coro_stack_slab_take(struct coro_stack_slab *slab, struct coro_stack *st);

/* Unmaps the slab: every stack carved from it goes too. */
void coro_stack_slab_unmap(struct coro_stack_slab *slab);

/* Unmaps it (nothing if it was never mapped, or if it is a slab's) and
 * zeroes *st. */
void coro_stack_unmap(struct coro_stack *st);

/* Is addr inside st's guard page? What a SIGSEGV handler asks. Reads
 * only *st: async-signal-safe. */
bool coro_stack_in_guard(const struct coro_stack *st, const void *addr);

#endif
