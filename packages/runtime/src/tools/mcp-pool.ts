import type { JsonSchema, McpServerTool, McpTransport } from "@agentos/core";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type CallToolResult, ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker";
import type { z } from "zod";
import { LOCAL_OUTBOUND_POLICY, type OutboundPolicy, outboundFetch, stdioRefusal } from "./outbound-policy";
import { ToolFailure } from "./tool-failure";

export type McpServerToolInfo = z.infer<typeof McpServerTool>;

/** What connecting to a registered MCP server takes: its transport and its opened bearer token. */
export interface McpServerConnection {
  id: string;
  name: string;
  transport: McpTransport;
  authToken: string | null;
}

export interface McpCallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** One connected MCP client per server id, reconnected when the connection fails or the server's settings change. */
export interface McpClientPool {
  listServerTools(server: McpServerConnection, options?: McpCallOptions): Promise<McpServerToolInfo[]>;
  callTool(
    server: McpServerConnection,
    toolName: string,
    args: Record<string, unknown>,
    options?: McpCallOptions,
  ): Promise<CallToolResult>;
  /** Closes every client (stdio servers' processes end). */
  close(): Promise<void>;
}

export interface McpClientPoolOptions {
  connectTimeoutMs?: number;
  /** Time one tool call may take unless the run's signal ends it first. */
  callTimeoutMs?: number;
  /**
   * Where servers may lead (hosted mode: URLs to public addresses and the operator's allow-list
   * only, and no stdio server is started); default local mode's.
   */
  outbound?: OutboundPolicy;
}

export const MCP_CONNECT_TIMEOUT_MS = 30_000;
export const MCP_CALL_TIMEOUT_MS = 300_000;
const MAX_LISTED_TOOLS = 1000;
const STDERR_TAIL_CHARS = 2000;

interface Entry {
  fingerprint: string;
  client: Promise<Client>;
  closed: boolean;
  /** The end of a stdio server's stderr, for messages when it dies. */
  stderrTail: string;
}

/** A failure to connect, with what the server said on stderr if it is a stdio process. */
export class McpConnectError extends Error {
  constructor(server: McpServerConnection, cause: unknown, stderrTail: string) {
    const where =
      server.transport.type === "stdio"
        ? `stdio command "${[server.transport.command, ...server.transport.args].join(" ")}"`
        : server.transport.url;
    const said = stderrTail.trim() ? ` Its stderr ended with: ${stderrTail.trim().slice(-500)}` : "";
    super(`Could not connect to MCP server "${server.name}" (${where}).${said}`, { cause });
    this.name = "McpConnectError";
  }
}

/** Whether the connection is still sound after `error`: the server answered, or the request timed out. */
function connectionSurvives(error: unknown): boolean {
  return error instanceof McpError && error.code !== ErrorCode.ConnectionClosed;
}

/**
 * Whether a failed call surely never ran: the HTTP server refused the POST (a stale session after a
 * restart answers 400 or 404) or the transport was already gone. Only such calls are sent again.
 */
function neverReachedServer(error: unknown): boolean {
  if (error instanceof StreamableHTTPError) return error.code === 400 || error.code === 404;
  return error instanceof Error && error.message === "Not connected";
}

function createTransport(
  server: McpServerConnection,
  entry: Entry,
  fetch: typeof globalThis.fetch | undefined,
): Transport {
  if (server.transport.type === "stdio") {
    const transport = new StdioClientTransport({
      command: server.transport.command,
      args: server.transport.args,
      stderr: "pipe",
    });
    // Read stderr so the child never blocks on a full pipe; keep the end for error messages.
    transport.stderr?.on("data", (chunk: Buffer) => {
      entry.stderrTail = (entry.stderrTail + chunk.toString("utf8")).slice(-STDERR_TAIL_CHARS);
    });
    return transport;
  }
  const headers: Record<string, string> = server.authToken
    ? { authorization: `Bearer ${server.authToken}` }
    : {};
  return new StreamableHTTPClientTransport(new URL(server.transport.url), {
    requestInit: { headers },
    ...(fetch ? { fetch } : {}),
  });
}

