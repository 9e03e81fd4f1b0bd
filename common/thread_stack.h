// SPDX-License-Identifier: MIT
/*
 * thread_stack.h - the stack size of a pool thread, tuned so that 1,000
 * threads and more fit on any machine.
 *
 * Why a small stack: glibc gives every thread RLIMIT_STACK (usually 8 MiB)
 * of address space. That is reserved, not used, but with 1,000 threads it
 * is 8 GiB of mappings, and a 32-bit or overcommit-strict machine refuses
 * long before. A worker here needs a few KiB (libcurl keeps its buffers on
 * the heap), so THREAD_STACK_SIZE is plenty.
 *
 * Errors: as the pthread functions, an error number (0: done).
 */
#ifndef CONCUR_THREAD_STACK_H
#define CONCUR_THREAD_STACK_H

#include <pthread.h>
#include <stddef.h>

/* 256 KiB: ample for a task (a libcurl fetch, the deepest, used about
 * 13 KiB when measured with a stack painted beforehand), 32 times less
 * address space than the default 8 MiB. */
#define THREAD_STACK_SIZE ((size_t)256 * 1024)

/* Initialises attr for pthread_create with a THREAD_STACK_SIZE stack (or
 * PTHREAD_STACK_MIN, if that is larger). Returns 0 or pthread_attr_init's
 * error number; on 0, the caller ends with pthread_attr_destroy(attr). */
int thread_stack_attr_init(pthread_attr_t *attr);

#endif
