/**
 * Each provider kind builds a model whose requests go where expected. OpenAI-style kinds run the
 * real `@ai-sdk/openai`, `@ai-sdk/openai-compatible` and `@ai-sdk/azure` end to end against the
 * OpenAI-compatible loopback stand-in; Anthropic, Gemini and Ollama run against loopback servers
 * that replay recorded responses (test/fixtures) — stand-ins for the hosted APIs and a local Ollama.
 */
import type { Repositories } from "@agentos/db";
import { jsonSchema, type LanguageModelUsage, stepCountIs, streamText, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelResolver } from "../../src/models/resolver";
import { toUsage } from "../../src/models/usage";
import {
  type OpenAiCompatibleServer,
  reply,
  startOpenAiCompatibleServer,
} from "../support/openai-compatible-server";
import { makeProvider, ndjson, openStudioDb, sse, startReplayServer, ws } from "./support";

let repos: Repositories;
let closeDb: () => void;
let standIn: OpenAiCompatibleServer;

beforeAll(async () => {
  ({ repos, close: closeDb } = await openStudioDb());
  standIn = await startOpenAiCompatibleServer({ apiKey: "sk-stand-in" });
});
afterAll(async () => {
  await standIn.close();
  closeDb();
});

const resolver = () => createModelResolver({ repos });

/** Reads a stream to its end as the engine does; an error part fails the call. */
async function collect(result: {
  fullStream: AsyncIterable<unknown>;
  totalUsage: PromiseLike<LanguageModelUsage>;
}) {
  let text = "";
  for await (const raw of result.fullStream) {
    const part = raw as { type: string; text?: string; error?: unknown };
    if (part.type === "text-delta") text += part.text;
    if (part.type === "error") throw part.error;
  }
  return { text, usage: toUsage(await result.totalUsage) };
}

const weather = {
  get_weather: tool({
    description: "Current weather of a city",
    inputSchema: jsonSchema<{ city: string }>({
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
    }),
    execute: async ({ city }) => ({ city, forecast: "sunny", celsius: 21 }),
  }),
};

describe("openai-compatible, against the stand-in", () => {
  it("streams text with the key, custom headers and usage including cached tokens", async () => {
    const provider = await makeProvider(repos, {
      kind: "openai-compatible",
      baseUrl: standIn.baseUrl,
      apiKey: "sk-stand-in",
      options: { headers: { "X-Title": "AgentOS Studio" } },
    });
    standIn.enqueue(
      reply.text("Hello from the stand-in.", {
        usage: { promptTokens: 20, completionTokens: 5, cachedTokens: 4 },
      }),
    );
    const seen = standIn.requests.length;
    const { model } = await resolver().resolve(ws, { providerId: provider.id, model: "qwen2.5-7b-instruct" });

    const { text, usage } = await collect(streamText({ model, prompt: "Say hello.", maxRetries: 0 }));

    expect(text).toBe("Hello from the stand-in.");
    expect(usage).toEqual({ inputTokens: 20, outputTokens: 5, cachedInputTokens: 4 });
    const [request] = standIn.requests.slice(seen);
    expect(request).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      headers: { authorization: "Bearer sk-stand-in", "x-title": "AgentOS Studio" },
      body: { model: "qwen2.5-7b-instruct", stream: true, stream_options: { include_usage: true } },
    });
  });

  it("runs a tool call round: the tool's result goes back and the answer follows", async () => {
    const provider = await makeProvider(repos, {
      kind: "openai-compatible",
      baseUrl: standIn.baseUrl,
      apiKey: "sk-stand-in",
    });
    standIn.enqueue(
      reply.toolCalls([{ id: "call_weather_1", name: "get_weather", arguments: { city: "New York City" } }], {
        usage: { promptTokens: 44, completionTokens: 16 },
      }),
      reply.text("It is sunny and 21 °C in New York City.", {
        usage: { promptTokens: 80, completionTokens: 12 },
      }),
    );
    const seen = standIn.requests.length;
    const { model } = await resolver().resolve(ws, { providerId: provider.id, model: "stand-in-model" });

    const { text, usage } = await collect(
      streamText({
        model,
        prompt: "Weather in New York City?",
        tools: weather,
        stopWhen: stepCountIs(2),
        maxRetries: 0,
      }),
    );

    expect(text).toBe("It is sunny and 21 °C in New York City.");
    expect(usage).toEqual({ inputTokens: 124, outputTokens: 28, cachedInputTokens: 0 });
    const [first, second] = standIn.requests.slice(seen);
    expect(first?.body?.tools).toEqual([
      expect.objectContaining({
        type: "function",
        function: expect.objectContaining({ name: "get_weather" }),
      }),
    ]);
    const messages = second?.body?.messages as Array<Record<string, unknown>>;
    expect(messages.at(-2)).toMatchObject({
      role: "assistant",
      tool_calls: [
        { id: "call_weather_1", function: { name: "get_weather", arguments: '{"city":"New York City"}' } },
      ],
    });
    expect(messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_weather_1" });
    expect(JSON.parse(String(messages.at(-1)?.content))).toEqual({
      city: "New York City",
      forecast: "sunny",
      celsius: 21,
    });
  });

  it("refuses a provider without a base URL, naming baseUrl", async () => {
    const provider = await makeProvider(repos, { kind: "openai-compatible" });
    const error = await resolver()
      .resolve(ws, { providerId: provider.id, model: "m" })
      .catch((e) => e);
    expect(error).toMatchObject({ code: "invalid", errors: [{ path: "baseUrl" }] });
    expect(error.message).toContain("`baseUrl`");
  });
});

