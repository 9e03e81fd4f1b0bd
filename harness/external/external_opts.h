// SPDX-License-Identifier: MIT
/*
 * external_opts.h - what only a model that is a program reads: its time
 * limit, its interpreter, its pool's start method, the hosts it spans. The
 * runner (external.c), its launchers (python.c, mpi.c) and the protocol
 * (protocol.c) read it; a C model never sees it (its options are struct
 * run_opts, common/options.h). A header of its own so that all of them
 * include it without including each other. The harness fills it and hands
 * it to model_run (dispatch.h) beside the run_opts.
 */
#ifndef CONCUR_EXTERNAL_OPTS_H
#define CONCUR_EXTERNAL_OPTS_H

struct external_opts {
	double model_timeout_s;	  /* kill the program after this (and the
				     measured child, 10 s later, whatever
				     the model: run/measure.h); 0: derived */
	const char *python;	  /* .py programs: the interpreter; NULL: the
				     harness chooses */
	const char *start_method; /* programs with a process pool: how it
				     starts its workers (Python's "fork",
				     "spawn", "forkserver"); NULL: the
				     language's default */
	const char *hosts;	  /* models that span machines: "host:slots,..."
				     (mpirun --host); NULL: this machine */
	const char *hostfile;	  /* or a file of hosts (mpirun --hostfile) */
	const char *compute_kind; /* py-* models: what a compute unit is
				     ("python", "hashlib", "zlib", "cdll",
				     "pydll": models/python/concur_work.py);
				     NULL: the kernel in Python. Lesson 18
				     sets it: only python, cdll and pydll
				     give the kernel's checksum */
};

#endif
