// SPDX-License-Identifier: MIT
/*
 * eventloop.c - one thread, one libev loop driving libcurl's multi_socket
 * API, up to C fetches in flight.
 *
 * The lesson: concurrency without threads. A fetch spends almost all its
 * time waiting, and a wait costs an event loop one socket and a few KiB,
 * not a thread; so one thread keeps thousands of requests in flight and a
 * batch of N waits of d ms takes about ceil(N/C) x d. This is Python's
 * asyncio: one loop, callbacks instead of blocking calls.
 *
 * Watch for: a blocked loop. Compute tasks, and the compute half of mixed
 * tasks, run inline on the loop thread: while one computes, not one socket
 * is served and every transfer in flight stalls. The results show it
 * (--workloads compute: no speedup at any C); models/hybrid.c is the fix.
 *
 * Run it:  build/concur run --models sequential,eventloop --tasks 200 \
 *              --workers 200 --delay 500
 *          and see about 0.5 s instead of 100 s, on one thread.
 */
#include "models/eventloop.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/arrival.h"
#include "common/clock.h"
#include "common/execute.h"
#include "common/fetch.h"
#include "common/shared.h"
#include "models/eventloop_slots.h"
#include "models/fd_limit.h"
#include "models/feed_batch.h"
#include "models/loop_backend.h"
#include "models/model.h"

/* ---- state ---- */

/* Per socket: the watcher libev polls, found again through
 * curl_multi_assign(). Lives from libcurl's first request to watch the
 * socket until CURL_POLL_REMOVE. */
struct eventloop_socket {
	ev_io io;		   /* fd and the events libcurl asked for */
	struct eventloop_state *s; /* back to the whole */
};

/* Global: one run, on eventloop_run_with's stack. Loop thread only, but
 * for the fields tagged read-only, which hybrid's pool threads read too;
 * result i is the loop's except while an offload computes task i. */
struct eventloop_state {
	struct batch *batch;			 /* read-only */
	const struct run_opts *opts;		 /* read-only */
	const char *model;			 /* read-only: for messages */
	const struct eventloop_offload *offload; /* read-only: NULL, or who
						    computes instead */
	struct ev_loop *loop;	      /* owned: models/loop_backend.h */
	CURLM *multi;		      /* owned */
	ev_timer timeout;	      /* libcurl's single timeout */
	int running;		      /* transfers libcurl runs */
	struct eventloop_slots slots; /* owned: a reusable easy handle per
					 transfer, and the idle ones
					 (models/eventloop_slots.h) */
	ev_timer feeder; /* starts tasks next turn, or at an arrival */
	size_t next;	 /* first task not yet started */
	size_t finished; /* tasks whose result is complete */
};

/* ---- the exchange: libev watches, libcurl works ---- */

/*
 * libcurl does the HTTP but never waits. Through two callbacks it says
 * which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when to wake it if
 * no socket is ready first (CURLMOPT_TIMERFUNCTION); we keep one ev_io per
 * socket and one ev_timer, and hand whatever fires back to libcurl with
 * curl_multi_socket_action(). In the order it happens:
 *   1. A task's easy handle is added; libcurl asks for a 0 ms timeout, so
 *      on the next iteration the timer fires and libcurl starts connecting.
 *   2. libcurl asks us to watch the new socket: we start an ev_io. When it
 *      is ready libcurl sends, receives, and may change what it wants
 *      watched or stop (CURL_POLL_REMOVE).
 *   3. After each curl_multi_socket_action, curl_multi_info_read lists the
 *      finished transfers: each is classified and its slot freed.
 * What it costs (perf, 10,000 x /delay/1000 in flight, libcurl 7.88): about
 * 100 us of CPU per transfer, against 40 us for a bare epoll client
 * (harness/bench/rawclient.c): the same TCP work, plus libcurl's own
 * bookkeeping (its socket hash has 911 buckets, so with 10,000 sockets
 * every lookup walks a chain), malloc, and first-touch page faults for the
 * ~15 KiB each transfer holds.
 */

static void eventloop_fetch_done(struct eventloop_state *s, size_t i);

/* Reads every finished transfer. Called after each socket_action. */
static void eventloop_check_finished(struct eventloop_state *s)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(s->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		/* msg is only valid until curl_multi_remove_handle
		 * (curl_multi_info_read(3)): copy what we need first. */
		CURL *easy = msg->easy_handle;
		CURLcode rc = msg->data.result;
		struct eventloop_transfer *t = NULL;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
		fetch_finish(easy, rc, &t->st, &s->batch->results[t->task]);
		curl_multi_remove_handle(s->multi, easy);
		t->next_free = s->slots.free; /* the slot is idle again */
		s->slots.free = t;
		eventloop_fetch_done(s, t->task);
	}
}

