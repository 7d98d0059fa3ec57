#!/usr/bin/env bash
# Proxy throughput/latency in one run, same upstream, same client (wrk):
#   direct Kestrel | nginx reverse proxy | mitmdump (reverse mode, recording to a file) | reprise record
# Prints rps, p50, p99 per tool and the ratios. Everything on 127.0.0.1; every run bounded.
# Then the latency each proxy adds at a fixed rate below saturation (hey, RATE req/s over 8 workers):
# at saturation p99 is mostly queueing (a proxy that is slower in throughput queues longer), so the
# added latency of the proxy itself is measured where no one queues, as proxy benchmarks usually do.
#
# Usage: [WARMUP=20] [RATE=2000] benchmarks/proxy/run.sh [DURATION_SECONDS=10] [CONNECTIONS=64] [THREADS=2]
set -euo pipefail
DURATION=${1:-10}
CONNECTIONS=${2:-64}
THREADS=${3:-2}
WARMUP=${WARMUP:-20}  # .NET's tiered JIT (with PGO) keeps recompiling reprise's hot path for ~15 s under load; every tool gets the same warm-up
RATE=${RATE:-2000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/reprise-proxy-bench.XXXXXX)
UP_PORT=18080; NGINX_PORT=18081; MITM_PORT=18082; REPRISE_PORT=18083
PATH_UNDER_TEST=/api/items/42
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

