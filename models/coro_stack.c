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

/* bytes rounded up to whole pages. */
static size_t coro_pages(size_t bytes)
{
	size_t page = coro_page_size();
	return (bytes + page - 1) / page * page;
}

int coro_stack_map(struct coro_stack *st, size_t bytes)
{
	size_t page = coro_page_size();
	size_t size = coro_pages(bytes);
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

int coro_stack_slab_map(struct coro_stack_slab *slab, size_t n, size_t bytes)
{
	slab->stride = coro_page_size() + coro_pages(bytes);
	slab->map_size = n * slab->stride;
	slab->n = n;
	slab->used = 0;
	slab->map = mmap(NULL, slab->map_size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return slab->map == MAP_FAILED ? (slab->map = NULL, -1) : 0;
}

int coro_stack_slab_take(struct coro_stack_slab *slab, struct coro_stack *st)
{
	size_t page = coro_page_size();
	if (slab->used >= slab->n)
		return -1;
	char *guard = (char *)slab->map + slab->used * slab->stride;
	if (mprotect(guard, page, PROT_NONE) != 0)
		return -1;
	slab->used++;
	*st = (struct coro_stack){.map = guard,
				  .map_size = slab->stride,
				  .lo = guard + page,
				  .size = slab->stride - page,
				  .in_slab = true};
	return 0;
}

void coro_stack_slab_unmap(struct coro_stack_slab *slab)
{
	if (slab->map)
		munmap(slab->map, slab->map_size);
	slab->map = NULL;
}

void coro_stack_unmap(struct coro_stack *st)
{
	if (st->map && !st->in_slab)
		munmap(st->map, st->map_size);
	memset(st, 0, sizeof(*st));
}

bool coro_stack_in_guard(const struct coro_stack *st, const void *addr)
{
	uintptr_t a = (uintptr_t)addr;
	uintptr_t guard = (uintptr_t)st->map;
	return st->map && a >= guard && a < (uintptr_t)st->lo;
}
