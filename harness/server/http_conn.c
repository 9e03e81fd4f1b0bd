// SPDX-License-Identifier: MIT
/*
 * http_conn.c - one HTTP/1.1 connection: bytes in, an answer out, as a
 * state machine with no sockets (see http_conn.h for the states). The
 * parser's callbacks are in http_request.c, an answer's bytes in
 * http_answer.c.
 *
 * The lesson: an event-loop server is a set of small state machines that
 * never block. Each call does a little work, says what it waits for next
 * (input, writability, a deadline) and returns; the loop does the waiting.
 * Because this file never touches a socket or a clock, every hostile input
 * can be replayed in a unit test or a fuzzer in microseconds.
 *
 * Watch for: everything that arrives is untrusted and unbounded unless we
 * bound it. The head is capped (431), the target (414), a request body
 * (413), the time to send a head (408), pipelined input held while we
 * answer (the socket layer stops reading), and smuggling tricks
 * (Content-Length with Transfer-Encoding, two Content-Lengths) end the
 * connection.
 */
#include "harness/server/http_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/server/http_answer.h"
#include "harness/server/http_request.h"

/* ---- the answer's course ---- */

/* When the next drip byte is due: one every drip_ms after the head. */
static double conn_drip_due(const struct http_conn *c)
{
	uint64_t body_released = c->released - c->out_len;
	return c->drip_start + (double)(body_released + 1) * c->drip_ms / 1e3;
}

/* When an answer due at `due` may go out: after the server's stall, if
 * one is on (/stall/MS). */
static double conn_after_stall(const struct http_conn *c, double due)
{
	const double *until = c->limits->stalled_until;
	return until && *until > due ? *until : due;
}

/* The answer may go out now (its delay, if any, is over). */
static void conn_write_begin(struct http_conn *c, double now)
{
	if (c->fault == FAULT_RESET) {
		c->state = HTTP_RESET;
		return;
	}
	c->state = HTTP_WRITING;
	c->deadline = 0;
	if (c->fault == FAULT_DRIP && c->body_send > 0) {
		c->released = c->out_len; /* the head at once, then bytes */
		c->drip_start = now;
		c->deadline = conn_drip_due(c);
	} else {
		c->released = http_answer_total(c);
	}
}

static void conn_drop_stash(struct http_conn *c)
{
	free(c->stash);
	c->stash = NULL;
	c->stash_len = c->stash_off = 0;
}

/* A request that breaks the rules: answer with a message, then close. */
static void conn_fail(struct http_conn *c, int status, const char *message,
		      double now)
{
	c->fault = FAULT_NONE;
	c->close_after = true;
	conn_drop_stash(c);
	http_answer_build(c, status, message, 0, false);
	conn_write_begin(c, now);
}

/* A whole request was read: decide the answer and start it. */
static void conn_answer(struct http_conn *c, double now)
{
	struct route_plan plan;
	enum http_method method = c->parser.method;
	c->requests++;
	c->close_after =
		!http_should_keep_alive(&c->parser) || c->parser.upgrade;
	if (method != HTTP_GET && method != HTTP_HEAD) {
		memset(&plan, 0, sizeof(plan));
		plan.status = 405;
		snprintf(plan.message, sizeof(plan.message),
			 "method %s not allowed; only GET and HEAD",
			 http_method_str(method));
	} else {
		route_plan(c->target, c->target_len, &plan);
	}
	c->fault = plan.fault;
	c->drip_ms = plan.drip_ms;
	if (plan.fault == FAULT_TRUNCATE || plan.fault == FAULT_RESET)
		c->close_after = true;
	if (plan.fault == FAULT_HANG) {
		c->state = HTTP_HANGING;
		c->deadline = 0;
		return;
	}
	http_answer_build(c, plan.status, plan.message, plan.body_n,
			  method == HTTP_HEAD);
	if (plan.fault == FAULT_TRUNCATE)
		c->body_send /= 2;
	double due = now + plan.delay_ms / 1e3;
	if (plan.fault == FAULT_STALL && c->limits->stalled_until &&
	    *c->limits->stalled_until < due)
		*c->limits->stalled_until = due; /* every answer waits */
	due = conn_after_stall(c, due);
	if (due > now) {
		c->state = HTTP_WAITING;
		c->deadline = due;
	} else {
		conn_write_begin(c, now);
	}
}

