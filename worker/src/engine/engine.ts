import type { Repositories } from "@agentos/db";
import {
  createModelResolver,
  createRateLimiter,
  createToolResolver,
  LocalEngine,
  ollamaBaseUrlFromHost,
  type SandboxProvider,
} from "@agentos/runtime";
import type { WorkerEnv } from "../config";

export interface EngineDeps {
  config: WorkerEnv;
  repos: Repositories;
  workerId: string;
  sandboxes?: SandboxProvider;
  log: (message: string) => void;
}

/** The worker's local engine with the real model resolver, tools and rate limiter. */
export function createWorkerEngine({ config, repos, workerId, sandboxes, log }: EngineDeps) {
  const models = createModelResolver({
    repos,
    ...(config.OLLAMA_HOST ? { ollamaBaseUrl: ollamaBaseUrlFromHost(config.OLLAMA_HOST) } : {}),
  });
  const tools = createToolResolver({
    repos,
    ...(sandboxes ? { sandboxes } : {}),
    // Local mode serves one person on their own machine: pages on localhost are theirs to fetch.
    fetchPage: { allowPrivateNetwork: config.AGENTOS_MODE === "local" },
  });
  const rateLimiter = createRateLimiter({ db: repos.db, repos });
  const engine = new LocalEngine({
    owner: workerId,
    store: repos.runStore,
    depsFor: () => ({ repos, models, tools, rateLimiter }),
    concurrency: config.WORKER_CAPACITY,
    leaseMs: config.WORKER_LEASE_MS,
    pollMs: config.WORKER_POLL_MS,
    log,
  });
  return {
    engine,
    async stop(drainMs: number) {
      await engine.stop(drainMs);
      await tools.close();
    },
  };
}
