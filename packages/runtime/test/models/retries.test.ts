/**
 * Provider retries end to end: the real AI SDK providers (with their own retries off) inside
 * `withProviderRetries`, against the OpenAI-compatible loopback stand-in for a hosted model and a
 * replay of a recorded Anthropic 429. Waits are asserted through an injected sleep, not wall time.
 */
import type { Repositories } from "@agentos/db";
import { generateText, type LanguageModel, streamText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelResolver } from "../../src/models/resolver";
import { ProviderError, withProviderRetries } from "../../src/models/retry";
import {
  type OpenAiCompatibleServer,
  reply,
  startOpenAiCompatibleServer,
} from "../support/openai-compatible-server";
import {
  fixture,
  makeProvider,
  openStudioDb,
  sse,
  startReplayServer,
  unreachableBaseUrl,
  ws,
} from "./support";

let repos: Repositories;
let closeDb: () => void;
let standIn: OpenAiCompatibleServer;
let model: LanguageModel;

beforeAll(async () => {
  ({ repos, close: closeDb } = await openStudioDb());
  standIn = await startOpenAiCompatibleServer({ apiKey: "sk-stand-in" });
  const provider = await makeProvider(repos, {
    kind: "openai-compatible",
    baseUrl: standIn.baseUrl,
    apiKey: "sk-stand-in",
  });
  ({ model } = await createModelResolver({ repos }).resolve(ws, {
    providerId: provider.id,
    model: "stand-in-model",
  }));
});
afterAll(async () => {
  await standIn.close();
  closeDb();
});

function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

/** One model call as the engine makes it: the SDK's own retries off, ours around it. */
const generate = (m: LanguageModel) => async () =>
  (await generateText({ model: m, prompt: "Hi", maxRetries: 0 })).text;

describe("withProviderRetries against the stand-in", () => {
  it("waits what a 429's retry-after asks, then succeeds", async () => {
    standIn.enqueue(reply.rateLimited({ retryAfter: "2" }), reply.text("Made it."));
    const { delays, sleep } = recordingSleep();
    await expect(withProviderRetries(generate(model), { maxRetries: 3, sleep })).resolves.toBe("Made it.");
    expect(delays).toEqual([2000]);
  });

  it("honours retry-after-ms over retry-after", async () => {
    standIn.enqueue(reply.rateLimited({ retryAfter: "30", retryAfterMs: "1500" }), reply.text("Made it."));
    const { delays, sleep } = recordingSleep();
    await withProviderRetries(generate(model), { maxRetries: 1, sleep });
    expect(delays).toEqual([1500]);
  });

  it("retries a 500, then succeeds", async () => {
    standIn.enqueue(reply.serverError(500), reply.text("Recovered."));
    const { delays, sleep } = recordingSleep();
    await expect(
      withProviderRetries(generate(model), { maxRetries: 2, sleep, random: () => 0 }),
    ).resolves.toBe("Recovered.");
    expect(delays).toEqual([500]);
  });

  it("does not retry a 401: the reason says to update the key", async () => {
    const provider = await makeProvider(repos, {
      kind: "openai-compatible",
      baseUrl: standIn.baseUrl,
      apiKey: "sk-wrong",
    });
    const resolved = await createModelResolver({ repos }).resolve(ws, {
      providerId: provider.id,
      model: "m",
    });
    const seen = standIn.requests.length;
    const { delays, sleep } = recordingSleep();
    const error = await withProviderRetries(generate(resolved.model), { maxRetries: 3, sleep }).catch(
      (e) => e,
    );
    expect(ProviderError.is(error)).toBe(true);
    expect(error).toMatchObject({ retriable: false, attempts: 1, upstreamStatus: 401 });
    expect(error.message).toBe(
      `401 from ${standIn.baseUrl}/chat/completions: invalid API key — update the provider's key. Provider said: "Incorrect API key provided: sk-wrong. You can find your API key at https://platform.openai.com/account/api-keys."`,
    );
    expect(standIn.requests.length - seen).toBe(1);
    expect(delays).toEqual([]);
  });

  it("ends with a clear error when retries run out", async () => {
    standIn.enqueue(reply.serverError(503), reply.serverError(503), reply.serverError(503));
    const error = await withProviderRetries(generate(model), { maxRetries: 2, sleep: async () => {} }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ retriable: true, attempts: 3, upstreamStatus: 503 });
    expect(error.message).toMatch(
      /^503 from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: the provider failed \(503\) — try again later\./,
    );
    expect(error.message).toContain("Gave up after 3 attempts.");
  });

  it("retries a streamed call whose stream reports a 429", async () => {
    standIn.enqueue(reply.rateLimited({ retryAfter: "1" }), reply.text("Streamed after all."));
    const { delays, sleep } = recordingSleep();
    const streamed = async () => {
      let text = "";
      const result = streamText({ model, prompt: "Hi", maxRetries: 0, onError: () => {} });
      for await (const part of result.fullStream) {
        if (part.type === "error") throw part.error;
        if (part.type === "text-delta") text += part.text;
      }
      return text;
    };
    await expect(withProviderRetries(streamed, { maxRetries: 2, sleep })).resolves.toBe(
      "Streamed after all.",
    );
    expect(delays).toEqual([1000]);
  });

  it("names the address of an unreachable provider", async () => {
    const baseUrl = await unreachableBaseUrl();
    const provider = await makeProvider(repos, { kind: "openai-compatible", baseUrl });
    const resolved = await createModelResolver({ repos }).resolve(ws, {
      providerId: provider.id,
      model: "m",
    });
    const error = await withProviderRetries(generate(resolved.model), {
      maxRetries: 1,
      sleep: async () => {},
    }).catch((e) => e);
    expect(error.message).toMatch(
      `Provider unreachable at ${baseUrl}/chat/completions (connection refused) — check the provider's base URL`,
    );
    expect(error.message).toContain("Gave up after 2 attempts.");
  });
});

describe("withProviderRetries against a replay of Anthropic's recorded 429", () => {
  it("retries the recorded rate_limit_error, then streams the answer", async () => {
    const replay = await startReplayServer(
      {
        status: 429,
        contentType: "application/json",
        headers: { "x-should-retry": "true" },
        body: fixture("anthropic-error-429-rate-limit.body"),
      },
      sse("anthropic-messages-stream-text.sse"),
    );
    try {
      const provider = await makeProvider(repos, {
        kind: "anthropic",
        baseUrl: `${replay.origin}/v1`,
        apiKey: "sk-ant",
      });
      const resolved = await createModelResolver({ repos }).resolve(ws, {
        providerId: provider.id,
        model: "claude-haiku-4-5",
      });
      const reasons: string[] = [];
      const streamed = async () => {
        const result = streamText({ model: resolved.model, prompt: "Hi", maxRetries: 0, onError: () => {} });
        for await (const part of result.fullStream) if (part.type === "error") throw part.error;
        return result.text;
      };
      const text = await withProviderRetries(streamed, {
        maxRetries: 2,
        sleep: async () => {},
        onRetry: ({ reason }) => reasons.push(reason),
      });
      expect(text).toContain("It's a nice sunny day!");
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(/^429 from http:\/\/127\.0\.0\.1:\d+\/v1\/messages: rate limited/);
      expect(reasons[0]).toContain("would exceed your organization's rate limit");
      expect(replay.requests).toHaveLength(2);
    } finally {
      await replay.close();
    }
  });
});
