// SPDX-License-Identifier: MIT
/*
 * spin.c - the compute kernel (common/kernel.h) as a tiny shared library,
 * build/libspin.so, for lesson 18 ("when Python threads do run in
 * parallel"). py-threads calls concur_spin through ctypes twice over:
 *
 *     ctypes.CDLL(path).concur_spin   lets go of the GIL for the call, so
 *                                     two threads spin on two cores;
 *     ctypes.PyDLL(path).concur_spin  keeps holding it, so they take turns.
 *
 * The C is the same both times: only who holds the lock differs. The
 * result is the kernel's checksum, the one the harness checks every model
 * against. Built without sanitizers (the Makefile says why): a Python
 * process loads it.
 */
#include <stdint.h>

#include "common/kernel.h"

uint64_t concur_spin(uint64_t seed, uint64_t units, uint64_t iters_per_unit);

/* `units` units of `iters_per_unit` iterations from `seed`: what
 * kernel_run computes, with the unit's size from the caller (the
 * protocol's kernel_iters_per_unit). No Python object is touched, which
 * is what makes letting go of the GIL safe. */
uint64_t concur_spin(uint64_t seed, uint64_t units, uint64_t iters_per_unit)
{
	return kernel_iterate(seed ^ KERNEL_SEED_MIX, units * iters_per_unit);
}
