// The hosted outbound policy where it bites, against real loopback servers: the guarded fetch the
// SDKs get (streaming, redirects), the real server-everything over Streamable HTTP through the MCP
// client pool, stdio MCP servers (never started), the real AI SDK providers against the
// OpenAI-compatible stand-in, and HTTP tools.
import { existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Unprocessable } from "@agentos/core";
import { streamText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunFailed } from "../../src/engine/signals";
import { checkProvider } from "../../src/models/provider-check";
import { createModelResolver } from "../../src/models/resolver";
import { parseAllowList } from "../../src/tools/allow-list";
import { refreshMcpServerTools } from "../../src/tools/mcp";
import { createMcpClientPool } from "../../src/tools/mcp-pool";
import { outboundFetch, outboundPolicyFor } from "../../src/tools/outbound-policy";
import { createToolResolver } from "../../src/tools/resolver";
import { ToolFailure } from "../../src/tools/tool-failure";
import { openTestDatabase, type TestDatabase } from "../fixtures/db";
import { type EverythingHttpServer, startEverythingHttp } from "../fixtures/everything-server";
import { asRecord, makeAgent, makeContext, storeTool } from "../fixtures/factories";
import { startHttpServer, type TestHttpServer } from "../fixtures/http-server";
import { fixture, startReplayServer } from "../models/support";
import {
  type OpenAiCompatibleServer,
  reply,
  startOpenAiCompatibleServer,
} from "../support/openai-compatible-server";

const hosted = outboundPolicyFor("hosted");
const hostedAllowing = (...entries: string[]) =>
  outboundPolicyFor("hosted", parseAllowList(entries.join(",")));

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

let db: TestDatabase;
let api: TestHttpServer;
let elsewhere: TestHttpServer;

beforeAll(async () => {
  db = await openTestDatabase();
  elsewhere = await startHttpServer((_req, res) => res.end("the other service"));
  api = await startHttpServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/events") {
      // Three events, the last one only after the client has read the first: a true stream.
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: one\n\n");
      setTimeout(() => res.write("data: two\n\n"), 50);
      setTimeout(() => res.end("data: three\n\n"), 100);
      return;
    }
    if (url.pathname === "/away") {
      res.writeHead(302, { location: `${elsewhere.origin}/` });
      res.end();
      return;
    }
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ method: req.method, body: req.body }));
  });
});

afterAll(async () => {
  await Promise.all([api?.close(), elsewhere?.close()]);
  db?.close();
});

describe("the guarded fetch of SDKs in hosted mode", () => {
  it("refuses a loopback URL before connecting, saying why and how an operator allows it", async () => {
    const guarded = outboundFetch(hosted);
    expect(guarded).toBeDefined();
    const before = api.requests.length;
    const error = await failureOf(guarded!(`${api.origin}/echo`, { method: "POST", body: "{}" }));
    expect(ToolFailure.isInstance(error) && error.reason).toBe("blocked");
    expect(error.message).toContain(
      `Refused to connect to 127.0.0.1 for ${api.origin}/echo: it is a loopback address`,
    );
    expect(error.message).toContain(`adds "127.0.0.1:${api.port}"`);
    expect(error.message).toContain("AGENTOS_OUTBOUND_ALLOW");
    expect(api.requests.length).toBe(before);
  });

  it("sends an allow-listed request and streams the answer as it comes", async () => {
    const guarded = outboundFetch(hostedAllowing(`127.0.0.1:${api.port}`))!;
    const echoed = await guarded(`${api.origin}/echo`, { method: "POST", body: '{"a":1}' });
    expect(await echoed.json()).toEqual({ method: "POST", body: '{"a":1}' });

    const response = await guarded(`${api.origin}/events`, { headers: { accept: "text/event-stream" } });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const first = await reader.read();
    expect(first.value).toBe("data: one\n\n");
    let rest = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += chunk.value;
    expect(rest).toBe("data: two\n\ndata: three\n\n");
  });

  it("re-checks a redirect: an allowed server cannot send the request on to a private one", async () => {
    const guarded = outboundFetch(hostedAllowing(`127.0.0.1:${api.port}`))!;
    const before = elsewhere.requests.length;
    const error = await failureOf(guarded(`${api.origin}/away`));
    expect(error.message).toContain(`adds "127.0.0.1:${elsewhere.port}"`);
    expect(elsewhere.requests.length).toBe(before);
    // Handed back as is when the caller follows redirects itself (the MCP SDK does, within an origin).
    expect((await guarded(`${api.origin}/away`, { redirect: "manual" })).status).toBe(302);
  });

  it("is not used in local mode: SDKs keep their own fetch", () => {
    expect(outboundFetch(outboundPolicyFor("local"))).toBeUndefined();
  });
});

