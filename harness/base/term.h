// SPDX-License-Identifier: MIT
/*
 * term.h - text from a file or a program, put on a terminal: shown, never
 * obeyed. A result set's names, a model's notes or a program's stderr may
 * hold control bytes: ESC ] 0 ; ... BEL retitles the window, ESC [ 2 J
 * clears it, and a C1 control (U+009B is CSI) does the same on terminals
 * that honour them. Everything concur prints that it did not write itself
 * goes through here first.
 *
 * Shown as \xNN: every byte below 0x20 but the tab (the newline too, so
 * that a value cannot start a line that looks like concur's own), DEL,
 * the C1 controls (UTF-8 of U+0080..U+009F) and each byte that is not
 * valid UTF-8. Shown as \uNNNN: the bidirectional overrides
 * (U+202A..U+202E, U+2066..U+2069), which reorder the text around them.
 * Valid UTF-8 is kept as it is.
 *
 * Errors: none. term_safe cuts the text to fit, never inside an escape.
 */
#ifndef CONCUR_TERM_H
#define CONCUR_TERM_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* text made safe into out (len bytes, len > 0); returns out, for use as
 * a printf argument. */
const char *term_safe(char *out, size_t len, const char *text);

/* The n bytes at text (NULs and all) made safe, then a newline, on f in
 * one write, so that lines of several processes do not mix. */
void term_write_line(FILE *f, const char *text, size_t n);

/* One line: printf's text made safe, then a newline. The format is
 * concur's own; the values in it are what is made safe. */
void term_line(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void term_vline(FILE *f, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif
