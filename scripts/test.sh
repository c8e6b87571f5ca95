#!/usr/bin/env bash
# The second README command: runs every test — unit, integration (a real PostgreSQL and a real
# Docker engine, both installed and started here when missing) and browser tests.
# Usage: scripts/test.sh [--filter EXPR]    (EXPR is passed to dotnet test --filter)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT"

filter=()
if [ "${1:-}" = "--filter" ] && [ -n "${2:-}" ]; then filter=(--filter "$2"); fi

ensure_dotnet
ensure_packages curl:curl git:git
# The API build installs the dashboard's chart library with npm (Debian's npm brings nodejs).
ensure_packages npm:npm
if [ -n "${OVERTHINK_TEST_POSTGRES:-}" ]; then
  say "using the PostgreSQL in OVERTHINK_TEST_POSTGRES"
else
  ensure_local_postgres
  export OVERTHINK_TEST_POSTGRES="$LOCAL_PG_CONNECTION"
fi
ensure_docker
ensure_sandbox_image
ensure_packages chromium:chromium

# The real agent runs and the paper's judge prompt live beside the checkout (../shared), in CI too.
export OVERTHINK_SHARED_DIR="${OVERTHINK_SHARED_DIR:-$(cd "$ROOT/.." && pwd)/shared}"
[ -d "$OVERTHINK_SHARED_DIR/datasets" ] || die "shared data not found at $OVERTHINK_SHARED_DIR (set OVERTHINK_SHARED_DIR)"

say "building (Release)"
dotnet build OverthinkService.sln -c Release -nologo -v quiet -clp:ErrorsOnly

results="$ROOT/.artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  say "testing $name"
  dotnet test "$project" -c Release --no-build -nologo "${filter[@]}" \
    --logger "console;verbosity=normal" --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    || status=1
done
[ "$status" -eq 0 ] && say "all tests passed" || warn "some tests failed; TRX files in $results"
exit "$status"
