// SPDX-License-Identifier: MIT
/* class_plot.c - box and strip plots of a class's speedups, in SVG. */
#include "harness/report/class_plot.h"

#include <math.h>
#include <string.h>

#include "harness/report/html.h"
#include "models/model.h"

/* The picture's frame, in SVG units (it scales to the page's width). */
#define CP_W 1000.0
#define CP_H 480.0
#define CP_LEFT 70.0
#define CP_RIGHT 20.0
#define CP_TOP 20.0
#define CP_BOTTOM 80.0

int class_is_outlier(const struct class_group *g, double v)
{
	double iqr = g->q3 - g->q1;
	return g->n >= 4 && (v < g->q1 - 1.5 * iqr || v > g->q3 + 1.5 * iqr);
}

/* A model's colour: the C models in blues and greens, py-* in oranges,
 * as the gnuplot pictures draw them. */
static const char *cp_colour(const char *model)
{
	static const char *const names[] = {"threads", "processes", "eventloop",
					    "gil", "hybrid"};
	static const char *const colours[] = {"#2a6fb0", "#3a9fd0", "#2d8a34",
					      "#6a5acd", "#1b7f7a"};
	if (model_flags_of(model) & MODEL_PYTHON)
		return "#d9730d";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(model, names[i]) == 0)
			return colours[i];
	return "#555555";
}

/* A tick step of 1, 2 or 5 times a power of ten, giving at most 8. */
static double cp_step(double top)
{
	static const double times[] = {1, 2, 5, 10};
	double base = pow(10, floor(log10(top / 8)));
	for (size_t i = 0; i < 3; i++)
		if (top / (base * times[i]) <= 8)
			return base * times[i];
	return base * times[3];
}

static double cp_y(double v, double top)
{
	return CP_TOP + (CP_H - CP_TOP - CP_BOTTOM) * (1 - v / top);
}

static void cp_axes(FILE *f, double top)
{
	double step = cp_step(top);
	for (int k = 0; k * step <= top + 1e-9; k++) {
		double t = k * step, y = cp_y(t, top);
		fprintf(f,
			"<line x1='%.0f' x2='%.0f' y1='%.1f' y2='%.1f' "
			"stroke='#ddd'/><text x='%.0f' y='%.1f' "
			"text-anchor='end' font-size='16'>%g</text>\n",
			CP_LEFT, CP_W - CP_RIGHT, y, y, CP_LEFT - 8, y + 5, t);
	}
	double one = cp_y(1, top);
	fprintf(f,
		"<line x1='%.0f' x2='%.0f' y1='%.1f' y2='%.1f' "
		"stroke='#111' stroke-dasharray='6 4'/>"
		"<text x='%.0f' y='%.1f' font-size='14' text-anchor='end'>"
		"1 = as fast as sequential</text>\n",
		CP_LEFT, CP_W - CP_RIGHT, one, one, CP_W - CP_RIGHT - 4,
		one - 6);
	fprintf(f,
		"<text transform='translate(18 %.0f) rotate(-90)' "
		"text-anchor='middle' font-size='16'>speedup over the "
		"machine's own sequential run (&#215;)</text>\n",
		(CP_H - CP_BOTTOM + CP_TOP) / 2);
}

/* The label under a slot: model, C and --sync (shared). Horizontal on
 * lines of their own when every label fits its slot; else one line
 * turned 35 degrees, so neighbours never run together. */
