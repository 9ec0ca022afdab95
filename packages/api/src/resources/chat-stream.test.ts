import type { RunEvent } from "@agentos/core";
import { readUIMessageStream, type UIMessage, type UIMessageChunk, uiMessageChunkSchema } from "ai";
import { describe, expect, it } from "vitest";
import { createUiChunkTranslator } from "./chat-stream";

let seq = 0;
const event = (type: RunEvent["type"], payload: Record<string, unknown>): RunEvent => ({
  runId: "run_1",
  seq: ++seq,
  type,
  payload: payload as RunEvent["payload"],
  createdAt: new Date().toISOString(),
});

const runEvents: RunEvent[] = [
  event("status", { status: "running" }),
  event("step.start", { step: "llm-0", kind: "llm", model: "m" }),
  event("text.delta", { text: "Let me ", step: "llm-0" }),
  event("text.delta", { text: "check.", step: "llm-0" }),
  event("tool.call", { toolCallId: "c1", toolName: "clock", input: { tz: "UTC" } }),
  event("usage", { inputTokens: 1, outputTokens: 1 }),
  event("step.end", { step: "llm-0", kind: "llm", finishReason: "tool-calls" }),
  event("tool.result", {
    toolCallId: "c1",
    toolName: "clock",
    output: { time: "12:00" },
    isError: false,
    durationMs: 3,
  }),
  event("step.start", { step: "llm-1", kind: "llm", model: "m" }),
  event("text.delta", { text: "It is noon.", step: "llm-1" }),
  event("step.end", { step: "llm-1", kind: "llm", finishReason: "stop" }),
  event("status", { status: "succeeded" }),
];

function chunksOf(events: RunEvent[]) {
  const translator = createUiChunkTranslator("msg-1", "run_1");
  return [...translator.start(), ...events.flatMap((e) => translator.translate(e))];
}

describe("run events as the AI SDK UI message stream", () => {
  it("produces only chunks the AI SDK's own schema accepts", async () => {
    const schema = uiMessageChunkSchema();
    for (const chunk of chunksOf(runEvents)) {
      const result = await schema.validate!(chunk);
      expect(result.success, JSON.stringify(chunk)).toBe(true);
    }
  });

  it("assembles into the assistant message a useChat client shows: text, a tool card, the answer", async () => {
    const chunks = chunksOf(runEvents) as UIMessageChunk[];
    const stream = new ReadableStream<UIMessageChunk>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    let message: UIMessage | undefined;
    for await (const snapshot of readUIMessageStream({ stream, terminateOnError: true })) message = snapshot;
    expect(message?.id).toBe("msg-1");
    expect(message?.metadata).toMatchObject({ runId: "run_1", status: "succeeded" });
    const parts = message!.parts.filter((p) => p.type !== "step-start");
    expect(parts).toEqual([
      expect.objectContaining({ type: "text", text: "Let me check." }),
      expect.objectContaining({
        type: "dynamic-tool",
        toolName: "clock",
        state: "output-available",
        output: { time: "12:00" },
      }),
      expect.objectContaining({ type: "text", text: "It is noon." }),
    ]);
  });

  it("ends a failed run with an error chunk carrying the reason", () => {
    const chunks = chunksOf([
      event("status", { status: "running" }),
      event("status", { status: "failed", error: { code: "provider_error", message: "invalid API key" } }),
    ]);
    expect(chunks.at(-1)).toEqual({ type: "error", errorText: "invalid API key" });
  });
});
