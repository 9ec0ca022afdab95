import { Unavailable, type Worker } from "@agentos/core";
import type { Repositories } from "@agentos/db";
import { hasRecentHeartbeat } from "./worker-client";

/** A worker whose heartbeat is older than this is not asked. */

/** How web and the headless server reach Ollama: through the worker host that offers it. */
export interface OllamaWorkers {
  /**
   * Calls `/internal/ollama<path>` on the Ollama worker with the worker token and answers the
   * worker's response as it is (problems included); throws Unavailable when no worker offers
   * Ollama or it does not answer.
   */
  call(path: string, init?: RequestInit): Promise<{ workerId: string; response: Response }>;
}

export interface OllamaWorkersOptions {
  repos: Repositories;
  /** The worker token, read when needed (the local worker writes it into the data dir at its start). */
  token(): string | null;
}

/**
 * The worker that hosts Ollama: among the live workers advertising `capabilities.ollama`, the one
 * that started first. The choice stays put while that worker lives, so pulls (whose progress lives
 * on the worker) and their event streams always reach the same host.
 */
export function pickOllamaWorker(workers: Worker[], now = Date.now()): Worker | null {
  const live = workers.filter(
    (w) => w.status === "online" && w.capabilities.ollama && hasRecentHeartbeat(w, now),
  );
  live.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
  return live[0] ?? null;
}

/** The HTTP client of the Ollama worker's internal API; see `OllamaWorkers`. */
export function createOllamaWorkers(options: OllamaWorkersOptions): OllamaWorkers {
  return {
    async call(path, init = {}) {
      const token = options.token();
      if (!token) {
        throw new Unavailable(
          "No worker token: start the worker (it writes <AGENTOS_DATA_DIR>/worker.token) or set WORKER_TOKEN to the workers' token.",
        );
      }
      const worker = pickOllamaWorker(await options.repos.workers.list());
      if (!worker) {
        throw new Unavailable(
          "No worker host offers Ollama: start a worker (`./run worker`) with Docker, with OLLAMA_HOST set, or on a machine where Ollama runs.",
        );
      }
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token}`);
      let response: Response;
      try {
        response = await fetch(`${worker.baseUrl}/internal/ollama${path}`, { ...init, headers });
      } catch (error) {
        if (init.signal?.aborted) throw error;
        throw new Unavailable(
          `Worker ${worker.id} at ${worker.baseUrl}, which hosts Ollama, did not answer (${(error as Error).message}); check that it is running.`,
          { cause: error },
        );
      }
      if (response.status === 401) {
        await response.body?.cancel();
        throw new Unavailable(
          `Worker ${worker.id} refused this Studio's worker token: give web, the server and every worker the same WORKER_TOKEN.`,
        );
      }
      return { workerId: worker.id, response };
    },
  };
}
