#!/usr/bin/env bash
# Runs each Check suite binary given as an argument and prints one summary
# line at the end that CI can read:
#   concur tests: N suites, M checks, F failures, E errors
# Exit status 1 when any suite failed.
set -u
suites=0 checks=0 failures=0 errors=0 failed=()
for bin in "$@"; do
  [ -x "$bin" ] || { echo "missing test binary: $bin"; failed+=("$bin"); continue; }
  suites=$((suites + 1))
  out=$("$bin" 2>&1); rc=$?
  printf '%s\n' "$out"
  line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: ' | tail -1)
  if [ -n "$line" ]; then
    c=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
    f=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
    e=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
    checks=$((checks + c)); failures=$((failures + f)); errors=$((errors + e))
  fi
  [ $rc -eq 0 ] && [ -n "$line" ] || failed+=("$(basename "$bin")")
done
echo "concur tests: $suites suites, $checks checks, $failures failures, $errors errors"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
