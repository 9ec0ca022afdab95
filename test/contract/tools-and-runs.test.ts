// Tool tests, MCP tool discovery and the runs date filter, against the API mounted in Next.js and in
// the headless server (real processes, fresh libSQL files), with real loopback HTTP servers and the
// real @modelcontextprotocol/server-everything over stdio and Streamable HTTP. The hosted-mode
// refusals (stdio servers among them, also ones stored before) run against a hosted headless server.
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentOsClient, createClient } from "@agentos/client";
import { LOCAL_WORKSPACE_ID, type Tool, type ToolCreate } from "@agentos/core";
import { createRepositories, createSecretCipher, openDatabase } from "@agentos/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EVERYTHING_BIN,
  type EverythingHttpServer,
  startEverythingHttp,
} from "../../packages/runtime/test/fixtures/everything-server";
import { makeAgent, unique } from "../harness/factories";
import { problemOf } from "../harness/problems";
import { type ApiTarget, TARGETS, until } from "../harness/processes";
import { ADMIN, HOSTED_SECRET_KEY, type StudioProcess, signIn, startHostedStudio } from "../hosted/harness";

/**
 * The API the HTTP tools call: `/weather` answers with the city and the x-api-key it got, `/missing`
 * answers 404, `/slow` never answers. Every request is recorded.
 */
