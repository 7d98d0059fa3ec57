#!/usr/bin/env bash
# Installs what the tests need, restores, builds, publishes the reprise executable and runs every
# test project. Ends with one line: "N passed, N failed, N skipped". Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '== %s\n' "$*" >&2; }

# --- System packages the tests use (installed only when missing) -------------------------------
apt_updated=0
need_pkg() { # need_pkg COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" != 0 ]; then log "missing $1 (apt package $2) and not root: tests that need it will fail"; return 0; fi
  if [ $apt_updated = 0 ]; then apt-get update -qq >/dev/null 2>&1 || true; apt_updated=1; fi
  log "installing $2"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null 2>&1 || log "could not install $2"
}
if ! command -v dotnet >/dev/null 2>&1; then echo "dotnet SDK 10 is required (https://dot.net)" >&2; exit 2; fi
[ -f tests/packages.txt ] && while read -r cmd pkg; do
  case "$cmd" in ''|\#*) continue ;; esac
  need_pkg "$cmd" "$pkg"
done < tests/packages.txt

# --- Build once, publish the executable the end-to-end tests drive ------------------------------
CONFIG=Release
log "restore + build ($CONFIG)"
if ! dotnet build Reprise.slnx -c $CONFIG -nologo -v quiet -clp:ErrorsOnly; then
  echo "build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
log "publish reprise"
rm -rf artifacts/reprise
# Not --no-build: the publish is ReadyToRun for this machine's runtime identifier (Reprise.Cli.csproj), a build of its
# own; where the feed lacks the ReadyToRun packs for it, a plain (IL) publish works the same, only starts slower.
if ! dotnet publish src/Reprise.Cli/Reprise.Cli.csproj -c $CONFIG -o artifacts/reprise -nologo -v quiet \
   && ! { echo "ReadyToRun publish failed; publishing without it"; dotnet publish src/Reprise.Cli/Reprise.Cli.csproj -c $CONFIG -o artifacts/reprise -nologo -v quiet -p:PublishReadyToRun=false; }; then
  echo "publish failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
export REPRISE_EXE="$ROOT/artifacts/reprise/reprise"

# --- Run every test project (xunit v3 executables), sum the results -----------------------------
mkdir -p artifacts/test-results
rm -f artifacts/test-results/*.xml
passed=0; failed=0; skipped=0; status=0
for proj in tests/*/*.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  dll="tests/$name/bin/$CONFIG/net10.0/$name.dll"
  xml="artifacts/test-results/$name.xml"
  log "test $name"
  timeout 900 dotnet "$dll" -noColor -noLogo -xml "$xml" ${TEST_ARGS:-} || status=1
  if [ -f "$xml" ]; then
    line=$(grep -o '<assembly [^>]*>' "$xml" | head -1)
    get() { echo "$line" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
    p=$(get passed); f=$(get failed); s=$(get skipped); e=$(get errors)
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${s:-0}))
  else
    log "$name produced no results"; failed=$((failed + 1)); status=1
  fi
done
[ $failed -gt 0 ] && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
