#!/usr/bin/env bash
# Builds the small image that docker/snap-demo/Dockerfile takes socat from, without any image registry: socat and
# the shared libraries it needs beyond glibc, unpacked from Debian packages into /opt/socat and imported with
# `docker import` (the same technique as build-base-image.sh). Only the SNAP demo image uses it; the Squall image
# never contains socat.
#
#   docker/build-socat-image.sh        build if needed; prints the image tag on stdout (progress goes to stderr)
#
# Cached: tagged squall/socat:<hash of this script and the package versions>; squall/socat:local points at the
# newest build. Needs root or rights to the Docker daemon and a Debian-like host (apt-get download, dpkg-deb).
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=socat
REPO=squall/socat
# socat and its library closure on Debian bookworm, less libc6 (the base image has glibc, libresolv included)
DEBS="socat libssl3 libwrap0 libnsl2 libtirpc3 libgssapi-krb5-2 libkrb5-3 libk5crypto3 libcom-err2 libkrb5support0
      libkeyutils1"
WORK=${SQUALL_SOCAT_WORK:-${TMPDIR:-/var/tmp}/squall-socat-image}
. docker/lib/debian-image.sh

TAG=$(cache_tag)

if "$DOCKER" image inspect "$TAG" >/dev/null 2>&1; then
  log "cached: $TAG"
else
  log "building $TAG"
  root=$WORK/root debs=$WORK/debs unpacked=$WORK/unpacked
  rm -rf "$WORK"; mkdir -p "$root/opt/socat/bin" "$root/opt/socat/lib" "$debs" "$unpacked"
  download_debs "$debs"
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$unpacked"; done
  cp "$unpacked/usr/bin/socat" "$root/opt/socat/bin/"
  cp -P "$unpacked"/usr/lib/x86_64-linux-gnu/*.so.* "$root/opt/socat/lib/" 2>/dev/null || true
  cp -P "$unpacked"/lib/x86_64-linux-gnu/*.so.* "$root/opt/socat/lib/" 2>/dev/null || true
  # every library socat needs must be in /opt/socat/lib or be part of glibc
  missing=$(LD_LIBRARY_PATH="$root/opt/socat/lib" ldd "$root/opt/socat/bin/socat" \
      | awk '/=>/ && $3 !~ "^'"$root"'/" && $1 !~ /^(libc|libresolv|libm|libdl|libpthread)\.so/ {print $1}')
  [ -z "$missing" ] || die "libraries outside the package set: $missing"
  # a wrapper on PATH, so `socat` works with the libraries kept out of the base's library directories
  mkdir -p "$root/usr/local/bin"
  printf '%s\n' '#!/bin/sh' 'LD_LIBRARY_PATH=/opt/socat/lib exec /opt/socat/bin/socat "$@"' >"$root/usr/local/bin/socat"
  chmod 755 "$root/usr/local/bin/socat"
  tar --numeric-owner -C "$root" -c . | "$DOCKER" import -m "socat from Debian packages, for the SNAP demo image" \
      - "$TAG" >/dev/null
  rm -rf "$WORK"
  log_built "$TAG"
fi
"$DOCKER" tag "$TAG" "$ALIAS"
echo "$ALIAS"
