import { join } from "node:path";
import { parseEnv } from "@agentos/api/node";
import { newId } from "@agentos/core";
import {
  createRepositories,
  createSecretCipher,
  loadOrCreateSecretKey,
  migrate,
  openDatabase,
} from "@agentos/db";
import { serve } from "@hono/node-server";
import { createWorkerApp } from "./app";
import { WorkerEnv } from "./config";

const config = (() => {
  try {
    return parseEnv(WorkerEnv, process.env, "agentos-worker");
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
const repos = createRepositories(db, createSecretCipher(secretKey));

const workerId = newId("worker");
let draining = false;
const startedAt = new Date().toISOString();
const app = createWorkerApp({ id: workerId, startedAt, isDraining: () => draining }, token);
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
  capabilities: { docker: false, ollama: false },
  capacity: config.WORKER_CAPACITY,
});
const heartbeat = setInterval(
  () => void repos.workers.heartbeat(workerId).catch(() => {}),
  config.WORKER_HEARTBEAT_MS,
);
console.log(`agentos-worker ${workerId} listening on ${baseUrl}`);

async function shutdown(signal: string) {
  if (draining) return;
  draining = true;
  console.log(`agentos-worker: ${signal}, draining`);
  clearInterval(heartbeat);
  await repos.workers.setStatus(workerId, "draining");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await repos.workers.setStatus(workerId, "gone");
  db.$client.close();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
