#!/usr/bin/env bash
# Installs and starts what the integration tests need beyond Node (run by `pnpm test` before vitest):
# a Docker engine (Debian's docker.io) and the sandbox test image, built locally from busybox-static
# because no image registry is reachable. Idempotent: a rerun with everything in place takes ~1 s.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "test-prereqs: $*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The engine, not just a client: /usr/local/bin/docker may exist without a daemon to talk to.
if ! command -v dockerd >/dev/null 2>&1 || [ ! -x /bin/busybox ]; then
  log "installing docker.io and busybox-static"
  apt_install docker.io busybox-static
fi

is_running() { [ -d "/proc/$1" ] && ! grep -q '^[^)]*) Z' "/proc/$1/stat" 2>/dev/null; }

if ! docker info >/dev/null 2>&1; then
  # A dockerd killed without cleaning up leaves its pid file, and a new one refuses to start.
  pidfile=/var/run/docker.pid
  if [ -f "$pidfile" ] && ! is_running "$(cat "$pidfile")"; then as_root rm -f "$pidfile"; fi
  log "starting dockerd (log: /var/log/agentos-dockerd.log)"
  as_root sh -c 'nohup dockerd >/var/log/agentos-dockerd.log 2>&1 </dev/null & echo $! >/tmp/agentos-dockerd.pid'
  dockerd_pid="$(cat /tmp/agentos-dockerd.pid)"
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && break
    is_running "$dockerd_pid" || break
    sleep 0.5
  done
  if ! docker info >/dev/null 2>&1; then
    log "dockerd did not come up:"
    tail -n 30 /var/log/agentos-dockerd.log >&2
    exit 1
  fi
fi

bash worker/test/images/build.sh
bash worker/test/ollama-standin/build.sh
bash infra/docker/test-prereqs.sh
