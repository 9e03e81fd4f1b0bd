// SPDX-License-Identifier: MIT
/*
 * lesson_pollers.c - the numbers of lesson 4's section "Under the loop:
 * select -> poll -> epoll -> io_uring" (harness/lessons/pollers.c): its
 * wait times are measured live, not saved in a result set, so what is
 * checked is what follows from them: the ratios recomputed from the
 * printed times, select's wall at exactly FD_SETSIZE, and system calls
 * that are counted, not timed (io_uring's batch far below epoll's calls).
 */
#include <math.h>
#include <string.h>
#include <sys/select.h>

#include "tests/support/lesson_check.h"

static double lp_value(struct lc *l, const char *key)
{
	double v = NAN;
	if (lesson_measured_value(l->out, key, &v) != 0)
		lc_fail(l, "no 'measured: %s' line", key);
	return v;
}

/* The growth ratios, recomputed from the printed times. */
static void lc_pollers_growth(struct lc *l)
{
	lc_expect(l, "poll_growth_100_to_10000",
		  lp_value(l, "wait_us_poll_10000") /
			  lp_value(l, "wait_us_poll_100"),
		  0.01);
	lc_expect(l, "epoll_growth_100_to_10000",
		  lp_value(l, "wait_us_epoll_10000") /
			  lp_value(l, "wait_us_epoll_100"),
		  0.01);
}

void lc_pollers(struct lc *l)
{
	if (!strstr(l->out, "Under the loop: select -> poll -> epoll -> "
			    "io_uring")) {
		lc_fail(l, "no section 'Under the loop'");
		return;
	}
	if (!strstr(l->out, "select: C = 1100 needs descriptor 1024"))
		lc_fail(l, "select's wall at C = 1,100 not shown");
	lc_expect(l, "select_first_refused_fd", FD_SETSIZE, 0);
	double wall;
	if (lesson_measured_value(l->out, "wait_us_select_10000", &wall) == 0)
		lc_fail(l, "select timed above FD_SETSIZE");
	/* A hard RLIMIT_NOFILE below 10,000 leaves the growth unmeasured. */
	if (!strstr(l->out, "idle descriptors: cannot open them here"))
		lc_pollers_growth(l);
	double ep = lp_value(l, "calls_per_transfer_epoll");
	if (!(ep >= 3 && ep < 3.1)) /* send, epoll_ctl, recv, a wait's share */
		lc_fail(l, "epoll made %g calls per transfer, not 3..3.1", ep);
	if (strstr(l->out, "io_uring skipped: "))
		return; /* the kernel or a seccomp profile refused it */
	double ur = lp_value(l, "calls_per_transfer_io_uring");
	if (!(ur > 0 && ur <= 0.01)) /* a few io_uring_enter per 1,000 */
		lc_fail(l, "io_uring made %g calls per transfer", ur);
}
