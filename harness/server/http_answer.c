// SPDX-License-Identifier: MIT
/*
 * http_answer.c - the bytes of an answer: status line, headers, a text
 * body for errors, and the generated body, produced piece by piece from
 * an offset (http_conn.h explains the "virtual byte string").
 *
 * The lesson: an answer need not exist in memory to be sent. Its head is a
 * few hundred bytes; its body is a function of the offset, so the socket
 * layer asks for the next piece, writes what the socket takes, and asks
 * again from there. A 64 MiB answer costs a 64 KiB scratch buffer.
 *
 * Watch for: HEAD gets the headers GET would, Content-Length included,
 * and no body; /truncate promises more than it sends, on purpose.
 */
#include "harness/server/http_answer.h"

#include <stdio.h>
#include <string.h>

/* Writes the fixed part of an answer: status line, headers, and for a
 * message (errors) the text body. Generated body bytes come after. */
void http_answer_build(struct http_conn *c, int status, const char *message,
		       uint64_t body_n, bool head_only)
{
	const char *reason = http_status_str((enum http_status)status);
	if (reason[0] == '<') /* "<unknown>" for codes it has no name for */
		reason = "Unknown";
	bool text = message && message[0];
	uint64_t length = text ? strlen(message) + 1 : body_n;
	const char *connection = "";
	if (c->close_after)
		connection = "Connection: close\r\n";
	else if (c->parser.http_major == 1 && c->parser.http_minor == 0)
		connection = "Connection: keep-alive\r\n";
	int n = snprintf(c->out, sizeof(c->out),
			 "HTTP/1.1 %d %s\r\nServer: concur\r\n"
			 "Content-Type: %s\r\nContent-Length: %llu\r\n%s%s\r\n"
			 "%s%s",
			 status, reason,
			 text ? "text/plain" : "application/octet-stream",
			 (unsigned long long)length,
			 status == 405 ? "Allow: GET, HEAD\r\n" : "",
			 connection, text && !head_only ? message : "",
			 text && !head_only ? "\n" : "");
	/* Fits by construction (message <= 112 bytes); truncate if not. */
	if (n < 0 || (size_t)n >= sizeof(c->out))
		n = (int)sizeof(c->out) - 1;
	c->out_len = (uint16_t)n;
	c->body_n = text ? 0 : body_n;
	c->body_send = head_only ? 0 : c->body_n;
	c->sent = 0;
	c->released = 0;
	c->blocked = false;
}

uint64_t http_answer_total(const struct http_conn *c)
{
	return c->out_len + c->body_send;
}

const char *http_answer_error_text(int status)
{
	switch (status) {
	case 413:
		return "request body larger than 65536 bytes";
	case 414:
		return "request target longer than 256 bytes";
	case 431:
		return "request head larger than 8192 bytes";
	default:
		return "bad request: Content-Length with Transfer-Encoding";
	}
}

void http_answer_copy(const struct http_conn *c, uint64_t offset, char *buf,
		      size_t n)
{
	size_t k = 0;
	if (offset < c->out_len) { /* the fixed part first */
		k = c->out_len - (size_t)offset;
		if (k > n)
			k = n;
		memcpy(buf, c->out + offset, k);
	}
	if (k < n) /* then generated body bytes, from their offset */
		route_fill_body(buf + k, n - k, offset + k - c->out_len,
				c->body_n);
}
