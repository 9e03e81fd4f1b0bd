// SPDX-License-Identifier: MIT
/*
 * class_unpack.c - an archive handed in, unpacked entry by entry. The
 * rules are GNU tar's and bsdtar's (no member from / or through "..")
 * made stricter: a link is never made at all, so nothing unpacked can
 * point at the teacher's files, and every byte written is counted
 * against the caps as it comes out of the decompressor (a small archive
 * that unpacks to gigabytes stops at the cap, not at a full disk).
 */
#include "harness/report/class_unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness/report/set_file.h"

#define MB (1024.0 * 1024.0)

/* One archive being unpacked. */
struct unpack {
	struct archive *a;
	const struct class_limits *lim;
	int root;	/* the folder unpacked into */
	size_t bytes;	/* written so far (and read past, for the skipped) */
	size_t skipped; /* links and special files left out */
	char *why;
	size_t len;
};

static int unpack_fail(struct unpack *u, const char *fmt, const char *arg)
{
	snprintf(u->why, u->len, fmt, arg);
	return -1;
}

static int unpack_say(struct unpack *u, const char *text)
{
	snprintf(u->why, u->len, "%s", text);
	return -1;
}

/* libarchive's message (it may be NULL). */
static const char *unpack_error(struct unpack *u)
{
	const char *e = archive_error_string(u->a);
	return e ? e : "unknown error";
}

static int unpack_over_bytes(struct unpack *u)
{
	snprintf(u->why, u->len,
		 "unpacks to more than %.0f MB (the cap; --max-unpacked "
		 "raises it)",
		 (double)u->lim->max_unpacked / MB);
	return -1;
}

/* Splits path (changed in place) into its parts, without "" and ".";
 * -1 for a name from / or with "..", or deeper than the cap. */
static int unpack_split(struct unpack *u, char *path, char **parts, size_t *n)
{
	if (path[0] == '/')
		return unpack_say(u, "holds an entry named from / (never "
				     "unpacked, as tar refuses it)");
	*n = 0;
	for (char *save = NULL, *p = strtok_r(path, "/", &save); p;
	     p = strtok_r(NULL, "/", &save)) {
		if (strcmp(p, "..") == 0)
			return unpack_say(u, "holds an entry named with \"..\" "
					     "(never unpacked, as tar refuses "
					     "it)");
		if (strcmp(p, ".") == 0)
			continue;
		if (*n > (size_t)u->lim->max_depth) {
			snprintf(u->why, u->len,
				 "holds an entry deeper than %d folders (the "
				 "cap; --max-depth raises it)",
				 u->lim->max_depth);
			return -1;
		}
		parts[(*n)++] = p;
	}
	return 0;
}

/* The folder holding parts[0..n-1] (made as needed, never through a
 * link), open; -1 when it cannot be. */
