#!/usr/bin/env bash
# CPU per request of a load generator AND of the target, in steady state: one TinyTarget (as run.sh starts it); each
# generator runs 12 s with 50 connections; from 4 s to 10 s `perf stat` counts the generator's and the target's
# task-clock, the target's sends (= responses = requests) and context switches; /proc/PID/stat gives the generator's
# user and system ticks over the same window. On 2 shared cores throughput ~ 2 cores / (gen_us + tgt_us).
# Generators (alternated in the order given, ROUNDS times; only neighbouring pairs compare on a shared machine):
#   wrk               wrk -t2 -c50
#   bare              benchmarks/replay/BareClient (one async Socket loop per connection, the .NET floor)
#   NAME=DIR          DIR/reprise replay --vus 50 (a published reprise, e.g. /tmp/rp-main)
# Usage (under the lock; builds TinyTarget and BareClient in Release first):
#   flock -o /work/heavy.lock env ROUNDS=3 benchmarks/replay/cpu-per-request.sh wrk bare A=/tmp/rp-A B=/tmp/rp-B
#   PROFILE=/tmp/b.perf ... B=/tmp/rp-B    also `perf record -g` the last reprise generator's steady window
#                                           (DOTNET_PerfMapEnabled=1; read with perf report -i /tmp/b.perf)
#   DISASM='*RunVirtualUsersAsync*:MoveNext TryBegin'   with PROFILE: the same process writes those methods' machine code
#                                           to $PROFILE.asm (DOTNET_JitDisasm), so hot offsets from
#                                           perf script -F ip,sym,symoff -i $PROFILE map onto instructions (";; offset=")
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"; ROUNDS="${ROUNDS:-3}"; CONNS="${CONNS:-50}"
WORK="$(mktemp -d /tmp/reprise-cpu-req.XXXXXX)"; TARGET_PID=""
cleanup() { if [[ -n "$TARGET_PID" ]]; then kill -TERM "$TARGET_PID" 2>/dev/null || true; wait "$TARGET_PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT
dotnet build -c Release -v q -nologo "$ROOT/benchmarks/replay/TinyTarget" >/dev/null
dotnet build -c Release -v q -nologo "$ROOT/benchmarks/replay/BareClient" >/dev/null
BARE="$ROOT/benchmarks/replay/BareClient/bin/Release/net10.0/BareClient"
"$ROOT/benchmarks/replay/TinyTarget/bin/Release/net10.0/TinyTarget" >"$WORK/target.out" 2>&1 &
TARGET_PID=$!
for _ in $(seq 1 100); do grep -q '^listening on ' "$WORK/target.out" 2>/dev/null && break; sleep 0.1; done
BASE="$(head -1 "$WORK/target.out" | sed 's/^listening on //')"
python3 "$ROOT/benchmarks/replay/make-recording.py" "$WORK/rec.reprise.jsonl"
wrk -t2 -c"$CONNS" -d3s "$BASE/hello" >/dev/null 2>&1 || true   # warm the target's JIT
HZ="$(getconf CLK_TCK)"
printf '%-5s %-8s %9s %8s %8s %8s %8s %8s %7s\n' round name req/s gen_us gen_usr gen_sys tgt_us total tgt_cs
for r in $(seq 1 "$ROUNDS"); do
  for spec in "$@"; do
    name="${spec%%=*}"; profile=""
    sleep 1
    case "$spec" in
      wrk) wrk -t2 -c"$CONNS" -d12s "$BASE/hello" >"$WORK/gen.out" 2>&1 & ;;
      bare) DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 "$BARE" "$BASE/hello" "$CONNS" 12 >"$WORK/gen.out" 2>&1 & ;;
      *=*) dir="${spec#*=}"; [[ -n "${PROFILE:-}" && $r == "$ROUNDS" ]] && profile="$PROFILE"
           vars=(); [[ -n "$profile" ]] && vars=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
           [[ -n "$profile" && -n "${DISASM:-}" ]] && vars+=("DOTNET_JitDisasm=$DISASM" "DOTNET_JitStdOutFile=$profile.asm")
           env "${vars[@]}" "$dir/reprise" replay "$WORK/rec.reprise.jsonl" --target "$BASE" --vus "$CONNS" --duration 12s --time-shift off --summary-json "$WORK/s.json" -q >"$WORK/gen.out" 2>&1 & ;;
      *) echo "unknown generator: $spec" >&2; exit 2 ;;
    esac
    GP=$!
    sleep 4
    read -r u0 s0 < <(awk '{print $14, $15}' /proc/$GP/stat)
    perf stat -x, -o "$WORK/t.txt" -e task-clock,context-switches,syscalls:sys_enter_sendto,syscalls:sys_enter_sendmsg,syscalls:sys_enter_write -p "$TARGET_PID" -- sleep 6 >/dev/null 2>&1 &
    PT=$!
    if [[ -n "$profile" ]]; then perf record -F 1999 -g -o "$profile" -p $GP -- sleep 6 >/dev/null 2>&1 & PR=$!; fi
    perf stat -x, -o "$WORK/g.txt" -e task-clock -p $GP -- sleep 6 >/dev/null 2>&1
    read -r u1 s1 < <(awk '{print $14, $15}' /proc/$GP/stat)
    wait $PT; [[ -n "$profile" ]] && wait $PR
    wait $GP || { echo "$name failed:"; cat "$WORK/gen.out"; exit 1; }
    python3 - "$r" "$name" "$WORK/t.txt" "$WORK/g.txt" "$u0" "$s0" "$u1" "$s1" "$HZ" <<'PY'
import sys
r, name, t, g = sys.argv[1:5]
u0, s0, u1, s1, hz = map(float, sys.argv[5:10])
def load(f):
    v = {}
    for line in open(f):
        p = line.strip().split(',')
        if len(p) > 2 and p[0] and p[0][0].isdigit(): v[p[2]] = float(p[0])
    return v
tv, gv = load(t), load(g)
n = sum(tv.get(k, 0) for k in ('syscalls:sys_enter_sendto', 'syscalls:sys_enter_sendmsg', 'syscalls:sys_enter_write'))
g_us = gv['task-clock'] * 1000 / n; t_us = tv['task-clock'] * 1000 / n
usr = (u1 - u0) / hz * 1e6 / n; sy = (s1 - s0) / hz * 1e6 / n
print(f"{r:<5} {name:<8} {n/6:9.0f} {g_us:8.2f} {usr:8.2f} {sy:8.2f} {t_us:8.2f} {g_us+t_us:8.2f} {tv['context-switches']/n:7.3f}")
PY
  done
done
