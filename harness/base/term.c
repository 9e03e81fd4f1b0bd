// SPDX-License-Identifier: MIT
/* term.c - text from a file or a program made safe for a terminal: its
 * control bytes shown as \xNN, never sent as they are (term.h). */
#include "harness/base/term.h"

#include <stdlib.h>
#include <string.h>

/* The longest a character is shown: "\xc2\x9b" or "\u202e". */
#define TERM_SHOWN_MAX 16

/* How many bytes at p (n left) make one valid UTF-8 character; 0 when
 * they do not (overlong forms, surrogates and beyond U+10FFFF included,
 * as RFC 3629 says). */
static size_t term_utf8_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2;
	unsigned char lo = 0x80, hi = 0xbf; /* the second byte's range */
	if (p[0] < 0xc2 || p[0] > 0xf4 || n < len)
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

/* A three-byte character that reorders the text: U+202A..U+202E,
 * U+2066..U+2069. */
static int term_is_bidi(const unsigned char *p)
{
	return p[0] == 0xe2 &&
	       ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
		(p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9));
}

/* The character at p (n bytes left, n > 0) as it is shown, into shown;
 * returns how many bytes of p it took. */
static size_t term_char(const unsigned char *p, size_t n,
			char shown[TERM_SHOWN_MAX])
{
	if (p[0] < 0x80) {
		if ((p[0] < 0x20 && p[0] != '\t') || p[0] == 0x7f)
			snprintf(shown, TERM_SHOWN_MAX, "\\x%02x", p[0]);
		else
			snprintf(shown, TERM_SHOWN_MAX, "%c", p[0]);
		return 1;
	}
	size_t len = term_utf8_len(p, n);
	if (len == 0) {
		snprintf(shown, TERM_SHOWN_MAX, "\\x%02x", p[0]);
		return 1;
	}
	if (p[0] == 0xc2 && p[1] < 0xa0) /* a C1 control */
		snprintf(shown, TERM_SHOWN_MAX, "\\x%02x\\x%02x", p[0], p[1]);
	else if (len == 3 && term_is_bidi(p))
		snprintf(shown, TERM_SHOWN_MAX, "\\u%04x",
			 ((p[0] & 0x0f) << 12) | ((p[1] & 0x3f) << 6) |
				 (p[2] & 0x3f));
	else
		snprintf(shown, TERM_SHOWN_MAX, "%.*s", (int)len,
			 (const char *)p);
	return len;
}

/* The n bytes at text made safe into out (len > 0 bytes, NUL-terminated);
 * returns the length written. */
static size_t term_escape(char *out, size_t len, const char *text, size_t n)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t left = n, used = 0;
	char shown[TERM_SHOWN_MAX];
	while (left > 0) {
		size_t took = term_char(p, left, shown);
		size_t n = strlen(shown);
		if (used + n + 1 > len)
			break;
		memcpy(out + used, shown, n);
		used += n;
		p += took;
		left -= took;
	}
	out[used] = '\0';
	return used;
}

const char *term_safe(char *out, size_t len, const char *text)
{
	term_escape(out, len, text, strlen(text));
	return out;
}

void term_write_line(FILE *f, const char *text, size_t n)
{
	/* A byte is shown in at most 4 ("\x1b"), so 4n + 2 always fits. */
	char small[4096], *out = small;
	if (4 * n + 2 > sizeof(small))
		out = malloc(4 * n + 2);
	if (!out) { /* out of memory: what fits, cut */
		out = small;
		n = (sizeof(small) - 2) / 4;
	}
	size_t used = term_escape(out, 4 * n + 1, text, n);
	out[used++] = '\n';
	fwrite(out, 1, used, f);
	if (out != small)
		free(out);
}

void term_vline(FILE *f, const char *fmt, va_list ap)
{
	char small[1024], *text = small;
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= (int)sizeof(small)) {
		text = malloc((size_t)n + 1);
		if (text)
			vsnprintf(text, (size_t)n + 1, fmt, again);
		else
			text = small; /* the start of it, cut */
	}
	va_end(again);
	term_write_line(f, text, n > 0 ? strlen(text) : 0);
	if (text != small)
		free(text);
}

void term_line(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	term_vline(f, fmt, ap);
	va_end(ap);
}
