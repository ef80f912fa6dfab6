#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ (front matter, Markdown, plan YAML, site.yaml, .ftl) one after
# another, each for a bounded time. Not part of CI or scripts/test.sh: run it by hand.
#
#   scripts/fuzz.sh                     # every target, FUZZ_SECONDS (default 300) each
#   FUZZ_SECONDS=60 scripts/fuzz.sh markdown plan_yaml
#
# Environment:
#   FUZZ_SECONDS     seconds per target (default 300)
#   FUZZ_TIMEOUT     seconds one input may take before libFuzzer calls it a hang (default 30)
#   FUZZ_SANITIZER   address (default) or none, leak, ... (see `cargo fuzz run --help`)
#   FUZZ_KEEP_GOING  1: after a crash, go on with the remaining targets (default: stop)
#   FUZZ_ARGS        extra libFuzzer flags, e.g. "-max_len=65536" (word-split)
#
# cargo-fuzz needs nightly-only rustc flags (-Zsanitizer, sanitizer coverage); the stable
# toolchain accepts them with RUSTC_BOOTSTRAP=1, which this script sets for its own cargo
# calls only. New corpus entries go to fuzz/corpus/<target>/ (git-ignored), seeded from
# fuzz/seeds/<target>/; crashing inputs to fuzz/artifacts/<target>/, with the run's log.
set -uo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

seconds="${FUZZ_SECONDS:-300}"
timeout="${FUZZ_TIMEOUT:-30}"
sanitizer="${FUZZ_SANITIZER:-address}"
keep_going="${FUZZ_KEEP_GOING:-0}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked || exit 1
fi

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list)
fi

echo "== building ${targets[*]} (sanitizer: ${sanitizer})"
for target in "${targets[@]}"; do
  cargo fuzz build --sanitizer "$sanitizer" "$target" || exit 1
done

summary=()
status=0
for target in "${targets[@]}"; do
  corpus="fuzz/corpus/${target}"
  artifacts="fuzz/artifacts/${target}"
  log="${artifacts}/last-run.log"
  mkdir -p "$corpus" "$artifacts"
  if [ -d "fuzz/seeds/${target}" ]; then
    cp -n fuzz/seeds/"${target}"/* "$corpus"/ 2>/dev/null || true
  fi
  args=(-max_total_time="$seconds" -timeout="$timeout" -print_final_stats=1)
  # shellcheck disable=SC2206
  args+=(${FUZZ_ARGS:-})
  if [ -f "fuzz/dicts/${target}.dict" ]; then
    args+=(-dict="${root}/fuzz/dicts/${target}.dict")
  fi

  echo "== fuzzing ${target} for ${seconds}s (log: ${log})"
  started=$SECONDS
  cargo fuzz run --sanitizer "$sanitizer" "$target" -- "${args[@]}" >"$log" 2>&1
  code=$?
  wall=$((SECONDS - started))

  runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  done_secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  ran="${done_secs:-$wall}"
  input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
  if [ "$code" -eq 0 ]; then
    result="clean"
  elif grep -q "ERROR: libFuzzer: timeout" "$log"; then
    result="timeout"
  elif grep -q "ERROR: libFuzzer: out-of-memory" "$log"; then
    result="out-of-memory"
  elif [ -n "$input" ]; then
    result="crash"
  else
    result="error (exit ${code})"
  fi
  summary+=("$(printf '%-14s %6ss %12s execs  %s' "$target" "$ran" "${runs:-?}" "$result")")

  if [ "$result" != "clean" ]; then
    status=1
    echo "!! ${target}: ${result}"
    grep -m 1 -A 3 "panicked at" "$log" || tail -n 30 "$log"
    if [ -n "$input" ]; then
      echo "!! crashing input: ${input}"
      echo "!! reproduce: RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer ${sanitizer} ${target} ${input}"
    fi
    echo "!! full log: ${log}"
    [ "$keep_going" = "1" ] || break
  else
    echo "   ${summary[-1]}"
  fi
done

echo "== summary (target, seconds, executions, result)"
printf '%s\n' "${summary[@]}"
exit "$status"
