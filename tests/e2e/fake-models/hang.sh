#!/bin/sh
# A fake external model that reports task 0 and then hangs, with a child of
# its own that holds stdout open. The harness must kill both at the time
# limit; the child's pid goes to $CONCUR_FAKE_PIDFILE so the test can check.
cat >/dev/null
sleep 600 &
echo $! >"$CONCUR_FAKE_PIDFILE"
echo '{"index": 0, "kind": "ok", "status": 0, "bytes": 0, "checksum": "0x9e3779b97f4a7c15", "start": 0, "end": 0, "worker": 0}'
wait