describe("openai and azure, against the stand-in", () => {
  it("openai calls Chat Completions with a bearer key", async () => {
    const provider = await makeProvider(repos, {
      kind: "openai",
      baseUrl: standIn.baseUrl,
      apiKey: "sk-stand-in",
    });
    standIn.enqueue(reply.text("Hi!", { usage: { promptTokens: 9, completionTokens: 2, cachedTokens: 0 } }));
    const seen = standIn.requests.length;
    const { model } = await resolver().resolve(ws, { providerId: provider.id, model: "gpt-4o-mini" });

    const { text, usage } = await collect(streamText({ model, prompt: "Hi", maxRetries: 0 }));

    expect(text).toBe("Hi!");
    expect(usage).toEqual({ inputTokens: 9, outputTokens: 2, cachedInputTokens: 0 });
    expect(standIn.requests[seen]).toMatchObject({
      path: "/v1/chat/completions",
      headers: { authorization: "Bearer sk-stand-in" },
      body: { model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true } },
    });
  });

  it("openai runs a tool call round", async () => {
    const provider = await makeProvider(repos, {
      kind: "openai",
      baseUrl: standIn.baseUrl,
      apiKey: "sk-stand-in",
    });
    standIn.enqueue(
      reply.toolCalls([{ name: "get_weather", arguments: '{"city":"Paris"}' }]),
      reply.text("Sunny in Paris."),
    );
    const { model } = await resolver().resolve(ws, { providerId: provider.id, model: "gpt-4o-mini" });
    const executed: unknown[] = [];
    const result = streamText({
      model,
      prompt: "Weather in Paris?",
      tools: {
        get_weather: {
          ...weather.get_weather,
          execute: async (input: { city: string }) => executed.push(input),
        },
      },
      stopWhen: stepCountIs(2),
      maxRetries: 0,
    });
    expect((await collect(result)).text).toBe("Sunny in Paris.");
    expect(executed).toEqual([{ city: "Paris" }]);
  });

  it("azure sends the deployment to Chat Completions with an api-key header", async () => {
    // The stand-in plays an Azure gateway at a custom base URL (the SDK then adds no api-version).
    const gateway = await startOpenAiCompatibleServer();
    try {
      const provider = await makeProvider(repos, {
        kind: "azure",
        baseUrl: gateway.baseUrl,
        apiKey: "sk-azure",
      });
      gateway.enqueue(reply.text("Hello from Azure."));
      const { model } = await resolver().resolve(ws, {
        providerId: provider.id,
        model: "my-gpt4o-deployment",
      });
      expect((await collect(streamText({ model, prompt: "Hi", maxRetries: 0 }))).text).toBe(
        "Hello from Azure.",
      );
      expect(gateway.requests[0]).toMatchObject({
        path: "/v1/chat/completions",
        headers: { "api-key": "sk-azure" },
        body: { model: "my-gpt4o-deployment", stream: true },
      });
    } finally {
      await gateway.close();
    }
  });
});

