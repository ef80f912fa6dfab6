#!/usr/bin/env bash
# The test command (README "Run all tests"). Runs the Rust unit and integration tests, then the
# suites that need real tools (nginx, the W3C Nu HTML Checker, xmllint, Chromium) when
# scripts/install-test-deps.sh has installed them. Set PLANGUIDE_REQUIRE_TOOLS=1 (CI does) to
# fail instead of skipping when a tool is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --all-targets
for suite in scripts/suites/*.sh; do
  [ -e "$suite" ] || continue
  echo "== ${suite}"
  bash "$suite"
done
