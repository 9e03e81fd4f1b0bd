// SPDX-License-Identifier: MIT
/* class_gather.c - finding a class's result sets in folders and archives.
 * Every walk opens each folder with openat(O_DIRECTORY|O_NOFOLLOW) from
 * its parent: a link is never followed, so a hand-in cannot lead the
 * walk to the teacher's files or round in circles, and the time is
 * linear in what the hand-in holds. */
#include "harness/report/class_gather.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/base/term.h"
#include "harness/report/class_lessons.h"
#include "harness/report/class_tmp.h"

void class_limits_default(struct class_limits *lim)
{
	const struct set_limits set = SET_LIMITS_DEFAULT;
	lim->set = set;
	lim->max_unpacked = (size_t)CLASS_MAX_UNPACKED_MB * 1024 * 1024;
	lim->max_entries = CLASS_MAX_ENTRIES;
	lim->max_depth = CLASS_MAX_DEPTH;
}

static int class_ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && strcmp(s + a - b, tail) == 0;
}

static int class_is_archive(const char *path)
{
	return class_ends_with(path, ".tar.gz") ||
	       class_ends_with(path, ".tgz") || class_ends_with(path, ".zip");
}

/* One line on stderr; the name and the reason may hold a student's bytes,
 * so they are made safe as every value concur prints is (term.h: a
 * control byte shows as \x1b, never reaches the terminal as itself). */
static void class_refuse(struct class_sets *c, const char *path,
			 const char *why)
{
	term_line(stderr, "concur: class: %s refused: %s", path, why);
	c->refused++;
}

/* set_load and set_file say "(the cap)": name the flag that raises it. */
static void class_name_cap(char *why, size_t len)
{
	char *cap = strstr(why, "(the cap)");
	if (cap)
		snprintf(cap, len - (size_t)(cap - why),
			 "(the cap; %s raises it)",
			 strstr(why, " rows ") ? "--max-rows" : "--max-size");
}

/* Adds the set in dir, named after shown: its last part, or, when it is
 * one of several sets of the hand-in `handin`, the hand-in's last part
 * and the set's folder under it. */
static int class_add_set(struct class_sets *c, const char *dir,
			 const char *shown, const char *handin)
{
	struct set s;
	char why[512];
	if (set_load_limited(dir, &c->lim.set, &s, why, sizeof(why)) != 0 ||
	    class_lesson_load(&s, c->lim.set.max_bytes, why, sizeof(why)) !=
		    0) {
		set_free(&s); /* set_load left nothing to free on failure */
		class_name_cap(why, sizeof(why));
		class_refuse(c, shown, why);
		return 0;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct set *grown = realloc(c->sets, cap * sizeof(*c->sets));
		if (!grown) {
			set_free(&s);
			return -1;
		}
		c->sets = grown;
		c->cap = cap;
	}
	c->sets[c->n] = s;
	/* name: what the teacher handed in, not the temporary folder */
	const char *base = handin ? handin : shown;
	const char *slash = strrchr(base, '/');
	if (slash && slash[1])
		base = slash + 1;
	const char *under = handin ? shown + strlen(handin) : "";
	size_t len = strlen(base) + strlen(under) + 1;
	char *name = malloc(len);
	if (name)
		snprintf(name, len, "%s%s", base, under);
	c->sets[c->n].name = name;
	c->n++;
	return 0;
}

/* A walk of one hand-in: how far it may go, how far it went, and the
 * folders holding a set that it found. */
struct class_walk {
	const struct class_limits *lim;
	size_t entries;
	int too_many;
	char **found;
	size_t n_found, cap_found;
};

/* Does the folder fd hold a set (a summary.csv of any kind: set_load
 * says what is wrong with one that is not a regular file)? */
static int class_is_set_at(int fd)
{
	struct stat st;
	return fstatat(fd, "summary.csv", &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static int class_walk_add(struct class_walk *w, const char *path)
{
	if (w->n_found == w->cap_found) {
		size_t cap = w->cap_found ? w->cap_found * 2 : 4;
		char **grown = realloc(w->found, cap * sizeof(*w->found));
		if (!grown)
			return -1;
		w->found = grown;
		w->cap_found = cap;
	}
	if (!(w->found[w->n_found] = strdup(path)))
		return -1;
	w->n_found++;
	return 0;
}

static int class_by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the folder d's sub-folders that may hold a set, sorted
 * (a hand-in's sets come in the same order on every machine); NULL and
 * *n = 0 when there are none. */
static char **class_sub_folders(struct class_walk *w, DIR *d, size_t *n)
{
	char **names = NULL;
	size_t cap = 0;
	struct dirent *e;
	*n = 0;
	while (!w->too_many && (e = readdir(d))) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "latest") == 0)
			continue;
		if (++w->entries > w->lim->max_entries) {
			w->too_many = 1;
			break;
		}
		if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			char **grown = realloc(names, cap * sizeof(*names));
			if (!grown)
				break;
			names = grown;
		}
		if (!(names[*n] = strdup(e->d_name)))
			break;
		(*n)++;
	}
	if (*n > 1)
		qsort(names, *n, sizeof(*names), class_by_name);
	return names;
}

/* Every folder holding a set at or under path, whose folder fd is given
 * (and closed here), into w->found; depth-first, no link followed, a
 * set's own sub-folders not searched. */
