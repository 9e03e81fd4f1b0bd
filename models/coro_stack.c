// SPDX-License-Identifier: MIT
/*
 * coro_stack.c - coroutine stacks from mmap with a guard page
 * (coro_stack.h). This is what pthread_create does for a thread's stack
 * (glibc maps it and mprotects a guard page at its bottom); a coroutine
 * library has to do it itself.
 */
#include "models/coro_stack.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t coro_page_size(void)
{
	long page = sysconf(_SC_PAGESIZE);
	return page > 0 ? (size_t)page : 4096;
}

int coro_stack_map(struct coro_stack *st, size_t bytes)
{
	size_t page = coro_page_size();
	size_t size = (bytes + page - 1) / page * page;
	/* MAP_NORESERVE: the stack is address space until touched. Mapped
	 * read-write and then the guard made inaccessible: the same two
	 * calls glibc makes for a thread. */
	void *map = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED)
		return -1;
	if (mprotect(map, page, PROT_NONE) != 0) {
		munmap(map, size + page);
		return -1;
	}
	st->map = map;
	st->map_size = size + page;
	st->lo = (char *)map + page;
	st->size = size;
	return 0;
}

void coro_stack_unmap(struct coro_stack *st)
{
	if (st->map)
		munmap(st->map, st->map_size);
	memset(st, 0, sizeof(*st));
}

bool coro_stack_in_guard(const struct coro_stack *st, const void *addr)
{
	uintptr_t a = (uintptr_t)addr;
	uintptr_t guard = (uintptr_t)st->map;
	return st->map && a >= guard && a < (uintptr_t)st->lo;
}
