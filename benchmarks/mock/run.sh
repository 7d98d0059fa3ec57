#!/usr/bin/env bash
# Load-compares, against the same small recording and the same request, with wrk:
#   1. bare Kestrel returning the recorded body (the ceiling for any .NET mock),
#   2. WireMock standalone (npm package `wiremock`, Java 17) loaded with `reprise export --format wiremock`,
#   3. `reprise mock`.
# Prints requests/s and p99 for each and the ratios (goal: >= 1.5x WireMock, >= 0.8x bare Kestrel).
# Only 127.0.0.1 is used; every run is bounded by DURATION.
#
#   benchmarks/mock/run.sh                 # 10 s per tool, 30 s WireMock warm-up
#   DURATION=5s WARMUP=30s CONNECTIONS=32 THREADS=2 benchmarks/mock/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-30s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
WORK="$(mktemp -d /tmp/reprise-mock-bench.XXXXXX)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null 2>&1 || { echo "run.sh: '$1' is required ($2)" >&2; exit 2; }; }
need wrk "apt-get install wrk"
need java "Java 17"
need npm "Node.js"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # url, seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "run.sh: $1 did not come up" >&2; exit 3
}

# --- Build -------------------------------------------------------------------------------------
REPRISE="${REPRISE_EXE:-}"
if [ -z "$REPRISE" ]; then
  echo "== building reprise (Release)" >&2
  dotnet publish "$ROOT/src/Reprise.Cli/Reprise.Cli.csproj" -c Release -o "$WORK/reprise" -nologo -v quiet >&2
  REPRISE="$WORK/reprise/reprise"
fi
echo "== building bare Kestrel baseline" >&2
dotnet publish "$ROOT/benchmarks/mock/bare/Bare.csproj" -c Release -o "$WORK/bare" -nologo -v quiet >&2
echo "== installing wiremock (npm)" >&2
npm install --prefix "$WORK/npm" wiremock@3 --no-audit --no-fund --silent >&2
JAR="$(ls "$WORK"/npm/node_modules/wiremock/build/wiremock-standalone-*.jar | head -1)"

# --- The recording: the shop sample's dependency calls; the benchmark requests GET /api/products --
"$REPRISE" import "$ROOT/samples/shop.har" --direction outbound -o "$WORK/deps.reprise.jsonl" -q
"$REPRISE" export "$WORK/deps.reprise.jsonl" --format wiremock -o "$WORK/wiremock" -q
python3 - "$WORK" <<'PY'
import json, sys, base64
work = sys.argv[1]
with open(f"{work}/deps.reprise.jsonl") as f:
    next(f)
    for line in f:
        e = json.loads(line)
        url = e["request"]["url"]
        if e["request"]["method"] == "GET" and "/api/products?" in url:
            body = e["response"]["body"]
            data = body["content"].encode() if body.get("encoding") == "utf8" else base64.b64decode(body["content"])
            open(f"{work}/body", "wb").write(data)
            open(f"{work}/ctype", "w").write(body.get("mediaType") or "application/json")
            open(f"{work}/path", "w").write(url[url.index("/", 8):])
            break
PY
PATH_UNDER_TEST="$(cat "$WORK/path")"

run_wrk() { # name url -> prints "rps p99ms"
  local out
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$2")"
  echo "$out" > "$WORK/wrk-$1.txt"
  local rps p99 errors
  rps="$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  p99="$(echo "$out" | awk '$1=="99%" {print $2}')"
  errors="$(echo "$out" | awk '/Non-2xx/ {print $NF}')"
  [ -n "$errors" ] && echo "run.sh: $1 answered $errors non-2xx responses" >&2
  echo "$rps $p99"
}
to_ms() { # wrk latency (e.g. 1.23ms, 850.00us, 1.02s) -> ms
  python3 -c 'import sys,re; v=sys.argv[1]; m=re.match(r"([\d.]+)(us|ms|s)",v); n=float(m.group(1)); print(round(n/1000 if m.group(2)=="us" else n*1000 if m.group(2)=="s" else n,3))' "$1"
}

# --- 1. bare Kestrel ---------------------------------------------------------------------------
P1="$(free_port)"
"$WORK/bare/Bare" "$P1" "$WORK/body" "$(cat "$WORK/ctype")" > /dev/null &
PIDS+=($!)
wait_http "http://127.0.0.1:$P1/" 30
curl -fsS -o /dev/null "http://127.0.0.1:$P1$PATH_UNDER_TEST"
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "http://127.0.0.1:$P1$PATH_UNDER_TEST" > /dev/null # JIT warm-up
read -r BARE_RPS BARE_P99 < <(run_wrk bare "http://127.0.0.1:$P1$PATH_UNDER_TEST")
kill -TERM "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

# --- 2. WireMock standalone --------------------------------------------------------------------
P2="$(free_port)"
java -jar "$JAR" --port "$P2" --root-dir "$WORK/wiremock" --disable-banner --no-request-journal --async-response-enabled=false > "$WORK/wiremock.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$P2$PATH_UNDER_TEST" 60
echo "== warming the JVM for $WARMUP" >&2
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$P2$PATH_UNDER_TEST" > /dev/null
read -r WM_RPS WM_P99 < <(run_wrk wiremock "http://127.0.0.1:$P2$PATH_UNDER_TEST")
kill -TERM "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

# --- 3. reprise mock ---------------------------------------------------------------------------
"$REPRISE" mock "$WORK/deps.reprise.jsonl" --listen 127.0.0.1:0 -q > "$WORK/mock.out" 2> "$WORK/mock.err" &
PIDS+=($!)
for _ in $(seq 1 300); do [ -s "$WORK/mock.out" ] && break; sleep 0.1; done
MOCK_URL="$(head -1 "$WORK/mock.out" | sed 's/^listening on //')"
wait_http "$MOCK_URL/_reprise/health" 30
cmp <(curl -fsS "$MOCK_URL$PATH_UNDER_TEST") "$WORK/body" || { echo "run.sh: reprise mock answered a different body" >&2; exit 3; }
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$MOCK_URL$PATH_UNDER_TEST" > /dev/null # JIT warm-up
read -r MOCK_RPS MOCK_P99 < <(run_wrk reprise "$MOCK_URL$PATH_UNDER_TEST")
kill -TERM "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true

# --- Report ------------------------------------------------------------------------------------
printf '\nGET %s, %s per tool, wrk -t%s -c%s, %s cores\n' "$PATH_UNDER_TEST" "$DURATION" "$THREADS" "$CONNECTIONS" "$(nproc)"
printf '%-14s %12s %10s\n' tool requests/s p99_ms
printf '%-14s %12s %10s\n' bare-kestrel "$BARE_RPS" "$(to_ms "$BARE_P99")"
printf '%-14s %12s %10s\n' wiremock "$WM_RPS" "$(to_ms "$WM_P99")"
printf '%-14s %12s %10s\n' reprise-mock "$MOCK_RPS" "$(to_ms "$MOCK_P99")"
python3 - "$MOCK_RPS" "$WM_RPS" "$BARE_RPS" <<'PY'
import sys
mock, wm, bare = map(float, sys.argv[1:])
print(f"reprise/wiremock = {mock/wm:.2f}x (goal >= 1.5x)  reprise/bare-kestrel = {mock/bare:.2f}x (goal >= 0.8x)")
PY
