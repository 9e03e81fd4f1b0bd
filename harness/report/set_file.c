// SPDX-License-Identifier: MIT
/* set_file.c - a set's file opened and read without trusting it: never a
 * FIFO or a device, never through a link, never more than the cap. */
#include "harness/report/set_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void set_file_why_size(char *why, size_t len, size_t max)
{
	if (max % ((size_t)1024 * 1024) == 0)
		snprintf(why, len, "is larger than %zu MB (the cap)",
			 max / ((size_t)1024 * 1024));
	else
		snprintf(why, len, "is larger than %zu bytes (the cap)", max);
}

int set_file_open(const char *path, size_t max, int follow_link, char *why,
		  size_t len)
{
	/* O_NONBLOCK: opening a FIFO with no writer returns at once
	 * instead of waiting forever; fstat then refuses it. */
	int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC;
	int fd = open(path, flags | (follow_link ? 0 : O_NOFOLLOW));
	if (fd < 0) {
		if (errno == ELOOP)
			snprintf(why, len,
				 "is a symbolic link (never followed)");
		else
			snprintf(why, len, "cannot be opened: %s",
				 strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, len, "is not a regular file");
		close(fd);
		return -1;
	}
	if ((unsigned long long)st.st_size > max) {
		set_file_why_size(why, len, max);
		close(fd);
		return -1;
	}
	return fd;
}

/* Reads fd to its end, however the file grows meanwhile, but never more
 * than max + 1 bytes (one more shows that it is over the cap). */
static char *set_file_slurp(int fd, size_t hint, size_t max, size_t *got)
{
	size_t cap = hint < max ? hint + 1 : max + 1;
	char *buf = malloc(cap + 1);
	*got = 0;
	while (buf && *got <= max) {
		if (*got == cap) {
			cap = cap * 2 < max + 1 ? cap * 2 : max + 1;
			char *grown = realloc(buf, cap + 1);
			if (!grown)
				break;
			buf = grown;
		}
		ssize_t r = read(fd, buf + *got, cap - *got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return buf;
		if (r < 0)
			break;
		*got += (size_t)r;
	}
	if (buf && *got > max)
		return buf;
	free(buf);
	return NULL;
}

char *set_file_read(const char *path, size_t max, size_t *n, char *why,
		    size_t len)
{
	int fd = set_file_open(path, max, 0, why, len);
	if (fd < 0)
		return NULL;
	struct stat st;
	size_t got;
	char *buf = set_file_slurp(
		fd, fstat(fd, &st) == 0 ? (size_t)st.st_size : 4096, max, &got);
	close(fd);
	if (!buf) {
		snprintf(why, len, "cannot be read");
		return NULL;
	}
	if (got > max) {
		free(buf);
		set_file_why_size(why, len, max);
		return NULL;
	}
	buf[got] = '\0';
	*n = got;
	return buf;
}
