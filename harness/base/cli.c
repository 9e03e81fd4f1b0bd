// SPDX-License-Identifier: MIT
/* cli.c - checking command-line values; one clear line per problem. */
#include "harness/base/cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/base/term.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("concur: ", stderr);
	va_start(ap, fmt);
	term_vline(stderr, fmt, ap); /* its values may come from a file */
	va_end(ap);
}

int cli_long(const char *flag, const char *text, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (text[0] == '\0' || *end != '\0') {
		cli_error("%s: '%s' is not a whole number", flag, text);
		return -1;
	}
	if (errno == ERANGE || v < min || v > max) {
		cli_error("%s: %s is out of range (%ld to %ld)", flag, text,
			  min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_double(const char *flag, const char *text, double min, double max,
	       int open_min, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (text[0] == '\0' || *end != '\0' || !isfinite(v)) {
		cli_error("%s: '%s' is not a number", flag, text);
		return -1;
	}
	if ((open_min ? v <= min : v < min) || v > max) {
		cli_error("%s: %s is out of range (%s%.10g to %.10g)", flag,
			  text, open_min ? "above " : "", min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* One item of an int list: "8" or "1-64x2". */
static int cli_list_item(const char *flag, char *item, long min, long max,
			 int *out, size_t cap, size_t *count)
{
	/* A leading '-' is a sign ("-1": out of range), not a range. */
	char *dash = strchr(item + (item[0] == '-'), '-');
	long lo, hi, factor = 2;
	if (!dash) {
		if (cli_long(flag, item, min, max, &lo) != 0)
			return -1;
		hi = lo;
	} else {
		*dash = '\0';
		char *x = strchr(dash + 1, 'x');
		if (x) {
			*x = '\0';
			if (cli_long(flag, x + 1, 2, 1000, &factor) != 0)
				return -1;
		}
		if (cli_long(flag, item, min, max, &lo) != 0 ||
		    cli_long(flag, dash + 1, min, max, &hi) != 0)
			return -1;
		if (hi < lo) {
			cli_error("%s: the range %ld-%ld runs backwards", flag,
				  lo, hi);
			return -1;
		}
	}
	for (long v = lo; v <= hi; v *= factor) {
		if (*count >= cap) {
			cli_error("%s: more than %zu values", flag, cap);
			return -1;
		}
		out[(*count)++] = (int)v;
		if (!dash)
			break;
	}
	return 0;
}

int cli_int_list(const char *flag, const char *text, long min, long max,
		 int *out, size_t cap, size_t *count)
{
	char copy[512];
	const char *items[64];
	size_t n;
	if (cli_split(flag, text, copy, sizeof(copy), items, 64, &n) != 0)
		return -1;
	*count = 0;
	for (size_t i = 0; i < n; i++)
		if (cli_list_item(flag, (char *)items[i], min, max, out, cap,
				  count) != 0)
			return -1;
	return 0;
}

int cli_split(const char *flag, const char *text, char *storage,
	      size_t storage_len, const char **items, size_t cap, size_t *count)
{
	if (strlen(text) >= storage_len) {
		cli_error("%s: the list is too long", flag);
		return -1;
	}
	memcpy(storage, text, strlen(text) + 1);
	*count = 0;
	char *p = storage;
	for (;;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (*p == '\0') {
			cli_error("%s: '%s' has an empty item", flag, text);
			return -1;
		}
		if (*count >= cap) {
			cli_error("%s: more than %zu items", flag, cap);
			return -1;
		}
		items[(*count)++] = p;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

int cli_colour(int fd)
{
	const char *no = getenv("NO_COLOR");
	if (no && no[0])
		return 0;
	return isatty(fd);
}

void cli_wrap(const char *indent, const char *text)
{
	int width = 76 - (int)strlen(indent);
	const char *p = text;
	while (*p) {
		int len = (int)strcspn(p, "\n"); /* up to the next newline */
		int cut = len;
		if (len > width) { /* break at the last space that fits */
			cut = width;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = width;
		}
		printf("%s%.*s\n", indent, cut, p);
		p += cut;
		if (*p == '\n')
			p++;
		else
			while (*p == ' ')
				p++;
	}
}

char *cli_join_args(int argc, char **argv)
{
	size_t len = 16;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *s = malloc(len);
	if (!s)
		return NULL;
	size_t used = (size_t)snprintf(s, len, "concur");
	for (int i = 0; i < argc && used < len; i++)
		used += (size_t)snprintf(s + used, len - used, " %s", argv[i]);
	return s;
}
