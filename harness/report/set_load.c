// SPDX-License-Identifier: MIT
/* set_load.c - a result set read back: summary.csv's cases by column name,
 * runs.csv's wall times attached to them, meta.json through jansson. */
#include "harness/report/set_load.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SET_MAX_COLS 64

/* Splits line (changed in place) at commas; returns the field count. */
static size_t set_split(char *line, char **fields)
{
	size_t n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; n < SET_MAX_COLS;) {
		fields[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	return n;
}

/* The header's column names, and where a wanted one is (-1: absent). */
struct set_header {
	char text[4096];
	char *names[SET_MAX_COLS];
	size_t n;
};

static int set_col(const struct set_header *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->names[i], name) == 0)
			return (int)i;
	return -1;
}

static double set_num(char **f, size_t n, int col)
{
	if (col < 0 || (size_t)col >= n || !f[col][0])
		return NAN;
	char *end;
	double v = strtod(f[col], &end);
	return *end ? NAN : v;
}

static const char *set_str(char **f, size_t n, int col)
{
	return col >= 0 && (size_t)col < n ? f[col] : "";
}

/* Opens dir/name and reads its header; the first columns must be
 * workload,model,workers. */
static FILE *set_open(const char *dir, const char *name, struct set_header *h,
		      char *why, size_t len)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(why, len, "no readable %s", name);
		return NULL;
	}
	if (!fgets(h->text, sizeof(h->text), f) ||
	    strncmp(h->text, "workload,model,workers,", 23) != 0) {
		snprintf(why, len, "%s does not start with concur's header",
			 name);
		fclose(f);
		return NULL;
	}
	h->n = set_split(h->text, h->names);
	return f;
}

static void set_fill_case(struct set_case *c, const struct set_header *h,
			  char **f, size_t n)
{
	snprintf(c->workload, sizeof(c->workload), "%s", f[0]);
	snprintf(c->model, sizeof(c->model), "%s", f[1]);
	c->workers = atoi(f[2]);
	c->tasks = (long)set_num(f, n, set_col(h, "tasks"));
	c->work = (long)set_num(f, n, set_col(h, "work"));
	c->runs = (long)set_num(f, n, set_col(h, "runs"));
	c->errors = (long)set_num(f, n, set_col(h, "errors"));
	c->timing_diffs = (long)set_num(f, n, set_col(h, "timing_diffs"));
	c->median = set_num(f, n, set_col(h, "wall_median_s"));
	c->min = set_num(f, n, set_col(h, "wall_min_s"));
	c->max = set_num(f, n, set_col(h, "wall_max_s"));
	c->speedup = set_num(f, n, set_col(h, "speedup"));
	c->efficiency = set_num(f, n, set_col(h, "efficiency"));
	c->ideal = set_num(f, n, set_col(h, "ideal_s"));
	c->ratio_to_ideal = set_num(f, n, set_col(h, "ratio_to_ideal"));
	c->peak_rss_kib = set_num(f, n, set_col(h, "peak_rss_kib"));
	c->noisy = strcmp(set_str(f, n, set_col(h, "noisy")), "yes") == 0;
	c->first_outlier =
		strcmp(set_str(f, n, set_col(h, "first_outlier")), "yes") == 0;
	c->verified = strcmp(set_str(f, n, set_col(h, "verified")), "yes") == 0;
	snprintf(c->baseline, sizeof(c->baseline), "%s",
		 set_str(f, n, set_col(h, "baseline")));
}

