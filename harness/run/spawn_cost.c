// SPDX-License-Identifier: MIT
/* spawn_cost.c - time thread create+join and fork+reap; take medians. */
#include "harness/run/spawn_cost.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"

static void *spawn_noop(void *arg)
{
	return arg;
}

/* One thread, created and joined: seconds, or -1. */
static double spawn_one_thread(void)
{
	pthread_t t;
	double t0 = clock_now();
	int rc = pthread_create(&t, NULL, spawn_noop, NULL);
	if (rc != 0) {
		fprintf(stderr, "spawn: pthread_create: %s\n", strerror(rc));
		return -1;
	}
	pthread_join(t, NULL);
	return clock_now() - t0;
}

/* One process, forked, ended with _exit and reaped: seconds, or -1. */
static double spawn_one_process(void)
{
	double t0 = clock_now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("spawn: fork");
		return -1;
	}
	if (pid == 0)
		_exit(0); /* nothing of the parent's runs in the child */
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return clock_now() - t0;
}

static int spawn_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sorts v and fills median, min and max, in microseconds. */
static void spawn_summary(double *v, int n, double *med, double *min,
			  double *max)
{
	qsort(v, (size_t)n, sizeof(*v), spawn_cmp);
	*min = v[0] * 1e6;
	*max = v[n - 1] * 1e6;
	*med = (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) * 1e6;
}

int spawn_cost_measure(int reps, struct spawn_cost *out)
{
	if (reps < 1)
		reps = 1;
	double *th = calloc((size_t)reps, sizeof(*th));
	double *pr = calloc((size_t)reps, sizeof(*pr));
	int rc = -1;
	if (!th || !pr)
		goto cleanup;
	for (int i = 0; i < reps; i++) {
		th[i] = spawn_one_thread();
		pr[i] = spawn_one_process();
		if (th[i] < 0 || pr[i] < 0)
			goto cleanup;
	}
	out->reps = reps;
	spawn_summary(th, reps, &out->thread_us, &out->thread_min_us,
		      &out->thread_max_us);
	spawn_summary(pr, reps, &out->process_us, &out->process_min_us,
		      &out->process_max_us);
	rc = 0;
cleanup:
	free(th);
	free(pr);
	return rc;
}
