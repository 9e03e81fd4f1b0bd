// SPDX-License-Identifier: MIT
/* class_gather.c - finding a class's result sets in folders and archives.
 * Archives are unpacked by running tar or unzip (fork + exec, no shell,
 * so a student's file name is never read as a command). */
#include "harness/report/class_gather.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define CLASS_MAX_DEPTH 4 /* how deep an archive may hide its set */

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

static int class_is_set(const char *dir)
{
	char probe[4200];
	snprintf(probe, sizeof(probe), "%s/summary.csv", dir);
	return access(probe, F_OK) == 0;
}

static void class_refuse(struct class_sets *c, const char *path,
			 const char *why)
{
	fprintf(stderr, "concur: class: %s refused: %s\n", path, why);
	c->refused++;
}

static int class_add_set(struct class_sets *c, const char *dir,
			 const char *shown)
{
	struct set s;
	char why[512];
	if (set_load(dir, &s, why, sizeof(why)) != 0) {
		class_refuse(c, shown, why);
		return 0;
	}
	struct set *grown = realloc(c->sets, (c->n + 1) * sizeof(*c->sets));
	if (!grown) {
		set_free(&s);
		return -1;
	}
	c->sets = grown;
	c->sets[c->n] = s;
	/* name: what the teacher handed in, not the temporary folder */
	const char *slash = strrchr(shown, '/');
	c->sets[c->n].name = strdup(slash && slash[1] ? slash + 1 : shown);
	c->n++;
	return 0;
}

/* Runs argv with its output dropped; 0 when it exits 0. */
static int class_exec(char *const argv[])
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The first folder holding a set at or under dir (depth-first). */
static int class_find_set(const char *dir, int depth, char *out, size_t len)
{
	if (class_is_set(dir)) {
		snprintf(out, len, "%s", dir);
		return 0;
	}
	DIR *d = depth < CLASS_MAX_DEPTH ? opendir(dir) : NULL;
	if (!d)
		return -1;
	struct dirent *e;
	int rc = -1;
	while (rc != 0 && (e = readdir(d))) {
		char sub[4200];
		struct stat st;
		if (e->d_name[0] == '.' || strcmp(e->d_name, "latest") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
			rc = class_find_set(sub, depth + 1, out, len);
	}
	closedir(d);
	return rc;
}

static int class_unpack(struct class_sets *c, const char *archive)
{
	if (!c->tmp[0]) {
		snprintf(c->tmp, sizeof(c->tmp), "/tmp/concur-class.XXXXXX");
		if (!mkdtemp(c->tmp)) {
			c->tmp[0] = '\0';
			class_refuse(c, archive,
				     "cannot make a temporary folder");
			return 0;
		}
	}
	char into[256], found[4200];
	snprintf(into, sizeof(into), "%s/%zu", c->tmp, c->n + c->refused);
	if (mkdir(into, 0700) != 0) {
		class_refuse(c, archive, "cannot make a temporary folder");
		return 0;
	}
	char *tar[] = {"tar", "-xzf", (char *)archive, "-C", into, NULL};
	char *unzip[] = {"unzip", "-q", "-o", (char *)archive,
			 "-d",	  into, NULL};
	int zip = class_ends_with(archive, ".zip");
	if (class_exec(zip ? unzip : tar) != 0) {
		class_refuse(
			c, archive,
			zip ? "unzip cannot unpack it (is unzip installed?)"
			    : "tar cannot unpack it");
		return 0;
	}
	if (class_find_set(into, 0, found, sizeof(found)) != 0) {
		class_refuse(c, archive, "no summary.csv inside");
		return 0;
	}
	return class_add_set(c, found, archive);
}

/* A student's folder: the set in it, however deep (results/<date>/). */
static int class_add_found(struct class_sets *c, const char *dir)
{
	char found[4200];
	if (class_find_set(dir, 0, found, sizeof(found)) != 0) {
		class_refuse(c, dir, "no summary.csv inside");
		return 0;
	}
	return class_add_set(c, found, dir);
}

/* Every entry of a folder of sets, in name order (a class list). */
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
		snprintf(sub, sizeof(sub), "%s/%s", dir, name);
		struct stat st;
		if (rc == 0 && name[0] != '.' && strcmp(name, "latest") != 0 &&
		    stat(sub, &st) == 0 &&
		    (S_ISDIR(st.st_mode) || class_is_archive(name)))
			rc = S_ISDIR(st.st_mode) ? class_add_found(c, sub)
						 : class_unpack(c, sub);
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
	if (S_ISDIR(st.st_mode))
		return class_is_set(path) ? class_add_set(c, path, path)
					  : class_folder(c, path);
	if (class_is_archive(path))
		return class_unpack(c, path);
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
	if (c->tmp[0]) {
		char *rm[] = {"rm", "-rf", c->tmp, NULL};
		class_exec(rm);
	}
	memset(c, 0, sizeof(*c));
}
