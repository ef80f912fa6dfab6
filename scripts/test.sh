#!/usr/bin/env bash
# The test command (README "Quick start"): unit tests and the integration binary, whose
# tool-based suites (nginx, the Nu HTML Checker, xmllint, Node, Chromium) run when
# scripts/install-test-deps.sh has installed the tools and skip otherwise. With
# PLANGUIDE_REQUIRE_TOOLS=1 (CI sets it) a missing tool fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --all-targets
# The fuzz targets (run by hand with scripts/fuzz.sh) call the library's API: compiling
# them here, on stable and without sanitizers, keeps a change of that API from breaking them.
cargo check --manifest-path fuzz/Cargo.toml --bins --quiet
