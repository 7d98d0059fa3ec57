#!/usr/bin/env bash
# Load-generator comparison against one tiny Kestrel target (benchmarks/replay/TinyTarget), in one run:
# wrk, hey, autocannon and `reprise replay --vus` with the same connection count. Loopback only, bounded.
#   DURATION=10 CONNS=50 benchmarks/replay/run.sh
# Peers: wrk and hey from apt, autocannon from npm (installed into a scratch prefix when missing).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DURATION="${DURATION:-10}"
CONNS="${CONNS:-50}"
THREADS="${THREADS:-2}"
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
dotnet build -c Release -v q -nologo "$ROOT/src/Reprise.Cli" >/dev/null
REPRISE="${REPRISE_EXE:-$ROOT/src/Reprise.Cli/bin/Release/net10.0/reprise}"

"$ROOT/benchmarks/replay/TinyTarget/bin/Release/net10.0/TinyTarget" >"$WORK/target.out" 2>&1 &
TARGET_PID=$!
for _ in $(seq 1 100); do grep -q '^listening on ' "$WORK/target.out" 2>/dev/null && break; sleep 0.1; done
BASE="$(head -1 "$WORK/target.out" | sed 's/^listening on //')"
URL="$BASE/hello"
echo "target: $URL  connections: $CONNS  duration: ${DURATION}s  cores: $(nproc)"

# A recording of 10,000 inbound GET /hello exchanges (looped by --duration).
python3 "$ROOT/benchmarks/replay/make-recording.py" "$WORK/rec.reprise.jsonl"

wrk -t"$THREADS" -c"$CONNS" -d2s "$URL" >/dev/null 2>&1 || true   # warm the target's JIT

wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "$URL" >"$WORK/wrk.txt"
WRK=$(awk '/Requests\/sec:/ {print $2}' "$WORK/wrk.txt")
sleep 1
hey -z "${DURATION}s" -c "$CONNS" "$URL" >"$WORK/hey.txt"
HEY=$(awk '/Requests\/sec:/ {print $2}' "$WORK/hey.txt")
sleep 1
"$AUTOCANNON" -c "$CONNS" -d "$DURATION" --json "$URL" >"$WORK/autocannon.json" 2>/dev/null
AUTOCANNON_RPS=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(round(d['requests']['total']/d['duration'],1))" "$WORK/autocannon.json")
sleep 1
"$REPRISE" replay "$WORK/rec.reprise.jsonl" --target "$BASE" --vus "$CONNS" --duration "${DURATION}s" --time-shift off --summary-json "$WORK/reprise.json" -q >"$WORK/reprise.txt"
REPRISE_RPS=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['rps'])" "$WORK/reprise.json")
REPRISE_P99=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['latencyMs']['p99'])" "$WORK/reprise.json")
REPRISE_ERR=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['errors'])" "$WORK/reprise.json")

echo
printf '%-28s %12s %10s\n' "tool" "req/s" "vs wrk"
for row in "wrk:$WRK" "hey:$HEY" "autocannon:$AUTOCANNON_RPS" "reprise replay --vus $CONNS:$REPRISE_RPS"; do
  name="${row%%:*}"; rps="${row##*:}"
  printf '%-28s %12.1f %9.2fx\n' "$name" "$rps" "$(python3 -c "print($rps/$WRK)")"
done
echo
echo "reprise: p99 ${REPRISE_P99} ms, errors ${REPRISE_ERR}; reprise/autocannon = $(python3 -c "print(round($REPRISE_RPS/$AUTOCANNON_RPS,2))")x"
