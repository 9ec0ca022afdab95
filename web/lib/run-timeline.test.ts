import type { RunEvent } from "@agentos/core";
import { describe, expect, it } from "vitest";
import { EMPTY_TIMELINE, foldRunEvents } from "./run-timeline";

let clock = Date.parse("2026-01-01T00:00:00Z");
function makeEvent(seq: number, type: RunEvent["type"], payload: Record<string, unknown>): RunEvent {
  clock += 100;
  return {
    runId: "run_01",
    seq,
    type,
    payload: payload as RunEvent["payload"],
    createdAt: new Date(clock).toISOString(),
  };
}

const agentRun = [
  makeEvent(1, "status", { status: "running" }),
  makeEvent(2, "step.start", { step: "llm-0", kind: "llm", model: "standin-1" }),
  makeEvent(3, "usage", {
    step: "llm-0",
    model: "standin-1",
    inputTokens: 120,
    outputTokens: 12,
    cachedInputTokens: 0,
    costUsd: 0.001,
  }),
  makeEvent(4, "step.end", { step: "llm-0", kind: "llm", finishReason: "tool-calls" }),
  makeEvent(5, "tool.call", { toolCallId: "call_1", toolName: "lookup", input: { q: "x" } }),
  makeEvent(6, "log", { message: "GET https://example.test", toolCallId: "call_1" }),
  makeEvent(7, "tool.result", {
    toolCallId: "call_1",
    toolName: "lookup",
    output: { hits: 2 },
    isError: false,
    durationMs: 42,
  }),
  makeEvent(8, "step.start", { step: "llm-1", kind: "llm", model: "standin-1" }),
  makeEvent(9, "text.delta", { step: "llm-1", text: "Two " }),
  makeEvent(10, "text.delta", { step: "llm-1", text: "hits." }),
  makeEvent(11, "step.end", { step: "llm-1", kind: "llm", finishReason: "stop" }),
  makeEvent(12, "status", { status: "succeeded" }),
];

describe("foldRunEvents", () => {
  it("turns an agent run's events into status, model call and tool call entries", () => {
    const timeline = foldRunEvents(EMPTY_TIMELINE, agentRun);
    expect(timeline.lastSeq).toBe(12);
    expect(timeline.status).toBe("succeeded");
    expect(timeline.items.map((i) => i.kind)).toEqual(["status", "llm", "tool", "log", "llm", "status"]);
    expect(timeline.items[1]).toMatchObject({
      step: "llm-0",
      isOpen: false,
      usage: { inputTokens: 120, costUsd: 0.001 },
    });
    expect(timeline.items[2]).toMatchObject({
      toolName: "lookup",
      input: { q: "x" },
      output: { hits: 2 },
      durationMs: 42,
      isDone: true,
    });
    expect(timeline.items[4]).toMatchObject({ text: "Two hits.", finishReason: "stop" });
  });

  it("gives the same timeline when events arrive in pieces or are replayed after a reconnection", () => {
    const whole = foldRunEvents(EMPTY_TIMELINE, agentRun);
    let pieced = EMPTY_TIMELINE;
    for (let i = 0; i < agentRun.length; i += 3) pieced = foldRunEvents(pieced, agentRun.slice(0, i + 3));
    expect(pieced).toEqual(whole);
  });

  it("shows an open tool call until its result and matches workflow tool results by node", () => {
    const calling = foldRunEvents(EMPTY_TIMELINE, [
      makeEvent(1, "tool.call", { node: "fetch", toolName: "http_get", input: {} }),
    ]);
    expect(calling.items[0]).toMatchObject({ isDone: false, node: "fetch" });
    const done = foldRunEvents(calling, [
      makeEvent(2, "tool.result", { node: "fetch", toolName: "http_get", output: "ok" }),
    ]);
    expect(done.items).toHaveLength(1);
    expect(done.items[0]).toMatchObject({ isDone: true, output: "ok", durationMs: 100 });
  });

  it("records an approval request and its decision", () => {
    const timeline = foldRunEvents(EMPTY_TIMELINE, [
      makeEvent(1, "approval.requested", { node: "review", message: "Ship it?", input: 1 }),
      makeEvent(2, "approval.resolved", {
        step: "node-review:decision",
        approved: false,
        comment: "not yet",
      }),
    ]);
    expect(timeline.items[0]).toMatchObject({
      kind: "approval",
      decision: { approved: false, comment: "not yet" },
    });
  });
});
