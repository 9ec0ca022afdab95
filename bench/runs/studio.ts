// The processes under test: the headless server and one worker on a fresh data directory, started
// the way bench/api starts servers (own process group, killed on every way out).
import { fileURLToPath } from "node:url";
import { freePort, type ServerProcess, startServerProcess } from "../api/server-process";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX_CLI = fileURLToPath(import.meta.resolve("tsx/cli"));
const START_TIMEOUT_MS = 60_000;

/** Worker settings of every section: one worker that runs many runs at once and rarely polls. */
export const WORKER_SETTINGS = {
  WORKER_CAPACITY: "32",
  // Slow polling: a run that starts within a few ms was started by the API's wake-up call.
  WORKER_POLL_MS: "500",
} as const;

export interface Studio {
  apiUrl: string;
  server: ServerProcess;
  worker: ServerProcess;
}

export async function requestJson<T>(url: string, init: RequestInit = {}, timeoutMs = 10_000): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { "content-type": "application/json", ...init.headers },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${url} → ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Starts the headless server, then one worker on the same data directory; `started` collects both. */
export async function startStudio(dataDir: string, started: ServerProcess[]): Promise<Studio> {
  const env = {
    ...process.env,
    NODE_ENV: "production",
    AGENTOS_MODE: "local",
    AGENTOS_ENGINE: "local",
    AGENTOS_DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    SHUTDOWN_TIMEOUT_MS: "1000",
  };
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const server = await startServerProcess({
    name: "headless server",
    command: process.execPath,
    args: [TSX_CLI, "packages/server/src/main.ts"],
    cwd: ROOT,
    env: { ...env, PORT: String(apiPort) },
    readyUrl: `${apiUrl}/api/health`,
    readyTimeoutMs: START_TIMEOUT_MS,
  });
  started.push(server);

  const workerPort = await freePort();
  const worker = await startServerProcess({
    name: "worker",
    command: process.execPath,
    args: [TSX_CLI, "worker/src/main.ts"],
    cwd: ROOT,
    env: {
      ...env,
      ...WORKER_SETTINGS,
      WORKER_PORT: String(workerPort),
      WORKER_PROXY_PORT: String(await freePort()),
      WORKER_HOST: "127.0.0.1",
      WORKER_DRAIN_MS: "1000",
    },
    readyUrl: `http://127.0.0.1:${workerPort}/health`,
    readyTimeoutMs: START_TIMEOUT_MS,
  });
  started.push(worker);
  // /health answers before the worker registers; the API wakes only registered workers, and the
  // worker logs "listening on" once it is registered and its engine runs.
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!worker.outputTail().includes("listening on")) {
    if (Date.now() > deadline) throw new Error(`the worker did not register:\n${worker.outputTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { apiUrl, server, worker };
}

/** A provider pointing at `baseUrl` and an agent without tools on it; returns the agent's id. */
export async function createAgent(
  apiUrl: string,
  options: { name: string; baseUrl: string; apiKey: string; model: string },
): Promise<string> {
  const provider = await requestJson<{ id: string }>(`${apiUrl}/api/llm/providers`, {
    method: "POST",
    body: JSON.stringify({
      name: options.name,
      kind: "openai-compatible",
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
    }),
  });
  const agent = await requestJson<{ id: string }>(`${apiUrl}/api/agents`, {
    method: "POST",
    body: JSON.stringify({
      name: options.name,
      instructions: "Answer briefly.",
      model: { providerId: provider.id, model: options.model },
    }),
  });
  return agent.id;
}
