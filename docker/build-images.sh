#!/usr/bin/env bash
# Builds the API and worker images here, with no image registry:
#   1. the runtime base image overthink-runtime:1 (debootstrap + docker import; cached), unless present;
#   2. `dotnet publish --self-contained -r linux-x64` of each host into .data/publish/{api,worker};
#   3. `docker build` with the classic builder (DOCKER_BUILDKIT=0) on that local base: nothing is pulled.
# Usage: docker/build-images.sh [TAG]      (default TAG: dev → overthink-api:dev, overthink-worker:dev)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TAG="${1:-dev}"
OUT="${OVERTHINK_DATA_DIR:-$ROOT/.data}/publish"
say() { printf '\033[1;34m[images]\033[0m %s\n' "$*" >&2; }

# The API build installs the dashboard's chart library with npm; fail here, before the base image, if it is missing.
command -v npm >/dev/null || { say "npm is needed to build the API (the dashboard's chart library): apt-get install -y nodejs npm"; exit 1; }
"$ROOT/docker/runtime/build-runtime-image.sh"
for host in api worker; do
  project="$ROOT/src/OverthinkService.${host^}"
  say "publishing ${project#"$ROOT"/} (Release, linux-x64, self-contained)"
  rm -rf "${OUT:?}/$host"
  dotnet publish "$project" -c Release -r linux-x64 --self-contained -o "$OUT/$host" -nologo -v quiet -clp:ErrorsOnly
  say "building overthink-$host:$TAG"
  DOCKER_BUILDKIT=0 docker build --quiet -f "$ROOT/docker/$host/Dockerfile" -t "overthink-$host:$TAG" "$OUT/$host" >/dev/null
done
say "built: $(docker image ls --format '{{.Repository}}:{{.Tag}} ({{.Size}})' | grep -E "^overthink-(api|worker):$TAG " | paste -sd ', ')"
