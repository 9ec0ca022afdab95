// Helpers of the MCP integration tests: the SDK's own Client over Streamable HTTP, raw JSON-RPC
// requests, and a token written into a Studio's database before it starts.
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { LOCAL_WORKSPACE_ID } from "@agentos/core";
import { createRepositories, createSecretCipher, migrate, openDatabase } from "@agentos/db";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

export interface McpConnection {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** Ends the session (DELETE) and closes the client. */
  close(): Promise<void>;
}

/** Connects the SDK's Client to `<baseUrl>/mcp`: initialize, then a session. */
export async function connectMcp(baseUrl: string, token?: string): Promise<McpConnection> {
  const client = new Client({ name: "agentos-tests", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", baseUrl), {
    requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} },
  });
  await client.connect(transport);
  return {
    client,
    transport,
    close: async () => {
      await transport.terminateSession();
      await client.close();
    },
  };
}

/** tools/call with the result typed as a plain tool result. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
  options?: Parameters<Client["callTool"]>[2],
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args }, undefined, options)) as CallToolResult;
}

export function textOf(result: CallToolResult): string {
  return result.content.flatMap((c) => (c.type === "text" ? [c.text] : [])).join("\n");
}

export function structuredOf<T>(result: CallToolResult): T {
  if (result.isError) throw new Error(`tool error: ${textOf(result)}`);
  return result.structuredContent as T;
}

export const MCP_HEADERS = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};

/** POSTs a raw body to /mcp, as a client of its own would. */
export function postMcp(baseUrl: string, body: string, headers: Record<string, string> = {}) {
  return fetch(new URL("/mcp", baseUrl), { method: "POST", headers: { ...MCP_HEADERS, ...headers }, body });
}

/** The JSON-RPC messages of an SSE (or plain JSON) response body. */
export async function messagesOf(response: Response): Promise<Array<Record<string, unknown>>> {
  const text = await response.text();
  if (!(response.headers.get("content-type") ?? "").includes("text/event-stream")) return [JSON.parse(text)];
  return text
    .split("\n")
    .filter((line) => line.startsWith("data:") && line.length > 5)
    .map((line) => JSON.parse(line.slice(5)));
}

export const initializeMessage = (id: number | string = 1) =>
  JSON.stringify({
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "raw-test", version: "1.0.0" },
    },
  });

/** A 32-byte secret key, as hosted mode requires. */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString("base64");

/**
 * Writes an API token into the database of a data directory before a Studio starts on it, the
 * way an operator would seed a hosted Studio; returns the secret token.
 */
export async function seedToken(dataDir: string, name = "seeded"): Promise<string> {
  const db = await openDatabase({ url: `file:${join(dataDir, "studio.db")}` });
  try {
    await migrate(db);
    const repos = createRepositories(db, createSecretCipher(TEST_SECRET_KEY));
    await repos.workspaces.ensureLocal();
    const created = await repos.apiTokens.create(LOCAL_WORKSPACE_ID, {
      name,
      scopes: ["read", "write", "run", "admin"],
      expiresAt: null,
    });
    return created.token;
  } finally {
    db.$client.close();
  }
}

/**
 * POSTs to /mcp through node:http, which (unlike fetch) lets a test set the Host header the way
 * a DNS-rebound browser page or a reverse proxy would.
 */
export function postMcpWithHeaders(
  baseUrl: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const url = new URL("/mcp", baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: "POST", headers: { ...MCP_HEADERS, "content-length": Buffer.byteLength(body), ...headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.once("error", reject);
    req.end(body);
  });
}
