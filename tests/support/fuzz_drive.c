// SPDX-License-Identifier: MIT
/*
 * fuzz_drive.c - one http_conn driven by a script of bytes (the format is
 * in fuzz_drive.h), with the invariants a socket layer relies on checked
 * after every step. A broken invariant aborts, which libFuzzer reports as
 * a crash and Check as an error.
 */
#include "tests/support/fuzz_drive.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/server/http_conn.h"

#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr,                                        \
				"fuzz_drive: invariant broken: %s "            \
				"(%s:%d)\n",                                   \
				#cond, __FILE__, __LINE__);                    \
			abort();                                               \
		}                                                              \
	} while (0)

#define DRAIN_BUDGET ((size_t)256 * 1024) /* answer bytes taken per step */
#define OPS_BUDGET 20000 /* steps per script (a drip is long) */

/* The pretend socket layer: a connection, a clock, a write buffer. */
struct drive {
	struct http_conn c;
	struct http_limits limits;
	double now;
	size_t taken; /* answer bytes the "socket" took */
	unsigned ops; /* steps so far, against OPS_BUDGET */
	char buf[16384];
};

static bool drive_gone(const struct drive *d)
{
	return d->c.state == HTTP_CLOSED || d->c.state == HTTP_RESET ||
	       d->ops > OPS_BUDGET;
}

/* What must hold whatever the input was. */
static void drive_check(const struct drive *d, const struct http_want *w)
{
	const struct http_conn *c = &d->c;
	uint64_t total = c->out_len + c->body_send;
	FUZZ_CHECK(c->stash_len >= c->stash_off);
	FUZZ_CHECK(c->stash_len - c->stash_off <= 2 * HTTP_STASH_MAX);
	FUZZ_CHECK(c->target_len <= HTTP_TARGET_MAX);
	FUZZ_CHECK(c->out_len < HTTP_OUT_MAX);
	switch (c->state) {
	case HTTP_READING:
		/* Pipelined input is parsed before reading resumes. */
		FUZZ_CHECK(c->stash == NULL);
		FUZZ_CHECK(w->read && w->deadline > 0);
		break;
	case HTTP_WAITING:
	case HTTP_LINGERING:
		/* Every state but /hang ends by itself: a deadline. */
		FUZZ_CHECK(w->deadline > 0);
		break;
	case HTTP_WRITING:
		FUZZ_CHECK(c->sent <= c->released && c->released <= total);
		FUZZ_CHECK(w->write || w->deadline > 0);
		FUZZ_CHECK(c->body_send <= ROUTE_BYTES_MAX);
		break;
	default:
		break;
	}
}

/* Takes ready output as a socket would, sometimes only half of it. */
static void drive_drain(struct drive *d, uint8_t ctrl)
{
	size_t budget = DRAIN_BUDGET;
	while (!drive_gone(d) && budget > 0) {
		struct http_want w = http_conn_want(&d->c);
		drive_check(d, &w);
		if (!w.write)
			return;
		size_t cap = sizeof(d->buf) < budget ? sizeof(d->buf) : budget;
		size_t n = http_conn_peek(&d->c, d->buf, cap);
		FUZZ_CHECK(n > 0 && n <= cap);
		if (d->c.sent == 0 && n >= 9)
			FUZZ_CHECK(memcmp(d->buf, "HTTP/1.1 ", 9) == 0);
		bool blocked = (d->ops++ + ctrl) % 3 == 0;
		size_t k = blocked ? n / 2 : n;
		http_conn_sent(&d->c, k, blocked, d->now);
		d->taken += k;
		budget -= n;
		d->now += 0.0001;
	}
}

/* Lets the clock reach the deadline; false when there is none. */
static bool drive_fire(struct drive *d)
{
	struct http_want w = http_conn_want(&d->c);
	if (drive_gone(d) || w.deadline <= 0)
		return false;
	if (d->now < w.deadline)
		d->now = w.deadline;
	d->ops++;
	http_conn_timeout(&d->c, d->now);
	return true;
}

/* Feeds data in pieces, only while the connection wants to read. */
static void drive_feed(struct drive *d, const uint8_t *p, size_t len,
		       uint8_t ctrl)
{
	size_t piece = (size_t)(ctrl & 0x3f) + 1;
	size_t pos = 0;
	while (pos < len && !drive_gone(d)) {
		d->ops++;
		if (!http_conn_want(&d->c).read) {
			/* The socket layer would not read now: let output
			 * or a deadline move the connection on. */
			drive_drain(d, ctrl);
			if (!http_conn_want(&d->c).read && !drive_fire(d))
				return; /* /hang with a full stash */
			continue;
		}
		size_t n = len - pos < piece ? len - pos : piece;
		http_conn_input(&d->c, (const char *)p + pos, n, d->now);
		pos += n;
		drive_drain(d, ctrl);
		d->now += 0.001;
	}
}

size_t fuzz_drive(const uint8_t *data, size_t len)
{
	struct drive *d = calloc(1, sizeof(*d));
	if (!d)
		return 0;
	d->limits.header_timeout_s = 10;
	d->limits.idle_timeout_s = 30;
	d->now = 1000;
	http_conn_init(&d->c, &d->limits, d->now);
	size_t i = 0;
	while (i < len && !drive_gone(d)) {
		const uint8_t *seg = data + i;
		const uint8_t *end = memchr(seg, 0xff, len - i);
		size_t slen = end ? (size_t)(end - seg) : len - i;
		i += slen + 1;
		if (slen == 0)
			continue;
		uint8_t ctrl = seg[0];
		drive_feed(d, seg + 1, slen - 1, ctrl);
		drive_drain(d, ctrl);
		if (ctrl & 0x40) {
			drive_fire(d);
			drive_drain(d, ctrl);
		}
		if (ctrl & 0x80) {
			http_conn_eof(&d->c);
			drive_drain(d, ctrl);
		}
	}
	/* The script is over: let a few deadlines pass, as time would. */
	for (int k = 0; k < 4 && !drive_gone(d); k++) {
		drive_drain(d, 0);
		if (!drive_fire(d))
			break;
	}
	size_t taken = d->taken;
	http_conn_free(&d->c);
	free(d);
	return taken;
}
