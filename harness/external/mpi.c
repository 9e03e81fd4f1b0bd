// SPDX-License-Identifier: MIT
/* mpi.c - the mpirun command line of the MPI models, and their launcher
 * (see mpi.h). */
#define _XOPEN_SOURCE 700 /* nftw */
#include "harness/external/mpi.h"

#include <errno.h>
#include <ftw.h>
#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/base/cli.h"
#include "harness/external/mpi_said.h"

/* How long mpirun may take to end once it has said a rank died: the
 * job is over by then (Open MPI reports it when every rank has ended),
 * only mpirun's own teardown is left, which sometimes never ends
 * (mpi_verdict). */
#define MPI_TEARDOWN_S 10.0

/* The first executable `name` on PATH, into buf, in a folder whose links
 * are resolved: mpirun finds Open MPI's prefix from its own path, and
 * through Debian's /bin -> usr/bin link that prefix would be "/", which
 * it refuses. (The name itself stays: mpirun is a link to orterun, and
 * says so in its messages when called by that name.) */
static int mpi_which(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH");
	char dir[PATH_MAX], real[PATH_MAX];
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		snprintf(dir, sizeof(dir), "%.*s", (int)n, path);
		int k = realpath(dir, real)
				? snprintf(buf, len, "%s/%s", real, name)
				: -1;
		if (k > 0 && (size_t)k < len && access(buf, X_OK) == 0)
			return 0;
		path += n + (path[n] == ':');
	}
	return -1;
}

/* concur-mpi beside this program (build/concur, PREFIX/bin/concur) or
 * one folder up (build/tests/test_*). */
static int mpi_program(char *buf, size_t len)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	char *dir = dirname(exe);
	for (int up = 0; up < 2; up++) {
		int k = snprintf(buf, len, "%s/concur-mpi", dir);
		if (k > 0 && (size_t)k < len && access(buf, X_OK) == 0)
			return 0;
		dir = dirname(dir);
	}
	return -1;
}

int mpi_available(char *why, size_t len)
{
	char path[4096];
	if (mpi_which("mpirun", path, sizeof(path)) != 0) {
		snprintf(why, len, "no mpirun on PATH: %s", MPI_INSTALL_HINT);
		return 0;
	}
	if (mpi_program(path, sizeof(path)) != 0) {
		snprintf(why, len,
			 "concur-mpi was not built (no mpicc when concur was "
			 "built): %s",
			 MPI_INSTALL_HINT);
		return 0;
	}
	return 1;
}

int mpi_ranks(const struct model *m, int workers, size_t n)
{
	size_t w = workers > 0 ? (size_t)workers : 1;
	if (w > n)
		w = n > 0 ? n : 1;
	return (int)w + m->manager_ranks;
}

/* ---- The run's own files ------------------------------------------------ */

/* A new directory (mode 0700) for one run's session directory and shared
 * memory, in l->files: under TMPDIR when it is absolute and short (Open
 * MPI builds longer paths under it), else /tmp. */
static int mpi_files_make(struct mpi_launch *l, char *why, size_t len)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || tmp[0] != '/' || strlen(tmp) > 64)
		tmp = "/tmp";
	snprintf(l->files, sizeof(l->files), "%s/concur-mpi-XXXXXX", tmp);
	if (mkdtemp(l->files))
		return 0;
	snprintf(why, len, "cannot make a directory for Open MPI in %s: %s",
		 tmp, strerror(errno));
	l->files[0] = '\0';
	return -1;
}

static int mpi_files_remove_cb(const char *path, const struct stat *st,
			       int kind, struct FTW *ftw)
{
	(void)st;
	(void)kind;
	(void)ftw;
	remove(path);
	return 0;
}

void mpi_launch_release(struct mpi_launch *l)
{
	/* FTW_PHYS: a link is removed, not followed; FTW_DEPTH: what is in
	 * a directory goes before it; FTW_MOUNT: no other file system. */
	if (l->files[0])
		nftw(l->files, mpi_files_remove_cb, 16,
		     FTW_PHYS | FTW_DEPTH | FTW_MOUNT);
	l->files[0] = '\0';
}

/* ---- The command line --------------------------------------------------- */

/* Fills l for m at C = workers on n tasks, on x's hosts (NULL: this
 * machine); btl, when not NULL, is the transport list to use (the
 * ping-pong's choice), else a local run gets shared memory only, unless
 * the user chose with OMPI_MCA_btl. */
