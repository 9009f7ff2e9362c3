#!/usr/bin/env bash
# Builds the Prometheus image of the compose files' `prometheus` profile without any image registry: Debian's
# prometheus package (one Go binary and its console templates; it needs only glibc) unpacked onto Squall's local base
# image (docker/build-base-image.sh, which has glibc and busybox). Where a registry is reachable, prom/prometheus
# does the same job (SQUALL_PROMETHEUS_IMAGE=prom/prometheus:v2.53.0; it reads the same configuration).
#
#   docker/build-prometheus-image.sh   build if needed; prints the image tag on stdout (progress goes to stderr)
#
# Cached: tagged squall/prometheus:<hash of this script, the base image and the package version>;
# squall/prometheus:local points at the newest build. Needs root or rights to the Docker daemon and a Debian-like
# host (apt-get download, dpkg-deb); builds the base image first when it is missing (cached too).
set -euo pipefail
cd "$(dirname "$0")/.."

REPO=squall/prometheus
ALIAS=$REPO:local
# the server only: its web UI's JavaScript packages (libjs-*) are left out, the HTTP API and the UI's plain pages
# (/targets, /graph) do not need them
DEBS="prometheus"
WORK=${SQUALL_PROMETHEUS_WORK:-${TMPDIR:-/var/tmp}/squall-prometheus-image}
if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
export DOCKER_BUILDKIT=0 # the legacy builder works with both docker clients and needs no buildx

log() { printf '[prometheus-image] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck disable=SC2086 # word splitting of the package list is intended
versions() { apt-cache policy $DEBS 2>/dev/null | awk '/^[^ ]/{p=$1} /Candidate:/{print p $2}'; }

"$DOCKER" info >/dev/null 2>&1 || die "cannot reach the Docker daemon (start dockerd; see README, Run with Docker)"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || die "needs apt-get and dpkg-deb (a Debian or Ubuntu host)"

base=${SQUALL_BASE_IMAGE:-$(docker/build-base-image.sh)}
base_id=$("$DOCKER" image inspect -f '{{.Id}}' "$base") || die "no base image $base"
pinned=$(versions)
if [ -z "$pinned" ] || grep -q '(none)' <<<"$pinned"; then
  log "package lists missing or stale: apt-get update"
  apt-get update -q >/dev/null
  pinned=$(versions)
fi
TAG=$REPO:$( { cat "$0"; echo "$base_id"; echo "$pinned"; } | sha256sum | cut -c1-12)

if "$DOCKER" image inspect "$TAG" >/dev/null 2>&1; then
  log "cached: $TAG"
else
  log "building $TAG on $base"
  root=$WORK/context/root debs=$WORK/debs
  rm -rf "$WORK"; mkdir -p "$root" "$debs"
  # shellcheck disable=SC2086
  (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root $DEBS >/dev/null) || die "apt-get download failed"
  mkdir -p "$root/var/lib/dpkg/status.d"
  for deb in "$debs"/*.deb; do
    dpkg-deb -x "$deb" "$root"
    { dpkg-deb -f "$deb"; echo "Status: install ok installed"; } >"$root/var/lib/dpkg/status.d/$(dpkg-deb -f "$deb" Package)"
  done
  # the binaries and console templates; no init scripts, units, defaults or docs
  rm -rf "$root"/usr/share/{doc,man,info,lintian,bug} "$root"/etc/{init.d,default,logrotate.d} \
         "$root"/lib/systemd "$root"/usr/lib/systemd "$root"/var/log
  mkdir -p "$root/prometheus"
  cat >"$WORK/context/Dockerfile" <<'EOF'
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
COPY root/ /
# Debian's prometheus user and group (a fixed number here); /prometheus holds the TSDB (a tmpfs or a volume)
RUN echo 'prometheus:x:998:998:prometheus:/prometheus:/sbin/nologin' >>/etc/passwd \
 && echo 'prometheus:x:998:' >>/etc/group \
 && chown 998:998 /prometheus \
 && ! /lib64/ld-linux-x86-64.so.2 --list /usr/bin/prometheus 2>/dev/null | grep 'not found' \
 && prometheus --version
USER 998:998
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
EOF
  "$DOCKER" build -q --force-rm --build-arg BASE_IMAGE="$base" \
      --label org.opencontainers.image.description="Debian's prometheus on Squall's local base image" \
      -t "$TAG" "$WORK/context" >/dev/null || die "docker build failed"
  rm -rf "$WORK"
  log "built $TAG: $("$DOCKER" image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%.1f MB", $1 / 1e6}')"
fi
"$DOCKER" tag "$TAG" "$ALIAS"
echo "$ALIAS"
