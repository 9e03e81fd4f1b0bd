// SPDX-License-Identifier: MIT
/*
 * fuzz_request.c - the libFuzzer target over the server's request handling:
 * bytes in, one http_conn driven as a connection would be, no sockets
 * (tests/support/fuzz_drive.h has the script format and the invariants).
 *
 * Run: make fuzz FUZZ_SECONDS=60. New inputs that reach new code are kept
 * in tests/fuzz/corpus/, which `make test` replays (test_fuzz_corpus).
 */
#include <stddef.h>
#include <stdint.h>

#include "tests/support/fuzz_drive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_drive(data, size);
	return 0;
}
