// SPDX-License-Identifier: MIT
/*
 * scaling.h - Amdahl's and Gustafson's laws on measured times, for the
 * lessons that fit them (15, Amdahl's law; 16, Beyond one machine).
 *
 * Amdahl fixes the work: a serial fraction s of one worker's time T1(N)
 * cannot be shared, so P workers take T1(N) (s + (1 - s)/P) and the
 * speedup T1(N)/T_P(N) is 1 / (s + (1 - s)/P). s is fitted to the
 * measured speedups by least squares.
 *
 * Gustafson grows the work with the workers: P workers on P times the
 * parallel part take as long as one worker on the base batch, and the
 * scaled speedup is T1(PN)/T_P(PN) = P - s (P - 1), with the same s
 * (the serial part stays the same size). Both sides of that comparison
 * must be the same quantity: the measured one is one worker's time on
 * the scaled batch over P workers' time on it, never P x T1(N)/T_P(PN).
 *
 * A serial fraction outside [0, 1] is no fraction: the fit has failed
 * (the runs got slower with more workers, or faster than perfect), and
 * no law is predicted from it.
 *
 * Errors: none; what cannot be computed comes back as NAN, and a fit
 * says why it failed in its status.
 */
#ifndef CONCUR_LESSON_SCALING_H
#define CONCUR_LESSON_SCALING_H

#include <stddef.h>

/* One point of a speedup curve: P workers, and the times it compares. */
struct scaling_point {
	int p;	    /* workers that could run at once: min(C, cores) */
	double t1;  /* one worker's time on the batch, seconds */
	double t_p; /* P workers' time on the same batch, seconds */
};

enum scaling_status {
	SCALING_OK,	     /* s is a fraction: 0 <= s <= 1 */
	SCALING_NO_POINTS,   /* no point with P > 1 and positive times */
	SCALING_OUT_OF_RANGE /* s < 0 or s > 1: the fit failed */
};

/* A fitted serial fraction. */
struct scaling_fit {
	double s;   /* least-squares s, NAN with no points */
	int points; /* the points it was fitted to */
	enum scaling_status status;
};

/* Fits s to 1/S = s + (1 - s)/P over the points (S = t1 / t_p): with x =
 * 1/P, minimising the sum of (1/S - x - s (1 - x))^2 gives
 * s = sum (1 - x)(1/S - x) / sum (1 - x)^2. Points with P < 2 or a time
 * that is not positive are left out. */
struct scaling_fit scaling_fit_amdahl(const struct scaling_point *pts,
				      size_t n);

/* Amdahl's speedup at P with the fit's s; NAN when the fit failed. */
double scaling_amdahl(const struct scaling_fit *f, double p);

/* Gustafson's scaled speedup T1(PN)/T_P(PN) = P - s (P - 1) with the
 * fit's s; NAN when the fit failed: no prediction from a failed fit. */
double scaling_gustafson(const struct scaling_fit *f, double p);

/* The measured scaled speedup: one worker's time on the scaled batch
 * over P workers' time on it; NAN unless both are positive. */
double scaling_scaled_speedup(double t1_scaled, double t_p_scaled);

/* One sentence on a failed fit ("s = 1.45 is no fraction: ..."), or ""
 * when the fit is a fraction. */
void scaling_failure_words(const struct scaling_fit *f, char *buf, size_t len);

#endif
