// SPDX-License-Identifier: MIT
/* atomic.c - temp file + rename. */
#include "harness/report/file_replace.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int atomic_open(struct atomic_file *a, const char *path)
{
	snprintf(a->path, sizeof(a->path), "%s", path);
	snprintf(a->tmp, sizeof(a->tmp), "%s.tmp.XXXXXX", path);
	int fd = mkstemp(a->tmp);
	if (fd < 0)
		return -1;
	fchmod(fd, 0644); /* mkstemp makes it 0600; results are for sharing */
	a->f = fdopen(fd, "w");
	if (!a->f) {
		close(fd);
		unlink(a->tmp);
		return -1;
	}
	return 0;
}

int atomic_commit(struct atomic_file *a)
{
	int failed = ferror(a->f);
	failed |= fflush(a->f) != 0;
	failed |= fsync(fileno(a->f)) != 0;
	failed |= fclose(a->f) != 0;
	a->f = NULL;
	if (failed || rename(a->tmp, a->path) != 0) {
		unlink(a->tmp);
		return -1;
	}
	return 0;
}
