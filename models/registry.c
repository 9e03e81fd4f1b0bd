// SPDX-License-Identifier: MIT
/*
 * registry.c - every model concur knows, by name. Adding a C model is one
 * extern line and one table line here; an external model (a program that
 * speaks the protocol in models/README.md) is one table line.
 */
#include <stdio.h>
#include <string.h>

#include "models/model.h"

extern const struct model model_sequential;
extern const struct model model_threads;
extern const struct model model_processes;
extern const struct model model_eventloop;
extern const struct model model_gil;
extern const struct model model_hybrid;
extern const struct model model_coroutines;
#ifdef CONCUR_GRADER
/* The grader's build (build/concur-grade, harness/grade/grade.c): the
 * exercises by name and flags, without their code. The grader runs a
 * student's model only in a contained host process (concur-host,
 * tests/conformance/host.c), never in its own, so no constructor or
 * destructor a student writes runs in the process that grades. The flags
 * are those of models/exercises/NAME.c. */
const int model_registry_is_grader = 1;

static int registry_not_here(struct batch *batch, const struct run_opts *opts)
{
	(void)batch;
	(void)opts;
	fprintf(stderr, "concur-grade: an exercise runs only in its host "
			"(concur-host), never in the grader\n");
	return -1;
}

#define EXERCISE(NAME, FLAGS)                                                  \
	(&(const struct model){.name = (NAME),                                 \
			       .summary = "an exercise (graded in its host)",  \
			       .run = registry_not_here,                       \
			       .flags = (FLAGS)})
#else
const int model_registry_is_grader = 0;
extern const struct model model_student; /* the classroom exercises */
extern const struct model model_tally;
#endif
#if defined(CONCUR_TEACHER) && !defined(CONCUR_GRADER)
/* Their answers, in the teacher's build only (build/teacher/concur, which
 * `make teacher` and `make check-model MODEL=solution` compile with
 * -DCONCUR_TEACHER): the students' concur neither lists nor runs them. */
extern const struct model model_solution;
extern const struct model model_tally_solution;
#endif

/* A Python model: models/python/NAME.py, run by the harness
 * (harness/external/dispatch.h); FLAGS besides MODEL_EXTERNAL and
 * MODEL_PYTHON.
 * NAME is pasted into a string literal, so it cannot be parenthesised. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define PYTHON_MODEL(NAME, SUMMARY, COMPUTE, FLAGS)                            \
	(&(const struct model){.name = NAME,                                   \
			       .summary = SUMMARY,                             \
			       .flags = MODEL_EXTERNAL | MODEL_PYTHON |        \
					(FLAGS),                               \
			       .compute = COMPUTE,                             \
			       .command = "models/python/" NAME ".py"})
/* NOLINTEND(bugprone-macro-parentheses) */

/* An MPI model: build/concur-mpi (models/mpi/), started by mpirun as C
 * working ranks plus MANAGERS (harness/external/mpi.h). */
#define MPI_MODEL(NAME, SUMMARY, MANAGERS)                                     \
	(&(const struct model){.name = (NAME),                                 \
			       .summary = (SUMMARY),                           \
			       .flags = MODEL_EXTERNAL | MODEL_MPI,            \
			       .command = "concur-mpi",                        \
			       .manager_ranks = (MANAGERS)})

static const struct model *const registry[] = {
	&model_sequential,
	&model_threads,
	&model_processes,
	&model_eventloop,
	&model_gil,
	&model_hybrid,
	&model_coroutines,
	PYTHON_MODEL("py-sequential", "Python: a plain loop, the baseline",
		     COMPUTE_ONE_AT_A_TIME, MODEL_BASELINE),
	PYTHON_MODEL("py-threads", "Python: a pool of C threads, one GIL",
		     COMPUTE_ONE_AT_A_TIME, 0),
	PYTHON_MODEL("py-processes", "Python: a pool of C processes",
		     COMPUTE_ON_WORKERS, 0),
	PYTHON_MODEL("py-asyncio", "Python: asyncio + aiohttp, C in flight",
		     COMPUTE_ONE_AT_A_TIME, 0),
	PYTHON_MODEL("py-dask",
		     "Python: Dask's scheduler, C worker processes "
		     "(or across --hosts)",
		     COMPUTE_ON_WORKERS, MODEL_DASK | MODEL_NO_SHARED),
	MPI_MODEL("mpi", "MPI: a task farm, rank 0 hands out tasks to C ranks",
		  1),
	MPI_MODEL("mpi-static",
		  "MPI: C ranks, equal blocks scattered, "
		  "results gathered",
		  0),
#ifdef CONCUR_GRADER
	EXERCISE("student", MODEL_EXERCISE | MODEL_NO_SHARED),
	EXERCISE("tally", MODEL_EXERCISE | MODEL_SHARED_ONLY),
#ifdef CONCUR_TEACHER
	EXERCISE("solution", MODEL_EXERCISE | MODEL_NO_SHARED),
	EXERCISE("tally_solution", MODEL_EXERCISE | MODEL_SHARED_ONLY),
#endif
#else
	&model_student,
	&model_tally,
#ifdef CONCUR_TEACHER
	&model_solution,
	&model_tally_solution,
#endif
#endif
};

#define REGISTRY_SIZE (sizeof(registry) / sizeof(registry[0]))

const struct model *model_find(const char *name)
{
	for (size_t i = 0; i < REGISTRY_SIZE; i++)
		if (strcmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}

unsigned model_flags_of(const char *name)
{
	const struct model *m = model_find(name);
	return m ? m->flags : 0;
}

const struct model *model_baseline(bool python)
{
	for (size_t i = 0; i < REGISTRY_SIZE; i++) {
		unsigned f = registry[i]->flags;
		if ((f & MODEL_BASELINE) && !(f & MODEL_PYTHON) == !python)
			return registry[i];
	}
	return NULL;
}

const struct model *const *model_list(size_t *count)
{
	*count = REGISTRY_SIZE;
	return registry;
}

const char *model_names(void)
{
	static char names[512];
	size_t used = 0;
	names[0] = '\0';
	for (size_t i = 0; i < REGISTRY_SIZE && used < sizeof(names); i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used,
					 "%s%s", i ? ", " : "",
					 registry[i]->name);
	return names;
}