static void cp_label(FILE *f, const struct class_group *g, double x, int turned)
{
	double y = CP_H - CP_BOTTOM + 22;
	if (turned) {
		fprintf(f,
			"<text x='%.1f' y='%.0f' text-anchor='end' "
			"font-size='15' transform='rotate(-35 %.1f %.0f)'>",
			x, y, x, y);
		html_text(f, g->model);
		html_printf(f, " C=%d%s%s", g->workers, g->sync[0] ? " " : "",
			    g->sync);
		fputs("</text>\n", f);
		return;
	}
	fprintf(f,
		"<text x='%.1f' y='%.0f' text-anchor='middle' "
		"font-size='15'>",
		x, y);
	html_text(f, g->model);
	fprintf(f,
		"</text><text x='%.1f' y='%.0f' text-anchor='middle' "
		"font-size='15'>C=%d</text>\n",
		x, y + 20, g->workers);
	if (g->sync[0]) {
		fprintf(f,
			"<text x='%.1f' y='%.0f' text-anchor='middle' "
			"font-size='13'>",
			x, y + 38);
		html_text(f, g->sync);
		fputs("</text>\n", f);
	}
}

/* One group at slot centre x: box, median, dots (jittered by machine);
 * a group whose every case was wrong has its label only. */
static void cp_group(FILE *f, const struct class_group *g, double x,
		     double slot, double top)
{
	const char *colour = cp_colour(g->model);
	double half = slot * 0.3;
	if (g->n == 0)
		return;
	fprintf(f,
		"<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' "
		"fill='%s' fill-opacity='0.18' stroke='%s' "
		"stroke-width='2'/>\n",
		x - half, cp_y(g->q3, top), 2 * half,
		cp_y(g->q1, top) - cp_y(g->q3, top), colour, colour);
	fprintf(f,
		"<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' "
		"stroke='%s' stroke-width='4'/>\n",
		x - half, x + half, cp_y(g->median, top), cp_y(g->median, top),
		colour);
	for (size_t i = 0; i < g->n; i++) {
		/* the same machine lands on the same spot every time */
		double jitter =
			((double)((g->who[i] * 2654435761u) % 1000) / 1000.0 -
			 0.5) *
			half * 1.4;
		int out = class_is_outlier(g, g->v[i]);
		fprintf(f,
			"<circle cx='%.1f' cy='%.1f' r='5' fill='%s' "
			"fill-opacity='0.75'/>\n",
			x + jitter, cp_y(g->v[i], top),
			out ? "#c0392b" : colour);
	}
}

/* A label's widest line, in SVG units (about 8.5 a letter at 15 px). */
static double cp_label_width(const struct class_group *g)
{
	size_t name = strlen(g->model), sync = strlen(g->sync);
	return 8.5 * (double)(name > sync ? name : sync);
}

void class_plot(FILE *f, const struct class_group *groups, size_t n,
		const char *workload)
{
	size_t slots = 0;
	double top = 1.0, widest = 0, longest = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(groups[i].workload, workload) != 0)
			continue;
		slots++;
		widest = fmax(widest, cp_label_width(&groups[i]));
		longest = fmax(longest,
			       8.5 * (double)(strlen(groups[i].model) +
					      strlen(groups[i].sync) + 8));
		for (size_t j = 0; j < groups[i].n; j++)
			top = fmax(top, groups[i].v[j]);
	}
	top *= 1.1;
	double slot = (CP_W - CP_LEFT - CP_RIGHT) / (double)(slots ? slots : 1);
	int turned = widest > slot * 0.9;
	/* turned labels need room below the frame: sin 35 of the longest */
	double below = turned ? fmax(0, 0.58 * longest + 30 - CP_BOTTOM) : 0;
	fprintf(f,
		"<svg class='plot' role='img' viewBox='0 0 %.0f %.0f'>"
		"<title>",
		CP_W, CP_H + below);
	html_printf(f, "Speedup of each model on every machine, %s workload",
		    workload);
	fputs("</title>\n", f);
	fprintf(f, "<rect width='%.0f' height='%.0f' fill='#fff'/>\n", CP_W,
		CP_H + below);
	cp_axes(f, top);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(groups[i].workload, workload) != 0)
			continue;
		double x = CP_LEFT + slot * ((double)k++ + 0.5);
		cp_group(f, &groups[i], x, slot, top);
		cp_label(f, &groups[i], x, turned);
	}
	fputs("</svg>\n", f);
}
