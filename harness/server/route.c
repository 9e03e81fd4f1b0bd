// SPDX-License-Identifier: MIT
/*
 * route.c - the endpoints of `concur serve`: a request target in, a
 * plan out (status, body size, delay, fault).
 *
 * The lesson: keep the decision (what to answer) apart from the doing
 * (sockets, timers), and the decision becomes a pure function anyone can
 * test or fuzz. The URL is split by http-parser's http_parser_parse_url,
 * not by hand.
 *
 * Watch for: every number here comes from the network. Each one is parsed
 * digit by digit against its limit, so "bytes=99999999999999999999" is a
 * 400, never an overflow or a 64 GiB allocation.
 */
#include "harness/server/route.h"

#include <http_parser.h>
#include <stdio.h>
#include <string.h>

/* The numbers a target may carry, in its path or its query string. */
enum route_param {
	P_DELAY,
	P_BYTES,
	P_STATUS,
	P_MS,
	P_COUNT,
	P_NONE
};

static const struct param_spec {
	const char *name;
	uint32_t min, max;
	const char *unit;
} params[P_COUNT] = {
	[P_DELAY] = {"delay", 0, ROUTE_DELAY_MAX_MS, " (ms)"},
	[P_BYTES] = {"bytes", 0, ROUTE_BYTES_MAX, ""},
	[P_STATUS] = {"status", 200, 599, ""},
	[P_MS] = {"ms", 0, ROUTE_DELAY_MAX_MS, " (ms)"},
};

/* A path is either exact ("/hang") or a prefix followed by one number
 * ("/delay/" + MS), which sets the parameter `number`. */
static const struct endpoint {
	const char *path;
	enum route_param number; /* P_NONE: an exact path */
	enum route_fault fault;
} endpoints[] = {
	{"/delay/", P_DELAY, FAULT_NONE},
	{"/bytes/", P_BYTES, FAULT_NONE},
	{"/status/", P_STATUS, FAULT_NONE},
	{"/truncate/", P_BYTES, FAULT_TRUNCATE},
	{"/drip/", P_BYTES, FAULT_DRIP},
	{"/reset", P_NONE, FAULT_RESET},
	{"/hang", P_NONE, FAULT_HANG},
	{"/stall/", P_DELAY, FAULT_STALL},
};

/* Turns the plan into an error answer with a one-line text body. */
static void route_error(struct route_plan *p, int status, const char *msg)
{
	p->status = status;
	p->body_n = 0;
	p->delay_ms = 0;
	p->fault = FAULT_NONE;
	snprintf(p->message, sizeof(p->message), "%s", msg);
}

