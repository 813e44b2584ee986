#!/usr/bin/env bash
# Bounded fuzzing (make fuzz): every libFuzzer target of a BACKBEAT_FUZZ
# build for SECONDS each, starting from its checked-in corpus
# (tests/fuzz/corpus/<target>/, never written to). Any crash, sanitizer
# report, leak, timeout (-timeout: a hang) or out-of-memory fails the run;
# the input that caused it is kept in BUILD_DIR/fuzz-artifacts/.
# Prints the executions of each target, for docs/.
#
# Usage: tests/fuzz/run.sh BUILD_DIR [SECONDS]
set -uo pipefail

build=${1:?usage: run.sh BUILD_DIR [SECONDS]}
seconds=${2:-60}
src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
targets=(fuzz_http_request fuzz_json_decoding fuzz_record_decoding)
artifacts=$build/fuzz-artifacts
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$artifacts"

# One report aborts (like the tests); leaks are checked after every input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:detect_leaks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1:suppressions=$src/../sanitizers/ubsan.supp}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$src/../sanitizers/lsan.supp:print_suppressions=0}

passed=0
failed=0
for t in "${targets[@]}"; do
  binary=$build/tests/fuzz/$t
  log=$scratch/$t.log
  mkdir -p "$scratch/$t"
  if [ ! -x "$binary" ]; then
    echo "fuzz: $t: $binary is missing (configure with -DBACKBEAT_FUZZ=ON)"
    failed=$((failed + 1))
    continue
  fi
  # New inputs go to the scratch directory (the first one); the checked-in
  # corpus only seeds.
  "$binary" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=4096 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$t-" \
    "$scratch/$t" "$src/corpus/$t" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    echo "fuzz: $t: ${execs:-?} executions in ${seconds} s (${rate:-?}/s), ${cov:-cov: ?}, corpus +$(ls "$scratch/$t" | wc -l) inputs, no findings"
  else
    failed=$((failed + 1))
    echo "fuzz: $t: FAILED (exit $rc) after ${execs:-?} executions; input kept in $artifacts/"
    tail -n 80 "$log"
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
