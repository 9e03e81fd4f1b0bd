// SPDX-License-Identifier: MIT
/* workload.c - building batches from options or a URL file. */
#include "harness/run/workload.h"

#include <curl/curl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/shared.h"
#include "harness/base/cli.h"

/* Is this an http(s) URL libcurl can parse? */
static int url_is_valid(const char *url)
{
	CURLU *u = curl_url();
	if (!u)
		return 0;
	char *scheme = NULL;
	int ok = curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
		 curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
		 (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0);
	curl_free(scheme);
	curl_url_cleanup(u);
	return ok;
}

/* The longest line of a URL file, newline excluded. libcurl takes URLs
 * of up to 8 MB; browsers and servers stop far below (a request head
 * over a few kilobytes is refused by most): 1 MiB fits every real URL
 * with room to spare, and ends /dev/zero quickly. */
#define URL_LINE_MAX (1L << 20)

/* Reads one line, newline excluded, into *buf (grown as needed, *cap
 * bytes). Returns its length, -1 at end of file, -2 when it is longer
 * than URL_LINE_MAX (reading stops there: /dev/zero has no end of line),
 * or -3 when out of memory. */
static long url_read_line(FILE *f, char **buf, size_t *cap)
{
	size_t n = 0;
	int c;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (n == (size_t)URL_LINE_MAX)
			return -2;
		if (n + 1 >= *cap) {
			size_t grown_cap = *cap ? *cap * 2 : 256;
			char *grown = realloc(*buf, grown_cap);
			if (!grown)
				return -3;
			*buf = grown;
			*cap = grown_cap;
		}
		(*buf)[n++] = (char)c;
	}
	if (c == EOF && n == 0)
		return -1;
	if (!*buf && !(*buf = malloc(*cap = 1)))
		return -3;
	(*buf)[n] = '\0';
	return (long)n;
}

/* s as it may be shown in one line of an error: at most 60 bytes, and
 * control or non-ASCII bytes as \xNN, so a binary file cannot write to
 * the terminal through us. */
static void url_quote(const char *s, char *out, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < 60 && s[i] && o + 5 < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(out + o, len - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	if (s[0] && strlen(s) > 60 && o + 4 < len)
		snprintf(out + o, len - o, "...");
}

/* Strips a comment and surrounding blanks in place. */
static char *url_line_trim(char *line)
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	while (*line == ' ' || *line == '\t')
		line++;
	size_t len = strlen(line);
	while (len && strchr(" \t\r\n", line[len - 1]))
		line[--len] = '\0';
	return line;
}

static int url_list_push(struct url_list *out, const char *url)
{
	char **grown = realloc(out->urls, (out->n + 1) * sizeof(char *));
	if (!grown)
		return -1;
	out->urls = grown;
	out->urls[out->n] = strdup(url);
	if (!out->urls[out->n])
		return -1;
	out->n++;
	return 0;
}

int url_file_read(const char *path, struct url_list *out)
{
	memset(out, 0, sizeof(*out));
	FILE *f = fopen(path, "r");
	if (!f) {
		cli_error("--url-file: cannot read '%s'", path);
		return -1;
	}
	char *buf = NULL, shown[256];
	size_t cap = 0;
	int lineno = 0, rc = 0;
	long len;
	while (rc == 0 && (len = url_read_line(f, &buf, &cap)) != -1) {
		lineno++;
		if (len == -2 || len == -3) {
			cli_error(len == -2 ? "--url-file: %s:%d: the line is "
					      "longer than 1 MiB (a URL list "
					      "holds one URL a line)"
					    : "--url-file: %s:%d: out of "
					      "memory",
				  path, lineno);
			rc = -1;
			break;
		}
		if (memchr(buf, '\0', (size_t)len)) {
			cli_error("--url-file: %s:%d: a NUL byte (is it a "
				  "text file?)",
				  path, lineno);
			rc = -1;
			break;
		}
		char *url = url_line_trim(buf);
		if (!*url)
			continue;
		if (!url_is_valid(url)) {
			url_quote(url, shown, sizeof(shown));
			cli_error("--url-file: %s:%d: '%s' is not an http(s) "
				  "URL",
				  path, lineno, shown);
			rc = -1;
		} else if (url_list_push(out, url) != 0) {
			cli_error("--url-file: out of memory");
			rc = -1;
		}
	}
	fclose(f);
	free(buf);
	if (rc == 0 && out->n == 0) {
		cli_error("--url-file: '%s' has no URLs", path);
		rc = -1;
	}
	if (rc != 0)
		url_list_free(out);
	return rc;
}

