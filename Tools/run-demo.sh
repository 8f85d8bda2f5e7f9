#!/usr/bin/env bash
# The README's first command: install what is missing, build, create a fresh
# demo install in ./amana-demo and serve its API on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/install-deps.sh
echo "Building Amana (the first build fetches and compiles dependencies: several minutes)..." >&2
swift build --product amana >&2 || { echo "run-demo: the build failed (see above)." >&2; exit 1; }
exec .build/debug/amana demo --data ./amana-demo --host 127.0.0.1 --port "${PORT:-8080}"
