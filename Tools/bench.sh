#!/usr/bin/env bash
# The full benchmark run, documented in the README and docs/performance.md:
# a release build, the foundation's benchmarks, then the case file at each size
# (10,000, 100,000 and 1,000,000 cases by default; `bash Tools/bench.sh 10000 100000`
# picks others), each measured against its raw baseline in the same run, then the case
# endpoints on SQLite and PostgreSQL side by side. It ends with the growth table: each
# operation's cost at each size.
#
# Takes about 1 h 20 min with the 1M size on 2 cores (most of it importing the
# million cases through the Kernel and 100,000 into PostgreSQL), and up to 25 GB free in
# $TMPDIR (the million-case file is about 11 GB; measured before 2026-12-01, when its WAL
# could grow as large again, and not measured again since the WAL is bounded).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/install-deps.sh
# wrk: the load generator for the bare-route comparison (skipped with a note if missing).
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null 2>&1 || echo "bench: wrk could not be installed; its figures are left out" >&2; }
swift build -c release --product amana
swift build -c release --product amana-bench
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000 1000000)
out=${BENCH_OUT:-bench-results}
mkdir -p "$out"
record="$(cd "$out" && pwd)/figures.tsv"
: > "$record"
export AMANA_BENCH_RECORD="$record"
# Line-buffered (coreutils' stdbuf): into a pipe, the C library would hold a run's progress
# lines back in blocks, minutes late.
bench() { stdbuf -oL .build/release/amana-bench "$@"; }
bench | tee "$out/foundation.txt"
for n in "${sizes[@]}"; do
    bench cases "$n" | tee "$out/cases-$n.txt"
done
# The case endpoints on SQLite and on PostgreSQL side by side (a PostgreSQL cluster of its
# own with the server's durable defaults, from Debian's package), at the largest size up to 100,000.
stores=$(printf '%s\n' "${sizes[@]}" | awk '$1 <= 100000' | sort -n | tail -1)
AMANA_BENCH_POSTGRES=$(AMANA_PG_DURABLE=1 bash Tools/postgres.sh start) \
    bench stores "${stores:-10000}" | tee "$out/stores.txt"
# The growth table: one line per measurement, one column per size.
python3 - "$record" "${sizes[@]}" <<'PY'
import sys, collections
record, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
rows = collections.OrderedDict()
for line in open(record):
    cases, name, ns, base = line.rstrip("\n").split("\t")
    if int(cases) in sizes:
        rows.setdefault(name, {})[int(cases)] = (float(ns), float(base))
def fmt(ns):
    return f"{ns/1e6:.2f} ms" if ns >= 1e6 else f"{ns/1e3:.1f} µs" if ns >= 1e3 else f"{ns:.0f} ns"
print("\n| What | " + " | ".join(f"{s:,} cases" for s in sizes) + " |")
print("|---|" + "---|" * len(sizes))
for name, by in rows.items():
    cells = []
    for s in sizes:
        if s not in by: cells.append("-"); continue
        ns, base = by[s]
        cells.append(f"{fmt(ns)} ({ns/base:.1f}×)" if not name.startswith(("server", "wrk")) else (f"{ns/1024:.0f} MB" if name.startswith("server") else f"{1e9/ns:.0f} req/s"))
    print(f"| {name} | " + " | ".join(cells) + " |")
PY