describe("MCP servers over Streamable HTTP in hosted mode (server-everything)", () => {
  let everything: EverythingHttpServer;
  let serverId: string;

  beforeAll(async () => {
    everything = await startEverythingHttp();
    const server = await db.repos.mcpServers.insert(db.workspaceId, {
      name: "everything-http",
      description: "",
      transport: { type: "streamable-http", url: `http://127.0.0.1:${everything.port}/mcp` },
      enabled: true,
      authTokenSecret: null,
      tools: [],
      lastCheckedAt: null,
    });
    serverId = server.id;
  }, 60_000);

  afterAll(() => everything?.stop());

  it("refuses to list a loopback server's tools, as unprocessable, and stores nothing", async () => {
    const pool = createMcpClientPool({ outbound: hosted, connectTimeoutMs: 5000 });
    try {
      const error = await failureOf(refreshMcpServerTools(db.repos, pool, db.workspaceId, serverId));
      expect(Unprocessable.isInstance(error)).toBe(true);
      expect(error.message).toContain('MCP server "everything-http" cannot be reached from here');
      expect(error.message).toContain(`adds "127.0.0.1:${everything.port}"`);
      expect((await db.repos.mcpServers.get(db.workspaceId, serverId)).lastCheckedAt).toBeNull();
    } finally {
      await pool.close();
    }
  });

  it("gives the model a blocked tool failure for a stored tool on that server", async () => {
    const pool = createMcpClientPool({ outbound: hosted, connectTimeoutMs: 5000 });
    const resolver = createToolResolver({ repos: db.repos, mcp: pool, outbound: hosted });
    try {
      const tool = await storeTool(db.repos, db.workspaceId, {
        name: "echo_blocked",
        config: { kind: "mcp", mcpServerId: serverId, toolName: "echo" },
      });
      const error = await failureOf(
        resolver.strictTool(db.workspaceId, tool).execute({ message: "hi" }, makeContext()),
      );
      expect(ToolFailure.isInstance(error) && error.reason).toBe("blocked");
      expect(error.message).toContain("AGENTOS_OUTBOUND_ALLOW");
    } finally {
      await pool.close();
    }
  });

  it("lists and calls the tools of an allow-listed server, streaming answers included", async () => {
    const outbound = hostedAllowing(`127.0.0.1:${everything.port}`);
    const resolver = createToolResolver({ repos: db.repos, outbound });
    try {
      const pool = createMcpClientPool({ outbound });
      const refreshed = await refreshMcpServerTools(db.repos, pool, db.workspaceId, serverId).finally(() =>
        pool.close(),
      );
      expect(refreshed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(["echo", "get-sum"]));
      const tool = await storeTool(db.repos, db.workspaceId, {
        name: "echo_allowed",
        inputSchema: { type: "object", properties: { message: { type: "string" } } },
        config: { kind: "mcp", mcpServerId: serverId, toolName: "echo" },
      });
      expect(
        await (await resolver.toolById(db.workspaceId, tool.id)).execute({ message: "hi" }, makeContext()),
      ).toBe("Echo: hi");
    } finally {
      await resolver.close();
    }
  });
});

