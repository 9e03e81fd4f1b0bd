// SPDX-License-Identifier: MIT
/* python.c - which python3 runs the py-* models (see python.h). */
#include "harness/external/python.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"

extern char **environ;

/* A pyenv shim or a cold disk can take seconds to start an interpreter. */
#define PYTHON_PROBE_TIMEOUT_S 20.0

/* The probe exits with this status only if it ran Python and imported
 * aiohttp: a program that exits 0 whatever it is given (/bin/true) is not
 * taken for a Python. */
#define PYTHON_PROBE_STATUS 42
#define PYTHON_PROBE "import sys, aiohttp; sys.exit(42)"

/* Runs the probe with no input or output and waits for it (at most
 * PYTHON_PROBE_TIMEOUT_S; then it is killed and reaped). */
int python_has_aiohttp(const char *path)
{
	if (access(path, X_OK) != 0)
		return 0;
	posix_spawn_file_actions_t fa;
	if (posix_spawn_file_actions_init(&fa) != 0)
		return 0;
	for (int fd = 0; fd <= 2; fd++)
		posix_spawn_file_actions_addopen(&fa, fd, "/dev/null",
						 fd ? O_WRONLY : O_RDONLY, 0);
	char *argv[] = {(char *)path, "-c", PYTHON_PROBE, NULL};
	pid_t pid;
	int rc = posix_spawn(&pid, path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return 0;

	double deadline = clock_now() + PYTHON_PROBE_TIMEOUT_S;
	int status = 0;
	pid_t done;
	while ((done = waitpid(pid, &status, WNOHANG)) == 0 &&
	       clock_now() < deadline) {
		struct timespec nap = {0, 10L * 1000 * 1000};
		nanosleep(&nap, NULL);
	}
	if (done == 0) { /* hung: kill it, and reap it all the same */
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return 0;
	}
	return done == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == PYTHON_PROBE_STATUS;
}

/* The first executable `python3` in $PATH, into buf; NULL when none. */
static const char *python_on_path(char *buf, size_t len)
{
	const char *path = getenv("PATH");
	while (path && *path) {
		size_t dir_len = strcspn(path, ":");
		int n = snprintf(buf, len, "%.*s/python3", (int)dir_len, path);
		if (dir_len > 0 && n > 0 && (size_t)n < len &&
		    access(buf, X_OK) == 0)
			return buf;
		path += dir_len + (path[dir_len] == ':');
	}
	return NULL;
}

const char *python_find(const char *explicit_path, char *why, size_t len)
{
	if (explicit_path) {
		if (access(explicit_path, X_OK) != 0) {
			snprintf(why, len, "--python %s: %s", explicit_path,
				 strerror(errno));
			return NULL;
		}
		if (!python_has_aiohttp(explicit_path)) {
			snprintf(why, len,
				 "--python %s: cannot import aiohttp (%s)",
				 explicit_path, PYTHON_INSTALL_HINT);
			return NULL;
		}
		return explicit_path;
	}

	/* The search does not change during a run: do it once. */
	static int searched;
	static char found[4096];
	static char tried[512];
	if (!searched) {
		searched = 1;
		char on_path[4096];
		const char *candidates[] = {
			"/usr/bin/python3",
			python_on_path(on_path, sizeof(on_path)),
		};
		for (size_t i = 0; i < 2 && !found[0]; i++) {
			if (!candidates[i])
				continue;
			size_t used = strlen(tried);
			snprintf(tried + used, sizeof(tried) - used, "%s%s",
				 used ? ", " : "", candidates[i]);
			if (python_has_aiohttp(candidates[i]))
				snprintf(found, sizeof(found), "%s",
					 candidates[i]);
		}
	}
	if (found[0])
		return found;
	snprintf(why, len,
		 "no python3 that can import aiohttp (tried: %s); install: %s",
		 tried[0] ? tried : "none found", PYTHON_INSTALL_HINT);
	return NULL;
}
