// SPDX-License-Identifier: MIT
/*
 * eventloop_slots.h - the transfer slots of models/eventloop.c: one
 * libcurl easy handle per transfer in flight, made once and reused task
 * after task, and the free list of the idle ones.
 *
 * Making an easy handle costs memory and set-up; a slot keeps its handle
 * (and the connection settings of models/conn_reuse.h) for the whole run,
 * so starting a fetch is only setting its URL. The loop takes a slot from
 * `free` for each fetch it starts and puts it back when the fetch ends.
 *
 * Threads: the loop's thread only.
 *
 * Errors: eventloop_slots_new returns 0, or -1 when memory ran out (not
 * said: the caller names the run); eventloop_slots_free frees what was
 * made either way.
 */
#ifndef CONCUR_EVENTLOOP_SLOTS_H
#define CONCUR_EVENTLOOP_SLOTS_H

#include <curl/curl.h>
#include <stddef.h>

#include "common/fetch.h"
#include "models/conn_reuse.h"

/* Per transfer: one reusable easy handle (a "slot"). CURLOPT_PRIVATE
 * points back here, so a finished easy handle leads to its task. */
struct eventloop_transfer {
	CURL *easy;	       /* owned by the slot, reused task after task */
	struct fetch_state st; /* body bytes and CRC, filled by libcurl */
	size_t task;	       /* the task it runs now */
	struct eventloop_transfer *next_free; /* free list link when idle */
};

/* All the slots of one run. */
struct eventloop_slots {
	struct eventloop_transfer *all;	 /* owned; n of them */
	int n;				 /* made so far */
	struct eventloop_transfer *free; /* idle slots, by next_free */
	struct conn_reuse reuse;	 /* connection settings */
};

/* Makes n slots, all idle, with the connection settings for n_fetches
 * fetches (its multi handle's part set on multi). *sl must be zeroed.
 * Returns 0 or -1. */
int eventloop_slots_new(struct eventloop_slots *sl, CURLM *multi, int n,
			size_t n_fetches);

/* Hands task `task`'s fetch of url to libcurl (multi) on a free slot
 * (there must be one), which it takes. Returns 0, or -1 when libcurl
 * refused it: r is then kind other, saying why. */
int eventloop_slots_start(struct eventloop_slots *sl, CURLM *multi,
			  const char *url, const struct fetch_opts *fo,
			  size_t task, struct result *r);

/* Takes every slot's handle off multi (a transfer still in flight is
 * dropped) and frees the slots; multi itself is the caller's. */
void eventloop_slots_free(struct eventloop_slots *sl, CURLM *multi);

#endif
