import { NotFound, newId } from "@agentos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToolResolver, type RuntimeToolResolver } from "../../src/tools/resolver";
import { openTestDatabase, type TestDatabase } from "../fixtures/db";
import { EVERYTHING_BIN } from "../fixtures/everything-server";
import { makeAgent, makeContext, storeTool } from "../fixtures/factories";

let db: TestDatabase;
/** Makes (and closes) its own MCP client pool. */
let resolver: RuntimeToolResolver;

beforeAll(async () => {
  db = await openTestDatabase();
  resolver = createToolResolver({ repos: db.repos });
});

afterAll(async () => {
  await resolver?.close();
  db?.close();
});

describe("tool resolver", () => {
  it("answers NotFound for a tool id that does not exist", async () => {
    const missing = newId("tool");
    await expect(resolver.toolById(db.workspaceId, missing)).rejects.toSatisfy(NotFound.isInstance);
    await expect(resolver.toolsForAgent(db.workspaceId, makeAgent({ toolIds: [missing] }))).rejects.toThrow(
      `Tool ${missing} does not exist in this workspace.`,
    );
  });

  it("answers NotFound for an MCP server id that does not exist", async () => {
    const missing = newId("mcpServer");
    await expect(
      resolver.toolsForAgent(db.workspaceId, makeAgent({ mcpServerIds: [missing] })),
    ).rejects.toThrow(`MCP server ${missing} does not exist in this workspace.`);
  });

  it("gives a sandbox tool saved without a schema the code schema, and answers without a sandbox provider", async () => {
    const stored = await storeTool(db.repos, db.workspaceId, {
      name: "run_python",
      config: { kind: "sandbox", language: "python" },
    });
    const tool = await resolver.toolById(db.workspaceId, stored.id);
    expect(tool.description).toBe("Runs python code in the agent's sandbox.");
    expect(tool.inputSchema).toMatchObject({ required: ["code"] });
    const agent = makeAgent({ sandbox: { enabled: true } });
    expect(await tool.execute({ code: "print(1)" }, makeContext({ agent }))).toEqual({
      error:
        "Tool run_python needs a sandbox, but this process has no sandbox provider; run the agent on a worker with Docker.",
    });
  });

  it("gives an agent its stored tools and its MCP servers' tools, keeping every name unique", async () => {
    const clock = await storeTool(db.repos, db.workspaceId, {
      name: "clock",
      config: { kind: "builtin", builtin: "current_time" },
    });
    // A stored tool that takes the name the MCP server's echo would get.
    const squatter = await storeTool(db.repos, db.workspaceId, {
      name: "everything__echo",
      config: { kind: "builtin", builtin: "current_time" },
    });
    const server = await db.repos.mcpServers.insert(db.workspaceId, {
      name: "everything",
      description: "",
      transport: { type: "stdio", command: process.execPath, args: [EVERYTHING_BIN, "stdio"] },
      enabled: true,
      authTokenSecret: null,
      tools: [],
      lastCheckedAt: null,
    });
    const agent = makeAgent({ toolIds: [clock.id, squatter.id, clock.id], mcpServerIds: [server.id] });

    const tools = await resolver.toolsForAgent(db.workspaceId, agent);
    const names = tools.map((t) => t.name);
    expect(names.slice(0, 2)).toEqual(["clock", "everything__echo"]);
    expect(new Set(names).size).toBe(names.length);
    const renamed = names.find((n) => /^everything__echo_[0-9a-f]{8}$/.test(n));
    expect(renamed).toBeDefined();
    const echo = tools.find((t) => t.name === renamed);
    expect(await echo?.execute({ message: "still me" }, makeContext())).toBe("Echo: still me");
  });
});
