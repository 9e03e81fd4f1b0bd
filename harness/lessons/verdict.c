// SPDX-License-Identifier: MIT
/*
 * verdict.c - a lesson's text says only the difference its figures
 * show: ranges apart and the statistical compare's verdict (see
 * verdict.h).
 */
#include "harness/lessons/verdict.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "harness/report/significance.h"
#include "harness/base/stats.h"

struct verdict verdict_compare(const double *a, size_t m, const double *b,
			       size_t n)
{
	struct verdict v = {
		.kind = VERDICT_NOT_SHOWN_FEW, .ratio = NAN, .p = NAN};
	struct spread sa = stats_spread(a, m), sb = stats_spread(b, n);
	v.a_lo = sa.min;
	v.a_hi = sa.max;
	v.b_lo = sb.min;
	v.b_hi = sb.max;
	if (m == 0 || n == 0)
		return v;
	struct significance sig = significance_compare(a, m, b, n);
	v.ratio = sig.ratio;
	v.p = sig.p;
	if (!(sa.max < sb.min || sb.max < sa.min))
		v.kind = VERDICT_NOT_SHOWN_OVERLAP;
	else if (sig.verdict == SIG_TOO_FEW)
		v.kind = VERDICT_NOT_SHOWN_FEW;
	else if (sig.verdict == SIG_B_FASTER)
		v.kind = VERDICT_B_FASTER;
	else if (sig.verdict == SIG_B_SLOWER)
		v.kind = VERDICT_B_SLOWER;
	else
		v.kind = VERDICT_NOT_SHOWN_SAME;
	return v;
}

bool verdict_shown(const struct verdict *v)
{
	return v->kind == VERDICT_B_FASTER || v->kind == VERDICT_B_SLOWER;
}

void verdict_why_not(const struct verdict *v, const char *unit, char *buf,
		     size_t len)
{
	const char *u = unit[0] ? " " : "";
	if (v->kind == VERDICT_NOT_SHOWN_OVERLAP)
		snprintf(buf, len,
			 "the ranges overlap (%.4g-%.4g%s%s against "
			 "%.4g-%.4g%s%s)",
			 v->a_lo, v->a_hi, u, unit, v->b_lo, v->b_hi, u, unit);
	else if (v->kind == VERDICT_NOT_SHOWN_FEW)
		snprintf(buf, len,
			 "the ranges are apart, but too few runs for a test "
			 "to tell a difference from luck");
	else if (v->kind == VERDICT_NOT_SHOWN_SAME)
		snprintf(buf, len,
			 "the test finds no difference beyond the noise "
			 "(p = %.2f)",
			 v->p);
	else if (len > 0)
		buf[0] = '\0';
}

size_t verdict_case_walls(const struct sweep *s, const char *model,
			  enum task_type w, int workers, double *out,
			  size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n_records && n < cap; i++) {
		const struct run_record *r = &s->records[i];
		if (s->groups[r->group].workload == w &&
		    strcmp(r->model->name, model) == 0 && r->workers == workers)
			out[n++] = r->m.wall_s;
	}
	return n;
}
