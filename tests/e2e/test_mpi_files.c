// SPDX-License-Identifier: MIT
/*
 * test_mpi_files.c - a local MPI run keeps Open MPI's files (its session
 * directory, the shared-memory segments of the ranks) in a directory of
 * its own, made for the launch and removed after it.
 *
 * Why: by default both are named after mpirun's PID, in /tmp and
 * /dev/shm. Two runs contained in PID namespaces (the grader's) give
 * mpirun the same PID, so they shared those files: the second job wrote
 * into the first one's shared memory and rank 0 died in MPI_Recv
 * (signal 11; found as "task 8 ... got crashed" in a grade).
 *
 * Without Open MPI the tests pass with a note, except under CI=true.
 */
#define _GNU_SOURCE /* strchrnul */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/clock.h"
#include "harness/external/mpi.h"
#include "models/model.h"
#include "tests/support/files.h"
#include "tests/support/runner.h"
#include "tests/support/support.h"

/* ---- Helpers ------------------------------------------------------------ */

/* The value after `--mca name` in argv, or NULL. */
static const char *mca_of(char *const argv[], const char *name)
{
	for (size_t k = 0; argv[k] && argv[k + 1]; k++)
		if (strcmp(argv[k], "--mca") == 0 &&
		    strcmp(argv[k + 1], name) == 0)
			return argv[k + 2];
	return NULL;
}

/* Field 4 of /proc/PID/stat, the parent's pid; -1 when gone. */
static pid_t parent_of(pid_t pid)
{
	char path[64], text[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	files_read_into(path, text, sizeof(text));
	const char *p = strrchr(text, ')'); /* the name may hold spaces */
	int ppid = -1;
	if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

/* Adds to seen the files mapped by the processes two generations under
 * top (the ranks: top runs the harness, which starts mpirun) whose name
 * holds "vader_segment"; one path per line. Returns how many. */
static int rank_segments(pid_t top, char *seen, size_t len)
{
	int found = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d))) {
		pid_t pid = (pid_t)atoi(de->d_name);
		if (pid <= 0 || parent_of(parent_of(pid)) != top)
			continue;
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
		char *maps = files_read(path, NULL);
		for (char *l = maps; l && *l;) {
			char *end = strchrnul(l, '\n'), *file = strchr(l, '/');
			if (file && file < end &&
			    strstr(file, "vader_segment") &&
			    strstr(file, "vader_segment") < end) {
				size_t used = strlen(seen);
				snprintf(seen + used, len - used, "%.*s\n",
					 (int)(end - file), file);
				found++;
			}
			l = *end ? end + 1 : end;
		}
		free(maps);
	}
	if (d)
		closedir(d);
	return found;
}

/* ---- The tests ---------------------------------------------------------- */

/* Each local launch gets a new directory, mode 0700, for both of Open
 * MPI's places; a launch across hosts gets none (the path would not
 * exist there). Releasing removes it with what is in it, and a link in
 * it is removed, not followed. */
START_TEST(each_local_launch_gets_its_own_directory)
{
	if (!support_mpi("test_mpi_files"))
		return;
	const struct model *m = model_find("mpi");
	struct external_opts x = {0};
	struct mpi_launch a, b;
	char why[256], outside[64], path[512];
	ck_assert_int_eq(mpi_launch_argv(m, 2, &x, 4, &a, why, sizeof(why)), 0);
	ck_assert_int_eq(mpi_launch_argv(m, 2, &x, 4, &b, why, sizeof(why)), 0);
	const char *dir = mca_of(a.argv, "orte_tmpdir_base");
	ck_assert_ptr_nonnull(dir);
	ck_assert_str_eq(dir, mca_of(a.argv, "btl_vader_backing_directory"));
	ck_assert_str_ne(dir, mca_of(b.argv, "orte_tmpdir_base"));
	struct stat st;
	ck_assert_int_eq(lstat(dir, &st), 0);
	ck_assert(S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700);

	files_tmp_dir(outside, sizeof(outside), "mpi-files");
	snprintf(path, sizeof(path), "%s/kept", outside);
	ck_assert_int_eq(close(creat(path, 0600)), 0);
	snprintf(path, sizeof(path), "%s/link", dir);
	ck_assert_int_eq(symlink(outside, path), 0);
	snprintf(path, sizeof(path), "%s/ompi.host.0", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/ompi.host.0/segment", dir);
	ck_assert_int_eq(close(creat(path, 0600)), 0);
	char kept[512];
	snprintf(kept, sizeof(kept), "%s", dir);
	mpi_launch_release(&a);
	mpi_launch_release(&b);
	ck_assert_int_ne(access(kept, F_OK), 0);
	snprintf(path, sizeof(path), "%s/kept", outside);
	ck_assert_int_eq(access(path, F_OK), 0);
	files_rm_dir(outside);

	x.hosts = "localhost:2";
	ck_assert_int_eq(mpi_launch_argv(m, 2, &x, 4, &a, why, sizeof(why)), 0);
	ck_assert_ptr_null(mca_of(a.argv, "orte_tmpdir_base"));
	mpi_launch_release(&a);
}
END_TEST

/* A real run of the farm, as the harness makes it: while the one task
 * waits on the server, every shared-memory segment the ranks have
 * mapped is in the run's own directory, none in /dev/shm (where a job
 * of the same number, the same PID in another namespace, would map it
 * too); after the run that directory is gone. */
START_TEST(a_run_maps_no_segment_another_job_could_name)
{
	if (!support_mpi("test_mpi_files"))
		return;
	pid_t run = fork();
	ck_assert_int_ge(run, 0);
	if (run == 0) {
		struct batch *b = support_fetch_batch(1, "/delay/1500");
		struct run_opts o = run_opts_default();
		o.workers = 1;
		int rc = b ? support_run("mpi", b, &o) : -1;
		_exit(rc == 0 && b->results[0].kind == RESULT_OK ? 0 : 1);
	}
	char seen[4096] = "";
	double t0 = clock_now();
	while (rank_segments(run, seen, sizeof(seen)) == 0 &&
	       clock_now() - t0 < 20)
		usleep(20 * 1000);
	int status = 0;
	ck_assert_int_eq(waitpid(run, &status, 0), run);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "the run failed: status %d", status);
	ck_assert_msg(seen[0], "no rank was seen with a segment mapped");
	for (char *l = seen; *l;) {
		char *end = strchr(l, '\n');
		*end = '\0';
		ck_assert_msg(strncmp(l, "/dev/shm/", 9) != 0 &&
				      strstr(l, "/concur-mpi-"),
			      "a segment at a shared path: %s", l);
		*strrchr(l, '/') = '\0'; /* its directory: removed */
		ck_assert_msg(access(l, F_OK) != 0, "%s is left", l);
		l = end + 1;
	}
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("mpi_files");
	TCase *tc = runner_tcase(s, "files", 60);
	tcase_add_unchecked_fixture(tc, support_server_up, support_server_down);
	tcase_add_test(tc, each_local_launch_gets_its_own_directory);
	tcase_add_test(tc, a_run_maps_no_segment_another_job_could_name);
	return s;
}