static int mpi_build_argv(const struct model *m, int workers,
			  const struct external_opts *x, size_t n,
			  const char *btl, struct mpi_launch *l, char *why,
			  size_t len)
{
	l->files[0] = '\0';
	if (!mpi_available(why, len) ||
	    mpi_which("mpirun", l->mpirun, sizeof(l->mpirun)) != 0 ||
	    mpi_program(l->program, sizeof(l->program)) != 0)
		return -1;
	if (geteuid() == 0) { /* Open MPI refuses root without both */
		setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 0);
		setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 0);
	}
	snprintf(l->ranks, sizeof(l->ranks), "%d", mpi_ranks(m, workers, n));
	char *const fixed[] = {
		l->mpirun,
		"-np",
		l->ranks,
		"--oversubscribe",
		"--bind-to",
		"none",
		"--mca",
		"mpi_yield_when_idle",
		"1",
		"--mca",
		"btl_vader_single_copy_mechanism",
		"none",
	};
	size_t k = 0;
	for (; k < sizeof(fixed) / sizeof(fixed[0]); k++)
		l->argv[k] = fixed[k];
	if (x && x->hosts) {
		l->argv[k++] = "--host";
		l->argv[k++] = (char *)x->hosts;
	} else if (x && x->hostfile) {
		l->argv[k++] = "--hostfile";
		l->argv[k++] = (char *)x->hostfile;
	} else {
		/* Names of our own, not mpirun's PID's (mpi.h). */
		if (mpi_files_make(l, why, len) != 0)
			return -1;
		char *const own[] = {"--mca",
				     "orte_tmpdir_base",
				     l->files,
				     "--mca",
				     "btl_vader_backing_directory",
				     l->files};
		for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
			l->argv[k++] = own[i];
		if (!btl && !getenv("OMPI_MCA_btl"))
			btl = MPI_LOCAL_BTL; /* TCP's would take 0.0.0.0 */
	}
	if (btl) {
		l->argv[k++] = "--mca";
		l->argv[k++] = "btl";
		l->argv[k++] = (char *)btl;
	}
	l->argv[k++] = l->program;
	l->argv[k] = NULL;
	return 0;
}

int mpi_launch_argv(const struct model *m, int workers,
		    const struct external_opts *x, size_t n,
		    struct mpi_launch *l, char *why, size_t len)
{
	return mpi_build_argv(m, workers, x, n, NULL, l, why, len);
}

int mpi_latency_argv(const char *btl, struct mpi_launch *l, char *why,
		     size_t len)
{
	const struct model *m = model_find("mpi-static");
	if (!m || mpi_build_argv(m, 2, NULL, 2, btl, l, why, len) != 0)
		return -1;
	size_t k = 0;
	while (l->argv[k])
		k++;
	l->argv[k] = "--latency"; /* ... PROGRAM --latency */
	l->argv[k + 1] = NULL;
	return 0;
}

/* {"latency_us": X, "best_us": B, "p50_us": M, "blocks_us": [...]} into
 * out (all but X may be missing: best and median are then the mean, and
 * there are no blocks). */
static int mpi_latency_parse(const char *text, struct mpi_latency *out)
{
	json_error_t e;
	json_t *doc = json_loads(text, JSON_DISABLE_EOF_CHECK, &e);
	json_t *mean = json_object_get(doc, "latency_us");
	json_t *best = json_object_get(doc, "best_us");
	json_t *median = json_object_get(doc, "p50_us");
	json_t *blocks = json_object_get(doc, "blocks_us");
	int rc = json_is_number(mean) ? 0 : -1;
	out->mean_us = json_number_value(mean);
	out->best_us =
		json_is_number(best) ? json_number_value(best) : out->mean_us;
	out->median_us = json_is_number(median) ? json_number_value(median)
						: out->mean_us;
	out->n_blocks = 0;
	for (size_t i = 0;
	     i < json_array_size(blocks) && out->n_blocks < MPI_LATENCY_BLOCKS;
	     i++) {
		json_t *b = json_array_get(blocks, i);
		if (json_is_number(b))
			out->blocks_us[out->n_blocks++] = json_number_value(b);
	}
	json_decref(doc);
	return rc;
}

/* Runs argv, reads the ping-pong's JSON line from its stdout into out;
 * 0, or -1 on failure. */
