// SPDX-License-Identifier: MIT
/*
 * dispatch.h - running any model by its registry entry: a C model's own
 * run function, or, for a MODEL_EXTERNAL one, the program through the
 * protocol of models/README.md. The models know nothing of the second
 * kind (models/ never includes harness/); the harness calls this.
 */
#ifndef CONCUR_DISPATCH_H
#define CONCUR_DISPATCH_H

#include "harness/external/external_opts.h"
#include "models/model.h"

/* Runs model m on the batch with opts; a MODEL_EXTERNAL one also reads x
 * (NULL: every field 0), a C model never does. Returns what the model
 * returns (model.h). */
int model_run(const struct model *m, struct batch *batch,
	      const struct run_opts *opts, const struct external_opts *x);

#endif
