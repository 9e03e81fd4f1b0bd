// SPDX-License-Identifier: MIT
/* progress.c - a bar with an ETA on a terminal, plain lines otherwise. */
#include "harness/base/progress.h"

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/base/cli.h"

void progress_init(struct progress *p, size_t total, bool quiet)
{
	p->total = total;
	p->done = 0;
	p->quiet = quiet;
	p->tty = isatty(STDERR_FILENO);
	p->colour = cli_colour(STDERR_FILENO);
	p->started = clock_now();
	p->current[0] = '\0';
}

static void progress_bar(const struct progress *p)
{
	const int width = 30;
	double frac = p->total ? (double)p->done / (double)p->total : 1.0;
	int filled = (int)(frac * width);
	double spent = clock_now() - p->started;
	double eta =
		p->done ? spent / (double)p->done * (double)(p->total - p->done)
			: 0.0;
	fprintf(stderr, "\r\033[K[");
	for (int i = 0; i < width; i++)
		fputc(i < filled ? '#' : '.', stderr);
	fprintf(stderr, "] %zu/%zu  ETA %3.0f s  %s", p->done, p->total, eta,
		p->current);
	fflush(stderr);
}

void progress_start(struct progress *p, const char *model, const char *workload,
		    int workers, int rep, bool warmup)
{
	snprintf(p->current, sizeof(p->current), "%s%s %s C=%d rep %d",
		 warmup ? "warm-up " : "", model, workload, workers, rep + 1);
	if (!p->quiet && p->tty)
		progress_bar(p);
}

void progress_done(struct progress *p, double wall_s)
{
	p->done++;
	if (p->quiet)
		return;
	if (p->tty)
		progress_bar(p);
	else if (isnan(wall_s)) /* measure.h: the run did not happen */
		fprintf(stderr, "[%zu/%zu] %s: did not run\n", p->done,
			p->total, p->current);
	else
		fprintf(stderr, "[%zu/%zu] %s: %.3f s\n", p->done, p->total,
			p->current, wall_s);
}

void progress_end(struct progress *p)
{
	if (!p->quiet && p->tty)
		fprintf(stderr, "\r\033[K");
}
