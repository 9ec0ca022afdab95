// The contract suite: the same tests against the API mounted in Next.js (`next start`) and in the
// headless server, each a real process on loopback with a fresh libSQL file.
import { type AgentOsClient, createClient } from "@agentos/client";
import { validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAgent, makeHttpTool, makeProvider, unique } from "../harness/factories";
import { problemOf } from "../harness/problems";
import { type ApiTarget, TARGETS } from "../harness/processes";

const SECRET_API_KEY = "sk-contract-secret-7f3a9c";
const SECRET_MCP_TOKEN = "mcp-contract-secret-51be0d";

describe.each(TARGETS)("contract API on $name", ({ start }) => {
  let target: ApiTarget;
  let client: AgentOsClient;
  let raw: (path: string, init?: RequestInit) => Promise<Response>;
  /** Every response body this suite received, to prove no secret is ever echoed. */
  const seen: string[] = [];

  beforeAll(async () => {
    target = await start();
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      seen.push(await response.clone().text());
      return response;
    };
    client = createClient({ baseUrl: target.baseUrl, fetch: recordingFetch });
    raw = (path, init) => recordingFetch(`${target.baseUrl}${path}`, init);
  }, 120_000);

  afterAll(async () => {
    await target?.stop();
  });

  it("reports health", async () => {
    const health = await client.health();
    expect(health).toMatchObject({ status: "ok", mode: "local" });
  });

  describe("CRUD round trips", () => {
    it("LLM providers keep the API key encrypted and say only hasApiKey", async () => {
      const created = await makeProvider(client, { kind: "openai", baseUrl: null, apiKey: SECRET_API_KEY });
      expect(created).toMatchObject({ kind: "openai", hasApiKey: true });
      // A new provider is seeded with its kind's common models at public prices, editable later.
      const seeded = await client.models.list({ providerId: created.id, limit: 200 });
      expect(seeded.items.find((m) => m.name === "gpt-4o-mini")?.pricing).toEqual({
        inputPerMTok: 0.15,
        outputPerMTok: 0.6,
        cachedInputPerMTok: 0.075,
      });
      expect(created).not.toHaveProperty("apiKey");
      expect(await client.llmProviders.get(created.id)).toEqual(created);
      const updated = await client.llmProviders.update(created.id, { name: unique("renamed"), apiKey: null });
      expect(updated.hasApiKey).toBe(false);
      expect(updated.updatedAt >= created.updatedAt).toBe(true);
      const list = await client.llmProviders.list({ kind: "openai" });
      expect(list.items.map((p) => p.id)).toContain(created.id);
      await client.llmProviders.delete(created.id);
      expect((await problemOf(client.llmProviders.get(created.id))).status).toBe(404);
    });

    it("models with prices, unique per provider", async () => {
      const provider = await makeProvider(client);
      const model = await client.models.create({
        providerId: provider.id,
        name: "gpt-test",
        contextWindow: 128_000,
        pricing: { inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25 },
      });
      expect(model.pricing.outputPerMTok).toBe(10);
      const repriced = await client.models.update(model.id, {
        pricing: { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 },
      });
      expect(repriced.pricing).toEqual({ inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5 });
      expect((await client.models.list({ providerId: provider.id })).items).toHaveLength(1);
      const duplicate = await problemOf(client.models.create({ providerId: provider.id, name: "gpt-test" }));
      expect(duplicate.status).toBe(409);
      // A provider an agent uses cannot be deleted; once free, its models go with it.
      const agent = await makeAgent(client, { model: { providerId: provider.id, model: "gpt-test" } });
      const inUse = await problemOf(client.llmProviders.delete(provider.id));
      expect(inUse.status).toBe(409);
      expect(inUse.problem.detail).toContain(agent.name);
      await client.agents.delete(agent.id);
      await client.llmProviders.delete(provider.id);
      expect((await problemOf(client.models.get(model.id))).status).toBe(404);
    });

    it("rate limits per provider and model", async () => {
      const provider = await makeProvider(client);
      const limit = await client.rateLimits.create({ providerId: provider.id, requestsPerMinute: 60 });
      expect(limit).toMatchObject({ model: null, requestsPerMinute: 60, tokensPerMinute: null });
      expect((await problemOf(client.rateLimits.create({ providerId: provider.id }))).status).toBe(409);
      const perModel = await client.rateLimits.create({
        providerId: provider.id,
        model: "m",
        tokensPerMinute: 1000,
      });
      expect((await client.rateLimits.update(perModel.id, { tokensPerMinute: 2000 })).tokensPerMinute).toBe(
        2000,
      );
      expect((await client.rateLimits.list({ providerId: provider.id })).items).toHaveLength(2);
      await client.rateLimits.delete(limit.id);
    });

    it("tools of every kind", async () => {
      const http = await makeHttpTool(client);
      expect(http).toMatchObject({
        kind: "http",
        config: { kind: "http", allowPrivateNetwork: false, timeoutMs: 30000 },
      });
      const mcp = await client.mcpServers.create({
        name: unique("mcp"),
        transport: { type: "streamable-http", url: "http://127.0.0.1:9/mcp" },
      });
      const kinds = await Promise.all([
        client.tools.create({
          name: unique("mcp_tool"),
          config: { kind: "mcp", mcpServerId: mcp.id, toolName: "echo" },
        }),
        client.tools.create({
          name: unique("sandbox_tool"),
          config: { kind: "sandbox", language: "python" },
        }),
        client.tools.create({ name: unique("clock"), config: { kind: "builtin", builtin: "current_time" } }),
      ]);
      expect(kinds.map((t) => t.kind)).toEqual(["mcp", "sandbox", "builtin"]);
      const onlyBuiltin = await client.tools.list({ kind: "builtin", limit: 200 });
      expect(onlyBuiltin.items.every((t) => t.kind === "builtin")).toBe(true);
      const renamed = await client.tools.update(http.id, { description: "Weather by city" });
      expect(renamed.description).toBe("Weather by city");
      const kindChange = await problemOf(
        client.tools.update(http.id, { config: { kind: "builtin", builtin: "current_time" } }),
      );
      expect(kindChange.problem.errors?.[0]?.path).toBe("body.config.kind");
      const missingServer = await problemOf(
        client.tools.create({
          name: unique("orphan"),
          config: { kind: "mcp", mcpServerId: "mcp_01jh5x4y8k2m3n4p5q6r7s8t9v", toolName: "x" },
        }),
      );
      expect(missingServer.problem.errors?.[0]?.path).toBe("body.config.mcpServerId");
      await client.tools.delete(http.id);
    });

    it("MCP servers keep their token write-only", async () => {
      const server = await client.mcpServers.create({
        name: unique("mcp"),
        // A command that does not exist: registration lists tools at best effort, so it stays empty.
        transport: { type: "stdio", command: "agentos-test-no-such-mcp-server", args: [] },
        authToken: SECRET_MCP_TOKEN,
      });
      expect(server).toMatchObject({ hasAuthToken: true, tools: [], lastCheckedAt: null, enabled: true });
      const disabled = await client.mcpServers.update(server.id, { enabled: false });
      expect(disabled).toMatchObject({ enabled: false, hasAuthToken: true });
      await client.mcpServers.delete(server.id);
    });

    it("agents reference providers, tools and MCP servers that exist", async () => {
      const tool = await makeHttpTool(client);
      const agent = await makeAgent(client, { toolIds: [tool.id] });
      expect(agent).toMatchObject({
        toolIds: [tool.id],
        sandbox: { enabled: false, network: false },
        limits: { maxSteps: 10 },
        outputSchema: null,
      });
      const updated = await client.agents.update(agent.id, {
        instructions: "Answer in French.",
        outputSchema: { type: "object", properties: { answer: { type: "string" } } },
      });
      expect(updated).toMatchObject({
        instructions: "Answer in French.",
        toolIds: [tool.id],
        name: agent.name,
      });
      const bad = await problemOf(
        makeAgent(client, { toolIds: ["tool_01jh5x4y8k2m3n4p5q6r7s8t9v"], model: agent.model }),
      );
      expect(bad.status).toBe(400);
      expect(bad.problem.errors).toEqual([expect.objectContaining({ path: "body.toolIds.0" })]);
      await client.agents.delete(agent.id);
      expect((await problemOf(client.agents.delete(agent.id))).status).toBe(404);
    });

    it("workflows validate their graph", async () => {
      const agent = await makeAgent(client);
      const workflow = await client.workflows.create({
        name: unique("wf"),
        graph: {
          nodes: [
            { id: "ask", kind: "agent", agentId: agent.id },
            { id: "check", kind: "condition", expression: "input.length > 3" },
            { id: "ok", kind: "output" },
            { id: "approve", kind: "approval" },
            { id: "done", kind: "output" },
          ],
          edges: [
            { id: "e1", source: "ask", target: "check" },
            { id: "e2", source: "check", target: "ok", branch: "true" },
            { id: "e3", source: "check", target: "approve", branch: "false" },
            { id: "e4", source: "approve", target: "done" },
          ],
        },
      });
      expect(workflow.graph.nodes).toHaveLength(5);
      const cyclic = await problemOf(
        client.workflows.update(workflow.id, {
          graph: {
            nodes: [
              { id: "a", kind: "condition", expression: "true" },
              { id: "b", kind: "approval" },
              { id: "out", kind: "output" },
            ],
            edges: [
              { id: "e1", source: "a", target: "b", branch: "true" },
              { id: "e2", source: "b", target: "a" },
              { id: "e3", source: "a", target: "out", branch: "false" },
            ],
          },
        }),
      );
      expect(cyclic.problem.errors?.[0]).toMatchObject({
        path: "body.graph.edges",
        message: expect.stringMatching(/cycle/),
      });
      const dangling = await problemOf(
        client.workflows.create({
          name: unique("wf"),
          graph: {
            nodes: [{ id: "out", kind: "output" }],
            edges: [{ id: "e", source: "out", target: "ghost" }],
          },
        }),
      );
      expect(dangling.problem.errors?.map((e) => e.path)).toContain("body.graph.edges.0.target");
      expect((await client.workflows.get(workflow.id)).graph.edges).toHaveLength(4);
    });

    it("conversations hold messages in order", async () => {
      const agent = await makeAgent(client);
      const conversation = await client.conversations.create({ agentId: agent.id, title: "Trip" });
      const first = await client.conversations.messages.create(conversation.id, {
        parts: [{ type: "text", text: "Hi" }],
      });
      const second = await client.conversations.messages.create(conversation.id, {
        role: "assistant",
        parts: [
          { type: "text", text: "Hello" },
          { type: "tool", toolCallId: "c1", toolName: "clock", input: {}, output: "12:00", durationMs: 3 },
        ],
      });
      const page = await client.conversations.messages.list(conversation.id, { limit: 1 });
      expect(page.items.map((m) => m.id)).toEqual([first.id]);
      const rest = await client.conversations.messages.list(conversation.id, {
        cursor: page.nextCursor ?? "",
      });
      expect(rest.items.map((m) => m.id)).toEqual([second.id]);
      expect((await client.conversations.update(conversation.id, { title: "Trip to Lyon" })).title).toBe(
        "Trip to Lyon",
      );
      expect((await client.conversations.list({ agentId: agent.id })).items).toHaveLength(1);
      await client.conversations.delete(conversation.id);
      expect((await problemOf(client.conversations.messages.list(conversation.id))).status).toBe(404);
    });

    it("runs are created queued, listed, cancelled once", async () => {
      const agent = await makeAgent(client);
      const run = await client.runs.create({ kind: "agent", agentId: agent.id, input: "What time is it?" });
      expect(run).toMatchObject({
        status: "queued",
        kind: "agent",
        agentId: agent.id,
        output: null,
        costUsd: 0,
      });
      expect(run.usage).toEqual({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 });
      const viaExecute = await client.agents.execute(agent.id, { question: "hi" });
      expect(viaExecute).toMatchObject({ status: "queued", input: { question: "hi" } });
      const listed = await client.runs.list({ agentId: agent.id, status: "queued" });
      expect(listed.items.map((r) => r.id).sort()).toEqual([run.id, viaExecute.id].sort());
      const cancelled = await client.runs.cancel(run.id);
      expect(cancelled).toMatchObject({ status: "cancelled", error: { code: "cancelled" } });
      expect((await problemOf(client.runs.cancel(run.id))).status).toBe(409);
      expect(await client.runs.events(run.id)).toEqual({ items: [], nextAfter: 0 });
      expect(await client.runs.steps(run.id)).toEqual({ items: [] });
      const missing = await problemOf(
        client.runs.create({ kind: "workflow", workflowId: "wf_01jh5x4y8k2m3n4p5q6r7s8t9v" }),
      );
      expect(missing.problem.errors?.[0]?.path).toBe("body.workflowId");
    });

    it("feedback on runs and messages, filtered by rating and agent", async () => {
      const agent = await makeAgent(client);
      const run = await client.runs.create({ kind: "agent", agentId: agent.id, input: "x" });
      const conversation = await client.conversations.create({ agentId: agent.id });
      const message = await client.conversations.messages.create(conversation.id, {
        role: "assistant",
        parts: [{ type: "text", text: "answer" }],
      });
      const up = await client.feedback.create({ rating: "up", runId: run.id, comment: "great" });
      const down = await client.feedback.create({ rating: "down", messageId: message.id });
      expect([up.agentId, down.agentId]).toEqual([agent.id, agent.id]);
      expect(
        (await client.feedback.list({ agentId: agent.id, rating: "down" })).items.map((f) => f.id),
      ).toEqual([down.id]);
      expect((await client.feedback.update(down.id, { comment: "wrong city" })).comment).toBe("wrong city");
      const neither = await problemOf(client.feedback.create({ rating: "up" }));
      expect(neither.problem.errors?.[0]?.path).toBe("body.runId");
    });

    it("files round-trip bytes exactly", async () => {
      const bytes = new Uint8Array(256 * 3).map((_, i) => i % 256);
      const file = await client.files.upload(
        new Blob([bytes], { type: "application/octet-stream" }),
        "all-bytes.bin",
      );
      expect(file).toMatchObject({
        name: "all-bytes.bin",
        size: 768,
        owner: { kind: "workspace", id: null },
      });
      expect(await client.files.download(file.id)).toEqual(bytes);
      const agent = await makeAgent(client);
      const owned = await client.files.upload(new Blob(["hello"], { type: "text/plain" }), "notes.txt", {
        kind: "agent",
        id: agent.id,
      });
      expect(
        (await client.files.list({ ownerKind: "agent", ownerId: agent.id })).items.map((f) => f.id),
      ).toEqual([owned.id]);
      await client.files.delete(file.id);
      expect((await problemOf(client.files.download(file.id))).status).toBe(404);
    });

    it("settings fill defaults and keep changes", async () => {
      const defaults = await client.settings.get();
      expect(defaults).toMatchObject({ theme: "system", runRetentionDays: 90 });
      expect(await client.settings.update({ theme: "dark" })).toMatchObject({
        theme: "dark",
        runRetentionDays: 90,
      });
      expect((await client.settings.get()).theme).toBe("dark");
    });

    it("API tokens are shown once, authenticate, and stop working when revoked", async () => {
      const created = await client.tokens.create({ name: "ci", scopes: ["read"] });
      expect(created.token).toMatch(/^agt_/);
      const listed = await client.tokens.list();
      expect(JSON.stringify(listed)).not.toContain(created.token);
      const withToken = createClient({ baseUrl: target.baseUrl, token: created.token });
      expect((await withToken.agents.list()).items).toBeDefined();
      const used = (await client.tokens.list()).items.find((t) => t.id === created.id);
      expect(used?.lastUsedAt).not.toBeNull();
      await client.tokens.revoke(created.id);
      expect((await problemOf(withToken.agents.list())).status).toBe(401);
      expect(
        (await problemOf(createClient({ baseUrl: target.baseUrl, token: "agt_nope" }).agents.list())).status,
      ).toBe(401);
    });

    it("stats count runs per day, feedback and resources", async () => {
      const stats = await client.stats();
      const today = new Date().toISOString().slice(0, 10);
      expect(stats.to).toBe(today);
      expect(stats.counts.agents).toBeGreaterThan(0);
      expect(stats.runsPerDay.some((r) => r.day === today && r.status === "queued")).toBe(true);
      expect(stats.feedback.up).toBeGreaterThanOrEqual(1);
      expect(stats.feedback.ratio).toBeGreaterThan(0);
      const bad = await problemOf(client.stats({ from: "yesterday" }));
      expect(bad.problem.errors?.[0]?.path).toBe("query.from");
    });
  });

  describe("pagination, filters and sort", () => {
    it("walks every agent exactly once, in order, by cursor", async () => {
      const provider = await makeProvider(client);
      const prefix = unique("page");
      for (let i = 0; i < 25; i++) {
        await client.agents.create({
          name: `${prefix}-${String(i).padStart(2, "0")}`,
          model: { providerId: provider.id, model: "m" },
        });
      }
      const seenIds: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.agents.list({
          q: prefix,
          limit: 10,
          sort: "name",
          ...(cursor ? { cursor } : {}),
        });
        expect(page.items.length).toBeLessThanOrEqual(10);
        seenIds.push(...page.items.map((a) => a.name));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seenIds).toHaveLength(25);
      expect(seenIds).toEqual([...seenIds].sort());
      const newestFirst = await client.agents.list({ q: prefix, limit: 3 });
      expect(newestFirst.items.map((a) => a.name)).toEqual([`${prefix}-24`, `${prefix}-23`, `${prefix}-22`]);
    });

    it("rejects unknown sorts, bad limits and forged cursors by field", async () => {
      expect((await problemOf(client.agents.list({ sort: "instructions" }))).problem.errors?.[0]?.path).toBe(
        "query.sort",
      );
      expect((await problemOf(client.agents.list({ limit: 0 }))).problem.errors?.[0]?.path).toBe(
        "query.limit",
      );
      expect(
        (await problemOf(client.agents.list({ cursor: "not-a-cursor" }))).problem.errors?.[0]?.path,
      ).toBe("query.cursor");
      expect((await problemOf(client.runs.list({ status: "sleeping" }))).problem.errors?.[0]?.path).toBe(
        "query.status",
      );
    });
  });

  describe("errors are problem+json", () => {
    const expectProblem = async (response: Response, status: number) => {
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      const body = (await response.json()) as { status: number; title: string; detail: string };
      expect(body.status).toBe(status);
      expect(body.title).toBeTruthy();
      expect(body.detail).not.toMatch(/\n\s+at /); // no stack traces
      return body;
    };

    it("404 for an unknown id and an unknown endpoint", async () => {
      await expectProblem(await raw("/api/agents/agt_01jh5x4y8k2m3n4p5q6r7s8t9v"), 404);
      await expectProblem(await raw("/api/nothing-here"), 404);
    });

    it("400 for a malformed id, malformed JSON and a wrong field type", async () => {
      const badId = await expectProblem(await raw("/api/agents/not-an-id"), 400);
      expect(JSON.stringify(badId)).toContain("path.id");
      await expectProblem(
        await raw("/api/agents", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{nope",
        }),
        400,
      );
      const wrong = await expectProblem(
        await raw("/api/agents", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: 42 }),
        }),
        400,
      );
      expect(JSON.stringify(wrong)).toContain("body.name");
    });

    it("409 for a duplicate agent name", async () => {
      const agent = await makeAgent(client);
      const conflict = await problemOf(makeAgent(client, { name: agent.name, model: agent.model }));
      expect(conflict.status).toBe(409);
      expect(conflict.problem.detail).toContain(agent.name);
    });

    it("413 for a JSON body over the limit and a file over the workspace limit", async () => {
      await expectProblem(
        await raw("/api/agents", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "big", instructions: "x".repeat(2 * 1024 * 1024) }),
        }),
        413,
      );
      await client.settings.update({ fileMaxBytes: 4096 });
      try {
        const tooBig = await problemOf(client.files.upload(new Blob([new Uint8Array(100_000)]), "big.bin"));
        expect(tooBig.status).toBe(413);
        const slightlyOver = await problemOf(
          client.files.upload(new Blob([new Uint8Array(5000)]), "over.bin"),
        );
        expect(slightlyOver.status).toBe(413);
      } finally {
        await client.settings.update({ fileMaxBytes: 25 * 1024 * 1024 });
      }
    });

    it("415 for a body that is not JSON, or an upload that is not multipart", async () => {
      await expectProblem(
        await raw("/api/agents", {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: "name=x",
        }),
        415,
      );
      await expectProblem(
        await raw("/api/files", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        }),
        415,
      );
    });
  });

  it("200 concurrent creates from 20 clients: no 5xx, none lost or duplicated", async () => {
    const provider = await makeProvider(client);
    const prefix = unique("burst");
    const clients = Array.from({ length: 20 }, () => createClient({ baseUrl: target.baseUrl }));
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        clients[i % 20]!.agents.create({
          name: `${prefix}-${i}`,
          model: { providerId: provider.id, model: "m" },
        }),
      ),
    );
    const failures = results.filter((r) => r.status === "rejected");
    expect(failures).toEqual([]);
    const stored: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.agents.list({ q: prefix, limit: 200, ...(cursor ? { cursor } : {}) });
      stored.push(...page.items.map((a) => a.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(stored).toHaveLength(200);
    expect(new Set(stored).size).toBe(200);
  }, 60_000);

  describe("OpenAPI document", () => {
    it("is valid OpenAPI 3.1", async () => {
      const document = await client.openapi();
      expect(document.openapi).toBe("3.1.0");
      await expect(validate(structuredClone(document) as never)).resolves.toMatchObject({ valid: true });
    });

    it("documents only routes that are served", async () => {
      const document = (await client.openapi()) as { paths: Record<string, Record<string, unknown>> };
      const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
      );
      expect(operations.length).toBeGreaterThan(40);
      for (const { method, path } of operations) {
        const url = path.replace(/\{[^}]+\}/g, "agt_01jh5x4y8k2m3n4p5q6r7s8t9v");
        const response = await raw(url, {
          method,
          ...(["POST", "PATCH", "PUT"].includes(method)
            ? { headers: { "content-type": "application/json" }, body: "{}" }
            : {}),
        });
        const body = await response.text();
        // The not-found handler answers "No endpoint …" for unrouted paths; a routed one answers anything else.
        expect(body, `${method} ${path}`).not.toContain("No endpoint");
        // 503 is a documented answer (no worker to route to); a 500 would be a bug.
        expect(response.status, `${method} ${path}`).not.toBe(500);
      }
    });
  });

  it("never echoes a secret in any response", () => {
    expect(seen.length).toBeGreaterThan(50);
    for (const body of seen) {
      expect(body).not.toContain(SECRET_API_KEY);
      expect(body).not.toContain(SECRET_MCP_TOKEN);
    }
  });
});
