#!/usr/bin/env bash
# Builds Squall's local base image without any image registry: glibc (and busybox) unpacked from Debian packages
# plus a JRE cut with jlink from the local JDK, imported with `docker import`. For machines that cannot pull
# eclipse-temurin; elsewhere docker/Dockerfile's default base is the official image.
#
#   docker/build-base-image.sh          build if needed; prints the image tag on stdout (progress goes to stderr)
#
# Cached: the image is tagged squall/jre-base:<hash of every input> (this script, the JDK, the module list, the
# package versions), so a second run only checks that the tag exists. squall/jre-base:local always points at the
# newest build; it is what the container tests and the README's examples use.
# Needs: root or rights to the Docker daemon, a Debian-like host (apt-get download, dpkg-deb), a JDK >= 21 with
# jlink (bin/java-home finds it; JLINK_JDK overrides).
set -euo pipefail
cd "$(dirname "$0")/.."

REPO=squall/jre-base
ALIAS=$REPO:local
JLINK_JDK=${JLINK_JDK:-$(bin/java-home)}
# What the shaded server jar needs (jdeps --print-module-deps, less java.desktop which only optional Jackson and
# Micrometer code paths touch). A missing module shows up as NoClassDefFoundError in the container tests.
# The Redis engine (Lettuce, Netty) needs nothing more: TLS (rediss://) and its EC keys are in java.base since JDK 22
# (jdk.crypto.ec is an empty, deprecated module), DNS goes through Netty's resolver and java.naming; jdk.jfr (Lettuce
# and Netty events, off without it), java.security.jgss and java.security.sasl (Undertow's Kerberos, XNIO's SASL)
# are optional paths Squall does not take. ClusterComposeIT runs two nodes on Redis in this image.
MODULES=java.base,java.logging,java.management,java.naming,java.sql,java.xml,jdk.management,jdk.unsupported
# glibc and libgcc for the JVM, base-files for /etc/os-release, netbase for /etc/services, busybox for `docker exec
# ... sh` when debugging. No tzdata: Java carries its own time-zone database (TZ=Europe/Paris still works).
DEBS="libc6 libgcc-s1 gcc-12-base base-files netbase busybox-static"
WORK=${SQUALL_BASE_WORK:-${TMPDIR:-/var/tmp}/squall-base-image}
# The Debian client: a newer docker CLI without buildx may come first on PATH; import and inspect work with both.
if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi

log() { printf '[base-image] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

versions() { apt-cache policy $DEBS 2>/dev/null | awk '/^[^ ]/{p=$1} /Candidate:/{print p $2}'; }

"$DOCKER" info >/dev/null 2>&1 || die "cannot reach the Docker daemon (start dockerd; see README, Run with Docker)"
[ -x "$JLINK_JDK/bin/jlink" ] || die "no jlink in $JLINK_JDK (set JLINK_JDK to a JDK >= 21)"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
    || die "needs apt-get and dpkg-deb (a Debian or Ubuntu host); elsewhere use --build-arg BASE_IMAGE=eclipse-temurin:25-jre"

pinned=$(versions)
if [ "$(wc -l <<<"$pinned")" -lt "$(wc -w <<<"$DEBS")" ] || grep -q '(none)' <<<"$pinned"; then
  log "package lists missing or stale: apt-get update"
  apt-get update -q >/dev/null
  pinned=$(versions)
fi
hash=$( { cat "$0"; grep -E '^(IMPLEMENTOR|JAVA_RUNTIME_VERSION)=' "$JLINK_JDK/release"; echo "$MODULES"; echo "$pinned"; } \
    | sha256sum | cut -c1-12)
TAG=$REPO:$hash

if "$DOCKER" image inspect "$TAG" >/dev/null 2>&1; then
  log "cached: $TAG"
else
  log "building $TAG (JDK $(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JLINK_JDK/release"))"
  root=$WORK/root debs=$WORK/debs
  rm -rf "$WORK"; mkdir -p "$root" "$debs"
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root $DEBS >/dev/null) \
      || die "apt-get download $DEBS failed"

  mkdir -p "$root/var/lib/dpkg/status.d"
  for deb in "$debs"/*.deb; do
    dpkg-deb -x "$deb" "$root"
    # distroless-style package records, so image scanners can still list what is inside
    { dpkg-deb -f "$deb"; echo "Status: install ok installed"; } >"$root/var/lib/dpkg/status.d/$(dpkg-deb -f "$deb" Package)"
  done
  rm -rf "$root"/usr/share/{doc,man,info,lintian,locale,bug,common-licenses,bash-completion} \
         "$root"/usr/lib/x86_64-linux-gnu/gconv "$root"/etc/{profile.d,update-motd.d,skel}
  mkdir -p "$root"/{tmp,var/tmp,root,home/nonroot,bin,opt/java}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  # the image runs as nonroot (65532), the distroless convention; docker/Dockerfile names it by number
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
      'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'dialout:x:20:' 'nobody:x:65534:' 'nonroot:x:65532:' >"$root/etc/group"
  printf '%s\n' 'passwd: files' 'group: files' 'hosts: files dns' >"$root/etc/nsswitch.conf"
  chown 65532:65532 "$root/home/nonroot"
  for applet in $("$root/bin/busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done

  # the eclipse-temurin layout, so docker/Dockerfile is the same for both bases
  "$JLINK_JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
      --compress=zip-6 --output "$root/opt/java/openjdk"
  "$root/lib64/ld-linux-x86-64.so.2" --library-path "$root/lib/x86_64-linux-gnu" \
      "$root/opt/java/openjdk/bin/java" -version >/dev/null 2>&1 || die "the JRE does not start on the unpacked glibc"

  tar --numeric-owner -C "$root" -c . | "$DOCKER" import \
      -c 'ENV JAVA_HOME=/opt/java/openjdk' \
      -c 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      -c 'ENV LANG=C.UTF-8' \
      -m "glibc and busybox from Debian packages, JRE jlinked from $(basename "$JLINK_JDK")" \
      - "$TAG" >/dev/null
  rm -rf "$WORK"
  log "built $TAG: $("$DOCKER" image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%.1f MB", $1 / 1e6}')"
fi
"$DOCKER" tag "$TAG" "$ALIAS"
echo "$ALIAS"
