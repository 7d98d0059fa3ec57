#!/usr/bin/env bash
# Cost of redacting kept results: reprise replay --vus 50 --duration 10s against benchmarks/replay/TinyTarget
# with a 10,000-exchange recording whose header names a redaction policy; modes: no --out, --out (results
# redacted, the default) and --out --no-redact. Build TinyTarget and src/Reprise.Cli in Release first, then:
#   flock -o /work/heavy.lock benchmarks/redaction-consistency/replay-out.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
R=$ROOT/src/Reprise.Cli/bin/Release/net10.0/reprise
W=$(mktemp -d /tmp/reprise-replay-out.XXXXXX)
export REPRISE_HOME=$W/home REPRISE_REDACTION_KEY=replay-bench-key-0123456789
$ROOT/benchmarks/replay/TinyTarget/bin/Release/net10.0/TinyTarget > $W/t.out 2>&1 & TP=$!
for _ in $(seq 1 100); do grep -q '^listening on ' $W/t.out 2>/dev/null && break; sleep 0.1; done
BASE=$(head -1 $W/t.out | sed 's/^listening on //')
python3 "$ROOT/benchmarks/replay/make-recording.py" "$W/rec.reprise.jsonl" --redacted
for mode in none redact no-redact redact no-redact; do
  args=(); case $mode in redact) args=(-o $W/res.reprise.jsonl -f);; no-redact) args=(-o $W/res.reprise.jsonl -f --no-redact);; esac
  $R replay $W/rec.reprise.jsonl --target "$BASE" --vus 50 --duration 10s --time-shift off --summary-json $W/s.json -q "${args[@]}" > /dev/null 2>$W/err.txt
  echo "$mode: $(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['rps'], 'req/s, p99', d['latencyMs']['p99'], 'ms, errors', d['errors'])" $W/s.json) $(head -c 300 $W/err.txt | tr '\n' ' ')"
done
kill -TERM $TP; wait $TP 2>/dev/null || true
rm -rf $W