/* Tells libcurl what happened on fd (or CURL_SOCKET_TIMEOUT), then reads
 * whatever finished. */
static void eventloop_act(struct eventloop_state *s, curl_socket_t fd,
			  int action)
{
	CURLMcode mc =
		curl_multi_socket_action(s->multi, fd, action, &s->running);
	/* BAD_SOCKET: an event for a socket libcurl already closed. Any
	 * other error leaves the transfers to report their own failure. */
	if (mc != CURLM_OK && mc != CURLM_BAD_SOCKET)
		fprintf(stderr, "%s: curl_multi_socket_action: %s\n", s->model,
			curl_multi_strerror(mc));
	eventloop_check_finished(s);
}

/* ev_timer (s->timeout): libcurl's timeout expired. */
static void eventloop_timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	struct eventloop_state *s =
		container_of(w, struct eventloop_state, timeout);
	eventloop_act(s, CURL_SOCKET_TIMEOUT, 0);
}

/* CURLMOPT_TIMERFUNCTION: libcurl wants to be woken in timeout_ms (0: as
 * soon as possible; -1: never). One timer, re-armed each time; libcurl
 * must not be called from here (CURLMOPT_TIMERFUNCTION(3)). */
static int eventloop_multi_timer_cb(CURLM *multi, long timeout_ms, void *arg)
{
	(void)multi;
	struct eventloop_state *s = arg;
	ev_timer_stop(s->loop, &s->timeout);
	if (timeout_ms >= 0) {
		ev_timer_set(&s->timeout, (double)timeout_ms / 1000.0, 0.0);
		ev_timer_start(s->loop, &s->timeout);
	}
	return 0;
}

/* ev_io (started in eventloop_socket_cb): a socket libcurl watches is
 * ready. */
static void eventloop_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	struct eventloop_socket *sock =
		container_of(w, struct eventloop_socket, io);
	struct eventloop_state *s = sock->s;
	int action = ((revents & EV_READ) ? CURL_CSELECT_IN : 0) |
		     ((revents & EV_WRITE) ? CURL_CSELECT_OUT : 0);
	/* From here on sock may be freed (CURL_POLL_REMOVE): use s and fd. */
	eventloop_act(s, w->fd, action);
}

/* CURLMOPT_SOCKETFUNCTION: libcurl says what to watch on fd. sockp is what
 * we gave curl_multi_assign for this socket, NULL until then
 * (CURLMOPT_SOCKETFUNCTION(3)). */
static int eventloop_socket_cb(CURL *easy, curl_socket_t fd, int what,
			       void *arg, void *sockp)
{
	(void)easy;
	struct eventloop_state *s = arg;
	struct eventloop_socket *sock = sockp;

	if (what == CURL_POLL_REMOVE) {
		/* libcurl closes or reuses fd right after we return: the
		 * watcher must be gone before, or epoll watches a stranger. */
		if (sock) {
			ev_io_stop(s->loop, &sock->io);
			free(sock);
		}
		return 0;
	}
	if (!sock) {
		sock = calloc(1, sizeof(*sock));
		if (!sock)
			return -1; /* libcurl then fails what is in flight */
		sock->s = s;
		ev_init(&sock->io, eventloop_io_cb);
		curl_multi_assign(s->multi, fd, sock);
	}
	int events = ((what & CURL_POLL_IN) ? EV_READ : 0) |
		     ((what & CURL_POLL_OUT) ? EV_WRITE : 0);
	ev_io_stop(s->loop, &sock->io);
	ev_io_set(&sock->io, fd, events);
	ev_io_start(s->loop, &sock->io);
	return 0;
}

/* ---- tasks: the feeder, the compute half, the end ---- */

int eventloop_fetch_start(struct eventloop_state *s, size_t i)
{
	return eventloop_slots_start(&s->slots, s->multi,
				     s->batch->tasks[i].url, &s->opts->fetch, i,
				     &s->batch->results[i]);
}

void eventloop_task_done(struct eventloop_state *s, size_t i)
{
	struct result *r = &s->batch->results[i];
	trace_event(s->opts, s->model, r->worker, i, "done", r);
	if (++s->finished == s->batch->n)
		ev_break(s->loop, EVBREAK_ALL);
}

