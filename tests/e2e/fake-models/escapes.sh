#!/bin/sh
# A fake Python (concur run --python THIS --models py-threads) whose model
# writes terminal control sequences everywhere it can: on its stderr (a
# window title, a screen clear, a C1 CSI), in a task's message and in a
# line that is not JSON. tests/e2e/test_hostile_terminal.c checks that none
# reaches the terminal as it is. As `THIS -c CODE` it is the probe for
# aiohttp, and says yes (exit 42, as python.c expects).
[ "$1" = "-c" ] && exit 42
cat >/dev/null
printf '\033]0;PWNED\007\033[2Jstderr: cleared\n' >&2
printf 'stderr: C1 CSI \302\2332J and DEL \177\n' >&2
printf '\033[31mnot JSON, red\n'
echo '{"index": 0, "kind": "refused", "status": 0, "bytes": 0, "checksum": "0x0", "start": 0, "end": 0, "worker": 0, "message": "\u001b]0;PWNED\u0007\u001b[2J"}'
echo '{"run_s": 0.001}'
