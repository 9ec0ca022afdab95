#!/usr/bin/env bash
# Installs and starts what the integration tests need beyond Node (run by `pnpm test` before vitest).
set -euo pipefail
cd "$(dirname "$0")/.."
