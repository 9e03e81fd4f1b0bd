// SPDX-License-Identifier: MIT
/*
 * html.h - what the report and the class page share: one self-contained
 * HTML page (styles inline, pictures as data: images, no script, no font
 * or anything else fetched), escaping, and the definitions of the
 * numbers. A page written here opens offline, in ten years, on a phone,
 * on a projector and on paper.
 *
 * Everything on a page that comes from a result set is a hand-in, so
 * hostile: text goes through html_text (attribute values too, always
 * quoted), nothing from a set is put in a URL, a style or a script, and
 * the set's SVG pictures are shown as images, which run no script. The
 * page's Content-Security-Policy allows no script at all, so a missed
 * escape still runs nothing.
 *
 * Errors: html_svg returns 0 or -1 (the picture is missing or refused:
 * the page says so in its place); the rest cannot fail (write errors show
 * when the file is committed).
 */
#ifndef CONCUR_HTML_H
#define CONCUR_HTML_H

#include <stddef.h>
#include <stdio.h>

/* <!doctype html> ... <body>, with the page's one style sheet. */
void html_begin(FILE *f, const char *title);
/* The footer and </body></html>. */
void html_end(FILE *f);

/* text with & < > " ' escaped, for an element's text or a quoted
 * attribute value; NULL is written as nothing. */
void html_text(FILE *f, const char *text);
/* printf, then escaped. */
void html_printf(FILE *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A column heading that defines itself: the term, its definition on
 * hover, and a link to the definitions at the end of the page. */
void html_term(FILE *f, const char *label, const char *term);

/* The definitions list (id="definitions"), one entry per term. */
void html_definitions(FILE *f);
/* The same for the n terms a page uses (in the list's order). */
void html_definitions_of(FILE *f, const char *const *terms, size_t n);

/* The SVG picture at path as an <img> with a data: URL (alt its text):
 * a regular file of at most SET_FILE_MAX_MB, read by set_file_read. */
int html_svg(FILE *f, const char *path, const char *alt);

#endif
