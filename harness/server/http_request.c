// SPDX-License-Identifier: MIT
/*
 * http_request.c - reading a request: http-parser's callbacks for one
 * http_conn. They only record (the target, the end of the head, how many
 * body bytes went by) and refuse what breaks a limit; what to answer is
 * decided after, in http_conn.c, once the parser pauses.
 *
 * Watch for: a callback must not answer or change state itself. It
 * records the refusal (error_status) and pauses the parser, so that
 * http_conn.c finds every outcome in one place after http_parser_execute.
 */
#include "harness/server/http_request.h"

#include <string.h>

static int request_on_message_begin(http_parser *p)
{
	struct http_conn *c = p->data;
	c->target_len = 0;
	c->head_done = false;
	c->body_bytes = 0;
	c->error_status = 0;
	return 0;
}

/* Stops the parser with an answer to give (414, 413, 400). */
static int request_refuse(http_parser *p, int status)
{
	struct http_conn *c = p->data;
	c->error_status = status;
	http_parser_pause(p, 1);
	return 0;
}

static int request_on_url(http_parser *p, const char *at, size_t len)
{
	struct http_conn *c = p->data;
	if (len > (size_t)(HTTP_TARGET_MAX - c->target_len))
		return request_refuse(p, 414);
	memcpy(c->target + c->target_len, at, len);
	c->target_len = (uint16_t)(c->target_len + len);
	return 0;
}

static int request_on_headers_complete(http_parser *p)
{
	struct http_conn *c = p->data;
	c->head_done = true;
	/* http-parser 2.9.4 already rejects both of these; the check states
	 * the rule here too, where a reader looks for it. */
	if (p->uses_transfer_encoding && (p->flags & F_CONTENTLENGTH))
		return request_refuse(p, 400);
	if ((p->flags & F_CONTENTLENGTH) && p->content_length > HTTP_BODY_MAX)
		return request_refuse(p, 413);
	return 0;
}

static int request_on_body(http_parser *p, const char *at, size_t len)
{
	(void)at; /* a GET or HEAD body means nothing here: count, drop */
	struct http_conn *c = p->data;
	c->body_bytes += len;
	if (c->body_bytes > HTTP_BODY_MAX)
		return request_refuse(p, 413);
	return 0;
}

/* A whole request is in: pause, so the answer goes out before the parser
 * reads the next (pipelined) request. */
static int request_on_message_complete(http_parser *p)
{
	http_parser_pause(p, 1);
	return 0;
}

const http_parser_settings http_request_settings = {
	.on_message_begin = request_on_message_begin,
	.on_url = request_on_url,
	.on_headers_complete = request_on_headers_complete,
	.on_body = request_on_body,
	.on_message_complete = request_on_message_complete,
};
