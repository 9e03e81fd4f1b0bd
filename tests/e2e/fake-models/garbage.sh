#!/bin/sh
# A fake external model that never reads its batch and answers badly: one
# good line (task 0), then lines that are wrong in every way the harness
# must catch. tests/e2e/test_external.c checks each one is recorded as such.
echo '{"index": 0, "kind": "ok", "status": 0, "bytes": 0, "checksum": "0x9e3779b97f4a7c15", "start": 0, "end": 0, "worker": 0}'
echo 'this is not JSON'
echo '{"index": 1, "kind": "ok", "status": 1234, "bytes": 0, "checksum": "0x0", "start": 0, "end": 0, "worker": 0}'
echo '{"index": 2, "kind": "splendid", "status": 0, "bytes": 0, "checksum": "0x0", "start": 0, "end": 0, "worker": 0}'
echo '{"index": 3, "kind": "ok", "status": 0, "bytes": 0, "checksum": "0x0", "start": 0, "end": 0, "worker": 0}'
echo '{"index": 3, "kind": "ok", "status": 0, "bytes": 0, "checksum": "0x0", "start": 0, "end": 0, "worker": 0}'
echo '{"index": 4, "kind": "ok", "status": 0, "bytes": 0, "checksum": "0xZZ", "start": 0, "end": 0, "worker": 0}'
echo '{"index": 5, "kind": "ok", "status": 0, "bytes": 0, "checksum": "0x0", "start": 0, "end": 1e9, "worker": 0}'
echo '{"index": 6, "kind": "ok", "status": 0, "bytes": 0, "checksum": "0x0", "start": 0, "end": 0, "worker": 99}'
echo '{"index": 7, "kind": "ok", "status": 0, "bytes": 0, "checksum": 42, "start": 0, "end": 0, "worker": 0}'
echo '{"index": 999999, "kind": "ok"}'
echo '{"run_s": 0.001}'
