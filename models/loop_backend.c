// SPDX-License-Identifier: MIT
/*
 * loop_backend.c - a libev loop on the backend asked for, with io_uring's
 * fallback to epoll (see loop_backend.h).
 */
#include "models/loop_backend.h"

#include <stdio.h>
#include <sys/select.h>

/* libev's flag for a backend; 0 for libev's own choice. */
static unsigned int loop_backend_flag(enum loop_backend b)
{
	switch (b) {
	case LOOP_BACKEND_EPOLL:
		return EVBACKEND_EPOLL;
	case LOOP_BACKEND_POLL:
		return EVBACKEND_POLL;
	case LOOP_BACKEND_SELECT:
		return EVBACKEND_SELECT;
	case LOOP_BACKEND_IO_URING:
		return EVBACKEND_IOURING;
	default:
		return 0;
	}
}

/* The backend of a running loop (ev_backend names exactly one). */
static enum loop_backend loop_backend_of(struct ev_loop *loop)
{
	for (int b = LOOP_BACKEND_EPOLL; b <= LOOP_BACKEND_IO_URING; b++)
		if (ev_backend(loop) == loop_backend_flag((enum loop_backend)b))
			return (enum loop_backend)b;
	return LOOP_BACKEND_AUTO; /* one we do not name (none on Linux) */
}

/* The probe: libev must be built with the backend, and making the loop
 * must work (for io_uring: the kernel lets us set up a ring). An asked
 * backend ignores LIBEV_FLAGS from the environment (EVFLAG_NOENV). */
static struct ev_loop *loop_backend_try(unsigned int flag)
{
	if (flag == 0)
		return ev_loop_new(EVFLAG_AUTO);
	if (!(ev_supported_backends() & flag))
		return NULL;
	return ev_loop_new(flag | EVFLAG_NOENV);
}

struct ev_loop *loop_backend_open(enum loop_backend want, int transfers,
				  const char *model, enum loop_backend *used)
{
	if (want == LOOP_BACKEND_SELECT &&
	    transfers > LOOP_SELECT_MAX_TRANSFERS) {
		fprintf(stderr,
			"%s: --backend select watches descriptors below "
			"FD_SETSIZE (%d) only: at most %d transfers at once, "
			"not %d (use poll or epoll)\n",
			model, FD_SETSIZE, LOOP_SELECT_MAX_TRANSFERS,
			transfers);
		return NULL;
	}
	if (want == LOOP_BACKEND_IO_URING &&
	    transfers > LOOP_IOURING_MAX_TRANSFERS) {
		fprintf(stderr,
			"%s: io_uring aborts in libev 4.33 above %d sockets "
			"(models/loop_backend.h): %d transfers on epoll "
			"instead\n",
			model, LOOP_IOURING_MAX_TRANSFERS, transfers);
		want = LOOP_BACKEND_EPOLL;
	}
	struct ev_loop *loop = loop_backend_try(loop_backend_flag(want));
	if (!loop && want == LOOP_BACKEND_IO_URING) {
		fprintf(stderr,
			"%s: io_uring refused (by the kernel or a seccomp "
			"profile): falling back to epoll\n",
			model);
		loop = loop_backend_try(EVBACKEND_EPOLL);
	}
	if (!loop) {
		fprintf(stderr, "%s: cannot create the libev loop (%s)\n",
			model, loop_backend_name(want));
		return NULL;
	}
	*used = loop_backend_of(loop);
	return loop;
}

void loop_backend_close(struct ev_loop *loop)
{
	if (loop)
		ev_loop_destroy(loop);
}
