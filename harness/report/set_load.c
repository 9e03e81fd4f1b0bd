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
	char *names[SET_MAX_COLS]; /* into the file's bytes */
	size_t n;
};

static int set_col(const struct set_header *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->names[i], name) == 0)
			return (int)i;
	return -1;
}

/* A finite number, or NAN (strtod also takes "inf" and "nan"). */
static double set_num(char **f, size_t n, int col)
{
	if (col < 0 || (size_t)col >= n || !f[col][0])
		return NAN;
	char *end;
	double v = strtod(f[col], &end);
	return *end || !isfinite(v) ? NAN : v;
}

/* A count: a number in long's range (a cast of one beyond it is
 * undefined), else 0. */
static long set_long(char **f, size_t n, int col)
{
	double v = set_num(f, n, col);
	return v > -9e18 && v < 9e18 ? (long)v : 0;
}

static const char *set_str(char **f, size_t n, int col)
{
	return col >= 0 && (size_t)col < n ? f[col] : "";
}

/* The next line of the text at *at (changed in place), or NULL. */
static char *set_next_line(char **at)
{
	char *line = *at;
	if (!line || !*line)
		return NULL;
	char *nl = strchr(line, '\n');
	*at = nl ? nl + 1 : NULL;
	if (nl)
		*nl = '\0';
	return line;
}

/* One CSV of the set, read whole within the caps; the header read into h
 * (the first columns must be workload,model,workers). The text is
 * returned (free it) and *rest is where the rows start. */
static char *set_open(const char *dir, const char *name, size_t max_bytes,
		      size_t max_rows, struct set_header *h, char **rest,
		      char *why, size_t len)
{
	char path[4200], fwhy[128];
	size_t n, rows = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *text = set_file_read(path, max_bytes, &n, fwhy, sizeof(fwhy));
	if (!text) {
		snprintf(why, len, "%s %s", name, fwhy);
		return NULL;
	}
	for (const char *p = text; (p = strchr(p, '\n')); p++)
		rows += p[1] != '\0';
	*rest = text;
	char *head = set_next_line(rest);
	if (!head || strncmp(head, "workload,model,workers,", 23) != 0) {
		snprintf(why, len, "%s does not start with concur's header",
			 name);
	} else if (rows > max_rows) {
		snprintf(why, len, "%s has more than %zu rows (the cap)", name,
			 max_rows);
	} else {
		h->n = set_split(head, h->names);
		return text;
	}
	free(text);
	return NULL;
}

/* workers: an int, whatever the text (atoi beyond int is undefined). */
static int set_workers(const char *text)
{
	long v = strtol(text, NULL, 10);
	return v < 0 ? 0 : v > 1000000 ? 1000000 : (int)v;
}

/* The columns of an open run (issue 30), empty in older sets. The
 * arrival is one of two words: anything else in the file is left out. */
static void set_fill_tails(struct set_case *c, const struct set_header *h,
			   char **f, size_t n)
{
	static const char *const names[] = {"p50", "p90", "p99", "p999", "max"};
	const char *arrival = set_str(f, n, set_col(h, "arrival"));
	snprintf(c->arrival, sizeof(c->arrival), "%s",
		 strcmp(arrival, "open") == 0	  ? "open"
		 : strcmp(arrival, "closed") == 0 ? "closed"
						  : "");
	c->offered_rate = set_num(f, n, set_col(h, "offered_rate"));
	char col[32];
	for (int k = 0; k < 5; k++) {
		snprintf(col, sizeof(col), "naive_%s_ms", names[k]);
		c->naive[k] = set_num(f, n, set_col(h, col));
		snprintf(col, sizeof(col), "corrected_%s_ms", names[k]);
		c->corrected[k] = set_num(f, n, set_col(h, col));
	}
}

static void set_fill_case(struct set_case *c, const struct set_header *h,
			  char **f, size_t n)
{
	snprintf(c->workload, sizeof(c->workload), "%s", f[0]);
	snprintf(c->model, sizeof(c->model), "%s", f[1]);
	c->workers = set_workers(f[2]);
	c->tasks = set_long(f, n, set_col(h, "tasks"));
	c->work = set_long(f, n, set_col(h, "work"));
	c->runs = set_long(f, n, set_col(h, "runs"));
	c->errors = set_long(f, n, set_col(h, "errors"));
	c->timing_diffs = set_long(f, n, set_col(h, "timing_diffs"));
	c->median = set_num(f, n, set_col(h, "wall_median_s"));
	c->min = set_num(f, n, set_col(h, "wall_min_s"));
	c->max = set_num(f, n, set_col(h, "wall_max_s"));
	c->speedup = set_num(f, n, set_col(h, "speedup"));
	c->efficiency = set_num(f, n, set_col(h, "efficiency"));
	c->ideal = set_num(f, n, set_col(h, "ideal_s"));
	c->ratio_to_ideal = set_num(f, n, set_col(h, "ratio_to_ideal"));
	c->peak_rss_kib = set_num(f, n, set_col(h, "peak_rss_kib"));
	c->peak_pss_kib = set_num(f, n, set_col(h, "peak_pss_kib"));
	c->noisy = strcmp(set_str(f, n, set_col(h, "noisy")), "yes") == 0;
	c->first_outlier =
		strcmp(set_str(f, n, set_col(h, "first_outlier")), "yes") == 0;
	c->verified = strcmp(set_str(f, n, set_col(h, "verified")), "yes") == 0;
	snprintf(c->baseline, sizeof(c->baseline), "%s",
		 set_str(f, n, set_col(h, "baseline")));
	set_fill_tails(c, h, f, n);
}

