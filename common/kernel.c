// SPDX-License-Identifier: MIT
/* kernel.c - the one kernel function that is not inline (see kernel.h). */
#include "common/kernel.h"

void kernel_advance(struct kernel *k, uint64_t n)
{
	k->state = kernel_iterate(k->state, n);
}