describe("anthropic, against a replay of recorded api.anthropic.com streams", () => {
  it("streams text to /v1/messages with x-api-key and counts usage", async () => {
    const replay = await startReplayServer(sse("anthropic-messages-stream-text.sse"));
    try {
      const provider = await makeProvider(repos, {
        kind: "anthropic",
        baseUrl: `${replay.origin}/v1`,
        apiKey: "sk-ant-test",
      });
      const { model } = await resolver().resolve(ws, { providerId: provider.id, model: "claude-haiku-4-5" });
      const { text, usage } = await collect(streamText({ model, prompt: "Weather in SF?", maxRetries: 0 }));
      expect(text).toBe(
        "The weather in San Francisco, CA is currently:\n- **Temperature:** 68°F\n- **Condition:** Sunny\n\nIt's a nice sunny day!",
      );
      expect(usage).toEqual({ inputTokens: 770, outputTokens: 38, cachedInputTokens: 0 });
      expect(replay.requests[0]).toMatchObject({
        method: "POST",
        path: "/v1/messages",
        headers: { "x-api-key": "sk-ant-test", "anthropic-version": "2023-06-01" },
        body: { model: "claude-haiku-4-5", stream: true },
      });
    } finally {
      await replay.close();
    }
  });

  it("turns a streamed tool_use block into a tool call", async () => {
    const replay = await startReplayServer(sse("anthropic-messages-stream-tool-use.sse"));
    try {
      const provider = await makeProvider(repos, {
        kind: "anthropic",
        baseUrl: `${replay.origin}/v1`,
        apiKey: "sk-ant-test",
      });
      const { model } = await resolver().resolve(ws, { providerId: provider.id, model: "claude-haiku-4-5" });
      const result = streamText({
        model,
        prompt: "Weather in SF?",
        tools: { get_weather: tool({ inputSchema: jsonSchema({ type: "object" }) }) },
        maxRetries: 0,
      });
      await collect(result);
      expect((await result.toolCalls).map((c) => [c.toolName, c.input])).toEqual([
        ["get_weather", { location: "San Francisco, CA", units: "f" }],
      ]);
    } finally {
      await replay.close();
    }
  });
});

describe("google, against a replay of recorded Gemini streams", () => {
  it("streams text from streamGenerateContent with x-goog-api-key", async () => {
    const replay = await startReplayServer(sse("gemini-stream-text.sse"));
    try {
      const provider = await makeProvider(repos, {
        kind: "google",
        baseUrl: `${replay.origin}/v1beta`,
        apiKey: "AIza-test",
      });
      const { model } = await resolver().resolve(ws, { providerId: provider.id, model: "gemini-2.0-flash" });
      const { text, usage } = await collect(
        streamText({ model, prompt: "Capital of Wyoming?", maxRetries: 0 }),
      );
      expect(text).toBe("The capital of Wyoming is **Cheyenne**.\n");
      expect(usage).toEqual({ inputTokens: 7, outputTokens: 10, cachedInputTokens: 0 });
      expect(replay.requests[0]).toMatchObject({
        path: "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
        headers: { "x-goog-api-key": "AIza-test" },
      });
    } finally {
      await replay.close();
    }
  });

  it("turns a functionCall part into a tool call", async () => {
    const replay = await startReplayServer(sse("gemini-stream-function-call.sse"));
    try {
      const provider = await makeProvider(repos, {
        kind: "google",
        baseUrl: `${replay.origin}/v1beta`,
        apiKey: "AIza-test",
      });
      const { model } = await resolver().resolve(ws, { providerId: provider.id, model: "gemini-2.5-flash" });
      const result = streamText({
        model,
        prompt: "Days until New Year's Eve?",
        tools: { now: tool({ inputSchema: jsonSchema({ type: "object" }) }) },
        maxRetries: 0,
      });
      await collect(result);
      expect((await result.toolCalls).map((c) => c.toolName)).toEqual(["now"]);
    } finally {
      await replay.close();
    }
  });
});

