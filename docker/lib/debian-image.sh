# Sourced by the docker/build-*-image.sh scripts that turn Debian packages into images without any registry: the
# host checks, the package versions pinned in the cache tag, download and unpacking. The caller sets NAME (for the
# log), REPO (image repository) and DEBS (the packages, their library closure included) before sourcing it.
# shellcheck shell=bash
if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
export DOCKER_BUILDKIT=0 # the legacy builder works with both docker clients and needs no buildx
ALIAS=$REPO:local

log() { printf '[%s-image] %s\n' "$NAME" "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck disable=SC2086 # word splitting of the package list is intended
versions() { apt-cache policy $DEBS 2>/dev/null | awk '/^[^ ]/{p=$1} /Candidate:/{print p $2}'; }

"$DOCKER" info >/dev/null 2>&1 || die "cannot reach the Docker daemon (start dockerd; see README, Run with Docker)"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || die "needs apt-get and dpkg-deb (a Debian or Ubuntu host)"

# The candidate version of every package, refreshing stale package lists once.
pinned_versions() {
  local pinned
  pinned=$(versions)
  if [ "$(wc -l <<<"$pinned")" -lt "$(wc -w <<<"$DEBS")" ] || grep -q '(none)' <<<"$pinned"; then
    log "package lists missing or stale: apt-get update"
    apt-get update -q >/dev/null
    pinned=$(versions)
  fi
  printf '%s\n' "$pinned"
}

# REPO:<hash of the calling script, this file, the given extra inputs and the package versions>
cache_tag() {
  printf '%s:%s\n' "$REPO" "$( { cat "$0" "${BASH_SOURCE[0]}"; printf '%s\n' "$@"; pinned_versions; } \
      | sha256sum | cut -c1-12)"
}

# Downloads DEBS into $1.
download_debs() {
  mkdir -p "$1"
  # shellcheck disable=SC2086
  (cd "$1" && apt-get download -q -o APT::Sandbox::User=root $DEBS >/dev/null) || die "apt-get download failed"
}

# Unpacks every package of $1 into the root $2, recorded as installed (so scanners see what the image holds).
unpack_installed() {
  mkdir -p "$2/var/lib/dpkg/status.d"
  local deb
  for deb in "$1"/*.deb; do
    dpkg-deb -x "$deb" "$2"
    { dpkg-deb -f "$deb"; echo "Status: install ok installed"; } >"$2/var/lib/dpkg/status.d/$(dpkg-deb -f "$deb" Package)"
  done
}

# Logs the built image's size.
log_built() {
  log "built $1: $("$DOCKER" image inspect -f '{{.Size}}' "$1" | awk '{printf "%.1f MB", $1 / 1e6}')"
}
