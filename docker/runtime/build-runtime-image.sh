#!/usr/bin/env bash
# Builds the base image the API and worker images sit on, without any image registry: a Debian bookworm
# minbase root filesystem with only what a self-contained .NET app needs (the C++ runtime, OpenSSL, CA
# certificates, time zone data; no ICU: the apps use invariant globalization), a non-root user `app`
# (uid 10001), then `docker import`.
#
# Idempotent and cached: exits at once when the image is on the daemon; otherwise reuses the root filesystem
# tarball cached under .data/runtime/ and only debootstraps when that is missing. The Debian mirror is read
# from this machine's apt sources at run time.
#
# Usage: docker/runtime/build-runtime-image.sh
#   OVERTHINK_RUNTIME_IMAGE   image tag to build             (default overthink-runtime:1)
#   OVERTHINK_DEBIAN_MIRROR   mirror URL to debootstrap from  (default: read from the apt sources)
#   OVERTHINK_DATA_DIR        where the cache lives           (default <checkout>/.data)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
IMAGE="${OVERTHINK_RUNTIME_IMAGE:-overthink-runtime:1}"
SUITE=bookworm
CACHE_DIR="${OVERTHINK_DATA_DIR:-$ROOT/.data}/runtime"
LOG_TAG=runtime-image
APP_UID=10001
# libstdc++6/libgcc-s1: the .NET runtime; libssl3 + ca-certificates: TLS (OTLP, judge endpoints); tzdata: audit
# time zones (IANA ids); zlib1g: compression. Part of the cache key: change it and the rootfs is rebuilt.
PACKAGES="ca-certificates,libssl3,tzdata,libstdc++6,libgcc-s1,zlib1g"
RECIPE_VERSION=1

# shellcheck source=../lib/rootfs.sh
source "$ROOT/docker/lib/rootfs.sh"

require_docker
image_present "$IMAGE" && exit 0

customize() {
  local rootfs="$1"
  as_root chroot "$rootfs" /usr/sbin/groupadd --gid "$APP_UID" app
  as_root chroot "$rootfs" /usr/sbin/useradd --uid "$APP_UID" --gid "$APP_UID" --create-home --shell /usr/sbin/nologin app
  as_root install -d -o "$APP_UID" -g "$APP_UID" -m 0755 "$rootfs/app"
}

tarball="$(rootfs_tarball "$CACHE_DIR" "$SUITE" "$PACKAGES" "$APP_UID|$RECIPE_VERSION" customize)"

say "importing $tarball as $IMAGE"
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' \
  --change 'WORKDIR /app' \
  --change "USER $APP_UID:$APP_UID" \
  --message "overthink runtime base image ($SUITE minbase, recipe $RECIPE_VERSION)" \
  "$tarball" "$IMAGE" >/dev/null
say "built $IMAGE ($(docker image inspect --format '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
