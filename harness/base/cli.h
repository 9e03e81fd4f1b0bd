// SPDX-License-Identifier: MIT
/*
 * cli.h - checking command-line values. Every bad value gets one line on
 * stderr naming the flag and the problem, and the caller exits 2.
 *
 * Errors: parsers return 0, or -1 after printing the line.
 */
#ifndef CONCUR_CLI_H
#define CONCUR_CLI_H

#include <stddef.h>

#define EXIT_USAGE 2

/* Prints "concur: " + the message + newline on stderr, the message
 * made safe for a terminal (term.h): a value in it may come from a file. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An integer in [min, max]. */
int cli_long(const char *flag, const char *text, long min, long max, long *out);
/* A decimal number in (min, max] when open_min, else [min, max]. */
int cli_double(const char *flag, const char *text, double min, double max,
	       int open_min, double *out);

/* A list of integers: "1,2,4,8" or a doubling range "1-64x2" (or mixed:
 * "1,3,10-40x2"). Each in [min, max]; at most `cap` values. */
int cli_int_list(const char *flag, const char *text, long min, long max,
		 int *out, size_t cap, size_t *count);

/* Splits "a,b,c" into at most cap pieces pointing into a copy kept in
 * storage (size storage_len). Empty items are an error. */
int cli_split(const char *flag, const char *text, char *storage,
	      size_t storage_len, const char **items, size_t cap,
	      size_t *count);

/* Prints text on stdout wrapped at 76 columns, each line starting with
 * indent (which counts in the width). */
void cli_wrap(const char *indent, const char *text);

/* "concur ARG ARG ...": the command line as one string (malloc'd; NULL
 * when out of memory), for meta.json. */
char *cli_join_args(int argc, char **argv);

/* Is stdout/stderr a terminal that wants colour (not NO_COLOR)? */
int cli_colour(int fd);

#endif