static void class_find_sets(struct class_walk *w, int fd, const char *path,
			    int depth)
{
	if (class_is_set_at(fd)) {
		close(fd);
		class_walk_add(w, path);
		return;
	}
	DIR *d = depth < w->lim->max_depth ? fdopendir(fd) : NULL;
	if (!d) {
		close(fd);
		return;
	}
	size_t n;
	char **names = class_sub_folders(w, d, &n);
	for (size_t i = 0; i < n; i++) {
		char sub[4200];
		int len = snprintf(sub, sizeof(sub), "%s/%s", path, names[i]);
		int sub_fd =
			openat(dirfd(d), names[i],
			       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub_fd >= 0 && len > 0 && (size_t)len < sizeof(sub) &&
		    !w->too_many)
			class_find_sets(w, sub_fd, sub, depth + 1);
		else if (sub_fd >= 0)
			close(sub_fd);
		free(names[i]);
	}
	free(names);
	closedir(d);
}

/* Why a hand-in's folder gave no set, in one line. */
static void class_none_found(struct class_sets *c, const struct class_walk *w,
			     const char *shown, size_t links)
{
	char why[256];
	if (w->too_many)
		snprintf(why, sizeof(why),
			 "holds more than %zu entries (the cap; "
			 "--max-entries raises it)",
			 c->lim.max_entries);
	else if (links)
		snprintf(why, sizeof(why),
			 "no summary.csv inside (%zu links or special files "
			 "not unpacked: links in an archive never are)",
			 links);
	else
		snprintf(why, sizeof(why),
			 "no summary.csv inside (looked %d folders deep: "
			 "--max-depth)",
			 c->lim.max_depth);
	class_refuse(c, shown, why);
}

/* A hand-in's folder: every set in it, however deep (results/<date>/; a
 * run and a lesson's set side by side), each shown as the hand-in's name
 * and, when there are several, the set's folder under it; or one line
 * saying why there is none. */
static int class_add_found(struct class_sets *c, const char *dir,
			   const char *shown, size_t links)
{
	struct class_walk w = {&c->lim, 0, 0, NULL, 0, 0};
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0)
		class_find_sets(&w, fd, dir, 0);
	int rc = 0;
	if (w.too_many || w.n_found == 0)
		class_none_found(c, &w, shown, links);
	for (size_t i = 0; i < w.n_found; i++) {
		char name[4400];
		const char *rel = w.found[i] + strlen(dir);
		snprintf(name, sizeof(name), "%s%s", shown,
			 w.n_found > 1 ? rel : "");
		if (rc == 0 && !w.too_many)
			rc = class_add_set(c, w.found[i], name,
					   w.n_found > 1 ? shown : NULL);
		free(w.found[i]);
	}
	free(w.found);
	return rc;
}

/* An archive, unpacked into its own folder of the temporary one. */
static int class_add_archive(struct class_sets *c, const char *archive,
			     int follow_link)
{
	char into[4200], why[512];
	size_t links = 0;
	if (!c->tmp[0] && class_tmp_make(c->tmp, sizeof(c->tmp)) != 0) {
		c->tmp[0] = '\0';
		class_refuse(c, archive, "cannot make a temporary folder");
		return 0;
	}
	snprintf(into, sizeof(into), "%s/%zu", c->tmp, c->n + c->refused);
	if (mkdir(into, 0700) != 0) {
		class_refuse(c, archive, "cannot make a temporary folder");
		return 0;
	}
	if (class_unpack(archive, follow_link, into, &c->lim, &links, why,
			 sizeof(why)) != 0) {
		class_refuse(c, archive, why);
		return 0;
	}
	return class_add_found(c, into, archive, links);
}

/* Every entry of a folder of hand-ins, in name order (a class list); a
 * link among them is refused, not followed. */
static int class_folder(struct class_sets *c, const char *dir)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);
	if (n < 0) {
		class_refuse(c, dir, "cannot read the folder");
		return 0;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char sub[4200];
		const char *name = list[i]->d_name;
		struct stat st;
		snprintf(sub, sizeof(sub), "%s/%s", dir, name);
		int skip = rc != 0 || name[0] == '.' ||
			   strcmp(name, "latest") == 0 || lstat(sub, &st) != 0;
		if (!skip && S_ISLNK(st.st_mode))
			class_refuse(c, sub,
				     "is a symbolic link (never followed in "
				     "a folder of hand-ins: name it on the "
				     "command line)");
		else if (!skip && S_ISDIR(st.st_mode))
			rc = class_add_found(c, sub, sub, 0);
		else if (!skip && class_is_archive(name))
			rc = class_add_archive(c, sub, 0);
		free(list[i]);
	}
	free(list);
	return rc;
}

int class_gather(struct class_sets *c, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		class_refuse(c, path, "no such file or folder");
		return 0;
	}
	if (S_ISDIR(st.st_mode)) {
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		int is_set = fd >= 0 && class_is_set_at(fd);
		if (fd >= 0)
			close(fd);
		return is_set ? class_add_set(c, path, path, NULL)
			      : class_folder(c, path);
	}
	if (class_is_archive(path))
		return class_add_archive(c, path, 1);
	class_refuse(c, path, "not a result set, a folder, .tar.gz or .zip");
	return 0;
}

void class_gather_free(struct class_sets *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free((char *)c->sets[i].name);
		set_free(&c->sets[i]);
	}
	free(c->sets);
	if (c->tmp[0])
		class_tmp_remove(c->tmp);
	c->sets = NULL;
	c->n = c->cap = c->refused = 0;
	c->tmp[0] = '\0';
}
