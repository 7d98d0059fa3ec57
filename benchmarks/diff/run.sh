#!/usr/bin/env bash
# Measures `reprise diff` on N synthetic exchanges (default 100000): wall time and peak memory of the
# comparison with every output, the HTML report size, and how long headless Chromium takes to load
# and render it (Playwright over /usr/bin/chromium). No network; bounded by N.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-100000}
WORK=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT; echo "work dir: $WORK"
REPRISE=${REPRISE_EXE:-artifacts/reprise/reprise}
[ -x "$REPRISE" ] || { dotnet publish src/Reprise.Cli -c Release -o artifacts/reprise -nologo -v quiet >/dev/null; }
python3 benchmarks/diff/gen.py "$N" "$WORK"
ls -l "$WORK"/*.jsonl | awk '{print "input", $5, "bytes", $9}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
/usr/bin/time -f "diff (no outputs): %e s wall, %U s user, %M KB peak RSS" "$REPRISE" diff "$WORK/recorded.reprise.jsonl" "$WORK/results.reprise.jsonl" \
  --baseline "$WORK/baseline.reprise.jsonl" --quiet > "$WORK/stdout.txt" || true
/usr/bin/time -f "diff (table + JUnit + Markdown + HTML): %e s wall, %U s user, %M KB peak RSS" "$REPRISE" diff "$WORK/recorded.reprise.jsonl" "$WORK/results.reprise.jsonl" \
  --baseline "$WORK/baseline.reprise.jsonl" --report "$WORK/report.html" --junit "$WORK/junit.xml" --markdown "$WORK/pr.md" --quiet > "$WORK/stdout.txt" || true
tail -1 "$WORK/stdout.txt"
ls -l "$WORK/report.html" | awk '{print "report.html", $5, "bytes"}'
if [ -x /usr/bin/chromium ]; then
  dotnet run -c Release --project benchmarks/diff/OpenReport -- "$WORK/report.html"
fi
