// SPDX-License-Identifier: MIT
/*
 * html.h - what the report and the class page share: one self-contained
 * HTML page (styles inline, pictures as inline SVG, no script, no font or
 * anything else fetched), escaping, and the definitions of the numbers.
 * A page written here opens offline, in ten years, on a phone, on a
 * projector and on paper.
 *
 * Errors: html_svg returns 0 or -1 (the picture is missing: the page
 * says so in its place); the rest cannot fail (write errors show when
 * the file is committed).
 */
#ifndef CONCUR_HTML_H
#define CONCUR_HTML_H

#include <stdio.h>

/* <!doctype html> ... <body>, with the page's one style sheet. */
void html_begin(FILE *f, const char *title);
/* The footer and </body></html>. */
void html_end(FILE *f);

/* text with & < > " ' escaped. */
void html_text(FILE *f, const char *text);
/* printf, then escaped. */
void html_printf(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A column heading that defines itself: the term, its definition on
 * hover, and a link to the definitions at the end of the page. */
void html_term(FILE *f, const char *label, const char *term);

/* The definitions list (id="definitions"), one entry per term. */
void html_definitions(FILE *f);

/* Copies the SVG at path into the page: without its XML prolog and its
 * namespace declarations (HTML needs neither), every id prefixed with
 * `prefix` so that several pictures' ids do not clash. */
int html_svg(FILE *f, const char *path, const char *prefix);

#endif