void eventloop_compute(const struct eventloop_state *s, size_t i, int worker)
{
	const struct task *t = &s->batch->tasks[i];
	struct result *r = &s->batch->results[i];
	if (!task_fetches(t)) { /* it starts here */
		arrival_mark_start(s->batch, i);
		trace_event(s->opts, s->model, worker, i, "start", r);
	}
	task_block(s->opts, i);	    /* --block-ms: task 0 sleeps here */
	if (t->type == TASK_SHARED) /* one thread: no lock, and no race */
		shared_task_run(s->batch->shared, t, r, 0, NULL, NULL);
	else
		task_compute(t, r);
	r->worker = worker;
	r->end = clock_now() - s->batch->t0;
}

/* Task i's compute half runs here, on the loop, and blocks every transfer
 * in flight until it returns: the hazard of this model. A model with an
 * offload (hybrid.c) sends it to its pool instead. */
static void eventloop_run_compute(struct eventloop_state *s, size_t i)
{
	if (s->offload) {
		s->offload->submit(s->offload->arg, i);
		return;
	}
	eventloop_compute(s, i, 0); /* the loop is worker 0 */
	eventloop_task_done(s, i);
}

/* Starts task i: a compute task goes straight to its compute half; a
 * fetch goes to libcurl and ends in eventloop_fetch_done. */
static void eventloop_start_task(struct eventloop_state *s, size_t i)
{
	struct result *r = &s->batch->results[i];
	if (arrival_late(s->batch, i)) { /* open loop: overload */
		eventloop_task_done(s, i);
		return;
	}
	if (s->offload && s->offload->start_task) { /* the model runs it */
		s->offload->start_task(s->offload->arg, i);
		return;
	}
	if (!task_fetches(&s->batch->tasks[i])) {
		eventloop_run_compute(s, i);
		return;
	}
	r->worker = 0;
	arrival_mark_start(s->batch, i);
	trace_event(s->opts, s->model, 0, i, "start", r);
	if (eventloop_fetch_start(s, i) != 0)
		eventloop_fetch_done(s, i); /* could not start: reason in r */
}

/* Can the next task start now? It must have arrived (open loop; if late,
 * to be marked not_run); a fetch needs a free slot. */
static int eventloop_can_start(const struct eventloop_state *s)
{
	if (s->next >= s->batch->n || arrival_due_in(s->batch, s->next) > 0)
		return 0;
	return arrival_too_late(s->batch) ||
	       !task_fetches(&s->batch->tasks[s->next]) ||
	       s->slots.free != NULL;
}

/* Arms the feeder for the next loop iteration if there is work for it,
 * or for the next task's arrival: the loop never sleeps in a callback. */
static void eventloop_kick(struct eventloop_state *s)
{
	if (ev_is_active(&s->feeder) || s->next >= s->batch->n)
		return;
	double due = arrival_due_in(s->batch, s->next); /* closed: 0 */
	if (due <= 0 && !eventloop_can_start(s))
		return;
	ev_timer_set(&s->feeder, due > 0 ? due : 0.0, 0.0);
	ev_timer_start(s->loop, &s->feeder);
}

/* ev_timer (s->feeder): the feeder's turn. Starts up to FEED_BATCH tasks
 * (models/feed_batch.h), then lets the loop serve sockets before more. */
static void eventloop_feed_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	struct eventloop_state *s =
		container_of(w, struct eventloop_state, feeder);
	for (int k = 0; k < FEED_BATCH && eventloop_can_start(s); k++)
		eventloop_start_task(s, s->next++);
	eventloop_kick(s);
}

/* Task i's fetch ended (its result is filled) or could not start. A mixed
 * task whose fetch succeeded still has its compute half; any other task
 * is complete. Its slot is free again, so the feeder may start more. */
static void eventloop_fetch_done(struct eventloop_state *s, size_t i)
{
	struct result *r = &s->batch->results[i];
	if (s->offload && s->offload->fetched)
		s->offload->fetched(s->offload->arg, i); /* its own end */
	else if (task_needs_compute(&s->batch->tasks[i], r) ||
		 task_blocks(s->opts, i)) /* --block-ms */
		eventloop_run_compute(s, i);
	else {
		r->end = clock_now() - s->batch->t0;
		eventloop_task_done(s, i);
	}
	eventloop_kick(s);
}

/* ---- the run function ---- */

/* Creates the multi handle and n_slots easy handles, and registers the two
 * callbacks through which libcurl drives the loop. n_fetches chooses the
 * connection settings (models/conn_reuse.h). Returns 0 or -1 (said). */
static int eventloop_start(struct eventloop_state *s, int n_slots,
			   size_t n_fetches)
{
	ev_init(&s->timeout, eventloop_timeout_cb);
	s->multi = curl_multi_init();
	if (!s->multi ||
	    eventloop_slots_new(&s->slots, s->multi, n_slots, n_fetches) != 0) {
		fprintf(stderr,
			"%s: cannot create %d transfers (out of memory)\n",
			s->model, n_slots);
		return -1;
	}
	curl_multi_setopt(s->multi, CURLMOPT_SOCKETFUNCTION,
			  eventloop_socket_cb);
	curl_multi_setopt(s->multi, CURLMOPT_SOCKETDATA, s);
	curl_multi_setopt(s->multi, CURLMOPT_TIMERFUNCTION,
			  eventloop_multi_timer_cb);
	curl_multi_setopt(s->multi, CURLMOPT_TIMERDATA, s);
	return 0;
}

/* Stops the watchers and frees what eventloop_start made. */
static void eventloop_stop(struct eventloop_state *s)
{
	ev_timer_stop(s->loop, &s->timeout);
	eventloop_slots_free(&s->slots, s->multi); /* the handles first */
	curl_multi_cleanup(s->multi);		   /* NULL: returns at once */
}

/* Runs the loop until the batch's last task is done: every callback above
 * is called from ev_run. */
static void eventloop_loop(struct eventloop_state *s)
{
	ev_timer_init(&s->feeder, eventloop_feed_cb, 0.0, 0.0);
	/* Lowest priority: in each loop iteration the sockets and libcurl's
	 * own timer are served first, so the transfers started last time
	 * connect and send before the next batch is added. (Adding re-arms
	 * libcurl's timer; run first, the feeder would keep cancelling it
	 * and no connect would start until the last handle was added.) */
	ev_set_priority(&s->feeder, EV_MINPRI);
	eventloop_kick(s);
	if (s->batch->n > 0)
		ev_run(s->loop, 0);
	ev_timer_stop(s->loop, &s->feeder);
}

int eventloop_run_with(struct batch *batch, const struct run_opts *opts,
		       const char *model, const struct eventloop_offload *off)
{
	double setup_start = clock_now();
	struct eventloop_state s = {
		.batch = batch, .opts = opts, .model = model, .offload = off};
	struct rlimit saved_fds;
	int status = -1;

	if (opts->workers < 1) {
		fprintf(stderr, "%s: --workers must be at least 1\n", model);
		return -1;
	}
	/* One slot per fetch at most: slots beyond that are waste. */
	size_t n_fetch = 0;
	for (size_t i = 0; i < batch->n; i++)
		n_fetch += task_fetches(&batch->tasks[i]);
	int slots =
		n_fetch < (size_t)opts->workers ? (int)n_fetch : opts->workers;
	/* One socket per transfer in flight: refuse what the process could
	 * not hold, before starting anything (models/fd_limit.h). */
	if (fd_limit_reserve(slots, model, &saved_fds) != 0)
		return -1;
	enum loop_backend used; /* --backend, or epoll after a fallback */
	s.loop = loop_backend_open(opts->loop.backend, slots, model, &used);
	if (!s.loop)
		goto out;
	if (eventloop_start(&s, slots > 0 ? slots : 1, n_fetch) != 0)
		goto stop;
	if (!off || off->start(off->arg, &s, s.loop) == 0) {
		if (opts->stats) {
			opts->stats->setup_s = clock_now() - setup_start;
			opts->stats->workers_started = slots;
			snprintf(opts->stats->loop_backend,
				 sizeof(opts->stats->loop_backend), "%s",
				 loop_backend_name(used));
		}
		eventloop_loop(&s);
		status = 0;
	}
	if (off)
		off->stop(off->arg);
stop:
	eventloop_stop(&s);
	loop_backend_close(s.loop);
out:
	fd_limit_restore(&saved_fds);
	return status;
}

static int eventloop_run(struct batch *batch, const struct run_opts *opts)
{
	/* Shared tasks: one thread updates the counter, so no lock is needed
	 * and no update is lost (--sync is moot here). */
	batch->shared =
		shared_batch_has(batch) ? shared_state_new(1, SYNC_NONE) : NULL;
	int rc = eventloop_run_with(batch, opts, "eventloop", NULL);
	shared_finish(batch);
	shared_state_free(batch->shared);
	batch->shared = NULL;
	return rc;
}

const struct model model_eventloop = {
	.name = "eventloop",
	.summary = "one thread, a libev loop driving libcurl: asyncio in C",
	.run = eventloop_run,
	.compute = COMPUTE_ONE_AT_A_TIME,
};