describe("ollama, against a replay of recorded /api/chat streams", () => {
  it("streams from /api/chat, adding /api to a root base URL, and prices the model at 0", async () => {
    const replay = await startReplayServer(ndjson("ollama-chat-stream.ndjson"));
    try {
      const provider = await makeProvider(repos, { kind: "ollama", baseUrl: replay.origin });
      const resolved = await resolver().resolve(ws, { providerId: provider.id, model: "phi3" });
      const { text, usage } = await collect(
        streamText({ model: resolved.model, prompt: "Hi", maxRetries: 0 }),
      );
      expect(text).toBe(" these times of day.");
      expect(usage).toEqual({ inputTokens: 10, outputTokens: 239, cachedInputTokens: 0 });
      expect(resolved.pricing).toEqual({ inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0 });
      expect(replay.requests[0]).toMatchObject({
        method: "POST",
        path: "/api/chat",
        body: { model: "phi3", stream: true },
      });
    } finally {
      await replay.close();
    }
  });

  it("reads tool calls from the final line", async () => {
    const replay = await startReplayServer(ndjson("ollama-chat-tool-call.ndjson"));
    try {
      const provider = await makeProvider(repos, { kind: "ollama", baseUrl: `${replay.origin}/api` });
      const { model } = await resolver().resolve(ws, { providerId: provider.id, model: "llama3.2" });
      const result = streamText({
        model,
        prompt: "Call the function",
        tools: { TestPlugin_TestFunction: tool({ inputSchema: jsonSchema({ type: "object" }) }) },
        maxRetries: 0,
      });
      await collect(result);
      expect((await result.toolCalls).map((c) => [c.toolName, c.input])).toEqual([
        ["TestPlugin_TestFunction", { testInput: "fake-text" }],
      ]);
    } finally {
      await replay.close();
    }
  });
});

describe("resolve", () => {
  it("looks up pricing by provider and model name; null when the model is not registered", async () => {
    const provider = await makeProvider(repos, { kind: "openai", apiKey: "sk-x" });
    const pricing = { inputPerMTok: 0.15, outputPerMTok: 0.6, cachedInputPerMTok: 0.075 };
    await repos.models.insert(ws, {
      providerId: provider.id,
      name: "gpt-4o-mini",
      displayName: "GPT-4o mini",
      contextWindow: 128_000,
      pricing,
      supportsTools: true,
    });
    const registered = await resolver().resolve(ws, { providerId: provider.id, model: "gpt-4o-mini" });
    expect(registered).toMatchObject({ providerId: provider.id, modelName: "gpt-4o-mini", pricing });
    const unregistered = await resolver().resolve(ws, { providerId: provider.id, model: "gpt-4o-mini-2024" });
    expect(unregistered.pricing).toBeNull();
  });

  it("refuses a disabled provider and an unknown one", async () => {
    const disabled = await makeProvider(repos, { kind: "openai", apiKey: "sk-x", enabled: false });
    await expect(resolver().resolve(ws, { providerId: disabled.id, model: "gpt-4o" })).rejects.toMatchObject({
      code: "invalid",
      message: expect.stringMatching(/is disabled/),
    });
    await expect(
      resolver().resolve(ws, { providerId: "llm_missing", model: "gpt-4o" }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });
});
