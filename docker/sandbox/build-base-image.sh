#!/usr/bin/env bash
# Builds the sandbox base image (Debian bookworm, minbase + python3, pytest, git, patch) without any
# image registry: debootstrap a root filesystem from the machine's own Debian mirror, add the
# non-root user the sandboxes run as, and `docker import` it.
#
# Idempotent and cached: exits at once when the image is already on the daemon; otherwise reuses the
# rootfs tarball cached under .data/sandbox/ in the checkout, and only debootstraps when that is missing.
#
# Usage: docker/sandbox/build-base-image.sh            (no arguments; settings from the environment)
#   OVERTHINK_SANDBOX_IMAGE   image tag to build            (default overthink-sandbox:1; the C# side's
#                                                           Sandbox:BaseImage defaults to the same)
#   OVERTHINK_SANDBOX_SUITE   Debian suite                  (default bookworm)
#   OVERTHINK_DEBIAN_MIRROR   mirror URL to debootstrap from (default: read from this machine's apt sources)
#   OVERTHINK_DATA_DIR        where the cache lives          (default <checkout>/.data)
#   DOCKER_HOST               a remote daemon, as the docker CLI understands it
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
IMAGE="${OVERTHINK_SANDBOX_IMAGE:-overthink-sandbox:1}"
SUITE="${OVERTHINK_SANDBOX_SUITE:-bookworm}"
CACHE_DIR="${OVERTHINK_DATA_DIR:-$ROOT/.data}/sandbox"
LOG_TAG=sandbox-image
SANDBOX_UID=1000
# The package list is part of the cache key: change it and the rootfs is rebuilt.
PACKAGES="python3,python3-pytest,git,patch,diffutils,procps,ca-certificates,less"
RECIPE_VERSION=1

# shellcheck source=../lib/rootfs.sh
source "$ROOT/docker/lib/rootfs.sh"

require_docker
image_present "$IMAGE" && exit 0

customize() {
  local rootfs="$1"
  say "adding user sandbox (uid $SANDBOX_UID)"
  as_root chroot "$rootfs" /usr/sbin/groupadd --gid "$SANDBOX_UID" sandbox
  as_root chroot "$rootfs" /usr/sbin/useradd --uid "$SANDBOX_UID" --gid "$SANDBOX_UID" --create-home --shell /bin/bash sandbox
  # The workspace is a tmpfs mounted over /workspace at run time; the directory exists so that an
  # image started without it still has a sensible place to work.
  as_root install -d -o "$SANDBOX_UID" -g "$SANDBOX_UID" -m 0755 "$rootfs/workspace"
  # Repositories in the workspace are owned by the sandbox user, but a replay may also run as root
  # on an instance image: never let git's ownership check refuse them.
  as_root chroot "$rootfs" git config --system safe.directory '*'
}

tarball="$(rootfs_tarball "$CACHE_DIR" "$SUITE" "$PACKAGES" "$SANDBOX_UID|$RECIPE_VERSION" customize)"

say "importing $tarball as $IMAGE"
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV PYTHONDONTWRITEBYTECODE=1' \
  --change 'WORKDIR /workspace' \
  --change "USER $SANDBOX_UID:$SANDBOX_UID" \
  --change 'CMD ["/bin/bash"]' \
  --message "overthink sandbox base image ($SUITE minbase, recipe $RECIPE_VERSION)" \
  "$tarball" "$IMAGE" >/dev/null
say "built $IMAGE ($(docker image inspect --format '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