/* Decimal digits only, at most 9 of them (so no overflow), 1 at least. */
static int route_number(const char *s, size_t len, uint32_t *out)
{
	if (len == 0 || len > 9)
		return -1;
	uint32_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Parses one value and stores it in the plan; 0, or -1 after turning the
 * plan into a 400 that names the parameter and its range. */
static int route_set(struct route_plan *p, enum route_param which,
		     const char *s, size_t len)
{
	const struct param_spec *spec = &params[which];
	uint32_t v;
	if (route_number(s, len, &v) != 0 || v < spec->min || v > spec->max) {
		char msg[ROUTE_MESSAGE_MAX];
		snprintf(msg, sizeof(msg), "%s must be an integer %u..%u%s",
			 spec->name, spec->min, spec->max, spec->unit);
		route_error(p, 400, msg);
		return -1;
	}
	switch (which) {
	case P_DELAY:
		p->delay_ms = v;
		break;
	case P_BYTES:
		p->body_n = v;
		break;
	case P_STATUS:
		p->status = (int)v;
		break;
	case P_MS:
		p->drip_ms = v;
		break;
	default:
		break;
	}
	return 0;
}

/* "delay=10&bytes=5": each pair sets a parameter; empty pairs and
 * parameters we do not know ("?run=3", a cache-buster) are skipped, as
 * httpbin-like servers do; a bad value of a known one is a 400 that names
 * it. Returns 0, or -1 when the plan became a 400. */
static int route_query(struct route_plan *p, const char *q, size_t len)
{
	size_t i = 0;
	while (i < len) {
		const char *pair = q + i;
		const char *amp = memchr(pair, '&', len - i);
		size_t plen = amp ? (size_t)(amp - pair) : len - i;
		i += plen + 1;
		if (plen == 0)
			continue;
		const char *eq = memchr(pair, '=', plen);
		size_t klen = eq ? (size_t)(eq - pair) : plen;
		enum route_param which = P_NONE;
		for (int k = 0; k < P_COUNT; k++)
			if (strlen(params[k].name) == klen &&
			    memcmp(params[k].name, pair, klen) == 0)
				which = (enum route_param)k;
		if (which == P_NONE)
			continue;
		size_t vlen = eq ? plen - klen - 1 : 0;
		if (route_set(p, which, eq ? eq + 1 : pair, vlen) != 0)
			return -1;
	}
	return 0;
}

/* Finds the endpoint for a path and applies its number; -1 when the plan
 * became a 400 or a 404. */
static int route_path(struct route_plan *p, const char *path, size_t len)
{
	for (size_t e = 0; e < sizeof(endpoints) / sizeof(endpoints[0]); e++) {
		const struct endpoint *ep = &endpoints[e];
		size_t plen = strlen(ep->path);
		if (ep->number == P_NONE) {
			if (len != plen || memcmp(path, ep->path, plen) != 0)
				continue;
		} else if (len < plen || memcmp(path, ep->path, plen) != 0) {
			continue;
		} else if (route_set(p, ep->number, path + plen, len - plen)) {
			return -1;
		}
		p->fault = ep->fault;
		return 0;
	}
	route_error(p, 404,
		    "not found; `concur serve --help` lists the "
		    "endpoints");
	return -1;
}

void route_plan(const char *target, size_t len, struct route_plan *p)
{
	memset(p, 0, sizeof(*p));
	p->status = 200;
	p->drip_ms = ROUTE_DRIP_MS_DEFAULT;

	struct http_parser_url u;
	http_parser_url_init(&u);
	if (http_parser_parse_url(target, len, 0, &u) != 0 ||
	    !(u.field_set & (1 << UF_PATH))) {
		route_error(p, 400, "bad request target");
		return;
	}
	const char *path = target + u.field_data[UF_PATH].off;
	if (route_path(p, path, u.field_data[UF_PATH].len) != 0)
		return;
	if ((u.field_set & (1 << UF_QUERY)) &&
	    route_query(p, target + u.field_data[UF_QUERY].off,
			u.field_data[UF_QUERY].len) != 0)
		return;
	if (p->fault == FAULT_DRIP &&
	    p->body_n * p->drip_ms + p->delay_ms > ROUTE_DELAY_MAX_MS) {
		char msg[ROUTE_MESSAGE_MAX];
		snprintf(msg, sizeof(msg),
			 "drip: N x ms must be at most %u ms in all, as "
			 "/delay's",
			 ROUTE_DELAY_MAX_MS);
		route_error(p, 400, msg);
		return;
	}
	if (p->fault == FAULT_TRUNCATE && p->body_n == 0) {
		route_error(p, 400,
			    "truncate needs N >= 1 (N/2 bytes are sent)");
		return;
	}
	/* HTTP forbids a body on these two. */
	if (p->status == 204 || p->status == 304)
		p->body_n = 0;
}

/*
 * The body of /bytes/N (and of every endpoint's ?bytes=N): byte i of a
 * body of size n is the letter
 *
 *     'a' + (i * 7 + n) % 26
 *
 * so it depends on n (two sizes give different checksums, not just
 * different lengths) and repeats every 26 bytes. In Python:
 *     bytes(97 + (i * 7 + n) % 26 for i in range(n))
 * Computed from the offset, so a body is generated piece by piece as the
 * socket takes it, never held whole in memory.
 */
void route_fill_body(char *buf, size_t len, size_t offset, size_t n)
{
	unsigned phase = (unsigned)(((offset % 26) * 7 + n % 26) % 26);
	for (size_t k = 0; k < len; k++) {
		buf[k] = (char)('a' + phase);
		phase += 7;
		if (phase >= 26)
			phase -= 26;
	}
}
