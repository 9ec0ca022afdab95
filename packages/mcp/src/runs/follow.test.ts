import type { Run, RunEvent, RunStatus } from "@agentos/core";
import { describe, expect, it } from "vitest";
import type { StudioApi } from "../api/studio-api";
import { describeEvent, followRun } from "./follow";

const RUN_ID = "run_01jh5x4y8k2m3n4p5q6r7s8t9v";

function makeRun(status: RunStatus): Run {
  return {
    id: RUN_ID,
    workspaceId: "ws_00000000000000000000000000",
    kind: "agent",
    status,
    agentId: null,
    workflowId: null,
    conversationId: null,
    input: "",
    output: status === "succeeded" ? "done" : null,
    error: null,
    usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
    costUsd: 0,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    startedAt: null,
    finishedAt: null,
  };
}

function makeEvent(seq: number, type: RunEvent["type"], payload: RunEvent["payload"]): RunEvent {
  return { runId: RUN_ID, seq, type, payload, createdAt: "2026-01-01T00:00:00.000Z" };
}

/**
 * A scripted API: each poll of the run advances one step of `script`, and the events listing
 * answers what the script has written so far, after `after`.
 */
function scriptedApi(script: Array<{ status: RunStatus; events: RunEvent[] }>): StudioApi {
  let step = -1;
  const written: RunEvent[] = [];
  return {
    async get<T>(path: string, query?: Record<string, unknown>): Promise<T> {
      if (path.endsWith("/events")) {
        const after = Number(query?.after ?? 0);
        const items = written.filter((e) => e.seq > after);
        return { items, nextAfter: items.at(-1)?.seq ?? after } as T;
      }
      step = Math.min(step + 1, script.length - 1);
      const current = script[step]!;
      written.push(...current.events.filter((e) => !written.includes(e)));
      return makeRun(current.status) as T;
    },
    post: async () => {
      throw new Error("not scripted");
    },
    patch: async () => {
      throw new Error("not scripted");
    },
    send: async () => {
      throw new Error("not scripted");
    },
  };
}

describe("followRun", () => {
  it("relays every event once and every status change, draining events written with the final status", async () => {
    const api = scriptedApi([
      { status: "queued", events: [] },
      { status: "running", events: [makeEvent(1, "step.start", { name: "llm" })] },
      { status: "running", events: [makeEvent(2, "tool.call", { toolName: "clock" })] },
      { status: "succeeded", events: [makeEvent(3, "usage", { inputTokens: 3 })] },
    ]);
    const progress: string[] = [];
    const result = await followRun(api, RUN_ID, {
      signal: new AbortController().signal,
      timeoutMs: 5_000,
      minPollMs: 1,
      maxPollMs: 2,
      onProgress: async (m) => void progress.push(m),
    });
    expect(result).toMatchObject({ timedOut: false, eventCount: 3, run: { status: "succeeded" } });
    expect(progress).toEqual([
      `run ${RUN_ID} queued`,
      `run ${RUN_ID} running`,
      '#1 step.start {"name":"llm"}',
      "#2 tool call clock",
      `run ${RUN_ID} succeeded`,
      '#3 usage {"inputTokens":3}',
    ]);
  });

  it("stops at the deadline and says so, leaving the run alone", async () => {
    const api = scriptedApi([{ status: "queued", events: [] }]);
    const result = await followRun(api, RUN_ID, {
      signal: new AbortController().signal,
      timeoutMs: 0,
      onProgress: async () => {},
    });
    expect(result).toMatchObject({ timedOut: true, run: { status: "queued" } });
  });

  it("stops when the caller aborts", async () => {
    const api = scriptedApi([{ status: "queued", events: [] }]);
    const controller = new AbortController();
    const following = followRun(api, RUN_ID, {
      signal: controller.signal,
      timeoutMs: 60_000,
      onProgress: async () => controller.abort(new Error("client cancelled")),
    });
    await expect(following).rejects.toThrow("client cancelled");
  });

  it("describes long text deltas in one short line", () => {
    const line = describeEvent(makeEvent(9, "text.delta", { text: "x".repeat(500) }));
    expect(line.length).toBeLessThan(140);
    expect(line).toMatch(/^#9 text x+…$/);
  });
});