static int mpi_run_latency(char *const argv[], struct mpi_latency *out)
{
	int fd[2];
	if (pipe(fd) != 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	char buf[1024] = "";
	size_t got = 0;
	ssize_t r;
	while (pid > 0 && got < sizeof(buf) - 1 &&
	       (r = read(fd[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)r;
	close(fd[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	return got > 0 ? mpi_latency_parse(buf, out) : -1;
}

int mpi_latency_measure(const char *btl, struct mpi_latency *out, char *why,
			size_t len)
{
	struct mpi_launch l;
	if (mpi_latency_argv(btl, &l, why, len) != 0)
		return -1;
	int rc = mpi_run_latency(l.argv, out);
	mpi_launch_release(&l);
	if (rc != 0)
		snprintf(why, len, "the ping-pong over %s did not report", btl);
	return rc;
}

double mpi_latency_us(const char *btl, char *why, size_t len)
{
	struct mpi_latency m;
	return mpi_latency_measure(btl, &m, why, len) == 0 ? m.mean_us : NAN;
}

/* ---- The launcher ------------------------------------------------------- */

/* One launch: the command line, what mpirun said, and whether its end is
 * only its teardown. */
struct mpi_run {
	struct mpi_launch launch;
	struct mpi_said said;
	bool teardown; /* the deadline is the teardown's (mpi_deadline) */
};

static int mpi_launcher_available(const struct model *m,
				  const struct external_opts *x, char *why,
				  size_t len)
{
	(void)m;
	(void)x;
	return mpi_available(why, len);
}

static int mpi_start(struct launch *l, const struct model *m,
		     const struct run_opts *o, const struct external_opts *x,
		     size_t n, char *why, size_t len)
{
	struct mpi_run *r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	if (mpi_launch_argv(m, o->workers, x, n, &r->launch, why, len) != 0) {
		mpi_launch_release(&r->launch);
		free(r);
		return -1;
	}
	r->said.pass_all = o->trace;
	l->state = r;
	l->argv = r->launch.argv;
	return 0;
}

static void mpi_read_err(struct launch *l, int *fd)
{
	struct mpi_run *r = l->state;
	mpi_said_read(&r->said, fd);
}

static void mpi_end_err(struct launch *l)
{
	struct mpi_run *r = l->state;
	mpi_said_bytes(&r->said, NULL, 0);
}

/* Once mpirun has said a rank died, it has MPI_TEARDOWN_S left to end,
 * not the rest of the run's time. */
static double mpi_deadline(struct launch *l, double deadline)
{
	struct mpi_run *r = l->state;
	double end = clock_now() + MPI_TEARDOWN_S;
	if (!r->teardown && end < deadline && mpi_said_rank_died(&r->said)) {
		r->teardown = true;
		return end;
	}
	return deadline;
}

/* mpirun failed: a rank died (its unreported tasks crashed; mpirun
 * ended the others) or the ranks never started (a host unreachable, too
 * few slots: the tasks were not run). Open MPI's many lines become one of
 * ours, said once here. */
static void mpi_failed(const struct mpi_run *r, const struct model *m,
		       const struct external_opts *x,
		       const struct launch_end *e, enum result_kind *missing,
		       char *why, size_t len)
{
	char said[300], then[64] = "";
	int ran = mpi_said_summary(&r->said, said, sizeof(said)) ||
		  e->n_reported > 0;
	if (!said[0])
		snprintf(said, sizeof(said), "mpirun exited with status %d",
			 WEXITSTATUS(e->wstatus));
	if (e->timed_out) /* see mpi_verdict */
		snprintf(then, sizeof(then),
			 " (then mpirun hung on its way out: killed)");
	else if (WIFSIGNALED(e->wstatus))
		snprintf(then, sizeof(then), " (then mpirun died of signal %d)",
			 WTERMSIG(e->wstatus));
	*missing = ran ? RESULT_CRASHED : RESULT_NOT_RUN;
	bool hosts = x->hosts || x->hostfile;
	char line[512];
	snprintf(line, sizeof(line), "%s%s%s%s",
		 ran ? "" : "the ranks never started: ", said,
		 !ran && hosts ? " (is every host reachable by ssh without a "
				 "password, with concur at the same path?)"
			       : "",
		 then);
	cli_error("%s: %s", m->name, line); /* quotes mpirun: made safe */
	size_t n = strlen(line) < len ? strlen(line) : len - 1;
	memcpy(why, line, n); /* the results keep what fits */
	why[n] = '\0';
}

/* mpirun that has reported a rank's death may then die itself on its way
 * out, or hang there: Open MPI 4.1.4 with Debian's PMIx 4.2 sometimes
 * segfaults, or deadlocks, in PMIx_server_finalize (orte_finalize), a few
 * runs in twenty. The job had ended; the rank's death is what failed, and
 * mpirun's end is said after it (mpi_deadline gave it MPI_TEARDOWN_S, not
 * the run's time). A time limit of the run's own, or a signal with no
 * rank dead, is the protocol's to say. */
static int mpi_verdict(const struct launch *l, const struct model *m,
		       const struct external_opts *x,
		       const struct launch_end *e, enum result_kind *missing,
		       char *why, size_t len)
{
	const struct mpi_run *r = l->state;
	bool rank_died = mpi_said_rank_died(&r->said);
	bool failed = WIFSIGNALED(e->wstatus) ||
		      (WIFEXITED(e->wstatus) && WEXITSTATUS(e->wstatus) != 0);
	if (e->timed_out ? !r->teardown
			 : !failed || (WIFSIGNALED(e->wstatus) && !rank_died))
		return -1;
	mpi_failed(r, m, x, e, missing, why, len);
	return EXTERNAL_FAILED;
}

static void mpi_release(struct launch *l)
{
	struct mpi_run *r = l->state;
	mpi_launch_release(&r->launch); /* every rank is gone: their files */
	free(r);
	l->state = NULL;
}

const struct launcher mpi_launcher = {
	.available = mpi_launcher_available,
	.start = mpi_start,
	.read_err = mpi_read_err,
	.end_err = mpi_end_err,
	.deadline = mpi_deadline,
	.verdict = mpi_verdict,
	.release = mpi_release,
	.whole_wall = true,
};
