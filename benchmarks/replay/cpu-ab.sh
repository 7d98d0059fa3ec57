#!/usr/bin/env bash
# Steady-state CPU per request, A/B: one TinyTarget; each build runs --vus 50 for 12 s; from 4 s to 10 s
# perf stat counts the replay process's task-clock, sendto (= requests), recvfrom, epoll_wait, sched_yield,
# context switches; /proc/PID/stat gives user and system ticks over the same window.
# Usage (under the lock; DIR = a published reprise, e.g. copies of artifacts/reprise before and after a change):
#   flock -o /work/heavy.lock env ROUNDS=3 benchmarks/replay/cpu-ab.sh A=/tmp/before B=/tmp/after
# Needs perf (tracepoints) and TinyTarget built in Release (benchmarks/replay/run.sh builds it).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"; ROUNDS="${ROUNDS:-3}"
WORK="$(mktemp -d /tmp/reprise-cpu-ab.XXXXXX)"; TARGET_PID=""
cleanup() { if [[ -n "$TARGET_PID" ]]; then kill -TERM "$TARGET_PID" 2>/dev/null || true; wait "$TARGET_PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT
"$ROOT/benchmarks/replay/TinyTarget/bin/Release/net10.0/TinyTarget" >"$WORK/target.out" 2>&1 &
TARGET_PID=$!
for _ in $(seq 1 100); do grep -q '^listening on ' "$WORK/target.out" 2>/dev/null && break; sleep 0.1; done
BASE="$(head -1 "$WORK/target.out" | sed 's/^listening on //')"
python3 "$ROOT/benchmarks/replay/make-recording.py" "$WORK/rec.reprise.jsonl"
wrk -t2 -c50 -d2s "$BASE/hello" >/dev/null 2>&1 || true
printf '%-5s %-4s %9s %8s %8s %8s %7s %7s %7s %7s\n' round name req/s us_cpu us_user us_sys recvfr epollw yield cswitch
for r in $(seq 1 "$ROUNDS"); do
  for spec in "$@"; do
    name="${spec%%=*}"; dir="${spec#*=}"
    sleep 1
    "$dir/reprise" replay "$WORK/rec.reprise.jsonl" --target "$BASE" --vus 50 --duration 12s --time-shift off --summary-json "$WORK/s.json" -q >/dev/null 2>&1 &
    RP=$!
    sleep 4
    read -r u0 s0 < <(awk '{print $14, $15}' /proc/$RP/stat)
    perf stat -x, -o "$WORK/stat.txt" -e task-clock,context-switches,syscalls:sys_enter_sendto,syscalls:sys_enter_recvfrom,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_sched_yield -p $RP -- sleep 6 >/dev/null 2>&1
    read -r u1 s1 < <(awk '{print $14, $15}' /proc/$RP/stat)
    wait $RP
    python3 - "$r" "$name" "$WORK/stat.txt" "$WORK/s.json" $u0 $s0 $u1 $s1 "$(getconf CLK_TCK)" <<'PY'
import sys, json
r, name, stat, sj, u0, s0, u1, s1 = sys.argv[1:9]
v = {}
for line in open(stat):
    p = line.strip().split(',')
    if len(p) > 2 and p[0] and p[0][0].isdigit(): v[p[2]] = float(p[0])
n = v['syscalls:sys_enter_sendto']
hz = float(sys.argv[9])
print(f"{r:<5} {name:<4} {json.load(open(sj))['rps']:9.1f} {v['task-clock']*1000/n:8.2f} {(int(u1)-int(u0))/hz*1e6/n:8.2f} {(int(s1)-int(s0))/hz*1e6/n:8.2f} {v['syscalls:sys_enter_recvfrom']/n:7.2f} {v['syscalls:sys_enter_epoll_wait']/n:7.3f} {v['syscalls:sys_enter_sched_yield']/n:7.3f} {v['context-switches']/n:7.3f}")
PY
  done
done
