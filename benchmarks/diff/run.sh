#!/usr/bin/env bash
# Measures `reprise diff` on N synthetic exchanges (default 100000): wall time and peak memory of the
# comparison with every output, the HTML report size, and how long headless Chromium takes to load
# and render it (minus an empty page, i.e. browser start-up). Loopback only, bounded by N.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-100000}
WORK=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT; echo "work dir: $WORK"
REPRISE=${REPRISE_EXE:-artifacts/reprise/reprise}
[ -x "$REPRISE" ] || { dotnet publish src/Reprise.Cli -c Release -o artifacts/reprise -nologo -v quiet >/dev/null; }
python3 benchmarks/diff/gen.py "$N" "$WORK"
ls -l "$WORK"/*.jsonl | awk '{print "input", $5, "bytes", $9}'
/usr/bin/time -f "diff: %e s wall, %M KB peak RSS" "$REPRISE" diff "$WORK/recorded.reprise.jsonl" "$WORK/results.reprise.jsonl" \
  --report "$WORK/report.html" --junit "$WORK/junit.xml" --markdown "$WORK/pr.md" --quiet > "$WORK/stdout.txt" || true
tail -1 "$WORK/stdout.txt"
ls -l "$WORK/report.html" | awk '{print "report.html", $5, "bytes"}'
if command -v chromium >/dev/null; then
  echo '<!doctype html><title>x</title>' > "$WORK/empty.html"
  FLAGS="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
  t() { local s e; s=$(date +%s%N); chromium $FLAGS --dump-dom "file://$1" > "$WORK/dom.txt" 2>/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
  t "$WORK/empty.html" >/dev/null
  empty=$(t "$WORK/empty.html"); full=$(t "$WORK/report.html")
  rows=$(grep -o 'class="row' "$WORK/dom.txt" | wc -l)
  echo "chromium load+render: ${full} ms (empty page ${empty} ms, so ~$((full - empty)) ms for the report); exchange rows in the DOM: $rows"
fi
if [ -x /usr/bin/chromium ]; then
  dotnet run -c Release --project benchmarks/diff/OpenReport -- "$WORK/report.html"
fi
