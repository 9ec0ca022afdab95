import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import { LOCAL_WORKSPACE_ID, type Sandbox, type SandboxPolicy } from "@agentos/core";
import { createStudioMetaRepository, openDatabase } from "@agentos/db";
import type { ExecEvent, ExecResult } from "@agentos/runtime/sandbox";
import { freePort, freshDataDir, REPO_ROOT, until } from "../../test/harness/processes";
import { LABEL, scopeOfInstallation } from "../src/sandboxes/labels";

/** The image scripts/test-prereqs.sh builds from busybox-static (worker/test/images/build.sh). */
export const TEST_IMAGE = "agentos/sandbox-busybox:test";

const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const run = promisify(execFile);

export async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run("docker", args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** A worker host as a real process on loopback, with its own data dir and sandbox port range. */
export interface WorkerProcess {
  baseUrl: string;
  proxyUrl: string;
  dataDir: string;
  token: string;
  scope: string;
  process: ChildProcess;
  output(): string;
  /** SIGTERM (graceful) or SIGKILL; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Calls the internal API with the worker token, for the local workspace unless told. */
  call(path: string, init?: RequestInit): Promise<Response>;
}

export async function startWorker(
  env: Record<string, string> = {},
  dataDir = freshDataDir(),
): Promise<WorkerProcess> {
  const port = await freePort();
  const proxyPort = await freePort();
  const child = spawn(process.execPath, [tsx, join(REPO_ROOT, "worker/src/main.ts")], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      AGENTOS_DATA_DIR: dataDir,
      WORKER_PORT: String(port),
      WORKER_PROXY_PORT: String(proxyPort),
      WORKER_HEARTBEAT_MS: "500",
      SANDBOX_POOL_SIZE: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const baseUrl = `http://127.0.0.1:${port}`;
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode}):\n${log}`);
    return (await fetch(`${baseUrl}/health`).catch(() => null))?.ok === true;
  }, "worker health");
  const token = readFileSync(join(dataDir, "worker.token"), "utf8").trim();
  const scope = await scopeOfDataDir(dataDir);
  if (!scope) throw new Error(`worker started without an installation id in ${dataDir}:\n${log}`);
  return {
    baseUrl,
    proxyUrl: `http://127.0.0.1:${proxyPort}`,
    dataDir,
    token,
    scope,
    process: child,
    output: () => log,
    async stop(signal = "SIGTERM") {
      const isRunning = child.exitCode === null && child.signalCode === null;
      if (isRunning && child.pid) process.kill(-child.pid, signal);
      return exited;
    },
    call(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token}`);
      return fetch(`${baseUrl}/internal/workspaces/${LOCAL_WORKSPACE_ID}${path}`, { ...init, headers });
    },
  };
}

export function policyOf(overrides: Partial<SandboxPolicy> = {}): Partial<SandboxPolicy> {
  return { enabled: true, image: TEST_IMAGE, memoryMb: 64, pidsLimit: 64, cpus: 0.5, ...overrides };
}

export async function createSandbox(
  worker: WorkerProcess,
  policy: Partial<SandboxPolicy> = {},
  env: Record<string, string> = {},
): Promise<Sandbox> {
  const response = await worker.call("/sandboxes", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ policy: policyOf(policy), env }),
  });
  if (response.status !== 201) throw new Error(`create failed ${response.status}: ${await response.text()}`);
  return (await response.json()) as Sandbox;
}

/** Reads an NDJSON exec stream into its chunks and its final line. */
export async function readExecStream(response: Response): Promise<{
  chunks: Extract<ExecEvent, { type: "chunk" }>[];
  result: ExecResult & { type: "result" };
  events: ExecEvent[];
}> {
  if (response.status !== 200) throw new Error(`exec failed ${response.status}: ${await response.text()}`);
  const events = (await response.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ExecEvent);
  const last = events.at(-1);
  if (last?.type !== "result") throw new Error(`exec ended without a result: ${JSON.stringify(last)}`);
  return {
    chunks: events.filter((e): e is Extract<ExecEvent, { type: "chunk" }> => e.type === "chunk"),
    result: last,
    events,
  };
}

export async function exec(
  worker: WorkerProcess,
  sandboxId: string,
  body: Record<string, unknown>,
): ReturnType<typeof readExecStream> {
  return readExecStream(
    await worker.call(`/sandboxes/${sandboxId}/exec`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

/**
 * The sandbox scope of the Studio whose database is in `dataDir` (from its installation id), or
 * null when no process of it has made one yet.
 */
export async function scopeOfDataDir(dataDir: string): Promise<string | null> {
  const file = join(dataDir, "studio.db");
  if (!existsSync(file)) return null;
  const db = await openDatabase({ url: `file:${file}` });
  try {
    const table = await db.$client.execute("SELECT 1 FROM sqlite_master WHERE name = 'studio_meta'");
    if (table.rows.length === 0) return null; // Not migrated yet: no process got that far.
    const id = await createStudioMetaRepository(db).findInstallationId();
    return id ? scopeOfInstallation(id) : null;
  } finally {
    db.$client.close();
  }
}

/** Containers (all states) carrying a Studio's scope label. */
export async function scopeContainers(scope: string): Promise<string[]> {
  const out = await docker("ps", "-aq", "--no-trunc", "--filter", `label=${LABEL.scope}=${scope}`);
  return out ? out.split("\n") : [];
}

/** Removes every container and volume of a Studio's scope (test clean-up). */
export async function removeScope(scope: string): Promise<void> {
  const ids = await scopeContainers(scope);
  if (ids.length > 0) await docker("rm", "-f", ...ids).catch(() => "");
  const volumes = await docker("volume", "ls", "-q", "--filter", `label=${LABEL.scope}=${scope}`);
  if (volumes) await docker("volume", "rm", "-f", ...volumes.split("\n")).catch(() => "");
}

export { until };
