// SPDX-License-Identifier: MIT
/*
 * loop_backend.h - the libev loop of the event-loop models, on the kernel
 * interface --backend asks for.
 *
 * libev hides how a loop waits behind one API; the backend is that "how".
 * select(2) and poll(2) hand the kernel the whole set of watched sockets
 * on every turn, so each wait costs O(C); epoll(7) keeps the set in the
 * kernel and returns only the ready ones; io_uring(7) queues poll
 * requests on a ring shared with the kernel. At C = 10,000 the difference
 * is the lesson (make bench: the c10k rows eventloop/BACKEND).
 *
 * io_uring is often refused: older kernels lack it, and container seccomp
 * profiles forbid io_uring_setup. It is probed by making the loop (libev
 * must support it, and the kernel must let us set up a ring); when that
 * fails, the loop falls back to epoll and says so in one line on stderr.
 *
 * The loop is made with ev_loop_new, never libev's default loop: the
 * harness runs each model in a forked child, and a loop inherited across
 * fork() would share its epoll set with the parent's.
 *
 * Errors: loop_backend_open returns NULL after one line on stderr.
 */
#ifndef CONCUR_LOOP_BACKEND_H
#define CONCUR_LOOP_BACKEND_H

#include <ev.h>

#include "common/options.h"

/* select's wall: its bitmaps hold descriptors below FD_SETSIZE (1,024),
 * and a few of those are the process's own (stdio, libev's, the
 * harness's), so this many transfers at most. */
#define LOOP_SELECT_MAX_TRANSFERS 1000

/* io_uring's wall, in libev 4.33 on kernel 6.18: with many sockets, libev
 * reuses a submission slot for IORING_OP_POLL_REMOVE without clearing the
 * poll events its last POLL_ADD left there; the kernel rejects such a
 * remove as invalid and stops the batch short (io_uring_enter(fd, 32,
 * ...) = 21 under strace), and libev's assert "io_uring_enter did not
 * consume all sqes" aborts the run. Measured, C x 2C fetches: C = 20
 * 12/12 runs fine, 256 8/8, 500 3/4, 1,000 2/4, 1,500 0/4, 2,000 and
 * 10,000 never. Above this many transfers io_uring falls back to epoll,
 * said in one line, instead of crashing. */
#define LOOP_IOURING_MAX_TRANSFERS 256

/* A fresh loop on backend `want` for up to `transfers` sockets at once;
 * *used is the backend it runs on (epoll after an io_uring fallback;
 * libev's choice for LOOP_BACKEND_AUTO). `model` names the messages.
 * NULL when there is none (said). */
struct ev_loop *loop_backend_open(enum loop_backend want, int transfers,
				  const char *model, enum loop_backend *used);

/* Frees a loop from loop_backend_open (NULL: nothing). */
void loop_backend_close(struct ev_loop *loop);

#endif