async function startWeatherApi() {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req);
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/slow") return;
    res.setHeader("content-type", "application/json");
    if (url.pathname === "/missing") {
      res.statusCode = 404;
      res.end(JSON.stringify({ message: "no such city" }));
      return;
    }
    res.end(
      JSON.stringify({
        city: url.searchParams.get("city"),
        apiKey: req.headers["x-api-key"] ?? null,
        celsius: 21,
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const CITY_SCHEMA = {
  type: "object",
  properties: { city: { type: "string" } },
  required: ["city"],
} as const;

/** Stores a stdio MCP server row as an older Studio could have: a hosted Studio refuses to register it now. */
async function storeStdioServer(dataDir: string, name: string, args: string[]) {
  const db = await openDatabase({ url: `file:${join(dataDir, "studio.db")}` });
  try {
    const repos = createRepositories(db, createSecretCipher(HOSTED_SECRET_KEY));
    return await repos.mcpServers.insert(LOCAL_WORKSPACE_ID, {
      name,
      description: "",
      transport: { type: "stdio", command: "sh", args },
      enabled: true,
      authTokenSecret: null,
      tools: [],
      lastCheckedAt: null,
    });
  } finally {
    db.$client.close();
  }
}

const stdioEverything = () => ({
  type: "stdio" as const,
  command: process.execPath,
  args: [EVERYTHING_BIN, "stdio"],
});

describe.each(TARGETS)("tools, MCP discovery and run dates on $name", ({ start }) => {
  let target: ApiTarget;
  let client: AgentOsClient;
  let weather: Awaited<ReturnType<typeof startWeatherApi>>;
  let everythingHttp: EverythingHttpServer;

  const httpTool = (
    config: Partial<Extract<ToolCreate["config"], { kind: "http" }>>,
    extra: Partial<ToolCreate> = {},
  ) =>
    client.tools.create({
      name: unique("weather").replace(/-/g, "_"),
      inputSchema: { ...CITY_SCHEMA },
      config: {
        kind: "http",
        url: `${weather.url}/weather?city={city}`,
        allowPrivateNetwork: true,
        ...config,
      },
      ...extra,
    });

  beforeAll(async () => {
    [target, weather, everythingHttp] = await Promise.all([
      start(),
      startWeatherApi(),
      startEverythingHttp(),
    ]);
    client = createClient({ baseUrl: target.baseUrl });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([target?.stop(), weather?.close(), everythingHttp?.stop()]);
  });

  describe("POST /api/tools/{id}/test", () => {
    it("calls an HTTP tool for real and answers the live response, without a run", async () => {
      const tool = await httpTool({});
      const runsBefore = (await client.runs.list({ limit: 200 })).items.length;
      const calls = weather.requests.length;
      const result = await client.tools.test(tool.id, { input: { city: "Oslo" } });
      expect(result).toMatchObject({
        ok: true,
        error: null,
        request: {
          method: "GET",
          url: `${weather.url}/weather?city=Oslo`,
          status: 200,
          contentType: "application/json",
        },
        output: { status: 200, ok: true, body: { city: "Oslo", celsius: 21 } },
      });
      expect(result.durationMs).toBeGreaterThanOrEqual(0);
      expect(weather.requests.length - calls).toBe(1);
      expect((await client.runs.list({ limit: 200 })).items.length).toBe(runsBefore);
    });

    it("fills {{secret:NAME}} headers from the vault and redacts the echoed value", async () => {
      const name = unique("WEATHER_KEY").replace(/-/g, "_");
      const created = await client.send("POST", "/api/secrets", {
        body: { name, value: "k-51be0d-weather" },
      });
      expect(created.status).toBe(201);
      const tool = await httpTool({ headers: { "x-api-key": `{{secret:${name}}}` } });
      const result = await client.tools.test(tool.id, { input: { city: "Bergen" } });
      expect(weather.requests.at(-1)?.headers["x-api-key"]).toBe("k-51be0d-weather");
      expect(result.output).toMatchObject({ body: { city: "Bergen", apiKey: `[secret:${name}]` } });
      expect(JSON.stringify(result)).not.toContain("k-51be0d-weather");
    });

    it("says the SSRF guard blocked a private address, and sends nothing", async () => {
      const tool = await httpTool({ allowPrivateNetwork: false });
      const calls = weather.requests.length;
      const result = await client.tools.test(tool.id, { input: { city: "Oslo" } });
      expect(result).toMatchObject({ ok: false, request: null, error: { reason: "blocked" } });
      expect(result.error?.message).toContain("allowPrivateNetwork");
      expect(result.output).toMatchObject({ rule: "private-network", refusedAddress: "127.0.0.1" });
      expect(weather.requests.length).toBe(calls);
    });

    it("says a server that answers too slowly timed out", async () => {
      const tool = await httpTool({ url: `${weather.url}/slow?city={city}`, timeoutMs: 300 });
      const result = await client.tools.test(tool.id, { input: { city: "Oslo" } });
      expect(result).toMatchObject({ ok: false, error: { reason: "timeout" }, request: null });
      expect(result.error?.message).toContain("timed out after 300 ms");
      expect(result.durationMs).toBeGreaterThanOrEqual(250);
    });

    it("shows a non-2xx answer with its status and body", async () => {
      const tool = await httpTool({ url: `${weather.url}/missing?city={city}` });
      const result = await client.tools.test(tool.id, { input: { city: "Atlantis" } });
      expect(result).toMatchObject({
        ok: false,
        error: { reason: "http_status", message: expect.stringContaining("404") },
        request: { status: 404 },
        output: { status: 404, body: { message: "no such city" } },
      });
    });

    it("names the arguments that do not match the tool's input schema, before any request", async () => {
      const tool = await httpTool({});
      const calls = weather.requests.length;
      const result = await client.tools.test(tool.id, { input: { town: "Oslo" } });
      expect(result).toMatchObject({ ok: false, error: { reason: "invalid_input" } });
      expect(result.error?.fields).toContainEqual({ path: "city", message: "is required" });
      expect(weather.requests.length).toBe(calls);
    });

    it("refuses a body whose input is not an object, naming the field", async () => {
      const tool = await httpTool({});
      const bad = await problemOf(client.tools.test(tool.id, { input: "Oslo" as never }));
      expect(bad.status).toBe(400);
      expect(bad.problem.errors?.[0]?.path).toBe("body.input");
      expect(JSON.stringify(bad.problem)).not.toMatch(/at .*\.ts:\d+/);
      expect(
        (await problemOf(client.tools.test("tool_01jh5x4y8k2m3n4p5q6r7s8t9v", { input: {} }))).status,
      ).toBe(404);
    });

    it("runs a builtin in the API process", async () => {
      const tool = await client.tools.create({
        name: unique("clock").replace(/-/g, "_"),
        config: { kind: "builtin", builtin: "current_time" },
      });
      const result = await client.tools.test(tool.id, { input: { timezone: "Europe/Oslo" } });
      expect(result).toMatchObject({ ok: true, request: null, output: { timeZone: "Europe/Oslo" } });
    });

    it("answers 422 for tools that need a run or a worker, saying which can be tested", async () => {
      const sandbox = await client.tools.create({
        name: unique("py").replace(/-/g, "_"),
        config: { kind: "sandbox", language: "python" },
      });
      const refused = await problemOf(client.tools.test(sandbox.id, { input: { code: "print(1)" } }));
      expect(refused.status).toBe(422);
      expect(refused.problem.detail).toContain("http, mcp and builtin tools");
      const reader = await client.tools.create({
        name: unique("reader").replace(/-/g, "_"),
        config: { kind: "builtin", builtin: "read_file" },
      });
      const runOnly = await problemOf(client.tools.test(reader.id, { input: { name: "a.txt" } }));
      expect(runOnly.status).toBe(422);
      expect(runOnly.problem.detail).toContain("files of a run");
    });

    it("calls an MCP tool over stdio, and reports the tool's own error", async () => {
      const server = await client.mcpServers.create({
        name: unique("everything"),
        transport: stdioEverything(),
      });
      const echo = await client.tools.create({
        name: unique("echo").replace(/-/g, "_"),
        inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
        config: { kind: "mcp", mcpServerId: server.id, toolName: "echo" },
      });
      expect(await client.tools.test(echo.id, { input: { message: "hi" } })).toMatchObject({
        ok: true,
        output: "Echo: hi",
        request: null,
      });
      const missing = await client.tools.create({
        name: unique("nope").replace(/-/g, "_"),
        config: { kind: "mcp", mcpServerId: server.id, toolName: "no-such-tool" },
      });
      const failed = await client.tools.test(missing.id, { input: {} });
      expect(failed).toMatchObject({ ok: false, error: { reason: "tool_error" } });
      expect(failed.error?.message).toContain("no-such-tool");
    });
  });

  describe("MCP server tool discovery", () => {
    it("lists a stdio server's tools right at registration", async () => {
      const server = await client.mcpServers.create({
        name: unique("everything"),
        transport: stdioEverything(),
      });
      expect(server.lastCheckedAt).not.toBeNull();
      expect(server.tools.map((t) => t.name)).toEqual(expect.arrayContaining(["echo", "get-sum"]));
      expect(server.tools.find((t) => t.name === "echo")).toMatchObject({
        description: "Echoes back the input string",
        inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
      });
      expect(await client.mcpServers.get(server.id)).toEqual(server);
    });

    it("refreshes a Streamable HTTP server, and keeps its tools when it is gone", async () => {
      const url = `http://127.0.0.1:${everythingHttp.port}/mcp`;
      const server = await client.mcpServers.create({
        name: unique("http"),
        transport: { type: "streamable-http", url },
      });
      expect(server.tools.map((t) => t.name)).toContain("echo");
      await until(() => Date.now() > Date.parse(server.lastCheckedAt ?? ""), "the clock to move on");
      const refreshed = await client.mcpServers.refresh(server.id);
      expect(refreshed.tools).toEqual(server.tools);
      expect(Date.parse(refreshed.lastCheckedAt ?? "")).toBeGreaterThan(
        Date.parse(server.lastCheckedAt ?? ""),
      );

      // Pointed at a port nobody listens on, its refresh fails, saying why, and changes nothing.
      const gone = await client.mcpServers.update(server.id, {
        transport: { type: "streamable-http", url: "http://127.0.0.1:9/mcp" },
      });
      const failed = await problemOf(client.mcpServers.refresh(server.id));
      expect(failed.status).toBe(503);
      expect(failed.problem).toMatchObject({ code: "unavailable" });
      expect(failed.problem.detail).toContain("did not list its tools");
      expect(failed.problem.detail).toContain("127.0.0.1:9");
      expect(await client.mcpServers.get(server.id)).toEqual(gone);
      expect(gone.tools).toEqual(refreshed.tools);
    });

    it("registers a server it cannot reach, with no tools and lastCheckedAt null", async () => {
      const server = await client.mcpServers.create({
        name: unique("down"),
        transport: { type: "streamable-http", url: "http://127.0.0.1:9/mcp" },
      });
      expect(server).toMatchObject({ tools: [], lastCheckedAt: null });
      const disabled = await client.mcpServers.create({
        name: unique("off"),
        transport: stdioEverything(),
        enabled: false,
      });
      expect(disabled).toMatchObject({ tools: [], lastCheckedAt: null });
      expect((await client.mcpServers.refresh(disabled.id)).tools.length).toBeGreaterThan(0);
      expect((await problemOf(client.mcpServers.refresh("mcp_01jh5x4y8k2m3n4p5q6r7s8t9v"))).status).toBe(404);
    });
  });

  describe("GET /api/runs by creation time", () => {
    it("includes createdAfter, excludes createdBefore, and compares instants across offsets", async () => {
      const agent = await makeAgent(client);
      const first = await client.agents.execute(agent.id, "one");
      await until(() => Date.now() > Date.parse(first.createdAt), "the clock to move on");
      const second = await client.agents.execute(agent.id, "two");
      const ids = async (range: { createdAfter?: string; createdBefore?: string }) =>
        (await client.runs.list({ agentId: agent.id, ...range })).items.map((r) => r.id);

      expect(await ids({ createdAfter: first.createdAt })).toEqual([second.id, first.id]);
      expect(await ids({ createdAfter: second.createdAt })).toEqual([second.id]);
      expect(await ids({ createdBefore: second.createdAt })).toEqual([first.id]);
      expect(await ids({ createdAfter: first.createdAt, createdBefore: second.createdAt })).toEqual([
        first.id,
      ]);
      // The same instant written with another offset.
      const at = new Date(Date.parse(second.createdAt) + 2 * 3_600_000).toISOString().replace("Z", "+02:00");
      expect(await ids({ createdAfter: at })).toEqual([second.id]);
      expect(await ids({ createdAfter: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    });

    it("refuses a date that is not RFC 3339, or a range that ends before it starts", async () => {
      const bad = await problemOf(client.runs.list({ createdAfter: "yesterday" }));
      expect(bad.status).toBe(400);
      expect(bad.problem.errors?.[0]?.path).toBe("query.createdAfter");
      const backwards = await problemOf(
        client.runs.list({ createdAfter: "2025-02-01T00:00:00Z", createdBefore: "2025-01-01T00:00:00Z" }),
      );
      expect(backwards.problem.errors?.[0]?.path).toBe("query.createdBefore");
    });
  });
});

describe("tool tests and MCP discovery on a hosted Studio", () => {
  let studio: StudioProcess;
  let client: AgentOsClient;
  let writer: AgentOsClient;

  beforeAll(async () => {
    // Nothing listens on port 9: a server registered there is stored with no tools, at once.
    studio = await startHostedStudio({ env: { AGENTOS_OUTBOUND_ALLOW: "127.0.0.1:9" } });
    const admin = await signIn(studio.baseUrl, ADMIN);
    const tokenOf = async (scopes: string[]) =>
      (
        await admin.json<{ token: string }>("/api/tokens", {
          method: "POST",
          json: { name: unique("t"), scopes },
        })
      ).token;
    client = createClient({ baseUrl: studio.baseUrl, token: await tokenOf(["read", "write", "run"]) });
    writer = createClient({ baseUrl: studio.baseUrl, token: await tokenOf(["read", "write"]) });
  }, 120_000);

  afterAll(() => studio?.stop());

  it("refuses to register a stdio server, or to switch one to stdio, naming body.transport.type", async () => {
    const marker = join(tmpdir(), `agentos-stdio-${process.pid}-${Date.now()}`);
    const shell = { type: "stdio" as const, command: "sh", args: ["-c", `touch ${marker}`] };
    const created = await problemOf(client.mcpServers.create({ name: unique("shell"), transport: shell }));
    expect(created.status).toBe(400);
    expect(created.problem.errors?.[0]?.path).toBe("body.transport.type");
    expect(created.problem.detail).toContain("stdio MCP servers run only in local mode");
    expect(created.problem.detail).toContain("Serve it over Streamable HTTP");
    expect(
      (await problemOf(client.mcpServers.create({ name: unique("e"), transport: stdioEverything() }))).status,
    ).toBe(400);

    const byUrl = await client.mcpServers.create({
      name: unique("by-url"),
      transport: { type: "streamable-http", url: "http://127.0.0.1:9/mcp" },
    });
    const updated = await problemOf(client.mcpServers.update(byUrl.id, { transport: shell }));
    expect(updated.status).toBe(400);
    expect(updated.problem.errors?.[0]?.path).toBe("body.transport.type");
    expect((await client.mcpServers.get(byUrl.id)).transport.type).toBe("streamable-http");
    expect(existsSync(marker)).toBe(false);
  });

  it("refuses to refresh or test a stdio server stored before, in the same words, and never starts it", async () => {
    const marker = join(tmpdir(), `agentos-stdio-${process.pid}-${Date.now()}`);
    const server = await storeStdioServer(studio.dataDir, unique("shell"), ["-c", `touch ${marker}`]);
    const rule = `MCP server "${server.name}" runs over stdio, and stdio MCP servers run only in local mode`;
    const refresh = await problemOf(client.mcpServers.refresh(server.id));
    expect(refresh.status).toBe(422);
    expect(refresh.problem.detail).toContain(rule);
    const tool: Tool = await client.tools.create({
      name: unique("echo").replace(/-/g, "_"),
      config: { kind: "mcp", mcpServerId: server.id, toolName: "echo" },
    });
    const test = await problemOf(client.tools.test(tool.id, { input: { message: "hi" } }));
    expect(test.status).toBe(422);
    expect(test.problem.detail).toContain(rule);
    expect(test.problem.detail).toContain("Streamable HTTP");
    expect(existsSync(marker)).toBe(false);
  });

  it("needs the run scope to test a tool", async () => {
    const tool = await writer.tools.create({
      name: unique("clock").replace(/-/g, "_"),
      config: { kind: "builtin", builtin: "current_time" },
    });
    const refused = await problemOf(writer.tools.test(tool.id, {}));
    expect(refused.status).toBe(403);
    expect(refused.problem.detail).toContain(
      'needs "run" (to run agents and workflows, chat, approve or cancel runs, test tools',
    );
    expect((await client.tools.test(tool.id, {})).ok).toBe(true);
  });
});
