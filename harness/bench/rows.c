// SPDX-License-Identifier: MIT
/*
 * rows.c - the rows the bench cases add: kept in the run's context and
 * printed as they come; bench.c writes them out at the end.
 */
#include "harness/bench/rows.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int bench_target_met(const char *target, double ratio)
{
	double a, b;
	if (!target || !target[0])
		return -1;
	if (isnan(ratio))
		return 0;
	if (sscanf(target, "<=%lf", &a) == 1)
		return ratio <= a;
	if (sscanf(target, ">=%lf", &a) == 1)
		return ratio >= a;
	if (sscanf(target, "%lf..%lf", &a, &b) == 2)
		return ratio >= a && ratio <= b;
	return -1;
}

const char *bench_met_word(const struct bench_row *r)
{
	int met = bench_target_met(r->target, r->ratio);
	return met < 0 ? "n/a" : met ? "yes" : "no";
}

void bench_add_row(struct bench_ctx *ctx, const struct bench_row *row)
{
	if (ctx->n_rows == ctx->cap_rows) {
		size_t cap = ctx->cap_rows ? ctx->cap_rows * 2 : 32;
		struct bench_row *grown =
			realloc(ctx->rows, cap * sizeof(*grown));
		if (!grown)
			return;
		ctx->rows = grown;
		ctx->cap_rows = cap;
	}
	ctx->rows[ctx->n_rows++] = *row;
	printf("  %-21s %-17s %6d %12.4g %12.4g %8.3f %-10s %-4s %s\n",
	       row->case_name, row->model, row->workers, row->measured,
	       row->reference, row->ratio, row->target, bench_met_word(row),
	       row->unit);
	fflush(stdout);
}
