#!/usr/bin/env bash
# Fuzzing with libFuzzer under AddressSanitizer: the definition loader, the expression
# parser, the submission validator, the transfer-package reader and the JSON reader of
# sealed answers, each for a bounded
# time (FUZZ_SECONDS, default 20). Run by Tools/test.sh (the whole suite); alone:
#   bash Tools/fuzz.sh [TARGET...]
# A crash stops the run: its input is written to Tools/Fuzz/Corpus/TARGET/crash-*; fix
# the cause and keep the file there: the suite replays every file in the corpus
# (FuzzRegressionEndToEndTests) and later fuzz runs start from it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(definitions expression submission transfer json)

# Its own build folder: the sanitizers instrument every module of this product. The Swift
# compiler keeps only the last -sanitize= flag it is given, so SwiftPM's two (from
# --sanitize=fuzzer --sanitize=address) would leave Swift code without coverage counters:
# one combined flag comes last instead (C code gets both from SwiftPM).
# A debug build: it compiles in half the time of a release one (about 120 s against 265 s on
# two cores, most of it the kernel, GRDB and Yams) and keeps assert() checking; it runs a
# third (the definition loader) to 85 % as many inputs a second. Within CI's 30 minutes, the
# build's time is what counts.
swift build -c debug --scratch-path .build-fuzz --product amana-fuzz \
    --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING >&2
binary=.build-fuzz/debug/amana-fuzz

work=$(mktemp -d "${TMPDIR:-/tmp}/amana-fuzz.XXXXXX")
trap 'rm -rf "$work" /dev/shm/amana-fuzz-* 2>/dev/null || true' EXIT
status=0
for target in "${targets[@]}"; do
    corpus=Tools/Fuzz/Corpus/$target
    # New inputs go to a scratch folder; the committed corpus holds seeds and regressions only.
    mkdir -p "$work/$target"
    log=$work/$target.log
    # SWIFT_BACKTRACE off: a Swift trap is then reported by libFuzzer as a deadly signal, with its
    # "Fatal error" line, instead of by the runtime's backtracer (whose reads ASan flags).
    if AMANA_FUZZ_TARGET=$target AMANA_SHIPPED_DIR=$PWD ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$binary" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$corpus/" "$work/$target" "$corpus" >"$log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
        bytes=$(du -sb "$work/$target" | cut -f1)
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
        echo "figure: fuzzing $target (libFuzzer + ASan, ${seconds}s): $runs inputs run, coverage $cov edges, $(ls "$work/$target" | wc -l) new inputs kept ($bytes bytes), no crash"
    else
        status=1
        echo "fuzzing $target: FAILED (a crash, leak or timeout); the input is in $corpus/crash-*:" >&2
        grep -E 'Fatal error|ERROR|SUMMARY|deadly signal|Test unit written|#0 |#1 |#2 |#3 ' "$log" | head -30 >&2
        echo "  replay it: AMANA_FUZZ_TARGET=$target .build/debug/amana-fuzz $corpus/crash-*" >&2
    fi
done
exit "$status"
