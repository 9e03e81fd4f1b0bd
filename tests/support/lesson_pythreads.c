// SPDX-License-Identifier: MIT
/*
 * lesson_pythreads.c - the numbers of the lesson "Python threads in
 * parallel" recomputed from what it saved: the pure-Python speed-up from
 * the set's summary.csv (py-threads at C = 1 over C = 2), the other kinds'
 * from pythreads.csv beside it (the median of each kind's runs at C = 1
 * over the median at C = 2). Found by its title, not its number.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/support/lesson_check.h"

static int lp_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median wall_s of (kind, C) in pythreads.csv; NAN when none. */
static double lp_median(const struct csv *c, const char *kind, int workers)
{
	double v[16];
	size_t n = 0;
	for (long r = csv_find(c, 0, kind, "py-threads", workers);
	     r >= 0 && n < 16;
	     r = csv_find(c, (size_t)r + 1, kind, "py-threads", workers))
		v[n++] = csv_num(c, (size_t)r, "wall_s");
	if (n == 0)
		return NAN;
	qsort(v, n, sizeof(v[0]), lp_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void lc_pythreads(struct lc *l)
{
	double one = lc_wall(l, 0, "compute", "py-threads", 1);
	double two = lc_wall(l, 0, "compute", "py-threads", 2);
	lc_expect(l, "speedup_python", one / two, 0);
	const char *p = strstr(l->out, "  result set: ");
	char path[4300];
	if (!p) {
		lc_fail(l, "no result set");
		return;
	}
	p += strlen("  result set: ");
	snprintf(path, sizeof(path), "%.*s/pythreads.csv",
		 (int)strcspn(p, "\n"), p);
	struct csv c;
	if (csv_load(path, &c) != 0) {
		lc_fail(l, "cannot read %s", path);
		return;
	}
	static const char *const kinds[] = {"hashlib", "zlib", "cdll", "pydll"};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char key[48];
		snprintf(key, sizeof(key), "speedup_%s", kinds[i]);
		double s =
			lp_median(&c, kinds[i], 1) / lp_median(&c, kinds[i], 2);
		if (isnan(s))
			lc_fail(l, "no runs of %s in %s", kinds[i], path);
		else
			lc_expect(l, key, s, 0);
	}
	csv_free(&c);
}
