#!/usr/bin/env bash
# Where a short run's requests go: responses per time window counted at the target (its sends, `perf stat -I`), for wrk and
# published reprise builds, alternating. One TinyTarget as run.sh starts it, warmed with wrk; each generator runs DURATION
# seconds with 50 connections. Windows are measured from the target's first interval with traffic (for reprise that
# interval still holds the process start, ~0.1 s), so they include start-up, reading the recording and the JIT's tier-up.
# Generators (alternated in the order given, ROUNDS times; only neighbouring runs compare on a shared machine):
#   wrk               wrk -t2 -c50
#   NAME=DIR          DIR/reprise replay --vus 50 (a published reprise); DIR/reprise may be a wrapper script
#                     (e.g. `exec env DOTNET_TieredPGO=0 /tmp/rp-A/reprise "$@"`)
# Usage (under the lock):
#   flock -o /work/heavy.lock env ROUNDS=3 DURATION=10 benchmarks/replay/warmup-timeline.sh wrk A=/tmp/rp-A
#   IV=50 ... prints the first 2 s per 50 ms instead of the window table.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"; ROUNDS="${ROUNDS:-3}"; DURATION="${DURATION:-10}"; CONNS="${CONNS:-50}"; IV="${IV:-250}"
WORK="$(mktemp -d /tmp/reprise-warmup.XXXXXX)"; TARGET_PID=""
cleanup() { if [[ -n "$TARGET_PID" ]]; then kill -TERM "$TARGET_PID" 2>/dev/null || true; wait "$TARGET_PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT
dotnet build -c Release -v q -nologo "$ROOT/benchmarks/replay/TinyTarget" >/dev/null
"$ROOT/benchmarks/replay/TinyTarget/bin/Release/net10.0/TinyTarget" >"$WORK/target.out" 2>&1 &
TARGET_PID=$!
for _ in $(seq 1 100); do grep -q '^listening on ' "$WORK/target.out" 2>/dev/null && break; sleep 0.1; done
BASE="$(head -1 "$WORK/target.out" | sed 's/^listening on //')"
python3 "$ROOT/benchmarks/replay/make-recording.py" "$WORK/rec.reprise.jsonl"
wrk -t2 -c"$CONNS" -d3s "$BASE/hello" >/dev/null 2>&1 || true   # warm the target's JIT
if [[ "$IV" == 250 ]]; then
  printf '%-5s %-8s %9s %9s %9s %9s %11s %9s\n' round name total 0-0.5s 0.5-1s 1-2s 2s-end/s lost_2s
fi
for r in $(seq 1 "$ROUNDS"); do
  for spec in "$@"; do
    name="${spec%%=*}"
    sleep 1
    perf stat -I "$IV" -x, -o "$WORK/t.txt" -e syscalls:sys_enter_sendto,syscalls:sys_enter_sendmsg,syscalls:sys_enter_write -p "$TARGET_PID" -- sleep $((DURATION + 2)) >/dev/null 2>&1 &
    PT=$!
    sleep 0.05
    case "$spec" in
      wrk) wrk -t2 -c"$CONNS" -d"${DURATION}s" "$BASE/hello" >"$WORK/gen.out" 2>&1 ;;
      *=*) "${spec#*=}/reprise" replay "$WORK/rec.reprise.jsonl" --target "$BASE" --vus "$CONNS" --duration "${DURATION}s" --time-shift off -q >"$WORK/gen.out" 2>&1 ;;
      *) echo "unknown generator: $spec" >&2; exit 2 ;;
    esac
    wait "$PT" || true
    python3 - "$WORK/t.txt" "$r" "$name" "$IV" "$DURATION" <<'PY'
import collections, sys
path, r, name, iv, duration = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
per = collections.OrderedDict()
for line in open(path):
    p = line.strip().split(',')
    if len(p) > 3 and p[0] and p[0][0].isdigit():
        try: v = float(p[1])
        except ValueError: v = 0.0
        per[p[0]] = per.get(p[0], 0.0) + v
v = list(per.values())
s = next((i for i, x in enumerate(v) if x > 100), 0)
if iv != 250:
    print(f"{r:<5} {name:<8} k req/s per {iv:.0f} ms: " + " ".join(f"{x * 1000 / iv / 1000:.0f}" for x in v[s:s + int(2000 / iv)]))
    sys.exit()
w = lambda a, b: sum(v[s + a:s + b])   # 250 ms intervals
end = int(duration * 4)
steady = w(8, end) / (duration - 2)
print(f"{r:<5} {name:<8} {sum(v):9.0f} {w(0, 2):9.0f} {w(2, 4):9.0f} {w(4, 8):9.0f} {steady:11.0f} {2 * steady - w(0, 8):9.0f}")
PY
  done
done
if [[ "$IV" == 250 ]]; then
  echo "(responses in each window from the first interval with traffic; 2s-end/s = the rate after 2 s; lost_2s = responses"
  echo " the first 2 s fell short of that rate)"
fi
