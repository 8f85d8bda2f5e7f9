#!/usr/bin/env bash
# api-contract.sh — the API contract: schemathesis (from PyPI) against a freshly initialised
# demo server, every phase (examples, coverage, fuzzing, stateful), failing on any 5xx or any
# response that contradicts the OpenAPI document. Run by Tools/test.sh after the Swift suite.
#
# Usage: api-contract.sh [AMANA_BINARY]
#   AMANA_BINARY          default: $AMANA_BIN, else <repo>/.build/debug/amana
# Environment (all optional):
#   AMANA_SHIPPED_DIR     repo root holding FormDefinitions/ and Plugins/ (default: the git top level
#                         of this script, else the current directory)
#   CONTRACT_USERS        demo accounts to test as, each on its own fresh server (default "amal layla admin")
#   CONTRACT_PHASES       default "examples coverage fuzzing stateful"; each phase is its own run
#   CONTRACT_MAX_EXAMPLES default 30 (per operation, per phase)
#   CONTRACT_PHASE_TIMEOUT hard wall-clock cap per phase run, seconds (default 300)
#   CONTRACT_PHASE_BUDGET  if set, passed as --max-time (soft budget; note that fuzzing and stateful
#                         then REPEAT until the budget is spent)
#   CONTRACT_WORKERS      default 1 (2-core CI; and Python 3.11.7 hits a CPython AST thread-safety bug
#                         "AST constructor recursion depth mismatch" inside hypothesis with >1 worker)
#   CONTRACT_SEED         default 1 (reproducible)
#   CONTRACT_REPORT_DIR   default $TMPDIR/amana-contract-report (kept after the run; HAR, JSON, JUnit per phase)
#   CONTRACT_EXTRA_ARGS   extra schemathesis arguments, e.g. "--exclude-checks unsupported_method"
#   SCHEMATHESIS          schemathesis executable; if absent, a venv with schemathesis==$SCHEMATHESIS_VERSION
#                         (default 4.32.5) is made under $CONTRACT_VENV (default ~/.cache/amana-contract-venv)
# Exit: 0 only if every phase of every user ran to completion with no failure and no error.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=${AMANA_SHIPPED_DIR:-$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || pwd)}
bin=${1:-${AMANA_BIN:-$repo/.build/debug/amana}}
users=${CONTRACT_USERS:-amal layla admin}
phases=${CONTRACT_PHASES:-examples coverage fuzzing stateful}
max_examples=${CONTRACT_MAX_EXAMPLES:-30}
phase_timeout=${CONTRACT_PHASE_TIMEOUT:-300}
workers=${CONTRACT_WORKERS:-1}
seed=${CONTRACT_SEED:-1}
report_dir=$(mkdir -p "${CONTRACT_REPORT_DIR:-${TMPDIR:-/tmp}/amana-contract-report}" && cd "${CONTRACT_REPORT_DIR:-${TMPDIR:-/tmp}/amana-contract-report}" && pwd)
st_version=${SCHEMATHESIS_VERSION:-4.32.5}