/** Creates an {@link McpClientPool}; the caller closes it when the process stops. */
export function createMcpClientPool(options: McpClientPoolOptions = {}): McpClientPool {
  const entries = new Map<string, Entry>();
  const connectTimeoutMs = options.connectTimeoutMs ?? MCP_CONNECT_TIMEOUT_MS;
  const callTimeoutMs = options.callTimeoutMs ?? MCP_CALL_TIMEOUT_MS;
  const outbound = options.outbound ?? LOCAL_OUTBOUND_POLICY;
  // Every request of an HTTP server goes through the SSRF guard in hosted mode (undefined: the SDK's fetch).
  const guardedFetch = outboundFetch(outbound);

  const drop = (id: string, entry: Entry) => {
    entry.closed = true;
    if (entries.get(id) === entry) entries.delete(id);
    // The connection already failed; closing only reclaims the process or the HTTP session.
    entry.client.then((client) => client.close()).catch(() => undefined);
  };

  const entryFor = (server: McpServerConnection): Entry => {
    // Checked before any process exists: the API refuses to store a stdio server in hosted mode,
    // and this refuses one stored before wherever a pool would start it (run, tool test, refresh).
    const refusal = server.transport.type === "stdio" ? stdioRefusal(outbound, server.name) : null;
    if (refusal) throw new ToolFailure(refusal, { reason: "blocked", details: { rule: "stdio" } });
    const fingerprint = JSON.stringify([server.transport, server.authToken]);
    const existing = entries.get(server.id);
    if (existing && existing.fingerprint === fingerprint && !existing.closed) return existing;
    if (existing) drop(server.id, existing);
    const entry: Entry = {
      fingerprint,
      closed: false,
      stderrTail: "",
      client: Promise.resolve(null as never),
    };
    entry.client = (async () => {
      const client = new Client(
        { name: "agentos-studio", version: "1.0.0" },
        { capabilities: {}, jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
      );
      client.onclose = () => {
        entry.closed = true;
        if (entries.get(server.id) === entry) entries.delete(server.id);
      };
      try {
        await client.connect(createTransport(server, entry, guardedFetch), { timeout: connectTimeoutMs });
      } catch (error) {
        entry.closed = true;
        if (entries.get(server.id) === entry) entries.delete(server.id);
        await client.close().catch(() => undefined);
        throw new McpConnectError(server, error, entry.stderrTail);
      }
      return client;
    })();
    entries.set(server.id, entry);
    return entry;
  };

  /** Runs `use` on the server's client; on a connection failure drops it, and retries once when `canRetry`. */
  const withClient = async <T>(
    server: McpServerConnection,
    use: (client: Client) => Promise<T>,
    canRetry: (error: unknown) => boolean,
    signal: AbortSignal | undefined,
  ): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const entry = entryFor(server);
      const client = await entry.client;
      try {
        return await use(client);
      } catch (error) {
        // A cancelled call says nothing about the connection (the SDK tells the server it was cancelled).
        if (connectionSurvives(error) || signal?.aborted) throw error;
        drop(server.id, entry);
        if (attempt === 0 && canRetry(error)) continue;
        throw error;
      }
    }
  };

  return {
    async listServerTools(server, callOptions = {}) {
      const request = { signal: callOptions.signal, timeout: callOptions.timeoutMs ?? connectTimeoutMs };
      // Listing has no side effects, so any connection failure is worth one retry on a fresh client.
      return withClient(
        server,
        async (client) => {
          const tools: McpServerToolInfo[] = [];
          let cursor: string | undefined;
          do {
            const page = await client.listTools(cursor ? { cursor } : {}, request);
            for (const tool of page.tools) {
              tools.push({
                name: tool.name,
                description: tool.description ?? "",
                inputSchema: tool.inputSchema as JsonSchema,
              });
            }
            cursor = page.nextCursor;
          } while (cursor && tools.length < MAX_LISTED_TOOLS);
          return tools;
        },
        () => true,
        callOptions.signal,
      );
    },

    async callTool(server, toolName, args, callOptions = {}) {
      const request = { signal: callOptions.signal, timeout: callOptions.timeoutMs ?? callTimeoutMs };
      return withClient(
        server,
        async (client) =>
          (await client.callTool({ name: toolName, arguments: args }, undefined, request)) as CallToolResult,
        neverReachedServer,
        callOptions.signal,
      );
    },

    async close() {
      const open = [...entries.values()];
      entries.clear();
      await Promise.all(
        open.map(async (entry) => {
          entry.closed = true;
          const client = await entry.client.catch(() => null);
          await client?.close();
        }),
      );
    },
  };
}