describe("stdio MCP servers in hosted mode", () => {
  // The command a member could store: it leaves a file behind if it ever runs.
  const marker = join(tmpdir(), `agentos-stdio-${process.pid}-${Date.now()}`);
  let serverId: string;

  beforeAll(async () => {
    const server = await db.repos.mcpServers.insert(db.workspaceId, {
      name: "shell",
      description: "",
      transport: { type: "stdio", command: "sh", args: ["-c", `touch ${marker}`] },
      enabled: true,
      authTokenSecret: null,
      tools: [],
      lastCheckedAt: null,
    });
    serverId = server.id;
  });
  afterAll(() => rmSync(marker, { force: true }));

  it("refuses to start one stored before: refresh, tool call and an agent's tools fail, and nothing runs", async () => {
    const pool = createMcpClientPool({ outbound: hostedAllowing("127.0.0.1"), connectTimeoutMs: 5000 });
    const resolver = createToolResolver({ repos: db.repos, mcp: pool, outbound: hosted });
    try {
      const refreshed = await failureOf(refreshMcpServerTools(db.repos, pool, db.workspaceId, serverId));
      expect(Unprocessable.isInstance(refreshed)).toBe(true);
      expect(refreshed.message).toContain(
        'MCP server "shell" runs over stdio, and stdio MCP servers run only in local mode',
      );
      expect(refreshed.message).toContain('{"type": "streamable-http"');

      const tool = await storeTool(db.repos, db.workspaceId, {
        name: "shell_tool",
        config: { kind: "mcp", mcpServerId: serverId, toolName: "anything" },
      });
      const called = await failureOf(resolver.strictTool(db.workspaceId, tool).execute({}, makeContext()));
      expect(ToolFailure.isInstance(called) && called.reason).toBe("blocked");
      expect(called.message).toContain("run only in local mode");

      // Final for a run: no retry would change the mode.
      const listed = await failureOf(
        createToolResolver({ repos: db.repos, outbound: hosted }).toolsForAgent(
          db.workspaceId,
          makeAgent({ mcpServerIds: [serverId] }),
        ),
      );
      expect(listed).toBeInstanceOf(RunFailed);
      expect((listed as RunFailed).code).toBe("outbound_blocked");
      expect(listed.message).toContain('MCP server "shell"');
      expect(listed.message).toContain("run only in local mode");
      expect(existsSync(marker)).toBe(false);
    } finally {
      await pool.close();
    }
  });

  it("starts it in local mode, where the Studio's one user runs their own commands", async () => {
    const pool = createMcpClientPool({ outbound: outboundPolicyFor("local"), connectTimeoutMs: 5000 });
    try {
      // `touch` is no MCP server, so the listing fails, but only after the command ran.
      await failureOf(refreshMcpServerTools(db.repos, pool, db.workspaceId, serverId));
      expect(existsSync(marker)).toBe(true);
    } finally {
      await pool.close();
    }
  });
});