log() { printf '[api-contract] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

[ -x "$bin" ] || die "no executable Amana binary at $bin"
[ -d "$repo/Plugins" ] && [ -d "$repo/FormDefinitions" ] || die "AMANA_SHIPPED_DIR=$repo lacks Plugins/ or FormDefinitions/"
command -v python3 >/dev/null || die "python3 is needed"
command -v curl >/dev/null || die "curl is needed"

# --- schemathesis ----------------------------------------------------------------------------
st=${SCHEMATHESIS:-}
if [ -z "$st" ]; then
    venv=${CONTRACT_VENV:-$HOME/.cache/amana-contract-venv}
    if [ ! -x "$venv/bin/schemathesis" ] || ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$st_version"; then
        log "installing schemathesis==$st_version into $venv"
        python3 -m venv "$venv" && "$venv/bin/pip" install -q "schemathesis==$st_version" || die "could not install schemathesis"
    fi
    st=$venv/bin/schemathesis
fi
log "$("$st" --version)"

# --- server lifecycle ------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/amana-contract.XXXXXX")
server_pid=""
st_pid=""
stop_server() {
    [ -n "$server_pid" ] || return 0
    if kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null
        for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server_pid" 2>/dev/null
    fi
    wait "$server_pid" 2>/dev/null
    server_pid=""
}
cleanup() {
    if [ -n "$st_pid" ] && kill -0 "$st_pid" 2>/dev/null; then
        kill -TERM "$st_pid" 2>/dev/null; wait "$st_pid" 2>/dev/null   # timeout passes TERM on
    fi
    stop_server; rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

start_server() {  # $1 = label; sets port, base, banner
    stop_server
    local data=$work/demo-$1 template=$work/demo-template
    banner=$work/demo-$1.log
    # A fresh demo install (its banner lists the accounts), with request rates far over a
    # person's: the fuzzer's load would otherwise be answered 429 (documented, but untested).
    # One `amana init`, copied for every phase while no process has it open: each phase starts
    # from the same fresh state, without an init's few seconds each time.
    if [ ! -d "$template" ]; then
        AMANA_SHIPPED_DIR=$repo "$bin" init --data "$template" --demo >"$template.log" 2>&1 </dev/null \
            || die "amana init failed: $(tail -3 "$template.log")"
    fi
    cp -a "$template" "$data"
    cp "$template.log" "$banner"
    # The fuzzer also sends wrong current passwords (PUT /me/password), which count towards
    # the sign-in lockout: allow the most failures the settings allow.
    printf 'http:\n  requests_per_minute_per_user: 10000000\n  requests_per_minute_per_address: 10000000\nlockout:\n  max_failures: 100\n' >"$data/config.yaml"
    for attempt in 1 2 3; do
        port=$(free_port)
        AMANA_SHIPPED_DIR=$repo "$bin" serve --data "$data" --host 127.0.0.1 --port "$port" >>"$banner" 2>&1 </dev/null &
        server_pid=$!
        base=http://127.0.0.1:$port
        for _ in $(seq 1 120); do
            curl -sf -o /dev/null "$base/health" && return 0
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.25
        done
        log "server did not come up on port $port (attempt $attempt); last lines:"; tail -3 "$banner" >&2
        stop_server
    done
    die "could not start the demo server"
}

sign_in() {  # $1 = username -> token on stdout; the password is read from the banner, never printed
    python3 - "$banner" "$1" "$base" <<'PY'
import json, sys, urllib.request
banner, user, base = sys.argv[1:4]
pw = next((l.split()[1] for l in open(banner) if len(l.split()) >= 3 and l.split()[0] == user), None)
if pw is None:
    sys.exit(f"no demo account {user!r} in the banner")
req = urllib.request.Request(base + "/api/v1/sessions", method="POST",
    data=json.dumps({"username": user, "password": pw}).encode(), headers={"Content-Type": "application/json"})
print(json.load(urllib.request.urlopen(req, timeout=30))["token"])
PY
}

first_case_id() {  # $1 = token -> a case id the user can read, or nothing
    curl -s "$base/api/v1/cases?limit=50" -H "Authorization: Bearer $1" | python3 -c '
import json, sys
try: cases = json.load(sys.stdin).get("cases", [])
except Exception: cases = []
open_ = [c for c in cases if not c.get("closed")]
print((open_ or cases or [{}])[0].get("id", ""))'
}

# --- runs ------------------------------------------------------------------------------------
summary=$work/summary.tsv   # user phase rc operations generated requests failures errors seconds
: >"$summary"
for user in $users; do
    for phase in $phases; do
        # A fresh install for every phase: one phase's changes (a disabled account, a lockout)
        # do not decide the next one's answers.
        start_server "$user-$phase"
        log "demo server for $user/$phase on $base (pid $server_pid)"
        out=$report_dir/$user-$phase
        rm -rf "$out"; mkdir -p "$out"
        token=$(sign_in "$user") || die "sign-in as $user failed"
        # schemathesis.toml in the run's directory: the token comes from the environment (kept out
        # of argv and of the reports), and a real case id lets case routes get past 404.
        # Schema-valid requests may still be refused for what they name (an id that is not there,
        # a version that is not the current one, a code not in this install's lookups): those
        # answers are documented; any other 4xx to schema-valid data is a finding.
        cat >"$out/schemathesis.toml" <<'TOML'
headers = { Authorization = "Bearer ${CONTRACT_TOKEN}" }

[checks.positive_data_acceptance]
expected-statuses = ["2XX", "401", "403", "404", "409", "412", "415", "422", "428"]

# A change without If-Match is 428 Precondition Required (RFC 6585), by design.
[checks.missing_required_header]
expected-statuses = ["400", "401", "403", "406", "415", "422", "428"]
TOML
        cid=$(first_case_id "$token")
        [ -n "$cid" ] && printf '[parameters]\n"path.id" = "%s"\n' "$cid" >>"$out/schemathesis.toml"
        budget=()
        [ -n "${CONTRACT_PHASE_BUDGET:-}" ] && budget=(--max-time "$CONTRACT_PHASE_BUDGET")
        started=$(date +%s)
        # In the background so a TERM to this script is handled at once (see cleanup); on the cap,
        # SIGINT first so schemathesis still writes its reports, KILL 30 s later if it hangs. env
        # restores SIGINT, which a non-interactive shell leaves ignored for background jobs.
        # shellcheck disable=SC2086
        (cd "$out" && CONTRACT_TOKEN=$token exec timeout -s INT -k 30 "$phase_timeout" env --default-signal=INT "$st" run \
            "$base/api/v1/openapi.json" --url "$base" \
            --phases "$phase" --max-examples "$max_examples" --workers "$workers" --seed "$seed" \
            --exclude-path /api/v1/sessions/current \
            --report json,junit,har --report-dir . --no-color "${budget[@]}" ${CONTRACT_EXTRA_ARGS:-} \
            >output.txt 2>&1 </dev/null) &
        st_pid=$!
        wait "$st_pid"; rc=$?
        st_pid=""
        secs=$(( $(date +%s) - started ))
        [ $rc -eq 124 ] || [ $rc -eq 137 ] && log "$user/$phase hit the ${phase_timeout}s cap"
        python3 - "$out" "$user" "$phase" "$rc" "$secs" >>"$summary" <<'PY'
import glob, json, sys
out, user, phase, rc, secs = sys.argv[1:6]
rep = sorted(glob.glob(out + "/json-*.json")); har = sorted(glob.glob(out + "/har-*.json"))
ops = gen = fails = errs = reqs = "?"
if rep:
    r = json.load(open(rep[-1]))
    ops = r["operations"]["tested"]; gen = r["test_cases"]["generated"]
    fails = r["test_cases"]["unique_failures"]; errs = sum(e["count"] for e in r.get("errors", []))
if har:
    reqs = len(json.load(open(har[-1]))["log"]["entries"])
print("\t".join(map(str, [user, phase, rc, ops, gen, reqs, fails, errs, secs])))
PY
        tail -n 1 "$out/output.txt" >&2
    done
    stop_server
done

# --- figures ---------------------------------------------------------------------------------
python3 - "$summary" "$report_dir" <<'PY'
import collections, glob, json, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print()
print(f"{'user':8} {'phase':9} {'rc':>3} {'ops':>4} {'cases':>7} {'requests':>9} {'failures':>9} {'errors':>7} {'secs':>5}")
tot = collections.Counter(); bad = 0
for u, p, rc, ops, gen, reqs, f, e, s in rows:
    print(f"{u:8} {p:9} {rc:>3} {ops:>4} {gen:>7} {reqs:>9} {f:>9} {e:>7} {s:>5}")
    for k, v in (("cases", gen), ("requests", reqs), ("failures", f), ("errors", e)):
        tot[k] += int(v) if v.isdigit() else 0
    if rc != "0" or f in ("?",) or (f.isdigit() and int(f)) or (e.isdigit() and int(e)):
        bad += 1
print(f"total: {tot['cases']} test cases, {tot['requests']} requests, {tot['failures']} failures, {tot['errors']} errors")
print(f"figure: API contract (schemathesis, {len(rows)} phase runs, every operation): {tot['requests']} requests, {tot['cases']} test cases, {tot['failures']} failures, {tot['errors']} errors")
# Distinct failures by check and operation, over every phase run.
groups = collections.Counter()
for rep in glob.glob(sys.argv[2] + "/*/json-*.json"):
    for f in json.load(open(rep)).get("failures", []):
        for op in f.get("operations", []):
            groups[(f["code"], f["title"], op)] += 1
if groups:
    print("failures by check, then operation (number of phase runs that hit it):")
    by_code = collections.defaultdict(list)
    for (code, title, op), n in sorted(groups.items()):
        by_code[(code, title)].append(f"{op} [{n}]")
    for (code, title), ops in sorted(by_code.items()):
        print(f"  {code} {title} ({len(ops)} operations):")
        if all(o.startswith("TRACE ") for o in ops):
            print("    " + ", ".join(o.split()[1] for o in ops))
        else:
            for o in ops:
                print(f"    {o}")
print(f"details: {sys.argv[2]}/<user>-<phase>/output.txt (curl repros), JSON/JUnit/HAR reports alongside")
print(f"api-contract: {len(rows) - bad} passed, {bad} failed")
sys.exit(1 if bad else 0)
PY
