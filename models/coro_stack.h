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
};

/* Maps a stack of at least `bytes` (rounded up to whole pages) with an
 * inaccessible guard page below it. Pages are only touched, and so only
 * count in RSS, when the coroutine reaches them. */
int coro_stack_map(struct coro_stack *st, size_t bytes);

/* Unmaps it (nothing if it was never mapped) and zeroes *st. */
void coro_stack_unmap(struct coro_stack *st);

/* Is addr inside st's guard page? What a SIGSEGV handler asks. Reads
 * only *st: async-signal-safe. */
bool coro_stack_in_guard(const struct coro_stack *st, const void *addr);

#endif
