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

NAME=redis
REPO=squall/redis
# redis-server (the /usr/bin/redis-server link), redis-tools (the binary, redis-cli) and their library closure on
# Debian bookworm, less libc6 and libgcc-s1 (the base image has them); the build checks the closure inside the image
DEBS="redis-server redis-tools libatomic1 liblzf1 libjemalloc2 libssl3 libsystemd0 libstdc++6 libcap2 libgcrypt20
      libgpg-error0 liblzma5 libzstd1 liblz4-1"
WORK=${SQUALL_REDIS_WORK:-${TMPDIR:-/var/tmp}/squall-redis-image}
. docker/lib/debian-image.sh

base=${SQUALL_BASE_IMAGE:-$(docker/build-base-image.sh)}
base_id=$("$DOCKER" image inspect -f '{{.Id}}' "$base") || die "no base image $base"
TAG=$(cache_tag "$base_id")

if "$DOCKER" image inspect "$TAG" >/dev/null 2>&1; then
  log "cached: $TAG"
else
  log "building $TAG on $base"
  root=$WORK/context/root debs=$WORK/debs
  rm -rf "$WORK"; mkdir -p "$root" "$debs"
  download_debs "$debs"
  unpack_installed "$debs" "$root"
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
  log_built "$TAG"
fi
"$DOCKER" tag "$TAG" "$ALIAS"
echo "$ALIAS"