static int set_read_summary(struct set *s, const struct set_limits *lim,
			    char *why, size_t len)
{
	struct set_header h;
	char *rest, *line, *fields[SET_MAX_COLS];
	char *text = set_open(s->dir, "summary.csv", lim->max_bytes,
			      lim->max_rows, &h, &rest, why, len);
	if (!text)
		return -1;
	while ((line = set_next_line(&rest))) {
		/* a row cut short (a copy or an archive cut mid-row, or no
		 * newline at the end) would give a number cut mid-digit */
		int cut = rest == NULL; /* set_next_line found no newline */
		size_t n = set_split(line, fields);
		if (n < h.n || cut) {
			s->short_rows += line[0] != '\0';
			continue;
		}
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
	free(text);
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

/* What a run of the case adds to why it is wrong (columns absent in
 * older sets count 0). */
static void set_add_why_wrong(struct set_case *c, const struct set_header *h,
			      char **f, size_t n)
{
	long lost = set_long(f, n, set_col(h, "lost_updates"));
	lost = lost < 0 ? -lost : lost; /* negative: counted twice */
	c->lost_most = lost > c->lost_most ? lost : c->lost_most;
	c->wrong_tasks += set_long(f, n, set_col(h, "wrong"));
	c->stopped += strcmp(set_str(f, n, set_col(h, "stopped")), "yes") == 0;
}

/* The case of a run: runs.csv lists a case's runs together, so the last
 * case found is tried first (linear time, not rows times cases). */
static struct set_case *set_case_of_run(struct set *s, size_t *last, char **f)
{
	int workers = set_workers(f[2]);
	if (!s->cases)
		return NULL;
	struct set_case *c = *last < s->n ? &s->cases[*last] : NULL;
	if (c && c->workers == workers && strcmp(c->workload, f[0]) == 0 &&
	    strcmp(c->model, f[1]) == 0)
		return c;
	c = (struct set_case *)set_find(s, f[0], f[1], workers);
	if (c)
		*last = (size_t)(c - s->cases);
	return c;
}

static int set_read_runs(struct set *s, const struct set_limits *lim, char *why,
			 size_t len)
{
	struct set_header h;
	char *rest, *line, *fields[SET_MAX_COLS];
	char *text =
		set_open(s->dir, "runs.csv", lim->max_bytes,
			 lim->max_rows * SET_RUNS_PER_ROW, &h, &rest, why, len);
	if (!text)
		return -1;
	int wall_col = set_col(&h, "wall_s");
	size_t last = 0;
	while (wall_col >= 0 && (line = set_next_line(&rest))) {
		size_t n = set_split(line, fields);
		double wall = set_num(fields, n, wall_col);
		if (n < 3 || isnan(wall))
			continue;
		struct set_case *c = set_case_of_run(s, &last, fields);
		if (c)
			set_add_why_wrong(c, &h, fields, n);
		if (c && set_add_wall(c, wall) != 0)
			break;
	}
	free(text);
	if (wall_col < 0)
		snprintf(why, len, "runs.csv has no wall_s column");
	return wall_col < 0 ? -1 : 0;
}

int set_load(const char *dir, struct set *s, char *why, size_t len)
{
	const struct set_limits lim = SET_LIMITS_DEFAULT;
	return set_load_limited(dir, &lim, s, why, len);
}

/* meta.json: a JSON object, read within the cap. */
static int set_read_meta(struct set *s, const struct set_limits *lim, char *why,
			 size_t len)
{
	char path[4200], fwhy[128];
	size_t n;
	snprintf(path, sizeof(path), "%s/meta.json", s->dir);
	char *text =
		set_file_read(path, lim->max_bytes, &n, fwhy, sizeof(fwhy));
	if (!text) {
		snprintf(why, len, "meta.json %s", fwhy);
		return -1;
	}
	json_error_t err;
	s->meta = json_loadb(text, n, 0, &err);
	free(text);
	if (!s->meta || !json_is_object(s->meta)) {
		snprintf(why, len, "meta.json: %s",
			 s->meta ? "not a JSON object" : err.text);
		return -1;
	}
	return 0;
}

int set_load_limited(const char *dir, const struct set_limits *lim,
		     struct set *s, char *why, size_t len)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	size_t l = strlen(s->dir);
	while (l > 1 && s->dir[l - 1] == '/')
		s->dir[--l] = '\0';
	const char *slash = strrchr(s->dir, '/');
	s->name = slash ? slash + 1 : s->dir;
	if (set_read_meta(s, lim, why, len) != 0) {
		set_free(s);
		return -1;
	}
	if (set_read_summary(s, lim, why, len) != 0 ||
	    set_read_runs(s, lim, why, len) != 0) {
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
	json_decref(s->lesson);
	s->cases = NULL;
	s->meta = NULL;
	s->lesson = NULL;
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
			/* a container is not written out: a student's 8 MB
			 * object would be, for every cell that asks */
			char *t = json_is_object(item) || json_is_array(item)
					  ? NULL
					  : json_dumps(item, JSON_ENCODE_ANY);
			const char *text = json_is_string(item)
						   ? json_string_value(item)
					   : json_is_object(item) ? "{...}"
					   : json_is_array(item)  ? "[...]"
								  : t;
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 i ? ", " : "",
						 text ? text : "");
			free(t);
			if (used >= len)
				break;
		}
	} else if (json_is_object(v)) {
		snprintf(buf, len, "{...}");
	} else if (v && !json_is_null(v)) {
		char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		snprintf(buf, len, "%s", t ? t : "");
		free(t);
	}
	return buf;
}
