// SPDX-License-Identifier: MIT
/*
 * plot_stage.c - gnuplot's private folder inside a result set, and the
 * checked copies of the set's files it reads (plot_stage.h). The scripts
 * build data sources and titles from the names they read (a workload, a
 * model), so a name must never be able to end a quoted string: a row is
 * copied only when its workload and model are plain names and every other
 * field is a plain word or number. A case whose results were wrong
 * (summary.csv's verified "no") is copied with its speedup, efficiency
 * and ratio to ideal left empty, so no plot draws them as if measured.
 */
#define _XOPEN_SOURCE 700
#include "harness/report/plot_stage.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PLOT_STAGE_CAP (64L << 20) /* the largest file read: 64 MiB */
#define PLOT_STAGE_MAX_FIELDS 128

int plot_stage_name_ok(const char *s, size_t len)
{
	if (len == 0 || len > 64 ||
	    !strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789",
		    s[0]))
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789_.+-") >= len;
}

/* A field that is neither workload nor model: empty, a word or a number. */
static int plot_stage_word_ok(const char *s, size_t len)
{
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789_.+-") >= len;
}

/* The whole of dir/name when it is a regular file of at most the cap
 * (opened without following a link, without blocking on a FIFO); NULL
 * with errno (ENOENT: there is none). */
static char *plot_stage_read(const char *dir, const char *name, size_t *len)
{
	char path[4400];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *text = NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > PLOT_STAGE_CAP) {
		errno = EINVAL;
	} else if ((text = malloc((size_t)st.st_size + 1))) {
		ssize_t n = read(fd, text, (size_t)st.st_size);
		*len = n > 0 ? (size_t)n : 0;
		text[*len] = '\0';
	}
	close(fd);
	return text;
}

/* Is this line (no newline) a row of n_fields fields as the scripts may
 * read them? n_fields 0: a header (lower-case names). */
static int plot_stage_row_ok(const char *line, size_t len, size_t n_fields,
			     size_t *fields)
{
	size_t k = 0;
	for (size_t at = 0; at <= len; k++) {
		const char *f = line + at;
		size_t flen = strcspn(f, ",\n");
		if (at + flen > len)
			flen = len - at;
		int ok = n_fields == 0
				 ? flen > 0 &&
					   strspn(f, "abcdefghijklmnopqrstu"
						     "vwxyz0123456789_") >= flen
			 : k < 2 ? plot_stage_name_ok(f, flen)
				 : plot_stage_word_ok(f, flen);
		if (!ok || k >= PLOT_STAGE_MAX_FIELDS)
			return 0;
		at += flen + 1;
	}
	*fields = k;
	return n_fields == 0 || k == n_fields;
}

FILE *plot_stage_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out && fd >= 0)
		close(fd);
	return out;
}

/* The columns of summary.csv a wrong case must not show: a speedup over
 * the baseline means nothing when the results were wrong (the class page
 * leaves such sets out of its speedup plots for the same reason). */
static const char *const plot_stage_unverified_blank[] = {
	"speedup", "efficiency", "ratio_to_ideal"};

/* Which header fields to blank in a row whose "verified" field is "no":
 * a bit per field (up to 64), and the verified field's index (-1: none). */
struct plot_stage_cols {
	long verified;
	unsigned long long blank;
};

static void plot_stage_find_cols(const char *line, size_t len,
				 struct plot_stage_cols *c)
{
	c->verified = -1;
	c->blank = 0;
	size_t k = 0;
	for (size_t at = 0; at <= len && k < 64; k++) {
		const char *f = line + at;
		size_t flen = strcspn(f, ",\n");
		if (at + flen > len)
			flen = len - at;
		if (flen == 8 && !strncmp(f, "verified", 8))
			c->verified = (long)k;
		for (size_t i = 0;
		     i < sizeof(plot_stage_unverified_blank) /
				 sizeof(plot_stage_unverified_blank[0]);
		     i++)
			if (strlen(plot_stage_unverified_blank[i]) == flen &&
			    !strncmp(f, plot_stage_unverified_blank[i], flen))
				c->blank |= 1ULL << k;
		at += flen + 1;
	}
}

/* Writes a checked row, with the blanked fields empty when its verified
 * field says "no". */
static void plot_stage_put_row(FILE *out, const char *line, size_t len,
			       const struct plot_stage_cols *c)
{
	int wrong = 0;
	size_t k = 0;
	for (size_t at = 0; c->verified >= 0 && at <= len; k++) {
		size_t flen = strcspn(line + at, ",\n");
		if (at + flen > len)
			flen = len - at;
		if ((long)k == c->verified)
			wrong = flen == 2 && !strncmp(line + at, "no", 2);
		at += flen + 1;
	}
	if (!wrong) {
		fprintf(out, "%.*s\n", (int)len, line);
		return;
	}
	k = 0;
	for (size_t at = 0; at <= len; k++) {
		size_t flen = strcspn(line + at, ",\n");
		if (at + flen > len)
			flen = len - at;
		int blank = k < 64 && (c->blank >> k & 1);
		fprintf(out, "%s%.*s", k ? "," : "", blank ? 0 : (int)flen,
			line + at);
		at += flen + 1;
	}
	fputc('\n', out);
}

