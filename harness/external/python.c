// SPDX-License-Identifier: MIT
/* python.c - which python3 runs the py-* models, and the launcher of a
 * command of the data directory (see python.h). */
#include "harness/external/python.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/base/datadir.h"
#include "harness/external/mpi_said.h"

extern char **environ;

/* A pyenv shim or a cold disk can take seconds to start an interpreter. */
#define PYTHON_PROBE_TIMEOUT_S 20.0

/* The probe exits with this status only if it ran Python and imported
 * aiohttp: a program that exits 0 whatever it is given (/bin/true) is not
 * taken for a Python. */
#define PYTHON_PROBE_STATUS 42
#define PYTHON_PROBE "import sys, aiohttp; sys.exit(42)"

int python_has_aiohttp(const char *path)
{
	return python_runs_probe(path, PYTHON_PROBE);
}

/* Runs the probe with no input or output and waits for it (at most
 * PYTHON_PROBE_TIMEOUT_S; then it is killed and reaped). */
int python_runs_probe(const char *path, const char *probe)
{
	if (access(path, X_OK) != 0)
		return 0;
	posix_spawn_file_actions_t fa;
	if (posix_spawn_file_actions_init(&fa) != 0)
		return 0;
	for (int fd = 0; fd <= 2; fd++)
		posix_spawn_file_actions_addopen(&fa, fd, "/dev/null",
						 fd ? O_WRONLY : O_RDONLY, 0);
	char *argv[] = {(char *)path, "-c", (char *)probe, NULL};
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

/* dir/libspin.so into buf when it can be read there. */
static char *python_spin_in(char *buf, size_t len, const char *dir)
{
	int n = snprintf(buf, len, "%s/libspin.so", dir);
	return n > 0 && (size_t)n < len && access(buf, R_OK) == 0 ? buf : NULL;
}

char *python_spin_library(char *buf, size_t len)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *dir = dirname(exe); /* build/, or build/tests/ */
		if (python_spin_in(buf, len, dir))
			return buf;
		if (python_spin_in(buf, len, dirname(dir)))
			return buf;
	}
	return concur_data_path(buf, len, "models/python/libspin.so");
}

/* ---- The launcher of a command ------------------------------------------ */

/* One launch: `PYTHON PATH` or `PATH`, and the stderr line reader. */
struct python_launch {
	char path[4096];
	char *argv[3];
	struct mpi_said said; /* pass_all: every line passes through */
};

/* The command's path: absolute as given, else under the data directory. */
static int python_command_path(const struct model *m, char *buf, size_t len)
{
	if (m->command[0] == '/')
		return snprintf(buf, len, "%s", m->command) < (int)len ? 0 : -1;
	return concur_data_path(buf, len, m->command) ? 0 : -1;
}

static int python_is_script(const char *path)
{
	size_t n = strlen(path);
	return n > 3 && strcmp(path + n - 3, ".py") == 0;
}

/* The interpreter for a .py command: --python (checked by the CLI when it
 * was parsed), else python_find's choice. */
static const char *python_for(const struct external_opts *x, char *why,
			      size_t len)
{
	if (x->python)
		return x->python;
	return python_find(NULL, why, len);
}

static int python_available(const struct model *m,
			    const struct external_opts *x, char *why,
			    size_t len)
{
	char path[4096];
	if (!m->command || python_command_path(m, path, sizeof(path)) != 0) {
		snprintf(why, len, "%s: no command", m->name);
		return 0;
	}
	if (access(path, R_OK) != 0) {
		snprintf(why, len, "%s: %s: %s", m->name, path,
			 strerror(errno));
		return 0;
	}
	if (!python_is_script(path))
		return 1;
	if (x->python && access(x->python, X_OK) != 0) {
		snprintf(why, len, "--python %s: %s", x->python,
			 strerror(errno));
		return 0;
	}
	return python_for(x, why, len) != NULL;
}

static int python_start(struct launch *l, const struct model *m,
			const struct run_opts *o, const struct external_opts *x,
			size_t n, char *why, size_t len)
{
	(void)o;
	(void)n;
	struct python_launch *p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	p->said.pass_all = 1;
	p->argv[0] = p->path;
	if (!m->command ||
	    python_command_path(m, p->path, sizeof(p->path)) != 0 ||
	    access(p->path, R_OK) != 0) {
		snprintf(why, len, "%s not found in %s",
			 m->command ? m->command : "(no command)",
			 concur_datadir());
		free(p);
		return -1;
	}
	if (python_is_script(p->path)) {
		const char *python = python_for(x, why, len);
		if (!python) {
			free(p);
			return -1;
		}
		p->argv[0] = (char *)python;
		p->argv[1] = p->path;
	}
	l->state = p;
	l->argv = p->argv;
	return 0;
}

static void python_read_err(struct launch *l, int *fd)
{
	struct python_launch *p = l->state;
	mpi_said_read(&p->said, fd);
}

static void python_end_err(struct launch *l)
{
	struct python_launch *p = l->state;
	mpi_said_bytes(&p->said, NULL, 0);
}

static void python_release(struct launch *l)
{
	free(l->state);
	l->state = NULL;
}

const struct launcher python_launcher = {
	.available = python_available,
	.start = python_start,
	.read_err = python_read_err,
	.end_err = python_end_err,
	.release = python_release,
	.read_err_while_reaping = true,
};
