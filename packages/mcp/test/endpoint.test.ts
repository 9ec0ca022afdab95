// The endpoint in-process over a real Studio (libSQL file in a temp dir), for what a process
// started on loopback cannot show: the peer's address, the bind host, session limits and expiry.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStudio, type Studio, StudioEnv } from "@agentos/api/node";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Connection, createMcpEndpoint, type McpEndpoint, type McpEndpointOptions } from "../src/index";

const URL_OF_MCP = new URL("http://127.0.0.1:3000/mcp");
const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };
const INITIALIZE = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
});

let studio: Studio;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "agentos-mcp-"));
  studio = await openStudio(StudioEnv.parse({ AGENTOS_DATA_DIR: dataDir }));
});

afterAll(() => studio?.close());

/** A fetch that hands requests to the endpoint as a mount would, with the Host of the URL. */
function fetchVia(endpoint: McpEndpoint, connection: Connection): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    request.headers.set("host", new URL(request.url).host);
    return endpoint.fetch(request, connection);
  };
}

function post(
  endpoint: McpEndpoint,
  body: string,
  headers: Record<string, string> = {},
  connection?: Connection,
) {
  return fetchVia(endpoint, connection ?? { remoteAddress: "127.0.0.1" })(URL_OF_MCP, {
    method: "POST",
    headers: { ...HEADERS, ...headers },
    body,
  });
}

async function connect(endpoint: McpEndpoint, connection: Connection, token?: string) {
  const client = new Client({ name: "in-process", version: "1" });
  const transport = new StreamableHTTPClientTransport(URL_OF_MCP, {
    fetch: fetchVia(endpoint, connection),
    requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} },
  });
  await client.connect(transport);
  return { client, transport };
}

const endpointWith = (options: Partial<McpEndpointOptions> = {}) =>
  createMcpEndpoint(studio, { boundToLoopback: true, ...options });

describe("MCP endpoint", () => {
  it("lets a loopback client of a loopback Studio in local mode act without a token", async () => {
    const endpoint = endpointWith();
    const { client } = await connect(endpoint, { remoteAddress: "::ffff:127.0.0.1" });
    expect((await client.listTools()).tools.length).toBeGreaterThan(10);
    await endpoint.close();
  });

  it("requires a token from a client on another machine, and accepts a valid one", async () => {
    const endpoint = endpointWith();
    const remote = { remoteAddress: "192.0.2.10" };
    const refused = await post(endpoint, INITIALIZE, {}, remote);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ detail: expect.stringContaining("192.0.2.10") });
    const token = await studio.deps.repos.apiTokens.create("ws_00000000000000000000000000", {
      name: "remote",
      scopes: ["read", "write", "run"],
      expiresAt: null,
    });
    const { client } = await connect(endpoint, remote, token.token);
    expect((await client.callTool({ name: "list_agents", arguments: {} })).isError).toBeFalsy();
    await endpoint.close();
  });

  it("requires a token even from loopback when the Studio listens beyond loopback", async () => {
    const endpoint = endpointWith({ boundToLoopback: false });
    const refused = await post(endpoint, INITIALIZE);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({
      detail: expect.stringContaining("listens beyond loopback"),
    });
  });

  it("answers 503 past the session limit, and takes new sessions once one is closed", async () => {
    const endpoint = endpointWith({ maxSessions: 2 });
    const loopback = { remoteAddress: "127.0.0.1" };
    const first = await connect(endpoint, loopback);
    await connect(endpoint, loopback);
    const third = await post(endpoint, INITIALIZE);
    expect(third.status).toBe(503);
    expect(third.headers.get("retry-after")).toBe("5");
    await first.transport.terminateSession();
    expect(endpoint.sessionCount).toBe(1);
    expect((await post(endpoint, INITIALIZE)).status).toBe(200);
    await endpoint.close();
    expect(endpoint.sessionCount).toBe(0);
  });

  it("closes sessions left idle, and refuses their id afterwards", async () => {
    const endpoint = endpointWith({ sessionIdleMs: 20 });
    const { transport } = await connect(endpoint, { remoteAddress: "127.0.0.1" });
    const sessionId = transport.sessionId ?? "";
    const listTools = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    const session = { "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" };
    // Sweeps run lazily, on requests; a later request finds the idle session gone.
    const deadline = Date.now() + 10_000;
    let status = 200;
    for (let delay = 25; status !== 404 && Date.now() < deadline; delay *= 2) {
      await new Promise((r) => setTimeout(r, delay));
      status = (await post(endpoint, listTools, session)).status;
    }
    expect(status).toBe(404);
    expect(endpoint.sessionCount).toBe(0);
  });

  it("close() ends every open session", async () => {
    const endpoint = endpointWith();
    const sessions = await Promise.all(
      [1, 2, 3].map(() => connect(endpoint, { remoteAddress: "127.0.0.1" })),
    );
    expect(endpoint.sessionCount).toBe(3);
    await endpoint.close();
    expect(endpoint.sessionCount).toBe(0);
    await expect(sessions[0]!.client.listTools()).rejects.toThrow(/Session not found/);
  });
});
