// Budgets and secrets where they bite: a hosted Studio (headless server) and a worker on one
// libSQL file, the real openai-compatible provider against a loopback stand-in with scripted
// token counts, and an HTTP tool calling a loopback server that checks its header.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AgentOsClient, createClient } from "@agentos/client";
import type { Run } from "@agentos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type OpenAiCompatibleServer,
  reply,
  startOpenAiCompatibleServer,
} from "../../packages/runtime/test/support/openai-compatible-server";
import { unique } from "../harness/factories";
import { type ApiTarget, startWorker, until } from "../harness/processes";
import { ADMIN, HOSTED_SECRET_KEY, type StudioProcess, signIn, startHostedStudio } from "./harness";

const MODEL_KEY = "sk-standin-budget-key-5d1e";
const TOOL_SECRET = "tool-secret-value-8b2f71c4";
const WORKER_TOKEN = "worker-token-for-hosted-tests";
// 1000 prompt + 1000 completion tokens at $100 / $400 per million: $0.50 a call.
const USAGE = { promptTokens: 1000, completionTokens: 1000 };
const PRICING = { inputPerMTok: 100, outputPerMTok: 400, cachedInputPerMTok: 0 };

/** A loopback API that answers 200 only with the right key header, and records what it saw. */
async function startKeyedApi(): Promise<{ url: string; seen: IncomingHttpHeaders[]; close(): void }> {
  const seen: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    const ok = req.headers["x-api-key"] === TOOL_SECRET;
    res.writeHead(ok ? 200 : 401, { "content-type": "application/json" });
    // Echoes the key back, as careless APIs do: the run must still never show it.
    res.end(
      JSON.stringify(ok ? { weather: "sunny", echoedKey: req.headers["x-api-key"] } : { error: "bad key" }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => server.close(),
  };
}

describe("budgets and secrets in runs", () => {
  let studio: StudioProcess;
  let worker: ApiTarget;
  let model: OpenAiCompatibleServer;
  let keyed: Awaited<ReturnType<typeof startKeyedApi>>;
  let client: AgentOsClient;
  let token: string;
  let providerId: string;
  const seen: string[] = [];

  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${studio.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    seen.push(text);
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  async function settled(id: string, statuses: Run["status"][]): Promise<Run> {
    let run: Run | undefined;
    await until(
      async () => {
        run = await client.runs.get(id);
        return statuses.includes(run.status);
      },
      `run ${id} to be ${statuses.join("/")}`,
    );
    return run!;
  }

  beforeAll(async () => {
    model = await startOpenAiCompatibleServer({ apiKey: MODEL_KEY, models: ["standin-1"] });
    keyed = await startKeyedApi();
    // The model stand-in and the tool's API are on loopback: the operator allows it on both processes.
    studio = await startHostedStudio({ env: { WORKER_TOKEN, AGENTOS_OUTBOUND_ALLOW: "127.0.0.1" } });
    worker = await startWorker(studio.dataDir, {
      AGENTOS_MODE: "hosted",
      AGENTOS_OUTBOUND_ALLOW: "127.0.0.1",
      AGENTOS_SECRET_KEY: HOSTED_SECRET_KEY,
      WORKER_TOKEN,
      WORKER_LEASE_MS: "1500",
      WORKER_POLL_MS: "100",
    });
    const admin = await signIn(studio.baseUrl, ADMIN);
    token = (
      await admin.json<{ token: string }>("/api/tokens", {
        method: "POST",
        json: { name: "runs", scopes: ["read", "write", "run", "admin"] },
      })
    ).token;
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      seen.push(await response.clone().text());
      return response;
    };
    client = createClient({ baseUrl: studio.baseUrl, token, fetch: recordingFetch });
    // The provider's key itself comes from the vault.
    await api("POST", "/api/secrets", { name: "MODEL_KEY", value: MODEL_KEY });
    const provider = await client.llmProviders.create({
      name: "stand-in",
      kind: "openai-compatible",
      baseUrl: model.baseUrl,
      apiKey: "{{secret:MODEL_KEY}}",
    });
    providerId = provider.id;
    await client.models.create({ providerId, name: "standin-1", pricing: PRICING });
  }, 180_000);

  afterAll(async () => {
    await Promise.all([studio?.stop(), worker?.stop()]);
    await model?.close();
    keyed?.close();
  });

  async function makeAgent(toolHeaders: Record<string, string> = {}) {
    const tool = await client.tools.create({
      name: unique("weather").replace(/-/g, "_"),
      description: "Looks up the weather",
      inputSchema: { type: "object", properties: { city: { type: "string" } } },
      config: {
        kind: "http",
        method: "GET",
        url: `${keyed.url}/weather`,
        headers: toolHeaders,
        allowPrivateNetwork: true,
      },
    });
    const agent = await client.agents.create({
      name: unique("budgeted"),
      instructions: "Use the tool.",
      model: { providerId, model: "standin-1" },
      toolIds: [tool.id],
      limits: { maxOutputTokens: 1000 },
    });
    return { agent, tool };
  }

  it("does not make the model call that would cross a budget, and resumes when the limit is raised", async () => {
    const { agent, tool } = await makeAgent();
    const budget = await api<{ id: string }>("POST", "/api/budgets", {
      scope: "agent",
      agentId: agent.id,
      period: "day",
      limitUsd: 0.8,
    });
    const before = model.requests.length;
    model.enqueue(reply.toolCalls([{ name: tool.name, arguments: { city: "Oslo" } }], { usage: USAGE }));
    const created = await client.agents.execute(agent.id, "Weather in Oslo?");
    const parked = await settled(created.id, ["waiting", "failed", "succeeded"]);
    // Call 1 cost $0.50; call 2 could cost ~$0.40 more, past $0.80: it was never sent.
    expect(parked).toMatchObject({ status: "waiting", error: { code: "budget_exceeded" } });
    expect(parked.error?.message).toContain(budget.id);
    expect(model.requests.length - before).toBe(1);
    expect(parked.costUsd).toBeCloseTo(0.5, 6);
    const events = (await client.runs.events(created.id, { limit: 1000 })).items;
    expect(
      events.some((e) => e.type === "log" && (e.payload as { code?: string }).code === "budget_exceeded"),
    ).toBe(true);
    const spend = await api<{ items: Array<{ id: string; spentUsd: number; exceeded: boolean }> }>(
      "GET",
      "/api/budgets/spend",
    );
    expect(spend.items.find((b) => b.id === budget.id)).toMatchObject({ spentUsd: 0.5, exceeded: false });

    model.enqueue(reply.text("Sunny in Oslo.", { usage: USAGE }));
    await api("PATCH", `/api/budgets/${budget.id}`, { limitUsd: 5 });
    const done = await settled(created.id, ["succeeded", "failed"]);
    expect(done).toMatchObject({ status: "succeeded", output: "Sunny in Oslo.", error: null });
    expect(model.requests.length - before).toBe(2);
    expect(keyed.seen.length).toBeGreaterThan(0);
  });

  it("charges a token's budget for the runs the token starts", async () => {
    const { agent } = await makeAgent();
    const spender = await client.tokens.create({ name: unique("spender"), scopes: ["read", "run"] });
    await api("POST", "/api/budgets", {
      scope: "token",
      tokenId: spender.id,
      period: "month",
      limitUsd: 0.1,
    });
    const before = model.requests.length;
    const asSpender = createClient({ baseUrl: studio.baseUrl, token: spender.token });
    const created = await asSpender.agents.execute(agent.id, "Weather?");
    const parked = await settled(created.id, ["waiting", "failed", "succeeded"]);
    expect(parked).toMatchObject({ status: "waiting", error: { code: "budget_exceeded" } });
    expect(parked.error?.message).toContain(spender.id);
    expect(model.requests.length).toBe(before);
    // The same agent started by another token is not held by that budget.
    model.enqueue(reply.text("Fine.", { usage: { promptTokens: 10, completionTokens: 10 } }));
    const other = await client.agents.execute(agent.id, "Weather?");
    expect(await settled(other.id, ["succeeded", "failed", "waiting"])).toMatchObject({
      status: "succeeded",
    });
  });

  it("sends a vault secret in a tool header without it reaching a response, event, log or prompt", async () => {
    await api("POST", "/api/secrets", {
      name: "WEATHER_KEY",
      value: TOOL_SECRET,
      description: "weather API",
    });
    const { agent, tool } = await makeAgent({ "x-api-key": "{{secret:WEATHER_KEY}}" });
    const before = model.requests.length;
    model.enqueue(
      reply.toolCalls([{ name: tool.name, arguments: { city: "Rome" } }], {
        usage: { promptTokens: 5, completionTokens: 5 },
      }),
      reply.text("Sunny in Rome.", { usage: { promptTokens: 5, completionTokens: 5 } }),
    );
    const created = await client.agents.execute(agent.id, "Weather in Rome?");
    const run = await settled(created.id, ["succeeded", "failed", "waiting"]);
    expect(run).toMatchObject({ status: "succeeded" });
    expect(keyed.seen.at(-1)?.["x-api-key"]).toBe(TOOL_SECRET);
    const events = await client.runs.events(created.id, { limit: 1000 });
    const toolResult = events.items.find((e) => e.type === "tool.result");
    expect(JSON.stringify(toolResult?.payload)).toContain("[secret:WEATHER_KEY]");
    await client.runs.steps(created.id);
    await api("GET", "/api/secrets");
    await api("GET", `/api/tools/${tool.id}`);
    const audit = await api<{ items: Array<{ action: string; detail: { names?: string[] } }> }>(
      "GET",
      "/api/audit?action=secret.use",
    );
    expect(audit.items.some((e) => e.detail.names?.includes("WEATHER_KEY"))).toBe(true);
    for (const body of seen) {
      expect(body).not.toContain(TOOL_SECRET);
      expect(body).not.toContain(MODEL_KEY);
    }
    const prompts = model.requests.slice(before).map((r) => JSON.stringify(r.body));
    for (const prompt of prompts) expect(prompt).not.toContain(TOOL_SECRET);
    expect(studio.output()).not.toContain(TOOL_SECRET);
    expect(worker.output()).not.toContain(TOOL_SECRET);
    // The provider's key came from the vault too, and only the model server saw it.
    expect(model.requests.at(-1)?.headers.authorization).toBe(`Bearer ${MODEL_KEY}`);
  });
});
