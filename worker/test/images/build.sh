#!/usr/bin/env bash
# Builds the sandbox test image from Debian's busybox-static: no image registry is reachable here,
# so the rootfs is assembled locally and `docker import`ed. Skipped when the image already exists.
#   agentos/sandbox-busybox:test  busybox applets on PATH, user sandbox (1000:1000), /workspace
set -euo pipefail

IMAGE="${SANDBOX_TEST_IMAGE:-agentos/sandbox-busybox:test}"
if docker image inspect "$IMAGE" >/dev/null 2>&1; then exit 0; fi

# busybox-static's binary: statically linked, so it runs in an otherwise empty rootfs.
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "build.sh: busybox-static is missing (apt-get install busybox-static)" >&2; exit 1; }

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,workspace,home/sandbox,proc,sys,dev,var/www}
cp "$busybox" "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nsandbox:x:1000:1000:sandbox:/home/sandbox:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nsandbox:x:1000:\n' >"$root/etc/group"
chmod 1777 "$root/tmp"
chown 1000:1000 "$root/workspace" "$root/home/sandbox"

tar -C "$root" --numeric-owner -c . | docker import \
  --change 'ENV PATH=/bin:/sbin:/usr/bin:/usr/sbin' \
  --change 'WORKDIR /workspace' \
  --change 'USER 1000:1000' \
  --change 'CMD ["sh"]' \
  - "$IMAGE" >/dev/null
echo "build.sh: built $IMAGE" >&2
