#!/usr/bin/env bash
# Runs each Check suite binary given as an argument, several at a time, and
# prints each suite's output whole, in the order they start (TESTS_ALONE
# first, then the order given), followed by its time: wall clock, and CPU
# (user + sys of the suite and the processes it waited for). A suite
# that waits (servers, timeouts, watchdogs) has wall >> CPU.
# At the end: the suites sorted by wall time, then the one line CI reads:
#   concur tests: N suites, M checks, F failures, E errors
# Exit status 1 when any suite failed.
#
# Environment:
#   TEST_JOBS    suites run at once (default: 2 per core; most suites wait
#                rather than compute). TEST_JOBS=1 runs them one by one.
#   TESTS_ALONE  suite names (e.g. "test_lessons test_grade") that run with
#                no other suite beside them: they measure speed or judge the
#                machine's free cores. They run first, one at a time.
#   TESTS_FIRST  suite names the pool starts before the others (the long
#                ones, so that no long suite begins last).
#   TESTS_SPLIT  NAME:N items: suite NAME runs as N parts at once, part k
#                with CONCUR_TEST_PART=k/N (tests/support/runner.h); the
#                parts' checks add up to one suite's.
set -u
cores=$(nproc 2>/dev/null || echo 2)
at_once=${TEST_JOBS:-$((2 * cores))}
[ "$at_once" -ge 1 ] 2>/dev/null || { echo "TEST_JOBS must be a number >= 1" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/concur-run-tests-XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'kill $(jobs -p) 2>/dev/null; exit 130' INT TERM

# One entry per run: the binary, and its part ("" for the whole suite).
bins=() parts=()
for bin in "$@"; do
  n=1
  for split in ${TESTS_SPLIT:-}; do
    [ "${split%%:*}" = "$(basename "$bin")" ] && n=${split##*:}
  done
  [ "$n" -ge 1 ] 2>/dev/null || { echo "TESTS_SPLIT: bad count in $bin:$n" >&2; exit 2; }
  for ((k = 1; k <= n; k++)); do
    bins+=("$bin")
    if [ "$n" -gt 1 ]; then parts+=("$k/$n"); else parts+=(""); fi
  done
done
count=${#bins[@]}
suites=0 checks=0 failures=0 errors=0 failed=()
started=$(date +%s.%N)

# ---- running one suite ------------------------------------------------------

# Runs suite number i into $work/i.out, its time into $work/i.time (wall user
# sys) and, last, its exit status into $work/i.rc (the sign it is done).
run_suite() {
  local i=$1 bin=${bins[$1]} rc TIMEFORMAT='%R %U %S'
  if [ ! -x "$bin" ]; then
    echo "missing test binary: $bin" >"$work/$i.out"
    echo "0 0 0" >"$work/$i.time"
    echo 127 >"$work/$i.rc"
    return
  fi
  { time CONCUR_TEST_PART=${parts[$i]} "$bin" >"$work/$i.out" 2>&1; rc=$?; } \
    2>"$work/$i.time"
  echo "$rc" >"$work/$i.rc.tmp" && mv "$work/$i.rc.tmp" "$work/$i.rc"
}

# Is suite binary $2 named in the list $1?
listed() {
  case " $1 " in *" $(basename "$2") "*) return 0 ;; esac
  return 1
}

# ---- printing, in the order given -------------------------------------------

printed=0
times=()

# Prints suite i's output and time, and adds its counts to the totals.
report_suite() {
  local i=$1 name rc wall user sys cpu line c f e
  name=$(basename "${bins[$i]}")${parts[$i]:+ (part ${parts[$i]})}
  rc=$(cat "$work/$i.rc")
  read -r wall user sys <"$work/$i.time"
  cat "$work/$i.out"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
  printf -- '-- %s: %.1f s wall, %s s CPU (user %.1f + sys %.1f)\n' \
    "$name" "$wall" "$cpu" "$user" "$sys"
  times+=("$wall $cpu ${name// /_}")
  [ -x "${bins[$i]}" ] || { failed+=("${bins[$i]}"); return; }
  case ${parts[$i]} in "" | 1/*) suites=$((suites + 1)) ;; esac
  line=$(grep -E '^[0-9]+%: Checks: ' "$work/$i.out" | tail -1)
  if [ -n "$line" ]; then
    c=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
    f=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
    e=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
    checks=$((checks + c)); failures=$((failures + f)); errors=$((errors + e))
  fi
  [ "$rc" -eq 0 ] && [ -n "$line" ] || failed+=("${name// /_}")
}

# The order of the output is the order they start in: TESTS_ALONE first,
# then the others in the order given.
order=()
for ((i = 0; i < count; i++)); do
  listed "${TESTS_ALONE:-}" "${bins[$i]}" && order+=("$i")
done
for ((i = 0; i < count; i++)); do
  listed "${TESTS_ALONE:-}" "${bins[$i]}" || order+=("$i")
done

# Prints every finished suite not yet printed that has no unfinished one
# before it.
print_ready() {
  while [ "$printed" -lt "$count" ] && [ -e "$work/${order[$printed]}.rc" ]; do
    report_suite "${order[$printed]}"
    printed=$((printed + 1))
  done
}

# ---- the schedule -----------------------------------------------------------

# Starts suite i in the background once fewer than $at_once run.
start_in_pool() {
  while [ "$(jobs -rp | wc -l)" -ge "$at_once" ]; do
    wait -n
    print_ready
  done
  run_suite "$1" &
}

# First the suites that must run alone, one at a time ...
for ((i = 0; i < count; i++)); do
  listed "${TESTS_ALONE:-}" "${bins[$i]}" || continue
  run_suite "$i"
  print_ready
done
# ... then the others, at most $at_once at once, the long ones first.
for ((i = 0; i < count; i++)); do
  listed "${TESTS_ALONE:-}" "${bins[$i]}" && continue
  listed "${TESTS_FIRST:-}" "${bins[$i]}" && start_in_pool "$i"
done
for ((i = 0; i < count; i++)); do
  listed "${TESTS_ALONE:-} ${TESTS_FIRST:-}" "${bins[$i]}" && continue
  start_in_pool "$i"
done
while [ "$(jobs -rp | wc -l)" -gt 0 ]; do
  wait -n
  print_ready
done
wait
print_ready

# ---- the summary ------------------------------------------------------------

elapsed=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", e - s }')
echo "suite times (wall s, CPU s), slowest first; $suites suites ($count runs)" \
  "in ${elapsed} s with $at_once at once:"
printf '%s\n' "${times[@]}" | sort -k1,1 -g -r |
  awk '{ printf "  %-26s %7.1f %7.1f\n", $3, $1, $2; cpu += $2 }
       END { printf "  %-26s %7s %7.1f\n", "(total CPU)", "", cpu }'
echo "concur tests: $suites suites, $checks checks, $failures failures, $errors errors"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
