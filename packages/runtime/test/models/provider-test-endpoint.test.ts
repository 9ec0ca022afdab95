/**
 * `POST /api/llm/providers/{id}/test` on the headless server process, checking providers that point
 * at the OpenAI-compatible loopback stand-in for a hosted model (which the server calls for real).
 */

import { type AgentOsClient, createClient } from "@agentos/client";
import type { LlmProviderCreate } from "@agentos/core";
import { PRICE_CATALOG } from "@agentos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTarget, startHeadlessServer } from "../../../../test/harness/processes";
import {
  type OpenAiCompatibleServer,
  reply,
  startOpenAiCompatibleServer,
} from "../support/openai-compatible-server";
import { unreachableBaseUrl } from "./support";

const KEY = "sk-stand-in-secret";

let server: ApiTarget;
let client: AgentOsClient;
let standIn: OpenAiCompatibleServer;

beforeAll(async () => {
  standIn = await startOpenAiCompatibleServer({ apiKey: KEY, models: ["local-llama-3.2", "local-qwen"] });
  server = await startHeadlessServer();
  client = createClient({ baseUrl: server.baseUrl });
});
afterAll(async () => {
  await server?.stop();
  await standIn?.close();
});

let counter = 0;
const makeProvider = (overrides: Partial<LlmProviderCreate> = {}) =>
  client.llmProviders.create({
    name: `stand-in-${++counter}`,
    kind: "openai-compatible",
    baseUrl: standIn.baseUrl,
    apiKey: KEY,
    ...overrides,
  });

async function testProvider(id: string, body?: { model?: string }) {
  const response = await fetch(`${server.baseUrl}/api/llm/providers/${id}/test`, {
    method: "POST",
    ...(body ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("POST /api/llm/providers/{id}/test", () => {
  it("answers ok with the latency after a minimal real generation", async () => {
    const provider = await makeProvider();
    standIn.enqueue(reply.text("OK"));
    const seen = standIn.requests.length;

    const { status, body } = await testProvider(provider.id, { model: "local-qwen" });

    expect(status).toBe(200);
    expect(body).toEqual({ ok: true, latencyMs: expect.any(Number), model: "local-qwen" });
    const [request] = standIn.requests.slice(seen);
    expect(request).toMatchObject({
      path: "/v1/chat/completions",
      headers: { authorization: `Bearer ${KEY}` },
      body: { model: "local-qwen", max_tokens: 5 },
    });
  });

  it("checks the provider's first registered model when the body names none", async () => {
    const provider = await makeProvider();
    await client.models.create({ providerId: provider.id, name: "registered-model" });
    standIn.enqueue(reply.text("OK"));

    const { body } = await testProvider(provider.id);

    expect(body).toMatchObject({ ok: true, model: "registered-model" });
  });

  it("asks an OpenAI-compatible server for its models when none is registered", async () => {
    const provider = await makeProvider();
    standIn.enqueue(reply.text("OK"));
    const seen = standIn.requests.length;

    const { body } = await testProvider(provider.id, {});

    expect(body).toMatchObject({ ok: true, model: "local-llama-3.2" });
    expect(standIn.requests.slice(seen).map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /v1/models",
      "POST /v1/chat/completions",
    ]);
  });

  it("checks a disabled provider, so it can be tried before it is enabled", async () => {
    const provider = await makeProvider({ enabled: false });
    standIn.enqueue(reply.text("OK"));

    const { body } = await testProvider(provider.id, { model: "local-qwen" });

    expect(body).toMatchObject({ ok: true, model: "local-qwen" });
  });

  it("answers ok:false with the reason for an invalid key, not a server error", async () => {
    const provider = await makeProvider({ apiKey: "sk-wrong" });

    const { status, body } = await testProvider(provider.id, { model: "local-qwen" });

    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: false, model: "local-qwen", latencyMs: expect.any(Number) });
    expect(body.reason).toBe(
      `401 from ${standIn.baseUrl}/chat/completions: invalid API key — update the provider's key. Provider said: "Incorrect API key provided: sk-wrong. You can find your API key at https://platform.openai.com/account/api-keys."`,
    );
  });

  it("answers ok:false naming an unreachable base URL", async () => {
    const baseUrl = await unreachableBaseUrl();
    const provider = await makeProvider({ baseUrl });

    const { status, body } = await testProvider(provider.id, { model: "any" });

    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: false, model: "any" });
    expect(body.reason).toBe(
      `Provider unreachable at ${baseUrl}/chat/completions (connection refused) — check the provider's base URL and that the server is running.`,
    );
  });

  it("answers ok:false for a provider that lacks required settings", async () => {
    const provider = await makeProvider({ kind: "openai", baseUrl: null, apiKey: undefined });

    const { body } = await testProvider(provider.id);

    // No model given: the provider's first registered model, here the first it was seeded with.
    expect(body).toMatchObject({ ok: false, model: PRICE_CATALOG.openai?.[0]?.name });
    expect(body.reason).toContain("has no API key: set `apiKey` on the provider");
  });

  it("answers 404 for an unknown provider and 400 for a bad body", async () => {
    const missing = await testProvider("llm_01jh5x4y8k2m3n4p5q6r7s8t9v", {});
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ title: "LLM provider not found" });

    const provider = await makeProvider();
    const invalid = await testProvider(provider.id, { model: "" });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ errors: [{ path: "body.model" }] });
  });

  it("never writes the decrypted key to the server's output", () => {
    expect(server.output()).not.toContain(KEY);
  });
});
