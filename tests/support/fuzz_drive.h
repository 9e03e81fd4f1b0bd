// SPDX-License-Identifier: MIT
/*
 * fuzz_drive.h - drives one http_conn (harness/server/http_conn.h) with a script
 * of bytes, as the socket layer would, and aborts when an invariant
 * breaks. Shared by the libFuzzer target (tests/fuzz/fuzz_request.c) and
 * the suite that replays its corpus in `make test` (test_fuzz_corpus.c).
 *
 * The script: the input is cut at every 0xFF byte into segments. The first
 * byte of a segment is a control byte, the rest is request data:
 *   bits 0-5  the data goes in as pieces of (bits + 1) bytes
 *   bit 6     then the clock jumps to the connection's deadline
 *   bit 7     then the client closes (EOF)
 * After each step every ready output byte is taken, in writes that
 * sometimes block (as a full socket would), up to 256 KiB a step.
 */
#ifndef CONCUR_FUZZ_DRIVE_H
#define CONCUR_FUZZ_DRIVE_H

#include <stddef.h>
#include <stdint.h>

/* Runs one script; returns the number of answer bytes taken. */
size_t fuzz_drive(const uint8_t *data, size_t len);

#endif
