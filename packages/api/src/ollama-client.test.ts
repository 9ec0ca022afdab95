import type { Worker } from "@agentos/core";
import { describe, expect, it } from "vitest";
import { pickOllamaWorker } from "./ollama-client";

const NOW = Date.parse("2026-01-01T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW - ms).toISOString();

function makeWorker(id: string, fields: Partial<Worker> = {}): Worker {
  return {
    id,
    baseUrl: `http://127.0.0.1:3100/${id}`,
    capabilities: { docker: true, ollama: true },
    capacity: 8,
    status: "online",
    lastHeartbeatAt: ago(1000),
    startedAt: ago(60_000),
    ...fields,
  };
}

describe("the worker that hosts Ollama", () => {
  it("is the live worker offering Ollama that started first, so pulls always reach the same host", () => {
    const first = makeWorker("wrk_b", { startedAt: ago(120_000) });
    const later = makeWorker("wrk_a", { startedAt: ago(30_000) });
    expect(pickOllamaWorker([later, first], NOW)?.id).toBe("wrk_b");
  });

  it("skips workers without Ollama, draining or gone ones, and those whose heartbeat is stale", () => {
    const workers = [
      makeWorker("wrk_none", { startedAt: ago(500_000), capabilities: { docker: true, ollama: false } }),
      makeWorker("wrk_drain", { startedAt: ago(400_000), status: "draining" }),
      makeWorker("wrk_stale", { startedAt: ago(300_000), lastHeartbeatAt: ago(120_000) }),
      makeWorker("wrk_live", { startedAt: ago(200_000) }),
    ];
    expect(pickOllamaWorker(workers, NOW)?.id).toBe("wrk_live");
    expect(pickOllamaWorker(workers.slice(0, 3), NOW)).toBeNull();
  });
});
