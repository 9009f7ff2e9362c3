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

NAME=prometheus
REPO=squall/prometheus
# the server only: its web UI's JavaScript packages (libjs-*) are left out, the HTTP API and the UI's plain pages
# (/targets, /graph) do not need them
DEBS="prometheus"
WORK=${SQUALL_PROMETHEUS_WORK:-${TMPDIR:-/var/tmp}/squall-prometheus-image}
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
  log_built "$TAG"
fi
"$DOCKER" tag "$TAG" "$ALIAS"
echo "$ALIAS"
