#!/usr/bin/env bash
# Builds reprise and runs `reprise demo`, the end-to-end showcase.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! command -v dotnet >/dev/null 2>&1; then echo "dotnet SDK 10 is required (https://dot.net)" >&2; exit 2; fi
echo "== building reprise" >&2
# ReadyToRun for this machine (Reprise.Cli.csproj); a plain publish where the feed lacks the packs for it.
dotnet publish src/Reprise.Cli/Reprise.Cli.csproj -c Release -o artifacts/reprise -nologo -v quiet -clp:ErrorsOnly >&2 \
  || dotnet publish src/Reprise.Cli/Reprise.Cli.csproj -c Release -o artifacts/reprise -nologo -v quiet -clp:ErrorsOnly -p:PublishReadyToRun=false >&2
exec artifacts/reprise/reprise demo "$@"
