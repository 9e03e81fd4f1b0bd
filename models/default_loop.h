// SPDX-License-Identifier: MIT
/*
 * default_loop.h - the libev default loop, fresh in a forked process.
 *
 * The harness runs each model in a forked child, and a loop inherited
 * across fork() would share its epoll set with the parent's: events meant
 * for one process would wake the other. ev_loop_fork makes libev open a
 * new epoll set on the next iteration; it is cheap when nothing was
 * inherited (ev(3), "ev_loop_fork").
 */
#ifndef CONCUR_DEFAULT_LOOP_H
#define CONCUR_DEFAULT_LOOP_H

#include <ev.h>

/* The libev default loop, ready for this process; NULL if libev cannot
 * start. */
static inline struct ev_loop *default_loop_fresh(void)
{
	struct ev_loop *loop = ev_default_loop(0);
	if (loop)
		ev_loop_fork(loop);
	return loop;
}

#endif
