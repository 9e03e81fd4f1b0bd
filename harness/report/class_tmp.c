// SPDX-License-Identifier: MIT
/*
 * class_tmp.c - the temporary folder of `concur class`, removed whatever
 * happens. The removal runs in a signal handler too, so it uses only
 * async-signal-safe calls (openat, getdents64, unlinkat, close; no
 * malloc, no stdio, no opendir) and fixed buffers on the stack.
 *
 * The handler must find the folder without an argument: the names live in
 * this file's statics, the one place concur keeps state in globals,
 * because a signal handler is given nothing else.
 */
#define _GNU_SOURCE
#include "harness/report/class_tmp.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How deep the removal goes: deeper than any folder class_unpack makes
 * (--max-depth is at most 64). */
#define CLASS_TMP_MAX_DEPTH 80

static const int class_tmp_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define CLASS_TMP_N_SIGNALS                                                    \
	(sizeof(class_tmp_signals) / sizeof(class_tmp_signals[0]))

/* Written by the main flow, read by the handler: a name is complete
 * before its flag says it is there. */
static char class_tmp_dir[4096];
static char class_tmp_file[4400];
static volatile sig_atomic_t class_tmp_have_dir, class_tmp_have_file;
static struct sigaction class_tmp_saved[CLASS_TMP_N_SIGNALS];

static int class_tmp_rm_at(int parent, const char *name, int depth);

/* Removes what folder fd holds; passes until one removes nothing (a
 * directory read while its entries go may skip some). */
static void class_tmp_empty(int fd, int depth)
{
	for (int removed = 1; removed;) {
		char buf[2048];
		ssize_t n;
		removed = 0;
		if (lseek(fd, 0, SEEK_SET) != 0)
			return;
		while ((n = getdents64(fd, buf, sizeof(buf))) > 0) {
			for (ssize_t off = 0; off < n;) {
				struct dirent64 *d = (void *)(buf + off);
				off += d->d_reclen;
				if (strcmp(d->d_name, ".") != 0 &&
				    strcmp(d->d_name, "..") != 0)
					removed +=
						class_tmp_rm_at(fd, d->d_name,
								depth + 1) == 0;
			}
		}
	}
}

/* Removes name in parent: a folder (not a link to one) with all in it,
 * or anything else as a name. 0 when it is gone. */
static int class_tmp_rm_at(int parent, const char *name, int depth)
{
	int fd = openat(parent, name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return unlinkat(parent, name, 0);
	if (depth < CLASS_TMP_MAX_DEPTH)
		class_tmp_empty(fd, depth);
	close(fd);
	return unlinkat(parent, name, AT_REMOVEDIR);
}

/* SIGINT, SIGTERM, SIGHUP: clean up, then die of the signal as if there
 * had been no handler (SA_RESETHAND put the default back; the signal is
 * blocked until the handler returns, then delivered). */
static void class_tmp_signal_cb(int sig)
{
	if (class_tmp_have_file)
		unlink(class_tmp_file);
	if (class_tmp_have_dir)
		class_tmp_rm_at(AT_FDCWD, class_tmp_dir, 0);
	raise(sig);
}

void class_tmp_arm(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = class_tmp_signal_cb;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < CLASS_TMP_N_SIGNALS; i++)
		sigaddset(&sa.sa_mask, class_tmp_signals[i]);
	for (size_t i = 0; i < CLASS_TMP_N_SIGNALS; i++)
		sigaction(class_tmp_signals[i], &sa, &class_tmp_saved[i]);
}

void class_tmp_disarm(void)
{
	for (size_t i = 0; i < CLASS_TMP_N_SIGNALS; i++)
		sigaction(class_tmp_signals[i], &class_tmp_saved[i], NULL);
}

int class_tmp_make(char *dir, size_t len)
{
	const char *base = getenv("TMPDIR");
	if (!base || base[0] != '/')
		base = "/tmp";
	int n = snprintf(class_tmp_dir, sizeof(class_tmp_dir),
			 "%s/concur-class.XXXXXX", base);
	if (n < 0 || (size_t)n >= sizeof(class_tmp_dir) || (size_t)n >= len)
		return -1;
	/* the signals wait while the folder is made and named: a handler
	 * must never see it made but not named, or named half */
	sigset_t block, old;
	sigemptyset(&block);
	for (size_t i = 0; i < CLASS_TMP_N_SIGNALS; i++)
		sigaddset(&block, class_tmp_signals[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	int rc = mkdtemp(class_tmp_dir) ? 0 : -1;
	class_tmp_have_dir = rc == 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc == 0)
		snprintf(dir, len, "%s", class_tmp_dir);
	return rc;
}

void class_tmp_watch_file(const char *path)
{
	class_tmp_have_file = 0;
	if (path) {
		snprintf(class_tmp_file, sizeof(class_tmp_file), "%s", path);
		class_tmp_have_file = 1;
	}
}

void class_tmp_remove(const char *dir)
{
	class_tmp_rm_at(AT_FDCWD, dir, 0);
	if (strcmp(dir, class_tmp_dir) == 0)
		class_tmp_have_dir = 0;
}
