// Tenancy on a hosted Studio: two workspaces with every kind of resource; every route of the
// contract with an id of the other workspace answers 404, over REST and MCP; a viewer cannot
// write; a read token cannot run. One real headless server on a fresh libSQL file.
import { join } from "node:path";
import { type AgentOsClient, ApiError, createClient } from "@agentos/client";
import { LOCAL_WORKSPACE_ID } from "@agentos/core";
import { createRepositories, createSecretCipher, openDatabase } from "@agentos/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAgent, makeHttpTool, makeProvider, unique } from "../harness/factories";
import { callTool, connectMcp, textOf } from "../mcp/harness";
import {
  ADMIN,
  HOSTED_SECRET_KEY,
  type Session,
  type StudioProcess,
  signIn,
  signUp,
  startHostedStudio,
} from "./harness";

type Ids = Record<string, string>;

/** Creates one of everything in a workspace, through the API as its admin token. */
async function populate(client: AgentOsClient, baseUrl: string, token: string): Promise<Ids> {
  const provider = await makeProvider(client);
  const model = await client.models.create({ providerId: provider.id, name: unique("m") });
  const rateLimit = await client.rateLimits.create({ providerId: provider.id, requestsPerMinute: 5 });
  const tool = await makeHttpTool(client);
  const mcpServer = await client.mcpServers.create({
    name: unique("mcp"),
    transport: { type: "streamable-http", url: "http://127.0.0.1:9/mcp" },
  });
  const agent = await makeAgent(client, { model: { providerId: provider.id, model: model.name } });
  const workflow = await client.workflows.create({
    name: unique("wf"),
    graph: { nodes: [{ id: "out", kind: "output" }], edges: [] },
  });
  const conversation = await client.conversations.create({ agentId: agent.id, title: "t" });
  const message = await client.conversations.messages.create(conversation.id, {
    role: "user",
    parts: [{ type: "text", text: "hello" }],
  });
  const run = await client.agents.execute(agent.id, "hi");
  const feedback = await client.feedback.create({ rating: "up", comment: "", runId: run.id });
  const file = await client.files.upload(new Blob(["bytes"]), "a.txt");
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { id: string };
  };
  const budget = await post("/api/budgets", {
    scope: "agent",
    agentId: agent.id,
    period: "day",
    limitUsd: 5,
  });
  const secret = await post("/api/secrets", { name: unique("S").replace(/-/g, "_"), value: "v" });
  const extraToken = await client.tokens.create({ name: unique("extra") });
  return {
    provider: provider.id,
    model: model.id,
    rateLimit: rateLimit.id,
    tool: tool.id,
    mcpServer: mcpServer.id,
    agent: agent.id,
    workflow: workflow.id,
    conversation: conversation.id,
    message: message.id,
    run: run.id,
    feedback: feedback.id,
    file: file.id,
    budget: budget.id,
    secret: secret.id,
    token: extraToken.id,
  };
}

