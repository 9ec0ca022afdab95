// The run engine end to end: the headless server (API) and worker processes on one libSQL file,
// the real @ai-sdk/openai-compatible provider talking to a loopback OpenAI-compatible server that
// stands in for a hosted model, and an HTTP tool with a real side effect on a loopback server.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AgentOsClient, createClient } from "@agentos/client";
import type { Run, RunEvent } from "@agentos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type OpenAiCompatibleServer,
  reply,
  startOpenAiCompatibleServer,
} from "../../packages/runtime/test/support/openai-compatible-server";
import { unique } from "../../test/harness/factories";
import {
  type ApiTarget,
  crash,
  freshDataDir,
  startHeadlessServer,
  startWorker,
  until,
} from "../../test/harness/processes";

const API_KEY = "sk-standin-engine-test";

/** A loopback server whose only job is to count calls: the external side effect of a tool. */
async function startCounter(): Promise<{ url: string; count: () => number; close: () => void }> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    count++;
    req.resume();
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ count }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => count,
    close: () => server.close(),
  };
}

/** Reads a run's SSE stream until `end` (or until `stopAfter` events), returning the events. */
async function readSse(
  baseUrl: string,
  runId: string,
  options: { lastEventId?: number; stopAfter?: number } = {},
): Promise<RunEvent[]> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/runs/${runId}/events`, {
    headers: {
      accept: "text/event-stream",
      ...(options.lastEventId ? { "last-event-id": String(options.lastEventId) } : {}),
    },
    signal: controller.signal,
  });
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const events: RunEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = response.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return events;
      buffer += decoder.decode(value, { stream: true });
      let boundary = buffer.indexOf("\n\n");
      while (boundary >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        boundary = buffer.indexOf("\n\n");
        const fields = Object.fromEntries(
          block
            .split("\n")
            .filter((l) => l && !l.startsWith(":"))
            .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]),
        );
        if (fields.event === "end") return events;
        if (fields.data) events.push({ runId, ...JSON.parse(fields.data) } as RunEvent);
        if (options.stopAfter && events.length >= options.stopAfter) {
          controller.abort();
          return events;
        }
      }
    }
  } catch (error) {
    if (controller.signal.aborted) return events;
    throw error;
  }
}

describe("run engine across processes", () => {
  const dataDir = freshDataDir();
  let api: ApiTarget;
  let worker: ApiTarget;
  let model: OpenAiCompatibleServer;
  let counter: Awaited<ReturnType<typeof startCounter>>;
  let client: AgentOsClient;
  let providerId: string;

  beforeAll(async () => {
    model = await startOpenAiCompatibleServer({ apiKey: API_KEY, models: ["standin-1"] });
    counter = await startCounter();
    api = await startHeadlessServer({ AGENTOS_DATA_DIR: dataDir });
    worker = await startWorker(dataDir, { WORKER_LEASE_MS: "1500", WORKER_POLL_MS: "100" });
    client = createClient({ baseUrl: api.baseUrl });
    const provider = await client.llmProviders.create({
      name: "stand-in",
      kind: "openai-compatible",
      baseUrl: model.baseUrl,
      apiKey: API_KEY,
    });
    providerId = provider.id;
    await client.models.create({
      providerId,
      name: "standin-1",
      pricing: { inputPerMTok: 3, outputPerMTok: 15, cachedInputPerMTok: 0.3 },
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await model?.close();
    counter?.close();
  });

  async function makeAgentWithCounterTool() {
    const tool = await client.tools.create({
      name: unique("increment").replace(/-/g, "_"),
      description: "Increments the shared counter",
      inputSchema: { type: "object", properties: { by: { type: "number" } } },
      config: { kind: "http", method: "POST", url: `${counter.url}/increment`, allowPrivateNetwork: true },
    });
    return client.agents.create({
      name: unique("engine-agent"),
      instructions: "Use the tool when asked.",
      model: { providerId, model: "standin-1" },
      toolIds: [tool.id],
    });
  }

  async function finalRun(id: string, timeoutMs = 30_000): Promise<Run> {
    let run: Run | undefined;
    await until(
      async () => {
        run = await client.runs.get(id);
        return ["succeeded", "failed", "cancelled"].includes(run.status);
      },
      `run ${id} to finish`,
      timeoutMs,
    );
    return run!;
  }

  it("runs an agent through the real provider package and a real HTTP tool, streaming events over SSE", async () => {
    const agent = await makeAgentWithCounterTool();
    const before = counter.count();
    model.enqueue(
      reply.toolCalls([{ name: (await client.tools.get(agent.toolIds[0]!)).name, arguments: { by: 1 } }], {
        usage: { promptTokens: 120, completionTokens: 12 },
      }),
      reply.text("The counter went up.", {
        usage: { promptTokens: 200, completionTokens: 8, cachedTokens: 100 },
      }),
    );
    const created = await client.agents.execute(agent.id, "Bump the counter");
    const events = await readSse(api.baseUrl, created.id);
    const run = await client.runs.get(created.id);

    expect(run).toMatchObject({ status: "succeeded", output: "The counter went up." });
    expect(counter.count() - before).toBe(1);
    expect(run.usage).toEqual({ inputTokens: 320, outputTokens: 20, cachedInputTokens: 100 });
    expect(run.costUsd).toBeCloseTo((120 * 3 + 12 * 15 + 100 * 3 + 100 * 0.3 + 8 * 15) / 1e6, 10);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["status", "step.start", "tool.call", "tool.result", "usage", "text.delta"]),
    );
    const lastRequest = model.requests.at(-1)!;
    expect(lastRequest.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(JSON.stringify(lastRequest.body)).toContain('"role":"tool"');
  });

  it("resumes an SSE stream from Last-Event-ID with every event exactly once", async () => {
    const agent = await makeAgentWithCounterTool();
    model.enqueue(
      reply.text(
        Array.from({ length: 30 }, (_, i) => `w${i} `),
        { chunkDelayMs: 40 },
      ),
    );
    const created = await client.agents.execute(agent.id, "Talk slowly");
    const first = await readSse(api.baseUrl, created.id, { stopAfter: 3 });
    expect(first).toHaveLength(3);
    const rest = await readSse(api.baseUrl, created.id, { lastEventId: first.at(-1)!.seq });
    const all = [...first, ...rest];
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    const listed = await client.runs.events(created.id, { limit: 1000 });
    expect(all.map((e) => e.seq)).toEqual(listed.items.map((e) => e.seq));
    expect((await client.runs.get(created.id)).status).toBe("succeeded");
  });

  it("retries a 429 after its retry-after and succeeds", async () => {
    const agent = await makeAgentWithCounterTool();
    const startIndex = model.requests.length;
    model.enqueue(reply.rateLimited({ retryAfter: "1" }), reply.text("Made it."));
    const run = await finalRun((await client.agents.execute(agent.id, "hi")).id);
    expect(run).toMatchObject({ status: "succeeded", output: "Made it." });
    expect(model.requests.length - startIndex).toBe(2);
  });

  it("cancels a streaming run at once through the API", async () => {
    const agent = await makeAgentWithCounterTool();
    model.enqueue(
      reply.text(
        Array.from({ length: 200 }, (_, i) => `x${i} `),
        { chunkDelayMs: 50 },
      ),
    );
    const created = await client.agents.execute(agent.id, "Go on forever");
    await until(
      async () => (await client.runs.events(created.id)).items.some((e) => e.type === "text.delta"),
      "streaming",
    );
    const asked = Date.now();
    await client.runs.cancel(created.id);
    const run = await finalRun(created.id);
    expect(run).toMatchObject({ status: "cancelled", error: { code: "cancelled" } });
    expect(Date.now() - asked).toBeLessThan(3000);
  });

  it("streams a chat reply in the useChat protocol and stores both messages", async () => {
    const agent = await makeAgentWithCounterTool();
    const conversation = await client.conversations.create({ agentId: agent.id });
    model.enqueue(reply.text("Hello there, traveller."));
    const response = await fetch(`${api.baseUrl}/api/conversations/${conversation.id}/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        id: conversation.id,
        messages: [{ id: "u1", role: "user", parts: [{ type: "text", text: "Hi!" }] }],
      }),
    });
    expect(response.headers.get("x-vercel-ai-ui-message-stream")).toBe("v1");
    const text = await response.text();
    const chunks = text
      .split("\n\n")
      .filter((b) => b.startsWith("data: ") && b !== "data: [DONE]")
      .map((b) => JSON.parse(b.slice(6)) as { type: string; delta?: string });
    expect(chunks[0]?.type).toBe("start");
    expect(
      chunks
        .filter((c) => c.type === "text-delta")
        .map((c) => c.delta)
        .join(""),
    ).toBe("Hello there, traveller.");
    expect(chunks.at(-1)?.type).toBe("finish");
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    const messages = await client.conversations.messages.list(conversation.id);
    expect(messages.items.map((m) => [m.role, m.parts[0]])).toEqual([
      ["user", { type: "text", text: "Hi!" }],
      ["assistant", { type: "text", text: "Hello there, traveller." }],
    ]);
  });

  it("a worker killed with SIGKILL mid-run is replaced; the run resumes and each tool step ran once", async () => {
    const agent = await makeAgentWithCounterTool();
    const toolName = (await client.tools.get(agent.toolIds[0]!)).name;
    const before = counter.count();
    model.enqueue(
      reply.toolCalls([{ name: toolName, arguments: { by: 1 } }]),
      reply.toolCalls([{ name: toolName, arguments: { by: 2 } }]),
      reply.text(
        Array.from({ length: 100 }, (_, i) => `slow${i} `),
        { chunkDelayMs: 50 },
      ),
    );
    const created = await client.agents.execute(agent.id, "Bump twice then talk");
    await until(
      async () =>
        (await client.runs.events(created.id, { limit: 1000 })).items.some(
          (e) => e.type === "text.delta" && (e.payload as { step?: string }).step === "llm-2",
        ),
      "the third model call to stream",
    );
    await crash(worker);
    model.enqueue(reply.text("Resumed and done."));
    worker = await startWorker(dataDir, { WORKER_LEASE_MS: "1500", WORKER_POLL_MS: "100" });
    const run = await finalRun(created.id);
    expect(run).toMatchObject({ status: "succeeded", output: "Resumed and done." });
    expect(counter.count() - before).toBe(2);
    const steps = (await client.runs.steps(created.id)).items;
    expect(steps.filter((s) => s.kind === "tool").map((s) => s.attempt)).toEqual([1, 1]);
    expect(steps.find((s) => s.key === "llm-2")?.attempt).toBe(2);
  });

  it("two workers on one database never run a step twice, and share one rate limit", async () => {
    const second = await startWorker(dataDir, { WORKER_LEASE_MS: "1500", WORKER_POLL_MS: "100" });
    try {
      const agent = await makeAgentWithCounterTool();
      await client.rateLimits.create({ providerId, model: "standin-1", requestsPerMinute: 20 });
      const startIndex = model.requests.length;
      const runs = 22;
      for (let i = 0; i < runs; i++) model.enqueue(reply.text(`answer ${i}`));
      const started = Date.now();
      const created = await Promise.all(
        Array.from({ length: runs }, (_, i) => client.agents.execute(agent.id, `q${i}`)),
      );
      const finished = await Promise.all(created.map((r) => finalRun(r.id, 60_000)));
      expect(finished.every((r) => r.status === "succeeded")).toBe(true);
      const requests = model.requests.slice(startIndex);
      expect(requests).toHaveLength(runs); // one model call per run: no step ran twice
      // 20 per minute, shared: the 21st and 22nd calls had to wait for the bucket to refill (3 s each).
      expect(Date.now() - started).toBeGreaterThan(5_000);
      for (const run of created) {
        const steps = (await client.runs.steps(run.id)).items;
        expect(steps.every((s) => s.attempt === 1)).toBe(true);
      }
    } finally {
      await second.stop();
    }
  }, 90_000);
});
