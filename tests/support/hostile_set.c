// SPDX-License-Identifier: MIT
/*
 * hostile_set.c - result sets made hostile from a real one
 * (hostile_set.h): a set copied file by file, its case names and
 * meta.json rewritten with whatever a test chooses, and concur run
 * through sh on it.
 */
#include "tests/support/hostile_set.h"

#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/support/files.h"
#include "tests/support/support.h"

char hostile_dir[128];
char hostile_run_set[256];

/* The text of path made by a function of the text (copied as is when fn
 * is NULL) into to. */
void hostile_rewrite(const char *from, const char *to,
		     char *(*fn)(const char *text))
{
	char *text = files_read(from, NULL);
	ck_assert_msg(text != NULL, "cannot read %s", from);
	char *out = fn ? fn(text) : text;
	FILE *f = fopen(to, "w");
	ck_assert_msg(f != NULL, "cannot write %s", to);
	fputs(out, f);
	fclose(f);
	if (out != text)
		free(out);
	free(text);
}

/* Every file of the set `from` copied into a new folder `to`. */
void hostile_copy_set(const char *from, const char *to)
{
	ck_assert_int_eq(mkdir(to, 0755), 0);
	DIR *d = opendir(from);
	ck_assert_ptr_nonnull(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char a[4096], b[4096];
		snprintf(a, sizeof(a), "%s/%s", from, e->d_name);
		snprintf(b, sizeof(b), "%s/%s", to, e->d_name);
		struct stat st;
		if (stat(a, &st) == 0 && S_ISREG(st.st_mode))
			hostile_rewrite(a, b, NULL);
	}
	closedir(d);
}

/* A CSV file of the set with its names replaced: workload and model
 * (the first two fields; "threads" only), and every case noisy, slow on
 * its first run, with a timing difference and an estimated baseline, so
 * that the report's notes name each case. */
void hostile_rename_cases(const char *set, const char *file,
			  const char *workload, const char *model)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", set, file);
	char *text = files_read(path, NULL);
	ck_assert_ptr_nonnull(text);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	const char *marks[] = {"noisy", "first_outlier", "timing_diffs",
			       "baseline"};
	const char *values[] = {"yes", "yes", "1", "estimated"};
	int cols[4] = {-1, -1, -1, -1};
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int header = strncmp(line, "workload,", 9) == 0;
		/* strsep, not strtok: an empty cell (offered_rate of a
		 * closed run) is a cell. */
		char *rest = line;
		int k = 0;
		for (char *field = strsep(&rest, ","); field;
		     field = strsep(&rest, ","), k++) {
			const char *out = field;
			for (int m = 0; m < 4; m++) {
				if (header && strcmp(field, marks[m]) == 0)
					cols[m] = k;
				if (!header && cols[m] == k)
					out = values[m];
			}
			if (!header && k == 0)
				out = workload;
			if (!header && k == 1 && strcmp(field, "threads") == 0)
				out = model;
			fprintf(f, "%s%s", k ? "," : "", out);
		}
		fputc('\n', f);
	}
	fclose(f);
	free(text);
}

/* meta.json's strings replaced by value (its sections' too), and a key of
 * options named key. */
void hostile_poison_meta(const char *set, const char *value, const char *key)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/meta.json", set);
	json_t *meta = json_load_file(path, 0, NULL);
	ck_assert_ptr_nonnull(meta);
	const char *sections[] = {"machine", "versions", "options"};
	for (size_t i = 0; i < 3; i++) {
		json_t *s = json_object_get(meta, sections[i]);
		const char *k;
		json_t *v;
		json_object_foreach(s, k, v)
		{
			if (json_is_string(v))
				json_object_set_new(s, k, json_string(value));
		}
	}
	json_object_set_new(meta, "command", json_string(value));
	json_object_set_new(meta, "date", json_string(value));
	json_object_set_new(meta, "status", json_string(value));
	json_object_set_new(meta, "reason", json_string(value));
	json_object_set_new(json_object_get(meta, "options"), key,
			    json_string(value));
	ck_assert_int_eq(json_dump_file(meta, path, JSON_INDENT(2)), 0);
	json_decref(meta);
}

/* `concur ARGS` (a printf format; sh runs it, so more commands may
 * follow), stdout and stderr into out; the last one's exit status must
 * be want. */
void hostile_concur_expect(int want, char *out, size_t len, const char *fmt,
			   ...)
{
	char args[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	int rc = support_concur_sh("", args, out, len);
	ck_assert_msg(rc == want, "concur %s: exit %d, not %d:\n%s", args, rc,
		      want, out);
}

void hostile_sets_make(void)
{
	char out[65536];
	files_tmp_dir(hostile_dir, sizeof(hostile_dir), "hostile");
	hostile_concur_expect(
		0, out, sizeof(out),
		"run --models sequential,threads --workloads compute "
		"--tasks 4 --work 1 --workers 1,2 --repeat 2 --quiet "
		"--out %s/run",
		hostile_dir);
	snprintf(hostile_run_set, sizeof(hostile_run_set), "%s/run/latest",
		 hostile_dir);
}

void hostile_sets_remove(void)
{
	files_rm_dir(hostile_dir);
}

/* s in single quotes for sh. */
const char *hostile_sq(const char *s, char *buf, size_t len)
{
	size_t used = 0;
	buf[used++] = '\'';
	for (; *s && used + 6 < len; s++) {
		if (*s == '\'') {
			memcpy(buf + used, "'\\''", 4);
			used += 4;
		} else {
			buf[used++] = *s;
		}
	}
	buf[used++] = '\'';
	buf[used] = '\0';
	return buf;
}