/** Which id a path's `{id}` takes, by the collection it names. */
const KIND_OF_PATH: Array<[RegExp, string]> = [
  [/^\/api\/llm\/providers\//, "provider"],
  [/^\/api\/llm\/rate-limits\//, "rateLimit"],
  [/^\/api\/models\//, "model"],
  [/^\/api\/tools\//, "tool"],
  [/^\/api\/mcp-servers\//, "mcpServer"],
  [/^\/api\/agents\//, "agent"],
  [/^\/api\/workflows\//, "workflow"],
  [/^\/api\/conversations\//, "conversation"],
  [/^\/api\/feedback\//, "feedback"],
  [/^\/api\/runs\//, "run"],
  [/^\/api\/files\//, "file"],
  [/^\/api\/sandboxes\//, "sandbox"],
  [/^\/api\/budgets\//, "budget"],
  [/^\/api\/secrets\//, "secret"],
  [/^\/api\/tokens\//, "token"],
  [/^\/api\/members\//, "member"],
  [/^\/api\/invitations\//, "invitation"],
];

/** A body each route accepts, so that the answer is about the id and not the body. */
function bodyFor(method: string, path: string): unknown {
  if (method === "patch" && path.startsWith("/api/members")) return { role: "viewer" };
  if (method === "patch") return path.startsWith("/api/budgets") ? { limitUsd: 9 } : {};
  if (path.endsWith("/execute")) return { input: "x" };
  if (path.endsWith("/messages")) return { role: "user", parts: [{ type: "text", text: "x" }] };
  if (path.endsWith("/chat"))
    return { messages: [{ id: "m", role: "user", parts: [{ type: "text", text: "x" }] }] };
  if (path.endsWith("/exec")) return { command: "true" };
  if (path.endsWith("/site-bindings")) return { host: "iso.example.com", containerPort: 8080 };
  return {};
}

describe("workspace isolation on a hosted Studio", () => {
  let studio: StudioProcess;
  let tokenA: string;
  let tokenB: string;
  let idsA: Ids;
  let admin: Session;

  beforeAll(async () => {
    // A worker token (and no worker): sandbox routes look the sandbox up before any worker call.
    studio = await startHostedStudio({
      // The MCP server each workspace registers is on loopback, which a hosted Studio refuses unless allowed.
      env: { AGENTOS_SIGNUP: "open", WORKER_TOKEN: "w".repeat(32), AGENTOS_OUTBOUND_ALLOW: "127.0.0.1:9" },
    });
    admin = await signIn(studio.baseUrl, ADMIN);
    tokenA = (
      await admin.json<{ token: string }>("/api/tokens", {
        method: "POST",
        json: { name: "a", scopes: ["read", "write", "run", "admin"] },
      })
    ).token;
    const bob = await signUp(studio.baseUrl, {
      email: "bob@studio.test",
      password: "bob's long password",
      name: "Bob",
    });
    tokenB = (
      await bob.json<{ token: string }>("/api/tokens", {
        method: "POST",
        json: { name: "b", scopes: ["read", "write", "run", "admin"] },
      })
    ).token;
    idsA = await populate(createClient({ baseUrl: studio.baseUrl, token: tokenA }), studio.baseUrl, tokenA);
    // Memberships and invitations are Better Auth's; changing them needs a signed-in admin.
    idsA.member = (await admin.json<{ items: Array<{ id: string }> }>("/api/members")).items[0]!.id;
    idsA.invitation = (
      await admin.json<{ id: string }>("/api/invitations", {
        method: "POST",
        json: { email: "iso@studio.test", role: "viewer" },
      })
    ).id;
    // A sandbox needs a Docker worker to create; its row is written directly, as a worker would.
    const db = await openDatabase({ url: `file:${join(studio.dataDir, "studio.db")}` });
    const repos = createRepositories(db, createSecretCipher(HOSTED_SECRET_KEY));
    const sandbox = await repos.sandboxes.insert(LOCAL_WORKSPACE_ID, {
      agentId: idsA.agent!,
      runId: null,
      policy: { image: "python:3.12-slim" } as never,
      envSecret: null,
      state: "stopped",
      stateReason: null,
      workerId: null,
      containerId: null,
      lastUsedAt: null,
    } as never);
    idsA.sandbox = (sandbox as { id: string }).id;
    db.$client.close();
  }, 180_000);

  afterAll(() => studio?.stop());

  it("puts each account's data in its own workspace", async () => {
    const meA = await (
      await fetch(`${studio.baseUrl}/api/me`, { headers: { authorization: `Bearer ${tokenA}` } })
    ).json();
    const meB = await (
      await fetch(`${studio.baseUrl}/api/me`, { headers: { authorization: `Bearer ${tokenB}` } })
    ).json();
    expect(meA.workspaceId).toBe(LOCAL_WORKSPACE_ID);
    expect(meB.workspaceId).not.toBe(meA.workspaceId);
    const clientB = createClient({ baseUrl: studio.baseUrl, token: tokenB });
    expect((await clientB.agents.list()).items).toEqual([]);
    expect((await clientB.runs.list()).items).toEqual([]);
  });

  it("answers 404 on every route of the contract for another workspace's ids", async () => {
    const document = (await (await fetch(`${studio.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const [template, operations] of Object.entries(document.paths)) {
      // Ollama models and pulls belong to the worker host, not to a workspace.
      if (!template.includes("{id}") || template.startsWith("/api/ollama/")) continue;
      const kind = KIND_OF_PATH.find(([pattern]) => pattern.test(template))?.[1];
      expect(kind, `no id kind for ${template}`).toBeDefined();
      const id = idsA[kind!];
      expect(id, `no ${kind} made for ${template}`).toBeDefined();
      const path = template
        .replace("{id}", id!)
        .replace("{bindingId}", "site_01jh5x4y8k2m3n4p5q6r7s8t9v")
        .replace(/\{[^}]+\}/g, "x");
      for (const method of Object.keys(operations)) {
        const init: RequestInit = {
          method: method.toUpperCase(),
          headers: { authorization: `Bearer ${tokenB}` },
        };
        if (method !== "get" && method !== "delete") {
          init.headers = { ...init.headers, "content-type": "application/json" };
          init.body = JSON.stringify(bodyFor(method, template));
        }
        const query =
          template.endsWith("/files") || template.endsWith("/files/content") ? "?path=/tmp/a" : "";
        const response = await fetch(`${studio.baseUrl}${path}${query}`, init);
        checked.push(`${method.toUpperCase()} ${template}`);
        if (response.status !== 404)
          wrong.push(`${method.toUpperCase()} ${template} → ${response.status} ${await response.text()}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked.length).toBeGreaterThan(40);
    // The owner still sees every one of them.
    const clientA = createClient({ baseUrl: studio.baseUrl, token: tokenA });
    expect((await clientA.agents.get(idsA.agent!)).id).toBe(idsA.agent);
    expect((await clientA.runs.get(idsA.run!)).id).toBe(idsA.run);
  });

  it("keeps run events and file bytes to their workspace", async () => {
    const asB = { headers: { authorization: `Bearer ${tokenB}`, accept: "text/event-stream" } };
    expect((await fetch(`${studio.baseUrl}/api/runs/${idsA.run}/events`, asB)).status).toBe(404);
    expect((await fetch(`${studio.baseUrl}/api/files/${idsA.file}/content`, asB)).status).toBe(404);
  });

  it("answers MCP tools and resources of another workspace as not found", async () => {
    const mcp = await connectMcp(studio.baseUrl, tokenB);
    try {
      const agent = await callTool(mcp.client, "get_agent", { agentId: idsA.agent });
      expect(agent.isError).toBe(true);
      expect(textOf(agent)).toMatch(/not (exist|found)/i);
      const run = await callTool(mcp.client, "get_run", { runId: idsA.run });
      expect(run.isError).toBe(true);
      const listed = await callTool(mcp.client, "list_agents", {});
      expect(textOf(listed)).not.toContain(idsA.agent);
      await expect(mcp.client.readResource({ uri: `agentos://agents/${idsA.agent}` })).rejects.toThrow();
      await expect(mcp.client.readResource({ uri: `agentos://runs/${idsA.run}/events` })).rejects.toThrow();
    } finally {
      await mcp.close();
    }
  });

  it("lets a viewer read but not write, run or administer", async () => {
    const invitation = await admin.json<{ id: string }>("/api/auth/organization/invite-member", {
      method: "POST",
      json: { email: "vera@studio.test", role: "viewer", organizationId: LOCAL_WORKSPACE_ID },
    });
    const vera = await signUp(studio.baseUrl, {
      email: "vera@studio.test",
      password: "vera's long password",
      name: "Vera",
    });
    await vera.json("/api/auth/organization/accept-invitation", {
      method: "POST",
      json: { invitationId: invitation.id },
    });
    const me = await vera.json<{ workspaceId: string; role: string; scopes: string[] }>("/api/me");
    expect(me).toMatchObject({ workspaceId: LOCAL_WORKSPACE_ID, role: "viewer", scopes: ["read"] });
    expect((await vera.fetch("/api/agents")).status).toBe(200);
    const write = await vera.fetch("/api/agents", { method: "POST", json: { name: "nope" } });
    expect(write.status).toBe(403);
    expect((await write.json()).detail).toContain("viewer");
    expect((await vera.fetch(`/api/agents/${idsA.agent}`, { method: "DELETE" })).status).toBe(403);
    expect(
      (await vera.fetch(`/api/agents/${idsA.agent}/execute`, { method: "POST", json: { input: "x" } }))
        .status,
    ).toBe(403);
    expect((await vera.fetch("/api/tokens", { method: "POST", json: { name: "x" } })).status).toBe(403);
  });

  it("lets a read token read but not run, write or administer", async () => {
    const clientA = createClient({ baseUrl: studio.baseUrl, token: tokenA });
    const read = await clientA.tokens.create({ name: unique("read"), scopes: ["read"] });
    const reader = createClient({ baseUrl: studio.baseUrl, token: read.token });
    expect((await reader.agents.get(idsA.agent!)).id).toBe(idsA.agent);
    const refused = await reader.agents.execute(idsA.agent!, "x").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(403);
    expect((refused as ApiError).problem.detail).toContain('"run"');
    const write = await reader.agents.update(idsA.agent!, { description: "x" }).catch((e: unknown) => e);
    expect((write as ApiError).status).toBe(403);
    const admin = await reader.tokens.list().catch((e: unknown) => e);
    expect((admin as ApiError).status).toBe(403);
  });

  it("refuses a cookie-authenticated mutation from another site", async () => {
    const response = await admin.fetch("/api/agents", {
      method: "POST",
      json: { name: "csrf" },
      headers: { origin: "https://evil.example" },
    });
    expect(response.status).toBe(403);
    expect((await response.json()).detail).toContain("Cross-site");
  });
});
