#!/usr/bin/env bash
# Load-generator comparison against one tiny Kestrel target (benchmarks/replay/TinyTarget), in one run:
# wrk, hey, autocannon and `reprise replay --vus` with the same connection count. Loopback only, bounded.
#   DURATION=10 CONNS=50 ROUNDS=3 benchmarks/replay/run.sh
# Peers: wrk and hey from apt, autocannon from npm (installed into a scratch prefix when missing).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DURATION="${DURATION:-10}"
CONNS="${CONNS:-50}"
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-3}"
REST="${REST:-5}"   # idle seconds after every measured run, so each tool starts from the same idle state
WORK="$(mktemp -d /tmp/reprise-replay-bench.XXXXXX)"
TARGET_PID=""
cleanup() { if [[ -n "$TARGET_PID" ]]; then kill -TERM "$TARGET_PID" 2>/dev/null || true; wait "$TARGET_PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT

need_apt() { command -v "$1" >/dev/null || { echo "installing $1 (apt)"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null; }; }
need_apt wrk
need_apt hey
AUTOCANNON="$(command -v autocannon || true)"
if [[ -z "$AUTOCANNON" ]]; then
  NPM_PREFIX="${AUTOCANNON_PREFIX:-/tmp/reprise-bench-npm}"
  if [[ ! -x "$NPM_PREFIX/node_modules/.bin/autocannon" ]]; then
    echo "installing autocannon (npm) into $NPM_PREFIX"
    mkdir -p "$NPM_PREFIX" && (cd "$NPM_PREFIX" && npm install --silent --no-audit --no-fund autocannon@7 >/dev/null)
  fi
  AUTOCANNON="$NPM_PREFIX/node_modules/.bin/autocannon"
fi

echo "building (Release)..."
dotnet build -c Release -v q -nologo "$ROOT/benchmarks/replay/TinyTarget" >/dev/null
if [[ -z "${REPRISE_EXE:-}" ]]; then
  # The executable as it ships: published (ReadyToRun), not the plain build output.
  dotnet publish -c Release -v q -nologo -o "$WORK/reprise" "$ROOT/src/Reprise.Cli/Reprise.Cli.csproj" >/dev/null
fi
REPRISE="${REPRISE_EXE:-$WORK/reprise/reprise}"

"$ROOT/benchmarks/replay/TinyTarget/bin/Release/net10.0/TinyTarget" >"$WORK/target.out" 2>&1 &
TARGET_PID=$!
for _ in $(seq 1 100); do grep -q '^listening on ' "$WORK/target.out" 2>/dev/null && break; sleep 0.1; done
BASE="$(head -1 "$WORK/target.out" | sed 's/^listening on //')"
URL="$BASE/hello"
echo "target: $URL  connections: $CONNS  duration: ${DURATION}s  cores: $(nproc)"

# A recording of 10,000 inbound GET /hello exchanges (looped by --duration).
python3 "$ROOT/benchmarks/replay/make-recording.py" "$WORK/rec.reprise.jsonl"

wrk -t"$THREADS" -c"$CONNS" -d2s "$URL" >/dev/null 2>&1 || true   # warm the target's JIT
sleep "$REST"

# ROUNDS rounds, each tool once per round: this shared 2-core machine drifts by ±10-20 % within minutes, so one
# run per tool compares moments as much as tools. wrk and reprise run back to back in every round, and which of the two
# goes first alternates (so neither always gets the cooler or the hotter moment); each tool's median round is reported,
# and so is the median of the per-round reprise/wrk ratios (pairs measured seconds apart). Every run is followed by
# REST idle seconds: a run that starts 1 s after another tool's 10 s at full load measured 0.6-5.3 % lower than the same
# run after 11 s idle (docs/perf-replay-client.md), and with a 1 s gap reprise followed wrk in 3 of 5 rounds, wrk
# followed reprise in 2.
run_wrk() { wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "$URL" >"$WORK/wrk.txt"; WRK=$(awk '/Requests\/sec:/ {print $2}' "$WORK/wrk.txt"); sleep "$REST"; }
run_hey() { hey -z "${DURATION}s" -c "$CONNS" "$URL" >"$WORK/hey.txt"; HEY=$(awk '/Requests\/sec:/ {print $2}' "$WORK/hey.txt"); sleep "$REST"; }
run_autocannon() {
  "$AUTOCANNON" -c "$CONNS" -d "$DURATION" --json "$URL" >"$WORK/autocannon.json" 2>/dev/null
  AUTOCANNON_RPS=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(round(d['requests']['total']/d['duration'],1))" "$WORK/autocannon.json")
  sleep "$REST"
}
run_reprise() {
  "$REPRISE" replay "$WORK/rec.reprise.jsonl" --target "$BASE" --vus "$CONNS" --duration "${DURATION}s" --time-shift off --summary-json "$WORK/reprise.json" -q >"$WORK/reprise.txt" 2>"$WORK/reprise.err"
  REPRISE_RPS=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['rps'])" "$WORK/reprise.json")
  REPRISE_P99=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['latencyMs']['p99'])" "$WORK/reprise.json")
  REPRISE_ERR=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['errors'])" "$WORK/reprise.json")
  sleep "$REST"
}
: >"$WORK/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 == 1 )); then run_wrk; run_reprise; run_hey; run_autocannon; else run_reprise; run_wrk; run_autocannon; run_hey; fi
  echo "round $round: wrk $WRK  hey $HEY  autocannon $AUTOCANNON_RPS  reprise $REPRISE_RPS (p99 $REPRISE_P99 ms, errors $REPRISE_ERR)"
  echo "$WRK $HEY $AUTOCANNON_RPS $REPRISE_RPS $REPRISE_ERR" >>"$WORK/rounds.txt"
done

python3 - "$WORK/rounds.txt" "$CONNS" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line.strip()]
names = ["wrk", "hey", "autocannon", f"reprise replay --vus {sys.argv[2]}"]
med = [statistics.median(r[i] for r in rows) for i in range(4)]
print()
print(f"{'tool':<28} {'req/s (median)':>15} {'vs wrk':>9}   rounds")
for i, name in enumerate(names):
    print(f"{name:<28} {med[i]:15.1f} {med[i] / med[0]:8.2f}x   " + " ".join(f"{r[i]:.0f}" for r in rows))
print()
ratios = [r[3] / r[0] for r in rows]
print(f"reprise/wrk per round (back to back): " + " ".join(f"{x:.2f}x" for x in ratios) + f"; median {statistics.median(ratios):.2f}x")
print(f"reprise/autocannon (medians) = {med[3] / med[2]:.2f}x; reprise errors {int(sum(r[4] for r in rows))}")
PY
