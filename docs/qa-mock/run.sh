#!/bin/bash
# Mock QA rerun: record four real clients through `reprise record --proxy-listen` against the Flask dependencies
# (HTTP :18080, HTTPS :18443), stop the dependencies, replay the same clients against `reprise mock --proxy-listen`
# and diff status + body per call. Needs: python3-flask, python3-requests, curl, openssl, node + npm (undici), dotnet.
# Usage: docs/qa-mock/run.sh [path/to/reprise]   (loopback only; every step bounded)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
R=${1:-$HERE/../../src/Reprise.Cli/bin/Release/net10.0/reprise}
W=$(mktemp -d /tmp/mockqa.XXXX); cd "$W"
export REPRISE_HOME=$W/home CA=$W/home/ca/reprise-ca.pem
"$R" ca init >/dev/null 2>&1
openssl req -x509 -newkey rsa:2048 -nodes -keyout dep.key -out dep.crt -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
python3 "$HERE/deps.py" 18080 > dep-http.log 2>&1 & D1=$!
python3 "$HERE/deps.py" 18443 dep.crt dep.key > dep-https.log 2>&1 & D2=$!
mkdir node && (cd node && cp "$HERE/client_node.mjs" . && timeout 120 npm install --no-audit --no-fund undici@6 >/dev/null 2>&1)
cp "$HERE/client_dotnet.cs" client.cs
sleep 2
clients() { # $1 = proxy URL, $2 = output prefix
  PX=$1 "$HERE/client_curl.sh" 2>/dev/null | cut -c1-120 > "$2-curl.txt"
  HTTPS_PROXY=$1 HTTP_PROXY=$1 REQUESTS_CA_BUNDLE=$CA python3 "$HERE/client_py.py" > "$2-py.txt"
  PX=$1 timeout 60 node node/client_node.mjs > "$2-node.txt"
  PX=$1 timeout 300 flock -o /work/heavy.lock dotnet run client.cs > "$2-dotnet.txt" 2>/dev/null
}
"$R" record --proxy-listen 127.0.0.1:19001 --upstream-ca dep.crt --no-redact -o deps.reprise.jsonl > rec.out 2> rec.err & RP=$!
sleep 3; clients http://127.0.0.1:19001 rec; kill -TERM $RP; wait $RP
kill -TERM $D1 $D2; wait $D1 $D2 2>/dev/null   # the dependencies are gone from here on
"$R" mock deps.reprise.jsonl --listen 127.0.0.1:0 --proxy-listen 127.0.0.1:19002 --miss-report misses.json > mock.out 2> mock.err & MP=$!
sleep 3; clients http://127.0.0.1:19002 mock; kill -TERM $MP; wait $MP
cat mock.err
norm() { grep -v -e '^gz_plain' -e '^head' "$1" | awk '{ if ($3 == "-" || $3 == "volatile" || $3 == "nearest;") { $3 = ""; if ($4 ~ /^score=/) $4 = "" } print }' | tr -s ' '; }
for c in curl py node dotnet; do
  # gz_plain differs by design (curl without --compressed gets the decoded body); HEAD shows the live Date
  if diff <(norm rec-$c.txt) <(norm mock-$c.txt); then echo "$c: $(wc -l < mock-$c.txt) calls answered as recorded"; fi
done
echo "work dir: $W"
