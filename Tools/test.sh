#!/usr/bin/env bash
# The README's second command, and what CI runs: install what is missing, build
# everything with the tests, and run the whole suite (unit, store, kernel, HTTP,
# and end-to-end tests that drive the built `amana` binary), the same suites again on
# PostgreSQL (Tools/postgres.sh starts a server of their own), then the API contract
# (Tools/api-contract.sh: schemathesis from PyPI against a fresh server) and fuzzing
# (Tools/fuzz.sh: libFuzzer and AddressSanitizer, bounded). The figures the
# hardening tests print (kills survived, requests tried...) are repeated at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
# How long each part took, said at the end: the whole run must stay within CI's 30 minutes on two cores.
timings=()
started=$SECONDS
took() { timings+=("$1 $((SECONDS - started)) s"); started=$SECONDS; }
bash Tools/install-deps.sh
swift build --build-tests
took "build"
log=$(mktemp)
# The tests' installs, backups and overlays go in one scratch directory that goes with the
# run (a test makes hundreds; left in /tmp they pile up run after run).
scratch=$(mktemp -d "${TMPDIR:-/tmp}/amana-tests.XXXXXX")
trap 'rm -f "$log"; rm -rf "$scratch"' EXIT
status=0
# Every suite is Swift Testing: --disable-xctest spares an empty XCTest pass that takes 10 s.
TMPDIR=$scratch swift test --skip-build --disable-xctest "$@" 2>&1 | tee "$log" || status=$?
took "suites"
# Then, when the whole suite was asked for: the PostgreSQL store's own suite and the kernel, HTTP
# and end-to-end suites again on PostgreSQL (a scratch server of their own on loopback,
# Tools/postgres.sh), every install in a database of its own; not the other store suites, which
# test SQLite's own machinery (the WAL's bound, the group commit, the readers) and never open
# PostgreSQL, nor the fuzzing corpus's replay, which makes no install.
if [ $# -eq 0 ]; then
    if postgres=$(bash Tools/postgres.sh start); then
        bash Tools/postgres.sh reset
        echo "== The suites again on PostgreSQL ($(bash Tools/postgres.sh url | sed 's/:[^:@]*@/@/')) =="
        AMANA_TEST_POSTGRES=$postgres AMANA_TEST_POSTGRES_DATA=$(bash Tools/postgres.sh data) TMPDIR=$scratch swift test --skip-build --disable-xctest --filter 'PostgresStoreTests|KernelTests|AmanaHTTPTests|EndToEndTests' \
            --skip 'FuzzRegressionEndToEndTests' 2>&1 \
            | sed 's/^figure: /figure: (PostgreSQL) /' | tee -a "$log" || status=$?
        grep -h 'Test run with' "$log" | tail -1 | sed 's/^.*Test run/figure: PostgreSQL: test run/' >>"$log"
    else
        status=1
        echo "PostgreSQL could not be started for the suites' second run (Tools/postgres.sh)." >&2
    fi
    took "suites on PostgreSQL"
fi
# Then, when the whole suite was asked for: the API contract (schemathesis against a fresh
# server) and fuzzing (libFuzzer under ASan, FUZZ_SECONDS per target, default 20).
if [ $# -eq 0 ]; then
    bash Tools/api-contract.sh .build/debug/amana 2>&1 | tee -a "$log" || status=$?
    took "API contract"
    bash Tools/fuzz.sh 2>&1 | tee -a "$log" || status=$?
    took "fuzzing (its build included)"
    # The benchmarks in quick mode (debug build, a hundredth of each count): they must keep
    # running; their figures mean nothing here (the full run is in docs/operations.md).
    if bench=$( { export TMPDIR=$scratch; .build/debug/amana-bench --quick && .build/debug/amana-bench --quick cases 300 \
            && AMANA_BENCH_POSTGRES=$(bash Tools/postgres.sh url) .build/debug/amana-bench --quick stores 300; } 2>&1); then
        echo "figure: benchmarks (quick mode, debug build, 300 cases): $(grep -cE 'x   raw|x \(' <<<"$bench") measurements against their baselines ran, $(grep -c 'x throughput' <<<"$bench") endpoints on both stores" | tee -a "$log"
    else
        status=1
        echo "$bench" | tail -20
        echo "benchmarks (quick mode): FAILED" >&2
    fi
    took "benchmarks"
fi
echo
echo "== Figures =="
grep -h '^figure: ' "$log" | sed 's/^figure: /  /' || echo "  (none printed)"
echo "  time taken: $(IFS=,; echo "${timings[*]}" | sed 's/,/, /g')"
exit "$status"
