/**
 * The loopback stand-in speaks the wire format of the recorded api.openai.com streams: the same
 * chunk envelope and delta shapes, chunk by chunk kind, as test/fixtures/openai-chat-stream-*.sse.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type OpenAiCompatibleServer,
  reply,
  startOpenAiCompatibleServer,
} from "../support/openai-compatible-server";
import { fixture } from "./support";

type Chunk = Record<string, unknown> & {
  choices: Array<Record<string, unknown> & { delta: Record<string, unknown> }>;
};

/** The JSON payloads of an SSE body, and whether it ended with `[DONE]`. */
function parseSse(body: string): { chunks: Chunk[]; done: boolean } {
  const data = body
    .split(/\r?\n\r?\n/)
    .map((event) => event.replace(/^data: /, "").trim())
    .filter(Boolean);
  return {
    chunks: data.filter((d) => d !== "[DONE]").map((d) => JSON.parse(d) as Chunk),
    done: data.at(-1) === "[DONE]",
  };
}

/** The shape of a value: its keys, recursively, with the type of each leaf. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [shapeOf(value[0])] : [];
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, shapeOf(v)]),
    );
  }
  return value === null ? "null" : typeof value;
}

const kindOf = (chunk: Chunk) => {
  if (chunk.choices.length === 0) return "usage";
  const [choice] = chunk.choices;
  if (choice?.finish_reason) return "finish";
  if (choice?.delta.role) return "first";
  return choice?.delta.tool_calls ? "tool-call-piece" : "content";
};

/** One example of each chunk kind, by shape. */
function shapesByKind(chunks: Chunk[]) {
  const shapes: Record<string, unknown> = {};
  for (const chunk of chunks) shapes[kindOf(chunk)] ??= shapeOf(chunk);
  return shapes;
}

let server: OpenAiCompatibleServer;
beforeAll(async () => {
  server = await startOpenAiCompatibleServer();
});
afterAll(() => server.close());

async function streamFromStandIn(body: Record<string, unknown>) {
  const response = await fetch(`${server.baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: "gpt-4o-2024-08-06",
      stream: true,
      stream_options: { include_usage: true },
      ...body,
    }),
  });
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  return parseSse(await response.text());
}

describe("the OpenAI-compatible stand-in", () => {
  it("streams text chunks shaped like the recorded OpenAI stream", async () => {
    server.enqueue(reply.text("I'm unable to provide real-time weather updates."));
    const standIn = await streamFromStandIn({ messages: [{ role: "user", content: "Weather?" }] });
    const recorded = parseSse(fixture("openai-chat-stream-text.sse"));

    expect(standIn.done).toBe(true);
    expect(recorded.done).toBe(true);
    const recordedShapes = shapesByKind(recorded.chunks);
    const standInShapes = shapesByKind(standIn.chunks);
    for (const kind of ["first", "content", "finish"])
      expect(standInShapes[kind]).toEqual(recordedShapes[kind]);
    // The recording's usage predates prompt_tokens_details; the stand-in adds it, as the API does today.
    expect(standInShapes.usage).toMatchObject(recordedShapes.usage as object);
    expect(standIn.chunks.map(kindOf)).toEqual(["first", ...Array(7).fill("content"), "finish", "usage"]);
  });

  it("streams tool-call deltas shaped like the recorded OpenAI stream", async () => {
    server.enqueue(reply.toolCalls([{ name: "get_weather", arguments: { city: "New York City" } }]));
    const standIn = await streamFromStandIn({ messages: [{ role: "user", content: "Weather?" }] });
    const recorded = parseSse(fixture("openai-chat-stream-tool-call.sse"));

    const recordedShapes = shapesByKind(recorded.chunks);
    const standInShapes = shapesByKind(standIn.chunks);
    for (const kind of ["first", "tool-call-piece", "finish"])
      expect(standInShapes[kind]).toEqual(recordedShapes[kind]);
    const pieces = standIn.chunks
      .flatMap((c) => c.choices)
      .flatMap((c) => (c.delta.tool_calls as Array<{ function: { arguments: string } }> | undefined) ?? [])
      .map((call) => call.function.arguments)
      .join("");
    expect(JSON.parse(pieces)).toEqual({ city: "New York City" });
  });

  it("sends no usage chunk unless asked", async () => {
    server.enqueue(reply.text("Hi"));
    const standIn = await streamFromStandIn({ stream_options: undefined });
    expect(standIn.chunks.map(kindOf)).toEqual(["first", "content", "finish"]);
  });

  it("answers non-streaming requests, lists models and records requests", async () => {
    server.enqueue(reply.text("Hello there."));
    const response = await fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer sk-anything" },
      body: JSON.stringify({ model: "m", messages: [] }),
    });
    expect(await response.json()).toMatchObject({
      object: "chat.completion",
      choices: [{ message: { role: "assistant", content: "Hello there." }, finish_reason: "stop" }],
      usage: { prompt_tokens: expect.any(Number), completion_tokens: 2 },
    });
    const models = await (await fetch(`${server.baseUrl}/models`)).json();
    expect(models).toEqual({
      object: "list",
      data: [expect.objectContaining({ id: "stand-in-model", object: "model" })],
    });
    expect(server.requests.at(-2)).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      headers: { authorization: "Bearer sk-anything" },
      body: { model: "m" },
    });
  });

  it("streams slowly when asked and stops writing when the client goes away", async () => {
    server.enqueue(
      reply.text(
        Array.from({ length: 50 }, (_, i) => `w${i} `),
        { chunkDelayMs: 20 },
      ),
    );
    const controller = new AbortController();
    const response = await fetch(`${server.baseUrl}/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "m", stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const started = performance.now();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(500);
    // The stand-in is still serving.
    server.enqueue(reply.text("Still here."));
    const next = await fetch(`${server.baseUrl}/chat/completions`, { method: "POST", body: '{"model":"m"}' });
    expect(await next.json()).toMatchObject({ choices: [{ message: { content: "Still here." } }] });
  });

  it("plays scripted failures and says when the script ran out", async () => {
    server.enqueue(reply.rateLimited({ retryAfter: "3" }));
    const limited = await fetch(`${server.baseUrl}/chat/completions`, { method: "POST", body: "{}" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    const exhausted = await fetch(`${server.baseUrl}/chat/completions`, { method: "POST", body: "{}" });
    expect(exhausted.status).toBe(500);
    expect(await exhausted.text()).toContain("no scripted response left");
  });
});