static int unpack_dirs(struct unpack *u, char **parts, size_t n)
{
	int fd = dup(u->root);
	for (size_t i = 0; fd >= 0 && i < n; i++) {
		if (mkdirat(fd, parts[i], 0700) != 0 && errno != EEXIST) {
			close(fd);
			return -1;
		}
		int sub =
			openat(fd, parts[i],
			       O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = sub;
	}
	return fd;
}

/* The entry's data: written to out (or, out < 0, read and dropped),
 * every byte counted against the cap. */
static int unpack_data(struct unpack *u, int out)
{
	char buf[65536];
	for (;;) {
		la_ssize_t got = archive_read_data(u->a, buf, sizeof(buf));
		if (got == 0)
			return 0;
		if (got < 0)
			return unpack_fail(u, "cannot be unpacked: %s",
					   unpack_error(u));
		u->bytes += (size_t)got;
		if (u->bytes > u->lim->max_unpacked)
			return unpack_over_bytes(u);
		for (la_ssize_t done = 0; out >= 0 && done < got;) {
			ssize_t w =
				write(out, buf + done, (size_t)(got - done));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return unpack_fail(u, "cannot be unpacked: %s",
						   strerror(errno));
			done += w;
		}
	}
}

/* A regular file, made new: a second entry of the same name refuses the
 * archive rather than replace the first. */
static int unpack_file(struct unpack *u, char **parts, size_t n,
		       const char *name)
{
	int dir = unpack_dirs(u, parts, n - 1);
	if (dir < 0)
		return unpack_fail(u, "cannot be unpacked: %s",
				   strerror(errno));
	int out = openat(dir, parts[n - 1],
			 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			 0600);
	int err = errno;
	close(dir);
	if (out < 0)
		return err == EEXIST ? unpack_fail(u, "holds %.80s twice", name)
				     : unpack_fail(u, "cannot be unpacked: %s",
						   strerror(err));
	int rc = unpack_data(u, out);
	if (close(out) != 0 && rc == 0)
		rc = unpack_fail(u, "cannot be unpacked: %s", strerror(errno));
	return rc;
}

static int unpack_entry(struct unpack *u, struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e);
	char path[4096], *parts[CLASS_MAX_DEPTH_CAP + 2];
	size_t n;
	if (!name || !name[0] || strlen(name) >= sizeof(path))
		return unpack_say(u, "holds an entry without a usable "
				     "name");
	/* the declared size, before a byte is read (a tar says it) */
	if (archive_entry_size_is_set(e) &&
	    (size_t)archive_entry_size(e) > u->lim->max_unpacked - u->bytes)
		return unpack_over_bytes(u);
	snprintf(path, sizeof(path), "%s", name);
	if (unpack_split(u, path, parts, &n) != 0)
		return -1;
	mode_t type = archive_entry_filetype(e);
	if (type == AE_IFDIR || n == 0) {
		int fd = unpack_dirs(u, parts, n);
		if (fd < 0)
			return unpack_fail(u, "cannot be unpacked: %s",
					   strerror(errno));
		close(fd);
		return unpack_data(u, -1);
	}
	if (type != AE_IFREG || archive_entry_hardlink(e)) {
		u->skipped++; /* a link, a device, a FIFO, a socket */
		return unpack_data(u, -1);
	}
	return unpack_file(u, parts, n, name);
}

/* Every entry in turn, within the count of entries. */
static int unpack_entries(struct unpack *u, const char *kind)
{
	struct archive_entry *e;
	size_t entries = 0;
	int r;
	while ((r = archive_read_next_header(u->a, &e)) == ARCHIVE_OK ||
	       r == ARCHIVE_WARN) {
		if (++entries > u->lim->max_entries) {
			snprintf(u->why, u->len,
				 "holds more than %zu entries (the cap; "
				 "--max-entries raises it)",
				 u->lim->max_entries);
			return -1;
		}
		if (unpack_entry(u, e) != 0)
			return -1;
	}
	if (r != ARCHIVE_EOF) {
		snprintf(u->why, u->len, "is not a readable %s: %s", kind,
			 unpack_error(u));
		return -1;
	}
	return 0;
}

int class_unpack(const char *archive, int follow_link, const char *into,
		 const struct class_limits *lim, size_t *skipped, char *why,
		 size_t len)
{
	size_t n = strlen(archive);
	int zip = n >= 4 && strcmp(archive + n - 4, ".zip") == 0;
	struct unpack u = {NULL, lim, -1, 0, 0, why, len};
	int rc = -1;
	/* the archive itself: a regular file, no bigger than what it may
	 * unpack to (a FIFO would block the reader forever) */
	char fwhy[128];
	int fd = set_file_open(archive, lim->max_unpacked, follow_link, fwhy,
			       sizeof(fwhy));
	if (fd < 0) {
		snprintf(why, len, "the archive %s", fwhy);
		return -1;
	}
	u.root = open(into, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	u.a = archive_read_new();
	if (u.root >= 0 && u.a) {
		if (zip) {
			archive_read_support_format_zip(u.a);
		} else {
			archive_read_support_filter_gzip(u.a);
			archive_read_support_format_tar(u.a);
		}
		if (archive_read_open_fd(u.a, fd, 65536) == ARCHIVE_OK)
			rc = unpack_entries(&u, zip ? ".zip" : ".tar.gz");
		else
			snprintf(why, len, "is not a readable %s: %s",
				 zip ? ".zip" : ".tar.gz", unpack_error(&u));
	} else {
		snprintf(why, len,
			 "cannot be unpacked: no folder to unpack "
			 "into");
	}
	archive_read_free(u.a);
	if (u.root >= 0)
		close(u.root);
	close(fd);
	*skipped = u.skipped;
	return rc;
}
