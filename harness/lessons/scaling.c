// SPDX-License-Identifier: MIT
/*
 * scaling.c - Amdahl's serial fraction fitted to measured times, and
 * Gustafson's scaled speedup predicted only from a fit that is a
 * fraction (see scaling.h).
 */
#include "harness/lessons/scaling.h"

#include <math.h>
#include <stdio.h>

struct scaling_fit scaling_fit_amdahl(const struct scaling_point *pts, size_t n)
{
	struct scaling_fit f = {
		.s = NAN, .points = 0, .status = SCALING_NO_POINTS};
	double num = 0, den = 0;
	for (size_t i = 0; i < n; i++) {
		const struct scaling_point *pt = &pts[i];
		if (pt->p < 2 || !(pt->t1 > 0) || !(pt->t_p > 0))
			continue;
		double x = 1.0 / pt->p, y = pt->t_p / pt->t1; /* 1/S */
		num += (1 - x) * (y - x);
		den += (1 - x) * (1 - x);
		f.points++;
	}
	if (f.points == 0)
		return f;
	f.s = num / den;
	f.status = f.s >= 0 && f.s <= 1 ? SCALING_OK : SCALING_OUT_OF_RANGE;
	return f;
}

double scaling_amdahl(const struct scaling_fit *f, double p)
{
	if (f->status != SCALING_OK || !(p >= 1))
		return NAN;
	return 1 / (f->s + (1 - f->s) / p);
}

double scaling_gustafson(const struct scaling_fit *f, double p)
{
	if (f->status != SCALING_OK || !(p >= 1))
		return NAN;
	return p - f->s * (p - 1);
}

double scaling_scaled_speedup(double t1_scaled, double t_p_scaled)
{
	if (!(t1_scaled > 0) || !(t_p_scaled > 0))
		return NAN;
	return t1_scaled / t_p_scaled;
}

void scaling_failure_words(const struct scaling_fit *f, char *buf, size_t len)
{
	if (f->status == SCALING_NO_POINTS)
		snprintf(buf, len,
			 "The fit failed: no run with more than one worker "
			 "at work gave a speedup to fit, so there is no "
			 "serial fraction and no prediction from one.");
	else if (f->status == SCALING_OUT_OF_RANGE && f->s > 1)
		snprintf(
			buf, len,
			"The fit failed: s = %.3f is no fraction (no more than "
			"all of the work can be serial). More workers "
			"made the batch slower, not faster: something other "
			"than the batch's serial part (a launch, another "
			"program on the cores) took the time. No law is "
			"predicted from it.",
			f->s);
	else if (f->status == SCALING_OUT_OF_RANGE)
		snprintf(buf, len,
			 "The fit failed: s = %.3f is no fraction (a part of "
			 "the work cannot be negative). The workers "
			 "were faster than perfect, which only noise (or a "
			 "warmer cache) does. No law is predicted from it.",
			 f->s);
	else if (len > 0)
		buf[0] = '\0';
}
