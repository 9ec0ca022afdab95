import { Unavailable } from "@agentos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshMcpServerTools } from "../../src/tools/mcp";
import { createMcpClientPool, type McpClientPool } from "../../src/tools/mcp-pool";
import { createToolResolver, type RuntimeToolResolver } from "../../src/tools/resolver";
import type { RuntimeTool } from "../../src/tools/types";
import { openTestDatabase, type TestDatabase } from "../fixtures/db";
import {
  type BearerProxy,
  EVERYTHING_BIN,
  type EverythingHttpServer,
  startBearerProxy,
  startEverythingHttp,
} from "../fixtures/everything-server";
import { asRecord, makeAgent, makeContext, storeTool } from "../fixtures/factories";

let db: TestDatabase;
let pool: McpClientPool;
let resolver: RuntimeToolResolver;

beforeAll(async () => {
  db = await openTestDatabase();
  pool = createMcpClientPool();
  resolver = createToolResolver({ repos: db.repos, mcp: pool });
});

afterAll(async () => {
  await pool?.close();
  db?.close();
});

interface ServerFields {
  name: string;
  transport: { type: "stdio"; command: string; args: string[] } | { type: "streamable-http"; url: string };
  authToken?: string;
  enabled?: boolean;
}

/** Registers an MCP server row as the API does (token sealed). */
async function registerServer(fields: ServerFields) {
  return db.repos.mcpServers.insert(db.workspaceId, {
    name: fields.name,
    description: "",
    transport: fields.transport,
    enabled: fields.enabled ?? true,
    authTokenSecret: fields.authToken ? db.repos.secrets.seal(fields.authToken) : null,
    tools: [],
    lastCheckedAt: null,
  });
}

