// SPDX-License-Identifier: MIT
/* workload.c - building batches from options or a URL file. */
#include "harness/run/workload.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli/cli.h"

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

/* The longest line of a URL file, newline excluded: a URL must fit the
 * 4096-byte buffer workload_build writes it into. */
#define URL_LINE_MAX 4095

/* Reads one line, newline excluded, into buf (URL_LINE_MAX + 1 bytes).
 * Returns its length, -1 at end of file, or -2 when it is longer than
 * URL_LINE_MAX (reading stops there: /dev/zero has no end of line). */
static long url_read_line(FILE *f, char *buf)
{
	size_t n = 0;
	int c;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (n == URL_LINE_MAX)
			return -2;
		buf[n++] = (char)c;
	}
	if (c == EOF && n == 0)
		return -1;
	buf[n] = '\0';
	return (long)n;
}

/* s as it may be shown in one line of an error: at most 60 bytes, and
 * control or non-ASCII bytes as \xNN, so a binary file cannot write to
 * the terminal through us. */
static void url_quote(const char *s, char *out, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; s[i] && i < 60 && o + 5 < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(out + o, len - o, "\\x%02x", c);
		else
			out[o++] = (char)c;
	}
	out[o] = '\0';
	if (s[0] && strlen(s) > 60 && o + 4 < len)
		strcat(out, "...");
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
	char buf[URL_LINE_MAX + 1], shown[256];
	int lineno = 0, rc = 0;
	long len;
	while (rc == 0 && (len = url_read_line(f, buf)) != -1) {
		lineno++;
		if (len == -2) {
			cli_error("--url-file: %s:%d: the line is longer than "
				  "%d bytes",
				  path, lineno, URL_LINE_MAX);
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

/* The URL of task i. */
static int workload_url(const struct workload_spec *s, size_t i, char *buf,
			size_t len)
{
	if (!s->base_url) {
		snprintf(buf, len, "%s", s->urls->urls[i % s->urls->n]);
		return 0;
	}
	int n = snprintf(buf, len, "%s/delay/%ld?bytes=%ld", s->base_url,
			 s->delay_ms, s->bytes);
	return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

struct batch *workload_build(const struct workload_spec *spec)
{
	struct batch *b = batch_new(spec->tasks);
	if (!b)
		return NULL;
	char url[4096];
	for (size_t i = 0; i < spec->tasks; i++) {
		struct task *t = &b->tasks[i];
		t->type = spec->type;
		t->seed = i;
		t->work = (uint32_t)spec->work;
		if (spec->type == TASK_COMPUTE)
			continue;
		if (workload_url(spec, i, url, sizeof(url)) != 0 ||
		    batch_set_url(b, i, url) != 0) {
			batch_free(b);
			return NULL;
		}
	}
	return b;
}
