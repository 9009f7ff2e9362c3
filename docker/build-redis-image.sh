#!/usr/bin/env bash
# Builds the Redis image that docker/compose.cluster.yaml and the cluster container test run, without any image
# registry: Debian's redis-server and redis-tools and the shared libraries they need beyond glibc, unpacked from
# Debian packages onto Squall's local base image (docker/build-base-image.sh, which has glibc and busybox). Where a
# registry is reachable, any Redis 7 image (SQUALL_REDIS_IMAGE=redis:7) does the same job.
#
#   docker/build-redis-image.sh        build if needed; prints the image tag on stdout (progress goes to stderr)
#
# Cached: tagged squall/redis:<hash of this script, the base image and the package versions>; squall/redis:local
# points at the newest build. Needs root or rights to the Docker daemon and a Debian-like host (apt-get download,
# dpkg-deb); builds the base image first when it is missing (cached too).
set -euo pipefail
cd "$(dirname "$0")/.."

REPO=squall/redis
ALIAS=$REPO:local
# redis-server (the /usr/bin/redis-server link), redis-tools (the binary, redis-cli) and their library closure on
# Debian bookworm, less libc6 and libgcc-s1 (the base image has them); the build checks the closure inside the image
DEBS="redis-server redis-tools libatomic1 liblzf1 libjemalloc2 libssl3 libsystemd0 libstdc++6 libcap2 libgcrypt20
      libgpg-error0 liblzma5 libzstd1 liblz4-1"
WORK=${SQUALL_REDIS_WORK:-${TMPDIR:-/var/tmp}/squall-redis-image}
if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
export DOCKER_BUILDKIT=0 # the legacy builder works with both docker clients and needs no buildx

log() { printf '[redis-image] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck disable=SC2086 # word splitting of the package list is intended
versions() { apt-cache policy $DEBS 2>/dev/null | awk '/^[^ ]/{p=$1} /Candidate:/{print p $2}'; }

"$DOCKER" info >/dev/null 2>&1 || die "cannot reach the Docker daemon (start dockerd; see README, Run with Docker)"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || die "needs apt-get and dpkg-deb (a Debian or Ubuntu host)"

base=${SQUALL_BASE_IMAGE:-$(docker/build-base-image.sh)}
base_id=$("$DOCKER" image inspect -f '{{.Id}}' "$base") || die "no base image $base"
pinned=$(versions)
if [ "$(wc -l <<<"$pinned")" -lt "$(wc -w <<<"$DEBS")" ] || grep -q '(none)' <<<"$pinned"; then
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
  # the binaries, their libraries and redis.conf for reference; no init scripts, units, docs or benchmark
  rm -rf "$root"/usr/share/{doc,man,info,lintian,locale,bug,common-licenses,bash-completion,zsh} \
         "$root"/etc/{init.d,logrotate.d,default} "$root"/lib/systemd "$root"/usr/lib/systemd \
         "$root"/usr/bin/redis-benchmark "$root"/usr/share/gcc "$root"/usr/share/gdb "$root"/var/log
  mkdir -p "$root/data"
  cat >"$WORK/context/Dockerfile" <<'EOF'
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
COPY root/ /
# a redis user (999, Debian's usual number) owning /data, the working directory; every library must resolve
RUN echo 'redis:x:999:999:redis:/data:/sbin/nologin' >>/etc/passwd && echo 'redis:x:999:' >>/etc/group \
 && chown 999:999 /data \
 && ! /lib64/ld-linux-x86-64.so.2 --list /usr/bin/redis-check-rdb | grep 'not found' \
 && ! /lib64/ld-linux-x86-64.so.2 --list /usr/bin/redis-cli | grep 'not found' \
 && redis-server --version
USER 999:999
WORKDIR /data
EXPOSE 6379
# the Debian package's redis.conf binds to loopback; without a file Redis listens on every interface. No
# persistence by default: add --appendonly yes and a volume on /data to keep data across restarts
CMD ["redis-server", "--protected-mode", "no", "--save", "", "--appendonly", "no"]
HEALTHCHECK --interval=5s --timeout=3s --retries=3 CMD ["redis-cli", "ping"]
EOF
  "$DOCKER" build -q --force-rm --build-arg BASE_IMAGE="$base" \
      --label org.opencontainers.image.description="Debian's redis-server on Squall's local base image" \
      -t "$TAG" "$WORK/context" >/dev/null || die "docker build failed"
  rm -rf "$WORK"
  log "built $TAG: $("$DOCKER" image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%.1f MB", $1 / 1e6}')"
fi
"$DOCKER" tag "$TAG" "$ALIAS"
echo "$ALIAS"
