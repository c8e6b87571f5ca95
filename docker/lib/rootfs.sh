# Sourced by the image recipes (docker/sandbox/build-base-image.sh, docker/runtime/build-runtime-image.sh):
# builds a Debian minbase root filesystem tarball from this machine's own apt mirror, with no image registry.
# The caller sets LOG_TAG before sourcing and then calls require_docker, image_present and rootfs_tarball.

say()  { printf '\033[1;34m[%s]\033[0m %s\n' "$LOG_TAG" "$*" >&2; }
die()  { printf '\033[1;31m[%s] error:\033[0m %s\n' "$LOG_TAG" "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

require_docker() {
  command -v docker >/dev/null || die "the docker CLI is not installed (apt-get install docker.io) or not on PATH"
  docker version --format '{{.Server.APIVersion}}' >/dev/null 2>&1 \
    || die "the Docker daemon does not answer (DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock}); start dockerd first"
}

# image_present IMAGE: true (and says so) when the daemon already has IMAGE.
image_present() {
  if docker image inspect "$1" >/dev/null 2>&1; then say "$1 is already present; nothing to do"; return 0; fi
  return 1
}

# read_mirror SUITE: the first mirror URI serving SUITE in the apt configuration — deb822 *.sources files first
# (URIs:/Suites: stanzas, skipping disabled ones), then the one-line sources.list format. Nothing is written.
read_mirror() {
  local suite="$1" f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri="$(awk -v suite="$suite" '
      function flush() { if (uris != "" && hit) { split(uris, u, " "); print u[1]; found = 1; exit } uris = ""; hit = 0 }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]*#/ { next }
      tolower($1) == "uris:"   { uris = ""; for (i = 2; i <= NF; i++) uris = uris " " $i }
      tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == suite) hit = 1 }
      tolower($1) == "enabled:" && tolower($2) == "no" { uris = ""; hit = 0; skip = 1 }
      END { if (!found) flush() }
    ' "$f")"
    if [ -n "$uri" ]; then echo "$uri"; return 0; fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri="$(awk -v suite="$suite" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' "$f")"
    if [ -n "$uri" ]; then echo "$uri"; return 0; fi
  done
  return 1
}

# rootfs_tarball CACHE_DIR SUITE PACKAGES KEY CUSTOMIZE: prints the path of a cached root filesystem tarball,
# building it when missing: debootstrap --variant=minbase of SUITE with PACKAGES (comma-separated), then
# `CUSTOMIZE ROOTFS` (the caller's function: users, folders), then no package lists, caches or mirror URL left
# in it. KEY (whatever else the recipe depends on) is part of the cache key with SUITE and PACKAGES.
rootfs_tarball() {
  local cache_dir="$1" suite="$2" packages="$3" key="$4" customize="$5" hash tarball mirror work rootfs m
  mkdir -p "$cache_dir"
  hash="$(printf '%s|%s|%s' "$suite" "$packages" "$key" | sha256sum | cut -c1-16)"
  tarball="$cache_dir/rootfs-$suite-$hash.tar"
  if [ -s "$tarball" ]; then
    say "reusing the cached root filesystem $tarball"
    echo "$tarball"
    return 0
  fi

  if ! command -v debootstrap >/dev/null 2>&1; then
    command -v apt-get >/dev/null || die "debootstrap is missing and there is no apt-get to install it"
    say "installing debootstrap from Debian's packages"
    as_root apt-get update -qq >&2 || die "apt-get update failed"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2 \
      || die "apt-get install debootstrap failed"
  fi
  mirror="${OVERTHINK_DEBIAN_MIRROR:-}"
  if [ -z "$mirror" ]; then
    mirror="$(read_mirror "$suite")" || die "no apt source for suite '$suite' in /etc/apt/sources.list{,.d/}; set OVERTHINK_DEBIAN_MIRROR"
  fi

  work="$(mktemp -d "$cache_dir/build.XXXXXX")"
  # Unmount anything debootstrap left mounted before deleting, so a failed build never deletes through a bind mount.
  # shellcheck disable=SC2064  # $work is expanded now on purpose: the trap outlives this function's locals.
  trap "rootfs_cleanup '$work'" EXIT
  rootfs="$work/rootfs"

  say "debootstrapping $suite (minbase + $packages) from the mirror in the apt sources; this takes a few minutes"
  as_root debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
    tail -n 30 "$work/debootstrap.log" >&2
    die "debootstrap failed (full log above was $work/debootstrap.log)"
  }

  "$customize" "$rootfs" >&2

  as_root rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/etc/apt/sources.list "$rootfs"/etc/apt/sources.list.d/* "$rootfs"/var/log/*.log "$rootfs"/debootstrap
  for m in $(awk -v r="$rootfs" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do as_root umount -l "$m" || true; done

  say "packing the root filesystem into $tarball"
  as_root tar --numeric-owner --one-file-system -C "$rootfs" -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
  rootfs_cleanup "$work"
  trap - EXIT
  echo "$tarball"
}

rootfs_cleanup() {
  local work="$1" m
  [ -d "$work" ] || return 0
  for m in $(awk -v w="$work" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do as_root umount -l "$m" || true; done
  as_root rm -rf --one-file-system "$work"
}
