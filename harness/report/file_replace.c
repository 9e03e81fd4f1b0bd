// SPDX-License-Identifier: MIT
/* file_replace.c - a file replaced whole: temp file + rename. */
#include "harness/report/file_replace.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int file_replace_open(struct file_replace *r, const char *path)
{
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
	if (failed || rename(r->tmp, r->path) != 0) {
		unlink(r->tmp);
		return -1;
	}
	return 0;
}