describe("model providers in hosted mode", () => {
  let model: OpenAiCompatibleServer;

  beforeAll(async () => {
    model = await startOpenAiCompatibleServer({ models: ["standin-1"] });
  });
  afterAll(() => model?.close());

  const storeProvider = (
    baseUrl: string | null,
    kind: "openai-compatible" | "ollama" = "openai-compatible",
  ) =>
    db.repos.llmProviders.insert(db.workspaceId, {
      name: `${kind}-${Math.random().toString(36).slice(2, 8)}`,
      kind,
      baseUrl,
      options: {},
      enabled: true,
      apiKeySecret: null,
    });

  it("refuses a provider check to a loopback base URL and never calls it", async () => {
    const provider = await storeProvider(model.baseUrl);
    const resolver = createModelResolver({ repos: db.repos, outbound: hosted });
    const before = model.requests.length;
    const result = await checkProvider({ resolver, repos: db.repos }, db.workspaceId, provider.id, {
      model: "standin-1",
    });
    expect(result.ok).toBe(false);
    expect(result.reason).toContain(`Refused to connect to 127.0.0.1 for ${model.baseUrl}/chat/completions`);
    expect(result.reason).toContain(`adds "${model.origin.replace("http://", "")}"`);
    expect(model.requests.length).toBe(before);
  });

  it("checks and streams from an allow-listed base URL through the real provider", async () => {
    const provider = await storeProvider(model.baseUrl);
    const resolver = createModelResolver({ repos: db.repos, outbound: hostedAllowing("127.0.0.0/8") });
    // No model given: the check lists the server's models first (GET /models), through the guard too.
    model.enqueue(reply.text("OK"));
    const checked = await checkProvider({ resolver, repos: db.repos }, db.workspaceId, provider.id);
    expect(checked).toMatchObject({ ok: true, model: "standin-1" });

    model.enqueue(reply.text("Streams through the guard."));
    const resolved = await resolver.resolve(db.workspaceId, { providerId: provider.id, model: "standin-1" });
    const stream = streamText({ model: resolved.model, prompt: "Hi", maxRetries: 0 });
    expect(await stream.text).toBe("Streams through the guard.");
  });

  it("calls the operator's own Ollama (no base URL) without the guard", async () => {
    const ollama = await startReplayServer({
      contentType: "application/json",
      body: fixture("ollama-chat-stream.ndjson").trim().split("\n").at(-1) ?? "",
    });
    try {
      const provider = await storeProvider(null, "ollama");
      const resolver = createModelResolver({
        repos: db.repos,
        outbound: hosted,
        ollamaBaseUrl: `${ollama.origin}/api`,
      });
      const result = await checkProvider({ resolver, repos: db.repos }, db.workspaceId, provider.id, {
        model: "smollm2:1.7b",
      });
      expect(result).toMatchObject({ ok: true });
      expect(ollama.requests.map((r) => r.path)).toEqual(["/api/chat"]);
    } finally {
      await ollama.close();
    }
  });
});

describe("HTTP tools in hosted mode", () => {
  it("ignores allowPrivateNetwork: the operator's allow-list alone opens private addresses", async () => {
    const tool = await storeTool(db.repos, db.workspaceId, {
      name: "private_echo",
      config: { kind: "http", method: "POST", url: `${api.origin}/echo`, allowPrivateNetwork: true },
    });
    const refused = createToolResolver({ repos: db.repos, outbound: hosted });
    const output = asRecord(
      await (await refused.toolById(db.workspaceId, tool.id)).execute({}, makeContext()),
    );
    expect(output).toMatchObject({ rule: "private-network", refusedAddress: "127.0.0.1" });
    expect(String(output.error)).toContain("AGENTOS_OUTBOUND_ALLOW");

    const allowed = createToolResolver({
      repos: db.repos,
      outbound: hostedAllowing(`127.0.0.1:${api.port}`),
    });
    const answer = asRecord(
      await (await allowed.toolById(db.workspaceId, tool.id)).execute({}, makeContext()),
    );
    expect(answer).toMatchObject({ status: 200, ok: true });
  });

  it("refuses fetch_page to a private address unless allow-listed, whatever fetchPage says", async () => {
    const tool = await storeTool(db.repos, db.workspaceId, {
      name: "reader",
      config: { kind: "builtin", builtin: "fetch_page" },
    });
    const refused = createToolResolver({
      repos: db.repos,
      outbound: hosted,
      fetchPage: { allowPrivateNetwork: true },
    });
    const output = asRecord(
      await (await refused.toolById(db.workspaceId, tool.id)).execute(
        { url: `${api.origin}/echo` },
        makeContext(),
      ),
    );
    expect(String(output.error)).toContain(`adds "127.0.0.1:${api.port}"`);
    const allowed = createToolResolver({ repos: db.repos, outbound: hostedAllowing("127.0.0.1") });
    const page = asRecord(
      await (await allowed.toolById(db.workspaceId, tool.id)).execute(
        { url: `${api.origin}/echo` },
        makeContext(),
      ),
    );
    expect(page).toMatchObject({ status: 200 });
  });
});
