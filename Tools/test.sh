#!/usr/bin/env bash
# The README's second command, and what CI runs: install what is missing, build
# everything with the tests, and run the whole suite (unit, store, kernel, HTTP,
# and end-to-end tests that drive the built `amana` binary).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/install-deps.sh
swift build --build-tests
swift test --skip-build "$@"
