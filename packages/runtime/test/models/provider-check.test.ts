/**
 * checkProvider against loopback stand-ins: a replay of recorded Ollama answers for a local
 * server, and the OpenAI-compatible stand-in for a hosted model that answers too slowly.
 */
import type { Repositories } from "@agentos/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkProvider } from "../../src/models/provider-check";
import { createModelResolver } from "../../src/models/resolver";
import { reply, startOpenAiCompatibleServer } from "../support/openai-compatible-server";
import { fixture, makeProvider, openStudioDb, startReplayServer, ws } from "./support";

let repos: Repositories;
let closeDb: () => void;

beforeAll(async () => {
  ({ repos, close: closeDb } = await openStudioDb());
});
afterAll(() => closeDb());

const check = (providerId: string, options: Parameters<typeof checkProvider>[3] = {}) =>
  checkProvider({ resolver: createModelResolver({ repos }), repos }, ws, providerId, options);

/** The recorded stream's final line: the same object a non-streaming /api/chat answers with. */
const ollamaChatAnswer = () => fixture("ollama-chat-stream.ndjson").trim().split("\n").at(-1) ?? "";

describe("checkProvider", () => {
  it("checks an Ollama server's first installed model when none is registered", async () => {
    const replay = await startReplayServer(
      { contentType: "application/json", body: fixture("ollama-tags.recorded-jq.body") },
      { contentType: "application/json", body: ollamaChatAnswer() },
    );
    try {
      const provider = await makeProvider(repos, { kind: "ollama", baseUrl: replay.origin });
      const result = await check(provider.id);
      expect(result).toEqual({ ok: true, latencyMs: expect.any(Number), model: "smollm2:1.7b" });
      expect(replay.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        "GET /api/tags",
        "POST /api/chat",
      ]);
      expect(replay.requests[1]?.body).toMatchObject({ model: "smollm2:1.7b", stream: false });
    } finally {
      await replay.close();
    }
  });

  it("says model not found with Ollama's own words", async () => {
    const replay = await startReplayServer({
      status: 404,
      contentType: "application/json",
      body: fixture("ollama-error-404-model-not-found.constructed.body"),
    });
    try {
      const provider = await makeProvider(repos, { kind: "ollama", baseUrl: `${replay.origin}/api` });
      const result = await check(provider.id, { model: "no-such-model" });
      expect(result).toMatchObject({ ok: false, model: "no-such-model" });
      expect(result.reason).toBe(
        `404 from ${replay.origin}/api/chat: model not found — check the model name (and the provider's base URL). Provider said: "model 'no-such-model' not found"`,
      );
    } finally {
      await replay.close();
    }
  });

  it("says when an Ollama server has no models installed", async () => {
    const replay = await startReplayServer({ contentType: "application/json", body: '{"models":[]}' });
    try {
      const provider = await makeProvider(repos, { kind: "ollama", baseUrl: replay.origin });
      expect((await check(provider.id)).reason).toBe(
        `Ollama at ${replay.origin}/api has no models installed: pull one (ollama pull llama3.2) or send { "model": "…" }.`,
      );
    } finally {
      await replay.close();
    }
  });

  it("gives up on a provider that does not answer in time", async () => {
    const standIn = await startOpenAiCompatibleServer();
    try {
      standIn.enqueue(reply.text("Too late.", { chunkDelayMs: 2_000 }));
      const provider = await makeProvider(repos, { kind: "openai-compatible", baseUrl: standIn.baseUrl });
      const result = await check(provider.id, { model: "slow-model", timeoutMs: 200 });
      expect(result).toMatchObject({ ok: false, model: "slow-model" });
      expect(result.reason).toBe(
        `No answer within 0.2 s from ${standIn.baseUrl} — check the base URL; a local model may still be loading, so try again.`,
      );
      expect(result.latencyMs).toBeLessThan(1_500);
    } finally {
      await standIn.close();
    }
  });

  it("asks for a model when an Azure provider has none registered", async () => {
    const provider = await makeProvider(repos, {
      kind: "azure",
      apiKey: "azure-key",
      options: { azureResourceName: "contoso" },
    });
    const result = await check(provider.id);
    expect(result).toMatchObject({ ok: false, model: null });
    expect(result.reason).toContain("register a model (for Azure, a deployment name)");
  });
});