static int set_read_summary(struct set *s, char *why, size_t len)
{
	struct set_header h;
	FILE *f = set_open(s->dir, "summary.csv", &h, why, len);
	if (!f)
		return -1;
	char line[4096], *fields[SET_MAX_COLS];
	while (fgets(line, sizeof(line), f)) {
		size_t n = set_split(line, fields);
		if (n < 9 ||
		    isnan(set_num(fields, n, set_col(&h, "wall_median_s"))))
			continue;
		struct set_case *grown =
			realloc(s->cases, (s->n + 1) * sizeof(*s->cases));
		if (!grown)
			break;
		s->cases = grown;
		memset(&s->cases[s->n], 0, sizeof(s->cases[0]));
		set_fill_case(&s->cases[s->n++], &h, fields, n);
	}
	fclose(f);
	if (s->n == 0)
		snprintf(why, len, "summary.csv has no case");
	return s->n ? 0 : -1;
}

static int set_add_wall(struct set_case *c, double wall)
{
	double *grown = realloc(c->walls, (c->n_walls + 1) * sizeof(double));
	if (!grown)
		return -1;
	c->walls = grown;
	c->walls[c->n_walls++] = wall;
	return 0;
}

static int set_read_runs(struct set *s, char *why, size_t len)
{
	struct set_header h;
	FILE *f = set_open(s->dir, "runs.csv", &h, why, len);
	if (!f)
		return -1;
	int wall_col = set_col(&h, "wall_s");
	char line[4096], *fields[SET_MAX_COLS];
	while (wall_col >= 0 && fgets(line, sizeof(line), f)) {
		size_t n = set_split(line, fields);
		double wall = set_num(fields, n, wall_col);
		if (n < 3 || isnan(wall))
			continue;
		struct set_case *c = (struct set_case *)set_find(
			s, fields[0], fields[1], atoi(fields[2]));
		if (c && set_add_wall(c, wall) != 0)
			break;
	}
	fclose(f);
	if (wall_col < 0)
		snprintf(why, len, "runs.csv has no wall_s column");
	return wall_col < 0 ? -1 : 0;
}

int set_load(const char *dir, struct set *s, char *why, size_t len)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	size_t l = strlen(s->dir);
	while (l > 1 && s->dir[l - 1] == '/')
		s->dir[--l] = '\0';
	const char *slash = strrchr(s->dir, '/');
	s->name = slash ? slash + 1 : s->dir;
	char path[4200];
	snprintf(path, sizeof(path), "%s/meta.json", s->dir);
	json_error_t err;
	s->meta = json_load_file(path, 0, &err);
	if (!s->meta || !json_is_object(s->meta)) {
		snprintf(why, len, "meta.json: %s",
			 s->meta ? "not a JSON object" : err.text);
		set_free(s);
		return -1;
	}
	if (set_read_summary(s, why, len) != 0 ||
	    set_read_runs(s, why, len) != 0) {
		set_free(s);
		return -1;
	}
	return 0;
}

void set_free(struct set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->cases[i].walls);
	free(s->cases);
	json_decref(s->meta);
	s->cases = NULL;
	s->meta = NULL;
	s->n = 0;
}

const struct set_case *set_find(const struct set *s, const char *workload,
				const char *model, int workers)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->cases[i].workers == workers &&
		    strcmp(s->cases[i].workload, workload) == 0 &&
		    strcmp(s->cases[i].model, model) == 0)
			return &s->cases[i];
	return NULL;
}

const char *set_meta(const struct set *s, const char *section, const char *key,
		     char *buf, size_t len)
{
	json_t *v = section ? json_object_get(s->meta, section) : s->meta;
	v = json_object_get(v, key);
	buf[0] = '\0';
	if (json_is_string(v)) {
		snprintf(buf, len, "%s", json_string_value(v));
	} else if (json_is_array(v)) {
		size_t i, used = 0;
		json_t *item;
		json_array_foreach(v, i, item)
		{
			char *t = json_dumps(item, JSON_ENCODE_ANY);
			const char *text = json_is_string(item)
						   ? json_string_value(item)
						   : t;
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 i ? ", " : "",
						 text ? text : "");
			free(t);
			if (used >= len)
				break;
		}
	} else if (v && !json_is_null(v)) {
		char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		snprintf(buf, len, "%s", t ? t : "");
		free(t);
	}
	return buf;
}
