// SPDX-License-Identifier: MIT
/*
 * concur-mpi.c - the MPI models (mpi, mpi-static) as one program that
 * speaks the external-model protocol (models/README.md). The harness
 * starts it through `mpirun`, which starts R copies, the ranks, on one
 * machine or across hosts; ranks talk only through messages.
 *
 * The lesson: nothing is shared. The batch reaches the ranks as a
 * broadcast, tasks and results as messages, and a rank on another host
 * needs its own connection to the server. Setting this up costs: the
 * harness counts `mpirun`'s launch in the wall time and shows it apart as
 * set-up.
 *
 * Watch for: stdin reaches rank 0 only, and only rank 0 may write result
 * lines; every other rank prints only --trace lines, on stderr.
 *
 * Run it:  build/concur run --models mpi,mpi-static --workloads compute
 *          (by hand: mpirun -np 3 build/concur-mpi < batch.json; the
 *          cost of one message: mpirun -np 2 build/concur-mpi --latency)
 */
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/fetch.h"
#include "models/mpi/job.h"
#include "models/mpi/wait.h"

/* ---- the batch, on every rank ---- */

/* Rank 0: all of stdin. */
static char *mpi_read_all(FILE *in, size_t *len)
{
	size_t cap = 1 << 16, used = 0;
	char *buf = malloc(cap);
	while (buf) {
		used += fread(buf + used, 1, cap - used, in);
		if (used < cap)
			break;
		char *grown = realloc(buf, cap *= 2);
		if (!grown)
			free(buf);
		buf = grown;
	}
	*len = used;
	return buf;
}

/* Rank 0 reads the batch; MPI_Bcast gives every rank the same bytes, and
 * each parses its own copy. */
static int mpi_share_batch(struct mpi_job *j)
{
	char *text = NULL;
	unsigned long long len = 0;
	if (j->rank == 0) {
		size_t got = 0;
		text = mpi_read_all(stdin, &got);
		len = text ? got : 0;
	}
	mpi_bcast(&len, 1, MPI_UNSIGNED_LONG_LONG, 0);
	if (j->rank != 0)
		text = malloc(len + 1);
	if (!text || len > (unsigned long long)INT32_MAX) {
		fprintf(stderr, "concur-mpi: rank %d: no batch\n", j->rank);
		free(text);
		return -1;
	}
	mpi_bcast(text, (int)len, MPI_CHAR, 0);
	int rc = job_parse(j, text, (size_t)len);
	free(text);
	return rc;
}

/* ---- main ---- */

int main(int argc, char **argv)
{
	struct mpi_job j = {0};
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &j.rank);
	MPI_Comm_size(MPI_COMM_WORLD, &j.size);
	if (argc > 1 && strcmp(argv[1], "--latency") == 0) {
		int rc = pingpong_run(j.rank, j.size);
		MPI_Finalize();
		return rc == 0 ? 0 : 1;
	}
	if (j.rank == 0) /* until a model says more: no task started */
		job_write_handed_out(stdout, 0);
	if (fetch_global_init() != 0 || mpi_share_batch(&j) != 0)
		MPI_Abort(MPI_COMM_WORLD, 2); /* ends every rank */
	int farm = strcmp(j.model, "mpi") == 0;
	if (!farm && strcmp(j.model, "mpi-static") != 0) {
		fprintf(stderr, "concur-mpi: unknown model '%s'\n", j.model);
		MPI_Abort(MPI_COMM_WORLD, 2);
	}
	j.curl = fetch_handle_new();
	/* One start line for all: the ranks' clocks agree to a barrier's
	 * latency, on one machine or across hosts, plus the sleep a rank
	 * was in when the barrier completed (wait.c: 5 ms at most). */
	mpi_barrier();
	j.batch->t0 = clock_now();
	int rc = farm ? farm_run(&j) : static_run(&j);
	if (rc != 0)
		MPI_Abort(MPI_COMM_WORLD, 1);
	if (j.rank == 0)
		job_write_end(stdout, clock_now() - j.batch->t0,
			      farm ? j.size - 1 : j.size);
	if (j.curl)
		curl_easy_cleanup(j.curl);
	batch_free(j.batch);
	MPI_Finalize();
	curl_global_cleanup();
	return 0;
}
