// SPDX-License-Identifier: MIT
/* dispatch.c - a C model's function, or an external model's program. */
#include "harness/external/dispatch.h"

#include "harness/external/external.h"

int model_run(const struct model *m, struct batch *batch,
	      const struct run_opts *opts, const struct external_opts *x)
{
	if (m->flags & MODEL_EXTERNAL)
		return external_run(m, batch, opts, x);
	return m->run(batch, opts);
}