/* ---- reading ---- */

/* Runs the parser over data while READING; returns the bytes consumed.
 * Stops early once a request is complete (the parser pauses) or broken
 * (an error answer is queued). The head is fed at most up to its cap, so
 * the 431 comes from our count, not from the parser's 80 KiB limit. */
static size_t conn_parse(struct http_conn *c, const char *data, size_t len,
			 double now)
{
	size_t pos = 0;
	if (len > 0 && c->idle) {
		c->idle = false;
		c->deadline = now + c->limits->header_timeout_s;
	}
	while (pos < len && c->state == HTTP_READING) {
		size_t chunk = len - pos;
		if (!c->head_done) {
			if (c->head_bytes >= HTTP_HEAD_MAX) {
				conn_fail(c, 431, http_answer_error_text(431),
					  now);
				break;
			}
			if (chunk > HTTP_HEAD_MAX - c->head_bytes)
				chunk = HTTP_HEAD_MAX - c->head_bytes;
		}
		size_t n = http_parser_execute(
			&c->parser, &http_request_settings, data + pos, chunk);
		if (!c->head_done)
			c->head_bytes += (uint32_t)n;
		pos += n;
		enum http_errno err = HTTP_PARSER_ERRNO(&c->parser);
		if (err == HPE_PAUSED) {
			http_parser_pause(&c->parser, 0);
			if (c->error_status)
				conn_fail(
					c, c->error_status,
					http_answer_error_text(c->error_status),
					now);
			else
				conn_answer(c, now);
		} else if (err != HPE_OK) {
			conn_fail(c, 400, http_errno_description(err), now);
		} else if (n < chunk) {
			conn_fail(c, 400, "unsupported request", now);
		}
	}
	return pos;
}

/* Keeps input that arrived while answering, for after the answer. */
static void conn_stash(struct http_conn *c, const char *data, size_t len)
{
	if (c->close_after || len == 0)
		return; /* no next request on this connection */
	size_t held = c->stash_len - c->stash_off;
	if (held + len > 2 * (size_t)HTTP_STASH_MAX) { /* want.read ignored */
		conn_drop_stash(c);
		c->state = HTTP_CLOSED;
		return;
	}
	if (c->stash_off > 0 && held > 0)
		memmove(c->stash, c->stash + c->stash_off, held);
	char *grown = realloc(c->stash, held + len);
	if (!grown) {
		conn_drop_stash(c);
		c->state = HTTP_CLOSED;
		return;
	}
	memcpy(grown + held, data, len);
	c->stash = grown;
	c->stash_off = 0;
	c->stash_len = (uint32_t)(held + len);
}

/* The answer is out: close, or read the next request (pipelined input
 * first). */
static void conn_finish(struct http_conn *c, double now)
{
	if (c->close_after) {
		c->state = HTTP_LINGERING;
		c->deadline = now + HTTP_LINGER_S;
		return;
	}
	c->state = HTTP_READING;
	c->idle = true;
	c->head_bytes = 0;
	c->head_done = false;
	c->deadline = now + c->limits->idle_timeout_s;
	if (!c->stash)
		return;
	size_t n = conn_parse(c, c->stash + c->stash_off,
			      c->stash_len - c->stash_off, now);
	if (!c->stash)
		return; /* a bad request dropped it: we are closing */
	c->stash_off += (uint32_t)n;
	if (c->stash_off >= c->stash_len)
		conn_drop_stash(c);
}

/* ---- the interface ---- */

void http_conn_init(struct http_conn *c, const struct http_limits *limits,
		    double now)
{
	memset(c, 0, sizeof(*c));
	http_parser_init(&c->parser, HTTP_REQUEST);
	c->parser.data = c;
	c->limits = limits;
	c->state = HTTP_READING;
	/* A new connection owes us a head within the header timeout. */
	c->deadline = now + limits->header_timeout_s;
}