const byName = (tools: RuntimeTool[], name: string): RuntimeTool => {
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name} among ${tools.map((t) => t.name).join(", ")}`);
  return tool;
};

describe("MCP over stdio (server-everything)", () => {
  let serverId: string;

  beforeAll(async () => {
    const server = await registerServer({
      name: "everything",
      transport: { type: "stdio", command: process.execPath, args: [EVERYTHING_BIN, "stdio"] },
    });
    serverId = server.id;
  });

  it("lists the server's tools on refresh and stores them with lastCheckedAt", async () => {
    const refreshed = await refreshMcpServerTools(db.repos, pool, db.workspaceId, serverId);
    expect(refreshed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(["echo", "get-sum"]));
    expect(refreshed.tools.find((t) => t.name === "echo")).toMatchObject({
      description: "Echoes back the input string",
      inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
    });
    const stored = await db.repos.mcpServers.get(db.workspaceId, serverId);
    expect(stored.tools).toEqual(refreshed.tools);
    expect(stored.lastCheckedAt).not.toBeNull();
  });

  it("calls echo through a stored mcp tool", async () => {
    const tool = await storeTool(db.repos, db.workspaceId, {
      name: "say_back",
      inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
      config: { kind: "mcp", mcpServerId: serverId, toolName: "echo" },
    });
    const runtime = await resolver.toolById(db.workspaceId, tool.id);
    expect(await runtime.execute({ message: "hello" }, makeContext())).toBe("Echo: hello");
  });

  it("exposes every tool of an agent's MCP servers as <server>__<tool>", async () => {
    const agent = makeAgent({ mcpServerIds: [serverId] });
    const tools = await resolver.toolsForAgent(db.workspaceId, agent);
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(["everything__echo", "everything__get-sum"]),
    );
    for (const tool of tools) expect(tool.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);

    expect(await byName(tools, "everything__echo").execute({ message: "hi" }, makeContext())).toBe(
      "Echo: hi",
    );
    expect(await byName(tools, "everything__get-sum").execute({ a: 2, b: 3 }, makeContext())).toBe(
      "The sum of 2 and 3 is 5.",
    );
  });

  it("returns structured content when the tool gives it", async () => {
    const tools = await resolver.toolsForAgent(db.workspaceId, makeAgent({ mcpServerIds: [serverId] }));
    const weather = await byName(tools, "everything__get-structured-content").execute(
      { location: "Chicago" },
      makeContext(),
    );
    expect(weather).toEqual({ temperature: 36, conditions: "Light rain / drizzle", humidity: 82 });
  });

  it("names the bad field before calling the server", async () => {
    const tools = await resolver.toolsForAgent(db.workspaceId, makeAgent({ mcpServerIds: [serverId] }));
    const result = asRecord(await byName(tools, "everything__echo").execute({ text: "hi" }, makeContext()));
    expect(result.fields).toEqual([{ path: "message", message: "is required" }]);
  });

  it("gives the model the server's error for a tool the server does not have", async () => {
    const tool = await storeTool(db.repos, db.workspaceId, {
      name: "ghost",
      config: { kind: "mcp", mcpServerId: serverId, toolName: "no-such-tool" },
    });
    const result = asRecord(
      await (await resolver.toolById(db.workspaceId, tool.id)).execute({}, makeContext()),
    );
    expect(String(result.error)).toMatch(/no-such-tool/);
  });

  it("leaves out the tools of a disabled server, and a stored tool on it says the server is disabled", async () => {
    const disabled = await registerServer({
      name: "off",
      enabled: false,
      transport: { type: "stdio", command: process.execPath, args: [EVERYTHING_BIN, "stdio"] },
    });
    const tools = await resolver.toolsForAgent(db.workspaceId, makeAgent({ mcpServerIds: [disabled.id] }));
    expect(tools).toEqual([]);
    const stored = await storeTool(db.repos, db.workspaceId, {
      name: "off_echo",
      config: { kind: "mcp", mcpServerId: disabled.id, toolName: "echo" },
    });
    const result = asRecord(
      await (await resolver.toolById(db.workspaceId, stored.id)).execute({ message: "x" }, makeContext()),
    );
    expect(result.error).toBe(
      'Tool off_echo calls MCP server "off", which is disabled; enable the server to use it.',
    );
  });

  it("says which server failed when its command cannot start", async () => {
    const broken = await registerServer({
      name: "broken",
      transport: { type: "stdio", command: "/nonexistent/mcp-server", args: [] },
    });
    const refresh = refreshMcpServerTools(db.repos, pool, db.workspaceId, broken.id);
    await expect(refresh).rejects.toSatisfy(Unavailable.isInstance);
    await expect(refresh).rejects.toThrow(
      /MCP server "broken" did not list its tools: Could not connect to MCP server "broken" \(stdio command "\/nonexistent\/mcp-server"\)/,
    );
  });
});

describe("MCP over Streamable HTTP (server-everything) with a bearer token", () => {
  let everything: EverythingHttpServer;
  let proxy: BearerProxy;
  let serverId: string;

  beforeAll(async () => {
    everything = await startEverythingHttp();
    proxy = await startBearerProxy(everything.port, "s3cret-token");
    const server = await registerServer({
      name: "remote everything",
      transport: { type: "streamable-http", url: proxy.url },
      authToken: "s3cret-token",
    });
    serverId = server.id;
  });

  afterAll(async () => {
    await proxy?.close();
    await everything?.stop();
  });

  it("lists tools with the server's token as Authorization", async () => {
    const refreshed = await refreshMcpServerTools(db.repos, pool, db.workspaceId, serverId);
    expect(refreshed.tools.map((t) => t.name)).toContain("echo");
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(new Set(proxy.seen)).toEqual(new Set(["Bearer s3cret-token"]));
  });

  it("calls tools through an agent's MCP servers", async () => {
    const tools = await resolver.toolsForAgent(db.workspaceId, makeAgent({ mcpServerIds: [serverId] }));
    expect(
      await byName(tools, "remote_everything__echo").execute({ message: "over http" }, makeContext()),
    ).toBe("Echo: over http");
  });

  it("reconnects after the server restarts and loses its sessions", async () => {
    const tools = await resolver.toolsForAgent(db.workspaceId, makeAgent({ mcpServerIds: [serverId] }));
    await everything.restart();
    expect(await byName(tools, "remote_everything__echo").execute({ message: "again" }, makeContext())).toBe(
      "Echo: again",
    );
  });

  it("refuses to list tools with a wrong token, and uses the new token once it is changed", async () => {
    const wrong = await registerServer({
      name: "wrong token",
      transport: { type: "streamable-http", url: proxy.url },
      authToken: "nope",
    });
    await expect(refreshMcpServerTools(db.repos, pool, db.workspaceId, wrong.id)).rejects.toThrow(
      /MCP server "wrong token" did not list its tools/,
    );
    await db.repos.mcpServers.update(db.workspaceId, wrong.id, {
      authTokenSecret: db.repos.secrets.seal("s3cret-token"),
    });
    const fixed = await refreshMcpServerTools(db.repos, pool, db.workspaceId, wrong.id);
    expect(fixed.tools.map((t) => t.name)).toContain("echo");
  });
});
