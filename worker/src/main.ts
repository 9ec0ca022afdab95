import { join } from "node:path";
import {
  accessLog,
  createLogger,
  createRemoteSandboxProvider,
  createSandboxWorkers,
  createWorkerMetrics,
  instrumentRunStore,
  parseEnv,
} from "@agentos/api/node";
import { newId } from "@agentos/core";
import { createRepositories, loadOrCreateSecretKey, migrate, openDatabase } from "@agentos/db";
import { createKeyring } from "@agentos/db/auth";
import { serve } from "@hono/node-server";
import { createWorkerApp } from "./app";
import { WorkerEnv } from "./config";
import { createWorkerEngine, createWorkerInngestHandler } from "./engine/engine";
import { createSandboxRoutes } from "./internal/sandboxes";
import { startWorkerOllama } from "./ollama/worker-ollama";
import { createDomainProxy } from "./proxy/domain-proxy";
import { createSiteRoutes } from "./proxy/site-routes";
import { sandboxSettingsOf } from "./sandboxes/config";
import { connectDocker } from "./sandboxes/docker";
import { DockerSandboxHost } from "./sandboxes/sandbox-host";
import { sandboxScopesOf } from "./sandboxes/scope";

const [config, sandboxSettings] = (() => {
  try {
    const env = parseEnv(WorkerEnv, process.env, "agentos-worker");
    return [env, sandboxSettingsOf(env)] as const;
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
})();

const dataDir = config.AGENTOS_DATA_DIR;
const secretKey = config.AGENTOS_SECRET_KEY ?? loadOrCreateSecretKey(join(dataDir, "secret.key"));
const token = config.WORKER_TOKEN ?? loadOrCreateSecretKey(join(dataDir, "worker.token"));
const db = await openDatabase({
  url: config.DATABASE_URL ?? `file:${join(dataDir, "studio.db")}`,
  authToken: config.DATABASE_AUTH_TOKEN,
});
await migrate(db);
// Values sealed under a previous key still open while a rotation is under way (as in the API).
const repos = createRepositories(db, createKeyring(secretKey, config.AGENTOS_PREVIOUS_SECRET_KEYS));
const sandboxScopes = await sandboxScopesOf(repos.studioMeta, [
  secretKey,
  ...config.AGENTOS_PREVIOUS_SECRET_KEYS,
]);

const workerId = newId("worker");
let draining = false;
const startedAt = new Date().toISOString();
const logger = createLogger("worker", { level: config.LOG_LEVEL, format: config.LOG_FORMAT });
const log = (message: string) => logger.info(message);
// Step latency and finished runs are recorded where the engines write them: the run store.
const metrics = createWorkerMetrics(db);
const engineRepos = { ...repos, runStore: instrumentRunStore(repos.runStore, metrics) };
// Sandboxes on this host's Docker engine (the worker's SandboxProvider, for the internal API and
// the run engine's sandbox tool), and the domain proxy that serves their sites by Host header.
const siteRoutes = createSiteRoutes(
  (host) => repos.sandboxStore.bindingForHost(host),
  sandboxSettings.portRange,
);
const sandboxes = new DockerSandboxHost({
  docker: connectDocker(config.DOCKER_HOST),
  repos,
  workerId,
  ...sandboxScopes,
  settings: sandboxSettings,
  workerStaleMs: 3 * config.WORKER_HEARTBEAT_MS,
  isDockerLocal: !config.DOCKER_HOST || config.DOCKER_HOST.startsWith("unix:"),
  log,
  onBindingsChanged: () => siteRoutes.invalidate(),
  remote: createRemoteSandboxProvider(
    createSandboxWorkers({ repos, token: () => token, backendHost: sandboxSettings.backendHost }),
  ),
});
await sandboxes.init();
// Ollama on this host: OLLAMA_HOST, a local one on the default port, or the managed container.
const ollama = await startWorkerOllama({
  env: config,
  isDockerAvailable: sandboxes.isDockerAvailable,
  publishIp: sandboxSettings.publishIp,
  backendHost: sandboxSettings.backendHost,
  log,
});
const countedRoutes: typeof siteRoutes = {
  async hostPortOf(host) {
    const hostPort = await siteRoutes.hostPortOf(host).catch((error: unknown) => {
      metrics.proxyRequests.inc({ outcome: "lookup_failed" });
      throw error;
    });
    metrics.proxyRequests.inc({ outcome: hostPort ? "routed" : "unknown_host" });
    return hostPort;
  },
  invalidate: () => siteRoutes.invalidate(),
};
const domainProxy = createDomainProxy({
  routes: countedRoutes,
  backendHost: sandboxSettings.backendHost,
  log,
});
// A taken proxy port must not keep the worker from running runs: sites stay reachable through
// /api/sandbox-proxy, and the log says what to change.
const proxyPort = await domainProxy
  .listen(config.WORKER_PROXY_PORT, config.WORKER_PROXY_HOST)
  .catch((error: Error) => {
    log(`domain proxy not started (${error.message}): set WORKER_PROXY_PORT to a free port`);
    return null;
  });
let isRegistered = false;
const app = createWorkerApp(
  { id: workerId, startedAt, isDraining: () => draining },
  token,
  { sandboxes: createSandboxRoutes(sandboxes), ollama: ollama.routes },
  {
    scrapeMetrics: () => metrics.scrape(),
    requestLog: accessLog(logger),
    async checkReady() {
      await db.$client.execute("SELECT 1");
      if (draining) return { ready: false, detail: "draining" };
      return isRegistered ? { ready: true, detail: "registered" } : { ready: false, detail: "starting" };
    },
  },
);
const runEngine =
  config.AGENTOS_ENGINE === "local"
    ? createWorkerEngine({ config, repos: engineRepos, workerId, sandboxes, log })
    : null;
const inngestHandler =
  config.AGENTOS_ENGINE === "inngest"
    ? createWorkerInngestHandler({ config, repos: engineRepos, workerId, sandboxes, log })
    : null;
if (inngestHandler) app.on(["GET", "PUT", "POST"], "/api/inngest", (c) => inngestHandler.handler(c));
// Web and the headless server call this when they queue a run, so it starts without waiting for a poll.
app.post("/internal/engine/wake", (c) => {
  runEngine?.engine.wake();
  return c.body(null, 204);
});
app.post("/internal/engine/runs/:id/cancel", (c) => {
  runEngine?.engine.cancel(c.req.param("id"));
  return c.body(null, 204);
});
const server = serve({ fetch: app.fetch, port: config.WORKER_PORT, hostname: config.WORKER_HOST });
await new Promise<void>((resolve, reject) => {
  server.once("listening", resolve);
  server.once("error", reject);
});
const address = server.address();
const port = typeof address === "object" && address ? address.port : config.WORKER_PORT;
const baseUrl = config.WORKER_PUBLIC_URL ?? `http://${config.WORKER_HOST}:${port}`;
await repos.workers.register({
  id: workerId,
  baseUrl,
  capabilities: { docker: sandboxes.isDockerAvailable, ollama: ollama.isOffered },
  capacity: config.WORKER_CAPACITY,
});
isRegistered = true;
const heartbeat = setInterval(
  () => void repos.workers.heartbeat(workerId).catch(() => {}),
  config.WORKER_HEARTBEAT_MS,
);
runEngine?.engine.start();
logger.info(
  { workerId, engine: config.AGENTOS_ENGINE },
  `agentos-worker ${workerId} listening on ${baseUrl}`,
);
if (proxyPort !== null) log(`sandbox sites on http://${config.WORKER_PROXY_HOST}:${proxyPort}`);

async function shutdown(signal: string) {
  if (draining) return;
  draining = true;
  logger.info({ signal }, "draining");
  clearInterval(heartbeat);
  await repos.workers.setStatus(workerId, "draining");
  await runEngine?.stop(config.WORKER_DRAIN_MS);
  await inngestHandler?.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  // Sandboxes keep running (their sites stay published); the next worker adopts them.
  await domainProxy.close();
  ollama.close();
  await sandboxes.close();
  await repos.workers.setStatus(workerId, "gone");
  db.$client.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