void http_conn_free(struct http_conn *c)
{
	conn_drop_stash(c);
}

void http_conn_input(struct http_conn *c, const char *data, size_t len,
		     double now)
{
	if (c->state == HTTP_READING) {
		size_t n = conn_parse(c, data, len, now);
		data += n;
		len -= n;
	}
	if (c->state == HTTP_WAITING || c->state == HTTP_HANGING ||
	    c->state == HTTP_WRITING)
		conn_stash(c, data, len);
	/* LINGERING, CLOSED, RESET: input is dropped. */
}

void http_conn_eof(struct http_conn *c)
{
	/* A client may half-close once its request is sent (HTTP/1.1
	 * allows it, and `shutdown(SHUT_WR)` clients do): finish the answer,
	 * then close. Had it really gone, writing the answer fails then. */
	if (c->state == HTTP_WRITING || c->state == HTTP_WAITING) {
		c->close_after = true;
		c->peer_eof = true;
	} else if (c->state != HTTP_RESET)
		c->state = HTTP_CLOSED; /* nobody is left to answer */
}

void http_conn_timeout(struct http_conn *c, double now)
{
	switch (c->state) {
	case HTTP_READING:
		if (c->idle)
			c->state = HTTP_CLOSED;
		else
			conn_fail(c, 408, "request head not received in time",
				  now);
		break;
	case HTTP_WAITING:
		if (conn_after_stall(c, now) > now) /* a stall began since */
			c->deadline = conn_after_stall(c, now);
		else
			conn_write_begin(c, now);
		break;
	case HTTP_WRITING:
		if (c->blocked) { /* the client stopped reading */
			c->state = HTTP_CLOSED;
		} else if (c->released < http_answer_total(c)) {
			c->released++;
			c->deadline = 0; /* set again once the byte is out */
		}
		break;
	case HTTP_LINGERING:
		c->state = HTTP_CLOSED;
		break;
	default:
		break;
	}
}

void http_conn_sent(struct http_conn *c, size_t n, bool blocked, double now)
{
	if (c->state != HTTP_WRITING)
		return;
	if (n > c->released - c->sent)
		n = (size_t)(c->released - c->sent);
	c->sent += n;
	if (c->sent == http_answer_total(c)) {
		conn_finish(c, now);
		return;
	}
	if (blocked) {
		/* Progress restarts the clock; none for idle_timeout closes. */
		if (n > 0 || !c->blocked)
			c->deadline = now + c->limits->idle_timeout_s;
	} else if (c->fault == FAULT_DRIP && c->sent == c->released) {
		c->deadline = conn_drip_due(c);
	} else {
		c->deadline = 0;
	}
	c->blocked = blocked;
}

size_t http_conn_peek(const struct http_conn *c, char *buf, size_t cap)
{
	if (c->state != HTTP_WRITING || c->sent >= c->released)
		return 0;
	uint64_t avail = c->released - c->sent;
	size_t n = avail < cap ? (size_t)avail : cap;
	http_answer_copy(c, c->sent, buf, n);
	return n;
}

struct http_want http_conn_want(const struct http_conn *c)
{
	struct http_want w = {.state = c->state, .deadline = c->deadline};
	switch (c->state) {
	case HTTP_READING:
	case HTTP_LINGERING:
		w.read = true;
		w.shut_write = c->state == HTTP_LINGERING;
		break;
	case HTTP_WAITING:
	case HTTP_HANGING:
		/* Reading lets us see the client leave; a full stash stops
		 * it, so a pipelining client cannot make us buffer more. */
		w.read = c->stash_len - c->stash_off < HTTP_STASH_MAX &&
			 !c->peer_eof; /* EOF reads again and again */
		break;
	case HTTP_WRITING:
		w.write = c->sent < c->released;
		break;
	default:
		w.deadline = 0;
		break;
	}
	return w;
}

const char *http_state_name(enum http_state s)
{
	static const char *const names[] = {
		"reading",   "waiting", "hanging", "writing",
		"lingering", "closed",	"reset",
	};
	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}
