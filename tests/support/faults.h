// SPDX-License-Identifier: MIT
/*
 * faults.h - test-only fault injection and probes, kept out of the model
 * files students read. The test binaries are linked with
 *     -Wl,--wrap=task_execute,--wrap=task_compute,--wrap=kernel_advance
 * so every call a model makes to those common/ functions goes through
 * faults.c first; with nothing armed the wrappers only pass the call on.
 * (The linker redirects calls between object files only: the blocking
 * models' task_execute -> task_compute inside common/execute.c is not
 * wrapped, which is what the probes below rely on.)
 */
#ifndef CONCUR_TEST_FAULTS_H
#define CONCUR_TEST_FAULTS_H

#include <stddef.h>

/* task_execute: the worker given task index `task` records its start and
 * then dies with SIGKILL before writing a result, as a crash would
 * (-1: never). Inherited by forked workers, so it arms the processes
 * model's children. */
void faults_crash_task(long task);

/* task_compute: fn(arg) is called on the computing thread before each
 * compute half a model hands to task_compute (NULL: none). */
void faults_before_compute(void (*fn)(void *arg), void *arg);

/* kernel_advance: who computes when, for models that compute in slices.
 * faults_kernel_watch(1) resets and starts counting; then
 * faults_kernel_max_at_once() is the most threads ever inside one slice at
 * the same moment, and faults_kernel_first_s(k) the clock_now() of the
 * k-th distinct thread's first slice (0 when fewer threads computed). */
#define FAULTS_KERNEL_THREADS 64
void faults_kernel_watch(int on);
int faults_kernel_max_at_once(void);
int faults_kernel_threads(void);
double faults_kernel_first_s(int k);

#endif
