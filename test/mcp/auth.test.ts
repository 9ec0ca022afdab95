// MCP auth on a Studio that requires tokens: each mount started in hosted mode on a database
// where a token was written before start (as an operator seeds one), so nothing acts without it.
import { type AgentOsClient, createClient } from "@agentos/client";
import type { Agent } from "@agentos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeProvider, unique } from "../harness/factories";
import { type ApiTarget, freshDataDir, TARGETS } from "../harness/processes";
import {
  callTool,
  connectMcp,
  initializeMessage,
  type McpConnection,
  postMcp,
  seedToken,
  structuredOf,
  TEST_SECRET_KEY,
} from "./harness";

describe.each(TARGETS)("MCP auth in hosted mode on $name", ({ start }) => {
  let target: ApiTarget;
  let token: string;
  let rest: AgentOsClient;
  let mcp: McpConnection;

  beforeAll(async () => {
    const dataDir = freshDataDir();
    token = await seedToken(dataDir);
    target = await start({
      AGENTOS_MODE: "hosted",
      AGENTOS_SECRET_KEY: TEST_SECRET_KEY,
      AGENTOS_DATA_DIR: dataDir,
      // The placeholder provider's base URL (never called) is on loopback, which hosted mode refuses unless allowed.
      AGENTOS_OUTBOUND_ALLOW: "127.0.0.1:9",
    });
    rest = createClient({ baseUrl: target.baseUrl, token });
    mcp = await connectMcp(target.baseUrl, token);
  }, 120_000);

  afterAll(async () => {
    await mcp?.close();
    await target?.stop();
  });

  it("refuses every request without a token with 401 and a Bearer challenge", async () => {
    const initialize = await postMcp(target.baseUrl, initializeMessage());
    expect(initialize.status).toBe(401);
    expect(initialize.headers.get("www-authenticate")).toBe('Bearer realm="AgentOS Studio"');
    expect(await initialize.json()).toMatchObject({
      status: 401,
      detail: expect.stringContaining("hosted mode"),
    });
    const stateless = await postMcp(
      target.baseUrl,
      JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    );
    expect(stateless.status).toBe(401);
    expect((await fetch(new URL("/mcp", target.baseUrl))).status).toBe(401);
    await expect(connectMcp(target.baseUrl)).rejects.toThrow(/401/);
  });

  it("refuses an unknown token with 401 invalid_token", async () => {
    const response = await postMcp(target.baseUrl, initializeMessage(), {
      authorization: "Bearer agt_forged",
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("serves a valid token, acting in the token's workspace through the API", async () => {
    const provider = await makeProvider(rest);
    const agent = structuredOf<Agent>(
      await callTool(mcp.client, "create_agent", {
        name: unique("hosted"),
        model: { providerId: provider.id, model: "m" },
      }),
    );
    expect(agent.workspaceId).toBe("ws_00000000000000000000000000");
    expect(await rest.agents.get(agent.id)).toEqual(agent);
  });

  it("a session belongs to the token that opened it", async () => {
    const second = await rest.tokens.create({ name: unique("second") });
    const response = await postMcp(
      target.baseUrl,
      JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
      {
        authorization: `Bearer ${second.token}`,
        "mcp-session-id": mcp.transport.sessionId ?? "",
        "mcp-protocol-version": "2025-06-18",
      },
    );
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: -32001 } });
    expect((await mcp.client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it("a token revoked through the API is refused at once, even inside its open session", async () => {
    const created = await rest.tokens.create({ name: unique("revoked") });
    const session = await connectMcp(target.baseUrl, created.token);
    await callTool(session.client, "list_agents", { limit: 1 });
    await rest.tokens.revoke(created.id);
    await expect(callTool(session.client, "list_agents", { limit: 1 })).rejects.toThrow(/401/);
    const raw = await postMcp(target.baseUrl, initializeMessage(), {
      authorization: `Bearer ${created.token}`,
    });
    expect(raw.status).toBe(401);
    await session.client.close();
  });
});