need() { command -v "$1" >/dev/null 2>&1; }
install_missing() {
  local pkgs=()
  need wrk || pkgs+=(wrk)
  need hey || pkgs+=(hey)
  need nginx || [ -x /usr/sbin/nginx ] || pkgs+=(nginx)
  need mitmdump || pkgs+=(mitmproxy)
  if [ ${#pkgs[@]} -gt 0 ]; then
    echo "installing: ${pkgs[*]}" >&2
    if [ "$(id -u)" = 0 ]; then apt-get update -q >/dev/null && apt-get install -y -q "${pkgs[@]}" >/dev/null
    else sudo apt-get update -q >/dev/null && sudo apt-get install -y -q "${pkgs[@]}" >/dev/null; fi
  fi
}
wait_port() { for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$1$2" && return 0; sleep 0.1; done; echo "port $1 did not come up" >&2; exit 1; }

install_missing
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

echo "building upstream and reprise (Release)..." >&2
dotnet publish -c Release -o "$WORK/upstream" "$ROOT/benchmarks/proxy/BenchUpstream/BenchUpstream.csproj" >/dev/null
REPRISE=${REPRISE_EXE:-}
if [ -z "$REPRISE" ]; then
  dotnet publish -c Release -o "$WORK/reprise" "$ROOT/src/Reprise.Cli/Reprise.Cli.csproj" >/dev/null
  REPRISE="$WORK/reprise/reprise"
fi

"$WORK/upstream/BenchUpstream" "http://127.0.0.1:$UP_PORT" & PIDS+=($!)
wait_port $UP_PORT /_health

cat > "$WORK/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  upstream up { server 127.0.0.1:$UP_PORT; keepalive 128; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGINX
"$NGINX" -c "$WORK/nginx.conf" -g 'daemon off;' & PIDS+=($!)
wait_port $NGINX_PORT $PATH_UNDER_TEST

mitmdump --mode "reverse:http://127.0.0.1:$UP_PORT" --listen-host 127.0.0.1 --listen-port $MITM_PORT -w "$WORK/mitm.flows" -q & PIDS+=($!)
wait_port $MITM_PORT $PATH_UNDER_TEST

"$REPRISE" record --upstream "http://127.0.0.1:$UP_PORT" --listen "127.0.0.1:$REPRISE_PORT" -o "$WORK/rec.reprise.jsonl" --no-redact -q > "$WORK/reprise.out" 2> "$WORK/reprise.err" & REPRISE_PID=$!; PIDS+=($REPRISE_PID)
wait_port $REPRISE_PORT $PATH_UNDER_TEST

# wrk prints latency percentiles with --latency; we parse 50% and 99% and Requests/sec.
run_wrk() { # name port
  local name=$1 port=$2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$port$PATH_UNDER_TEST" >/dev/null 2>&1 # warm-up (.NET tiered JIT needs a few seconds)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$port$PATH_UNDER_TEST" > "$WORK/$name.wrk"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$name.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$WORK/$name.wrk")
  p99=$(awk '$1=="99%" {print $2}' "$WORK/$name.wrk")
  echo "$name $rps $p50 $p99"
}
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v } else if (v ~ /s$/) { sub(/s$/,"",v); print v*1000 } else print v }'; }

RESULTS=()
for target in "direct:$UP_PORT" "nginx:$NGINX_PORT" "mitmdump:$MITM_PORT" "reprise:$REPRISE_PORT"; do
  RESULTS+=("$(run_wrk "${target%%:*}" "${target##*:}")")
done

run_fixed_rate() { # name port: p50 and p99 in ms at RATE req/s (8 workers, keep-alive)
  local name=$1 port=$2 workers=8
  hey -z "${DURATION}s" -c $workers -q $((RATE / workers)) "http://127.0.0.1:$port$PATH_UNDER_TEST" > "$WORK/$name.hey"
  local p50 p99 rps
  rps=$(awk '/Requests\/sec:/ {print $2}' "$WORK/$name.hey")
  p50=$(awk '$1=="50%" && $2=="in" {print $3*1000}' "$WORK/$name.hey")
  p99=$(awk '$1=="99%" && $2=="in" {print $3*1000}' "$WORK/$name.hey")
  echo "$name $rps $p50 $p99"
}
FIXED=()
for target in "direct:$UP_PORT" "nginx:$NGINX_PORT" "reprise:$REPRISE_PORT"; do
  FIXED+=("$(run_fixed_rate "${target%%:*}" "${target##*:}")")
done

kill -TERM $REPRISE_PID; wait $REPRISE_PID 2>/dev/null || true
RECORDED=$(($(wc -l < "$WORK/rec.reprise.jsonl") - 1))

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (after ${WARMUP}s warm-up each) GET $PATH_UNDER_TEST ($(nproc) cores, load average $(cut -d" " -f1 /proc/loadavg) at the end, all processes on this machine)"
printf '%-10s %12s %10s %10s\n' tool rps p50_ms p99_ms
declare -A RPS P99
for line in "${RESULTS[@]}"; do
  read -r name rps p50 p99 <<< "$line"
  RPS[$name]=$rps; P99[$name]=$(to_ms "$p99")
  printf '%-10s %12s %10s %10s\n' "$name" "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")"
done
echo
awk -v r="${RPS[reprise]}" -v n="${RPS[nginx]}" -v m="${RPS[mitmdump]}" -v d="${RPS[direct]}" 'BEGIN {
  printf "reprise / nginx throughput:    %.2fx\n", r/n
  printf "reprise / mitmdump throughput: %.1fx\n", r/m
  printf "reprise / direct throughput:   %.2fx\n", r/d }'
awk -v r="${P99[reprise]}" -v d="${P99[direct]}" 'BEGIN { printf "reprise p99 added vs direct:   %.2f ms (at saturation: queueing included)\n", r-d }'
echo
echo "fixed rate: hey -z ${DURATION}s -c 8 -q $((RATE / 8)) ($RATE req/s) GET $PATH_UNDER_TEST"
printf '%-10s %12s %10s %10s\n' tool rps p50_ms p99_ms
declare -A FP50 FP99
for line in "${FIXED[@]}"; do
  read -r name rps p50 p99 <<< "$line"
  FP50[$name]=$p50; FP99[$name]=$p99
  printf '%-10s %12s %10s %10s\n' "$name" "$rps" "$p50" "$p99"
done
awk -v r="${FP99[reprise]}" -v d="${FP99[direct]}" -v n="${FP99[nginx]}" -v r5="${FP50[reprise]}" -v d5="${FP50[direct]}" 'BEGIN {
  printf "reprise p99 added vs direct at %s req/s: %.2f ms (p50 added %.2f ms; nginx p99 added %.2f ms)\n", "'"$RATE"'", r-d, r5-d5, n-d }'
echo "reprise recorded $RECORDED exchanges (warm-up + run) to $WORK/rec.reprise.jsonl"
grep '^record:' "$WORK/reprise.err" | tail -1 || true
