#!/bin/sh
# A fake external model that says how far it handed tasks out (3 of 5),
# reports task 0, goes back on its word (a bad line), and dies of SIGSEGV:
# tasks 1 and 2 must be `crashed`, 3 and 4 `not_run` (never handed out).
cat >/dev/null
echo '{"handed_out": 2}'
echo '{"index": 0, "kind": "ok", "status": 0, "bytes": 0, "checksum": "0x9e3779b97f4a7c15", "start": 0, "end": 0, "worker": 0, "handed_out": 3}'
echo '{"handed_out": 1}'
kill -SEGV $$
