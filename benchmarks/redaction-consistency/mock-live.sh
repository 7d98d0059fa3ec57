#!/usr/bin/env bash
# Cost of redacting live requests in the mock: the same redacted recording (samples/shop.har imported
# with the default policy, as benchmarks/mock/run.sh does), served with live redaction (default) and
# with --no-redact, alternately; wrk -t2 -c32 -d10s against GET /api/products?page=1&limit=6. Build
# src/Reprise.Cli in Release first, then: flock -o /work/heavy.lock benchmarks/redaction-consistency/mock-live.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
R=$ROOT/src/Reprise.Cli/bin/Release/net10.0/reprise
W=$(mktemp -d /tmp/reprise-mock-live.XXXXXX)
export REPRISE_HOME=$W/home REPRISE_REDACTION_KEY=mock-bench-key-0123456789
$R import $ROOT/samples/shop.har --direction outbound -o $W/deps.reprise.jsonl -q
PATHQ=$(python3 - $W/deps.reprise.jsonl <<'PY'
import json,sys
f=open(sys.argv[1]); next(f)
for l in f:
    e=json.loads(l); u=e["request"]["url"]
    if e["request"]["method"]=="GET" and "/api/products?" in u: print(u[u.index("/",8):]); break
PY
)
for mode in redact no-redact redact no-redact; do
  extra=(); [ "$mode" = no-redact ] && extra=(--no-redact)
  $R mock $W/deps.reprise.jsonl --listen 127.0.0.1:0 -q "${extra[@]}" > $W/m.out 2>$W/m.err & MP=$!
  for _ in $(seq 1 100); do grep -q '^listening on ' $W/m.out 2>/dev/null && break; sleep 0.1; done
  URL=$(head -1 $W/m.out | sed 's/^listening on //')
  curl -fsS -o /dev/null "$URL$PATHQ"
  wrk -t2 -c32 -d3s "$URL$PATHQ" >/dev/null
  OUT=$(wrk -t2 -c32 -d10s --latency "$URL$PATHQ")
  echo "$mode GET $PATHQ: $(echo "$OUT" | awk '/Requests\/sec/ {print $2}') req/s, p99 $(echo "$OUT" | awk '$1=="99%" {print $2}'), non-2xx: $(echo "$OUT" | awk '/Non-2xx/ {print $NF}')"
  kill -TERM $MP; wait $MP || true
done
rm -rf $W
