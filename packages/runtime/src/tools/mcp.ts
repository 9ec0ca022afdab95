import { createHash } from "node:crypto";
import { type JsonValue, type McpServer, Unavailable, Unprocessable } from "@agentos/core";
import { nowIso, type Repositories } from "@agentos/db";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { inputObject } from "./input";
import type { McpClientPool, McpServerConnection } from "./mcp-pool";
import { describeError, ToolFailure, wasBlocked } from "./tool-failure";
import type { RuntimeTool } from "./types";

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const shortHash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 8);

/** `name` cut to leave room for a hash of `key`, so two tools whose names collide stay apart. */
export function withHashSuffix(name: string, key: string): string {
  return `${name.slice(0, 55)}_${shortHash(key)}`;
}

/** Makes a name fit what models accept (`^[a-zA-Z0-9_-]{1,64}$`); a cut name gets a hash of the whole to stay unique. */
export function fitToolName(raw: string): string {
  if (TOOL_NAME.test(raw)) return raw;
  const cleaned = raw.replace(/[^a-zA-Z0-9_-]+/g, "_") || "_";
  return cleaned.length <= 64 ? cleaned : withHashSuffix(cleaned, raw);
}

/** The name under which an agent sees tool `toolName` of MCP server `serverName`: `<server>__<tool>`. */
export function mcpToolName(serverName: string, toolName: string): string {
  return fitToolName(`${serverName}__${toolName}`);
}

/** The server entity and how to connect to it (its bearer token opened). */
export async function loadMcpServer(
  repos: Repositories,
  workspaceId: string,
  serverId: string,
): Promise<{ server: McpServer; connection: McpServerConnection }> {
  const row = await repos.mcpServers.getRow(workspaceId, serverId);
  const server = repos.mcpServers.spec.toEntity(row);
  return {
    server,
    connection: {
      id: server.id,
      name: server.name,
      transport: server.transport,
      authToken: row.authTokenSecret ? repos.secrets.open(row.authTokenSecret) : null,
    },
  };
}

/**
 * Lists the tools of a registered MCP server and stores them in `mcp_servers.tools` with
 * `lastCheckedAt` (on registration, and whenever the user asks for a refresh). A server the pool's
 * outbound policy refuses to reach is Unprocessable, one that fails otherwise Unavailable.
 */
export async function refreshMcpServerTools(
  repos: Repositories,
  pool: McpClientPool,
  workspaceId: string,
  serverId: string,
): Promise<McpServer> {
  const { connection } = await loadMcpServer(repos, workspaceId, serverId);
  let tools: McpServer["tools"];
  try {
    tools = await pool.listServerTools(connection);
  } catch (cause) {
    if (wasBlocked(cause)) {
      throw new Unprocessable(
        `MCP server "${connection.name}" cannot be reached from here: ${describeError(cause)}`,
        {
          cause,
        },
      );
    }
    throw new Unavailable(
      `MCP server "${connection.name}" did not list its tools: ${describeError(cause)}. Check its command or URL and its token, then refresh it again.`,
      { cause },
    );
  }
  return repos.mcpServers.update(workspaceId, serverId, { tools, lastCheckedAt: nowIso() });
}

type ContentBlock = CallToolResult["content"][number];

function describeBlock(block: ContentBlock): string {
  switch (block.type) {
    case "text":
      return block.text;
    case "image":
    case "audio":
      return `[${block.type} ${block.mimeType}, ${Math.floor((block.data.length * 3) / 4)} bytes, not shown]`;
    case "resource_link":
      return `[resource ${block.name}: ${block.uri}]`;
    case "resource":
      return "text" in block.resource
        ? block.resource.text
        : `[resource ${block.resource.uri}, binary, not shown]`;
    default:
      return "";
  }
}

/**
 * The value of an MCP tool result for the model: the structured content when the tool gave one,
 * else its text content joined; a result flagged `isError` becomes `{ error: text }`.
 */
export function mcpResultValue(result: CallToolResult): JsonValue {
  const text = (result.content ?? [])
    .map(describeBlock)
    .filter((t) => t !== "")
    .join("\n");
  if (result.isError) return { error: text || "The MCP tool reported an error without a message." };
  if (result.structuredContent !== undefined) return result.structuredContent as JsonValue;
  return text;
}

/** Executes tool `toolName` of an MCP server; `connection` is loaded per call so token or URL changes apply. */
export function mcpTool(
  pool: McpClientPool,
  toolName: string,
  connection: () => Promise<McpServerConnection>,
): RuntimeTool["execute"] {
  return async (input, context) => {
    const server = await connection();
    let result: CallToolResult;
    try {
      result = await pool.callTool(server, toolName, inputObject(input), { signal: context.signal });
    } catch (error) {
      if (context.signal.aborted) throw context.signal.reason;
      throw new ToolFailure(
        `Tool ${toolName} of MCP server "${server.name}" failed: ${describeError(error)}`,
        { cause: error, ...(wasBlocked(error) ? { reason: "blocked" as const } : {}) },
      );
    }
    return mcpResultValue(result);
  };
}