/* Copies the checked rows of text into path; counts the others. */
static int plot_stage_filter(const char *text, size_t len, const char *path,
			     size_t *refused)
{
	if (memchr(text, '\0', len)) {
		errno = EINVAL;
		return -1;
	}
	FILE *out = plot_stage_create(path);
	if (!out)
		return -1;
	size_t n_fields = 0, fields;
	struct plot_stage_cols cols = {.verified = -1};
	for (const char *line = text; line < text + len;) {
		size_t llen = strcspn(line, "\n");
		if (llen > 0 &&
		    plot_stage_row_ok(line, llen, n_fields, &fields)) {
			if (n_fields == 0)
				plot_stage_find_cols(line, llen, &cols);
			plot_stage_put_row(out, line, llen, &cols);
			n_fields = n_fields ? n_fields : fields;
		} else if (llen > 0) {
			(*refused)++;
			if (n_fields == 0)
				break; /* no header: no row can be read */
		}
		line += llen + 1;
	}
	return fclose(out) == 0 ? 0 : -1;
}

/* meta.json's core count, as the only fact the scripts read from it. */
static void plot_stage_meta(const char *from, const char *to)
{
	size_t len = 0;
	char *text = plot_stage_read(from, "meta.json", &len);
	json_t *root = text ? json_loadb(text, len, 0, NULL) : NULL;
	json_t *cores =
		json_object_get(json_object_get(root, "machine"), "cores");
	long n = json_is_integer(cores) ? (long)json_integer_value(cores) : 0;
	char path[4400];
	snprintf(path, sizeof(path), "%s/meta.json", to);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd >= 0) {
		dprintf(fd, "{\"machine\": {\"cores\": %ld}}\n",
			n > 0 && n < 100000 ? n : 0);
		close(fd);
	}
	json_decref(root);
	free(text);
}

int plot_stage_copy_set(struct plot_stage *st, const char *from,
			const char *sub)
{
	static const char *const csvs[] = {"summary.csv", "tasks.csv",
					   "lock.csv", "amdahl.csv",
					   "load.csv"};
	char to[4300];
	snprintf(to, sizeof(to), "%s%s%s", st->dir, sub ? "/" : "",
		 sub ? sub : "");
	if (sub && mkdir(to, 0700) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(csvs) / sizeof(csvs[0]); i++) {
		size_t len = 0;
		char *text = plot_stage_read(from, csvs[i], &len);
		char path[4400];
		snprintf(path, sizeof(path), "%s/%s", to, csvs[i]);
		int rc = text ? plot_stage_filter(text, len, path, &st->refused)
			      : -1;
		free(text);
		if (rc != 0 && i == 0)
			return -1;
	}
	plot_stage_meta(from, to);
	return 0;
}

void plot_stage_name(char *name, size_t len, const char *set)
{
	char real[4096];
	const char *base = realpath(set, real) ? real : set;
	const char *slash = strrchr(base, '/');
	base = slash && slash[1] ? slash + 1 : base;
	size_t n = 0;
	for (; base[n] && n + 1 < len; n++)
		name[n] = plot_stage_word_ok(base + n, 1) ? base[n] : '_';
	name[n] = '\0';
}

int plot_stage_open(struct plot_stage *st, const char *set)
{
	/* An absolute path: gnuplot reads a file name that begins with '<'
	 * as a command to run. */
	char real[4096];
	snprintf(st->set, sizeof(st->set), "%s", set);
	snprintf(st->dir, sizeof(st->dir), "%s/.plot-XXXXXX",
		 realpath(set, real) ? real : set);
	if (st->dir[0] != '/') {
		errno = ENOENT;
		return -1;
	}
	st->refused = 0;
	plot_stage_name(st->name, sizeof(st->name), set);
	return mkdtemp(st->dir) ? 0 : -1;
}

/* Is name one of the files gnuplot leaves for the set? */
static int plot_stage_is_output(const char *name)
{
	size_t len = strlen(name);
	return strcmp(name, "gnuplot.log") == 0 ||
	       (len > 4 && (strcmp(name + len - 4, ".png") == 0 ||
			    strcmp(name + len - 4, ".svg") == 0));
}

int plot_stage_deliver(struct plot_stage *st)
{
	DIR *d = opendir(st->dir);
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		char from[4500], to[4500];
		struct stat sb;
		snprintf(from, sizeof(from), "%s/%s", st->dir, e->d_name);
		snprintf(to, sizeof(to), "%s/%s", st->set, e->d_name);
		if (!plot_stage_is_output(e->d_name) || lstat(from, &sb) != 0 ||
		    !S_ISREG(sb.st_mode))
			continue;
		if (rename(from, to) != 0) {
			fprintf(stderr, "concur: cannot write %s: %s\n", to,
				strerror(errno));
			rc = -1;
		}
	}
	closedir(d);
	return rc;
}

static int plot_stage_unlink_cb(const char *path, const struct stat *sb,
				int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	/* Removes what it can and goes on: the rest is said by nothing, and
	 * is only ever our own files in our own folder. */
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

void plot_stage_remove(struct plot_stage *st)
{
	nftw(st->dir, plot_stage_unlink_cb, 16, FTW_DEPTH | FTW_PHYS);
}
