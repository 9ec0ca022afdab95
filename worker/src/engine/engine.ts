import type { Repositories } from "@agentos/db";
import {
  createInngestClient,
  createInngestRunFunction,
  createModelResolver,
  createRateLimiter,
  createToolResolver,
  LocalEngine,
  ollamaBaseUrlFromHost,
  outboundPolicyFor,
  type SandboxProvider,
} from "@agentos/runtime";
import { serve as serveInngest } from "inngest/hono";
import type { WorkerEnv } from "../config";

export interface EngineDeps {
  config: WorkerEnv;
  repos: Repositories;
  workerId: string;
  sandboxes?: SandboxProvider;
  log: (message: string) => void;
}

function runDependencies({ config, repos, sandboxes }: EngineDeps) {
  // Hosted: providers, MCP servers and tools reach private addresses only on the operator's allow-list.
  const outbound = outboundPolicyFor(config.AGENTOS_MODE, config.AGENTOS_OUTBOUND_ALLOW);
  const models = createModelResolver({
    repos,
    outbound,
    ...(config.OLLAMA_HOST ? { ollamaBaseUrl: ollamaBaseUrlFromHost(config.OLLAMA_HOST) } : {}),
  });
  const tools = createToolResolver({
    repos,
    outbound,
    ...(sandboxes ? { sandboxes } : {}),
    // Local mode serves one person on their own machine: pages on localhost are theirs to fetch.
    fetchPage: { allowPrivateNetwork: config.AGENTOS_MODE === "local" },
  });
  const rateLimiter = createRateLimiter({ db: repos.db, repos });
  return { models, tools, rateLimiter };
}

/** The worker's local engine with the real model resolver, tools and rate limiter. */
export function createWorkerEngine(deps: EngineDeps) {
  const { config, repos, workerId, log } = deps;
  const { models, tools, rateLimiter } = runDependencies(deps);
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

/**
 * The same run function registered with Inngest and served at /api/inngest (inngest/hono);
 * Inngest calls it for `agentos/run.requested` events sent by web and the headless server.
 */
export function createWorkerInngestHandler(deps: EngineDeps) {
  const { repos, config } = deps;
  const { models, tools, rateLimiter } = runDependencies(deps);
  const client = createInngestClient(config);
  const fn = createInngestRunFunction(client, {
    store: repos.runStore,
    depsFor: () => ({ repos, models, tools, rateLimiter }),
    concurrencyPerAgent: config.WORKER_CAPACITY,
  });
  return { handler: serveInngest({ client, functions: [fn] }), stop: () => tools.close() };
}
