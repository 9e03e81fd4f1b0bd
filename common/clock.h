// SPDX-License-Identifier: MIT
/*
 * clock.h - the monotonic clock and resource usage, in the units concur
 * reports (seconds as double, KiB for memory).
 */
#ifndef CONCUR_CLOCK_H
#define CONCUR_CLOCK_H

#include <sys/resource.h>
#include <time.h>

/* Seconds on the monotonic clock; comparable across fork(). */
static inline double clock_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What getrusage/wait4 say about a process, in concur's units. */
struct usage {
	double user_s;	  /* user CPU seconds */
	double system_s;  /* system CPU seconds */
	long max_rss_kib; /* peak resident set */
	long vol_csw;	  /* voluntary context switches (waits) */
	long invol_csw;	  /* involuntary ones (preemptions) */
};

static inline double timeval_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static inline struct usage usage_from_rusage(const struct rusage *ru)
{
	struct usage u = {
		.user_s = timeval_s(ru->ru_utime),
		.system_s = timeval_s(ru->ru_stime),
		.max_rss_kib = ru->ru_maxrss,
		.vol_csw = ru->ru_nvcsw,
		.invol_csw = ru->ru_nivcsw,
	};
	return u;
}

/* This process's usage so far (RUSAGE_SELF). */
static inline struct usage usage_self(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return usage_from_rusage(&ru);
}

#endif
