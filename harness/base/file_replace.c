// SPDX-License-Identifier: MIT
/* file_replace.c - a file replaced whole: temp file + rename, and only a
 * regular file, a symbolic link (the link is replaced, never followed) or
 * a new name is replaced: rename() would as gladly put a regular file in
 * the place of /dev/null or of a FIFO someone reads. */
#include "harness/base/file_replace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/base/cli.h"

const char *file_replace_obstacle(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return NULL; /* a new name (or one rename will say why not) */
	if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
		return NULL;
	if (S_ISDIR(st.st_mode))
		return "a directory";
	if (S_ISFIFO(st.st_mode))
		return "a FIFO";
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		return "a device";
	return S_ISSOCK(st.st_mode) ? "a socket" : "not a regular file";
}

int file_replace_check_out(const char *command, const char *path)
{
	const char *what = file_replace_obstacle(path);
	if (!what)
		return 0;
	cli_error("%s: --out %s is %s, not a file: name a file to write",
		  command, path, what);
	return -1;
}

/* Sets errno for a path file_replace refuses: EISDIR, or EEXIST (there is
 * something there that is not a file); 0 when the path may be replaced. */
static int file_replace_refuses(const char *path)
{
	const char *what = file_replace_obstacle(path);
	if (!what)
		return 0;
	errno = strcmp(what, "a directory") == 0 ? EISDIR : EEXIST;
	return -1;
}

int file_replace_open(struct file_replace *r, const char *path)
{
	if (file_replace_refuses(path) != 0)
		return -1;
	snprintf(r->path, sizeof(r->path), "%s", path);
	snprintf(r->tmp, sizeof(r->tmp), "%s.tmp.XXXXXX", path);
	int fd = mkstemp(r->tmp);
	if (fd < 0)
		return -1;
	fchmod(fd, 0644); /* mkstemp makes it 0600; results are for sharing */
	r->f = fdopen(fd, "w");
	if (!r->f) {
		close(fd);
		unlink(r->tmp);
		return -1;
	}
	return 0;
}

int file_replace_commit(struct file_replace *r)
{
	int failed = ferror(r->f);
	failed |= fflush(r->f) != 0;
	failed |= fsync(fileno(r->f)) != 0;
	failed |= fclose(r->f) != 0;
	r->f = NULL;
	/* Looked at again just before the rename: it may have changed since
	 * the file was opened. */
	if (failed || file_replace_refuses(r->path) != 0 ||
	    rename(r->tmp, r->path) != 0) {
		int saved = errno;
		unlink(r->tmp);
		errno = saved;
		return -1;
	}
	return 0;
}

int file_mkdirs(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}
