import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO_ROOT = resolve(import.meta.dirname, "../..");

/** A process serving the contract API on loopback, with its own fresh data directory. */
export interface ApiTarget {
  name: string;
  baseUrl: string;
  dataDir: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Polls `check` until it returns true, failing with `what` after `timeoutMs`. */
export async function until(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 25; ; delay = Math.min(delay * 2, 500)) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

function launch(name: string, command: string, args: string[], env: Record<string, string>, cwd: string) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  child.stdout?.on("data", (d) => {
    log += d;
  });
  child.stderr?.on("data", (d) => {
    log += d;
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return {
    child,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {}
        const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 10_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      }
      return child.exitCode;
    },
    name,
  };
}

async function waitHealthy(baseUrl: string, output: () => string, child: ChildProcess) {
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}):\n${output()}`);
    try {
      return (await fetch(`${baseUrl}/api/health`)).ok;
    } catch {
      return false;
    }
  }, `${baseUrl}/api/health`);
}

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), "agentos-test-"));
}

const require = createRequire(import.meta.url);

/** The headless server (packages/server) as a real process. */
export async function startHeadlessServer(env: Record<string, string> = {}): Promise<ApiTarget> {
  const dataDir = env.AGENTOS_DATA_DIR ?? freshDataDir();
  const port = await freePort();
  // `node --import tsx`, not the tsx CLI: the CLI relays SIGTERM to a child and force-kills it
  // (exit 143) when the acknowledgement is slow under load, hiding the real shutdown.
  const p = launch(
    "headless server",
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "packages/server/src/main.ts")],
    { PORT: String(port), HOST: "127.0.0.1", AGENTOS_DATA_DIR: dataDir, ...env },
    REPO_ROOT,
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(baseUrl, p.output, p.child);
  return { name: p.name, baseUrl, dataDir, process: p.child, output: p.output, stop: p.stop };
}

/** `next start` of web/ (built beforehand by `pnpm web:build`) as a real process. */
export async function startWeb(env: Record<string, string> = {}): Promise<ApiTarget> {
  const webDir = join(REPO_ROOT, "web");
  if (!existsSync(join(webDir, ".next", "BUILD_ID"))) {
    throw new Error("web/ is not built: run `pnpm web:build` first (the root `pnpm test` does).");
  }
  const dataDir = env.AGENTOS_DATA_DIR ?? freshDataDir();
  const port = await freePort();
  const next = require.resolve("next/dist/bin/next", { paths: [webDir] });
  const p = launch(
    "next start",
    process.execPath,
    [next, "start", "-p", String(port), "-H", "127.0.0.1"],
    { AGENTOS_DATA_DIR: dataDir, ...env },
    webDir,
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(baseUrl, p.output, p.child);
  return { name: p.name, baseUrl, dataDir, process: p.child, output: p.output, stop: p.stop };
}

/** A worker host (worker/) as a real process, sharing `dataDir` (its database and tokens). */
export async function startWorker(dataDir: string, env: Record<string, string> = {}): Promise<ApiTarget> {
  const port = await freePort();
  const proxyPort = await freePort();
  const p = launch(
    "worker",
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "worker/src/main.ts")],
    {
      WORKER_PORT: String(port),
      WORKER_PROXY_PORT: String(proxyPort),
      WORKER_HOST: "127.0.0.1",
      AGENTOS_DATA_DIR: dataDir,
      ...env,
    },
    REPO_ROOT,
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await until(async () => {
    if (p.child.exitCode !== null) throw new Error(`worker exited (${p.child.exitCode}):\n${p.output()}`);
    return (
      (await fetch(`${baseUrl}/health`).catch(() => null))?.ok === true && p.output().includes("listening")
    );
  }, `worker on ${baseUrl}`);
  return { name: p.name, baseUrl, dataDir, process: p.child, output: p.output, stop: p.stop };
}

/** Kills a process group at once, as a crash would (no shutdown handlers run). */
export function crash(target: ApiTarget): Promise<void> {
  return new Promise((resolve) => {
    if (target.process.exitCode !== null || !target.process.pid) return resolve();
    target.process.once("exit", () => resolve());
    process.kill(-target.process.pid, "SIGKILL");
  });
}

export const TARGETS = [
  { name: "headless server", start: startHeadlessServer },
  { name: "next start", start: startWeb },
] as const;