void url_list_free(struct url_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->urls[i]);
	free(list->urls);
	memset(list, 0, sizeof(*list));
}

/* The embedded server's URL of a task with this delay. */
static int workload_url(const struct workload_spec *s, long delay_ms, char *buf,
			size_t len)
{
	int n = snprintf(buf, len, "%s/delay/%ld?bytes=%ld", s->base_url,
			 delay_ms, s->bytes);
	return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

/* splitmix64: a small seeded generator, the same on every machine. */
static uint64_t skew_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

void workload_skew(size_t n, long seed, long total, long *cost)
{
	double *w = malloc((n ? n : 1) * sizeof(double)), sum = 0;
	uint64_t state = (uint64_t)seed;
	for (size_t i = 0; i < n; i++) {
		/* Inverse transform: u uniform in [0, 1) gives Pareto. */
		double u =
			(double)(skew_next(&state) >> 11) / 9007199254740992.0;
		double x = pow(1.0 - u, -1.0 / 1.5);
		if (w)
			w[i] = x;
		sum += x;
		cost[i] = 0;
	}
	if (!w || n == 0) { /* out of memory: the even split */
		for (size_t i = 0; i < n; i++)
			cost[i] = total / (long)n + ((long)i < total % (long)n);
		free(w);
		return;
	}
	/* Floors first, then one more to the largest remainders until the
	 * shares add up to the total exactly. */
	long given = 0;
	for (size_t i = 0; i < n; i++) {
		double share = w[i] / sum * (double)total;
		cost[i] = (long)floor(share);
		w[i] = share - (double)cost[i];
		given += cost[i];
	}
	for (; given < total; given++) {
		size_t best = 0;
		for (size_t i = 1; i < n; i++)
			if (w[i] > w[best])
				best = i;
		cost[best]++;
		w[best] = -1;
	}
	free(w);
}

/* Each task's work and delay: the spec's, or with --skew its share. */
static int workload_costs(const struct workload_spec *spec, long *work,
			  long *delay)
{
	for (size_t i = 0; i < spec->tasks; i++) {
		work[i] = spec->work;
		delay[i] = spec->delay_ms;
	}
	if (!spec->skew)
		return 0;
	long n = (long)spec->tasks;
	workload_skew(spec->tasks, spec->skew_seed, n * spec->work, work);
	workload_skew(spec->tasks, spec->skew_seed, n * spec->delay_ms, delay);
	return 0;
}

struct batch *workload_build(const struct workload_spec *spec)
{
	struct batch *b = batch_new(spec->tasks);
	size_t n = spec->tasks ? spec->tasks : 1;
	long *work = calloc(n, sizeof(long)), *delay = calloc(n, sizeof(long));
	if (!b || !work || !delay)
		goto fail;
	workload_costs(spec, work, delay);
	char url[4096];
	for (size_t i = 0; i < spec->tasks; i++) {
		struct task *t = &b->tasks[i];
		t->type = spec->type;
		t->seed = i;
		t->work = (uint32_t)work[i];
		if (spec->type == TASK_SHARED) /* increments, not units */
			t->work = (uint32_t)(work[i] *
					     SHARED_INCREMENTS_PER_UNIT);
		if (!task_fetches(t))
			continue;
		if (!spec->base_url) { /* --url-file: lines of any length */
			if (batch_set_url(
				    b, i,
				    spec->urls->urls[i % spec->urls->n]) != 0)
				goto fail;
		} else if (workload_url(spec, delay[i], url, sizeof(url)) !=
				   0 ||
			   batch_set_url(b, i, url) != 0)
			goto fail;
	}
	free(work);
	free(delay);
	return b;
fail:
	free(work);
	free(delay);
	batch_free(b);
	return NULL;
}

struct batch *workload_head(const struct batch *b, size_t k)
{
	struct batch *head = batch_new(k);
	if (!head)
		return NULL;
	for (size_t i = 0; i < k; i++) {
		head->tasks[i] = b->tasks[i];
		head->tasks[i].url = NULL;
		head->results[i] = b->results[i];
		if (b->tasks[i].url &&
		    batch_set_url(head, i, b->tasks[i].url) != 0) {
			batch_free(head);
			return NULL;
		}
	}
	return head;
}
