import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Worker } from "@agentos/core";
import type { Repositories } from "@agentos/db";

/** A worker whose heartbeat is older than this is not asked to do anything. */
const STALE_AFTER_MS = 60_000;

/** Whether a worker heartbeat recently enough to be asked for work (the one freshness rule). */
export function hasRecentHeartbeat(worker: Pick<Worker, "lastHeartbeatAt">, now = Date.now()): boolean {
  return worker.lastHeartbeatAt >= new Date(now - STALE_AFTER_MS).toISOString();
}

/** The worker token: WORKER_TOKEN, else the one the local worker generated in the data dir. */
export function readWorkerToken(env: {
  WORKER_TOKEN?: string | undefined;
  AGENTOS_DATA_DIR: string;
}): string | null {
  if (env.WORKER_TOKEN) return env.WORKER_TOKEN;
  try {
    return readFileSync(join(env.AGENTOS_DATA_DIR, "worker.token"), "utf8").trim();
  } catch {
    return null;
  }
}

/** Calls the internal API of the online workers (authenticated with the worker token). */
export function createWorkerClient(repos: Repositories, token: () => string | null) {
  async function onlineWorkers() {
    return (await repos.workers.list()).filter((w) => w.status === "online" && hasRecentHeartbeat(w));
  }
  /** POSTs to every online worker, ignoring failures (these are hints; engines also poll). */
  async function post(path: string): Promise<void> {
    const secret = token();
    if (!secret) return;
    const workers = await onlineWorkers();
    await Promise.allSettled(
      workers.map((w) =>
        fetch(`${w.baseUrl}${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${secret}` },
          signal: AbortSignal.timeout(2000),
        }).then((r) => r.body?.cancel()),
      ),
    );
  }
  return {
    onlineWorkers,
    /** Asks every online worker to abort a run now (the one running it does); the rest see it between steps. */
    async cancelRun(runId: string): Promise<void> {
      await post(`/internal/engine/runs/${runId}/cancel`);
    },
    /** Tells every online worker's engine that a run is queued, so it claims it now rather than at its next poll. */
    async wakeEngines(): Promise<void> {
      await post("/internal/engine/wake");
    },
  };
}
