#!/usr/bin/env bash
# infra/docker/build.sh <target> [tag]: builds one image of infra/docker/Dockerfile (studio, web,
# worker, server) with BuildKit, passing the machine's CA bundle as the `ca` build secret when it
# has one (networks that intercept TLS). Extra arguments after the tag go to `docker build`.
set -euo pipefail
target="${1:?usage: build.sh studio|web|worker|server [tag] [docker build args…]}"
tag="${2:-agentos/$target:dev}"
shift $(($# < 2 ? $# : 2))
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

args=(--target "$target" -t "$tag" -f "$root/infra/docker/Dockerfile" --build-arg "REVISION=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)")
ca="${AGENTOS_BUILD_CA:-/etc/ssl/certs/ca-certificates.crt}"
[ -f "$ca" ] && args+=(--secret "id=ca,src=$ca")

# BuildKit runs the cache and secret mounts. A Docker CLI 23+ needs the buildx plugin for it; the
# 20.10 CLI of Debian's docker.io has BuildKit built in.
if docker buildx version >/dev/null 2>&1; then
  exec docker buildx build --load "${args[@]}" "$@" "$root"
fi
for cli in docker /usr/bin/docker; do
  version="$("$cli" version --format '{{.Client.Version}}' 2>/dev/null || true)"
  case "$version" in
    19.* | 20.* | 21.* | 22.*) DOCKER_BUILDKIT=1 exec "$cli" build "${args[@]}" "$@" "$root" ;;
  esac
done
echo "build.sh: no BuildKit-capable Docker CLI: install the buildx plugin (docker-buildx) or Debian's docker.io" >&2
exit 1
