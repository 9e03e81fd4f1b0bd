// SPDX-License-Identifier: MIT
/*
 * mpi_leaks.c - LeakSanitizer's settings for concur-mpi, linked into it
 * only when it is built with -fsanitize=address (`make asan`).
 *
 * Open MPI (and the hwloc, PMIx and libevent under it) keeps allocations
 * until the process ends, and LeakSanitizer reports them at every rank's
 * exit: some 3,000 blocks a run, which made mpirun report a failed rank
 * and buried anything of ours. They are suppressed here by the library
 * that made them, and nothing else: a leak whose stack has none of these
 * libraries (our own code: models/mpi/, common/) is still reported. The
 * libraries are built without frame pointers, so the fast unwinder stops
 * one frame into them and the suppressions would not match; the slow
 * unwinder walks the whole stack. concur-mpi allocates little, so the
 * cost is small.
 */

const char *__asan_default_options(void);
const char *__lsan_default_suppressions(void);

const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0:print_suppressions=0";
}

const char *__lsan_default_suppressions(void)
{
	return "leak:libmpi.so\n"
	       "leak:libopen-pal.so\n"
	       "leak:libopen-rte.so\n"
	       "leak:libhwloc.so\n"
	       "leak:libpmix.so\n"
	       "leak:libevent\n";
}
