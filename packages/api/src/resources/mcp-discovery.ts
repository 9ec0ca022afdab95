import { McpServer, Unavailable, Unprocessable } from "@agentos/core";
import {
  createMcpClientPool,
  refreshMcpServerTools,
  serviceUrlRefusal,
  stdioRefusal,
} from "@agentos/runtime";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { ApiDeps, ApiEnv, Principal } from "../context";
import { commonErrors, IdParams, json, problem } from "../openapi-schemas";
import { outboundOf } from "./outbound";

/** Time an explicit refresh gives a server to connect and list its tools. */
const REFRESH_TIMEOUT_MS = 30_000;
/** Registration waits less: a server that is slow to start is still registered, and refreshed later. */
const REGISTRATION_TIMEOUT_MS = 10_000;

/**
 * Why the API process may not connect to `server`, or null: a hosted Studio starts no stdio
 * servers, and connects to no private address the operator did not allow.
 */
async function refusalOf(deps: ApiDeps, server: McpServer): Promise<string | null> {
  const outbound = outboundOf(deps);
  if (server.transport.type === "stdio") return stdioRefusal(outbound, server.name);
  const refusal = await serviceUrlRefusal(outbound, server.transport.url);
  return refusal && `MCP server "${server.name}" cannot be reached from this Studio: ${refusal}`;
}

/** Connects to a registered server, lists its tools and stores them with lastCheckedAt. */
async function refresh(deps: ApiDeps, workspaceId: string, server: McpServer, timeoutMs: number) {
  // A pool of this refresh's own: a stdio server started for the listing ends with it.
  const pool = createMcpClientPool({ connectTimeoutMs: timeoutMs, outbound: outboundOf(deps) });
  try {
    return await refreshMcpServerTools(deps.repos, pool, workspaceId, server.id);
  } finally {
    await pool.close();
  }
}

/** `POST /api/mcp-servers/{id}/refresh`; a failure leaves the stored server as it was. */
export async function refreshMcpServer(deps: ApiDeps, principal: Principal, id: string): Promise<McpServer> {
  const server = await deps.repos.mcpServers.get(principal.workspaceId, id);
  const refusal = await refusalOf(deps, server);
  if (refusal) throw new Unprocessable(refusal);
  return refresh(deps, principal.workspaceId, server, REFRESH_TIMEOUT_MS);
}

/**
 * The first listing, right after registration; best effort. A server that cannot be reached now
 * (or only through a redirect to a private address) or is disabled stays registered with
 * `tools: []` and `lastCheckedAt: null`, and `POST /api/mcp-servers/{id}/refresh` says why.
 */
export async function listToolsAfterRegistration(
  deps: ApiDeps,
  principal: Principal,
  server: McpServer,
): Promise<McpServer> {
  if (!server.enabled || (await refusalOf(deps, server))) return server;
  try {
    return await refresh(deps, principal.workspaceId, server, REGISTRATION_TIMEOUT_MS);
  } catch (error) {
    if (Unavailable.isInstance(error) || Unprocessable.isInstance(error)) return server;
    throw error;
  }
}

export function registerMcpDiscoveryRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/mcp-servers/{id}/refresh",
      tags: ["MCP servers"],
      summary: "List an MCP server's tools again",
      description:
        "Connects to the server (starting a stdio server's command for the listing and stopping it after), lists its tools, and stores them with `lastCheckedAt`; the answer is the updated server. A server that cannot be reached or fails to list answers 503 with the reason, and the stored server keeps its previous tools. A hosted Studio answers 422 for stdio servers stored before (they run only in local mode, and it starts no commands on its hosts) and for URLs that lead to loopback, private, link-local, CGNAT, multicast or unspecified addresses not on the operator's allow-list (`AGENTOS_OUTBOUND_ALLOW`); the detail names the address and how the operator allows it. Registration (`POST /api/mcp-servers`) lists the tools once too, at best effort: a server that is disabled or cannot be reached is registered with `tools: []` and `lastCheckedAt: null`; a hosted Studio refuses to register or update a stdio server (400 naming `body.transport.type`) or a server at such a private URL (400 naming `body.transport.url`).",
      request: { params: IdParams },
      responses: {
        200: json(
          McpServer.meta({ id: "McpServer" }),
          "The server with the tools it listed and lastCheckedAt",
        ),
        404: problem("No such MCP server in this workspace"),
        422: problem(
          "A hosted Studio starts no stdio server, or the server's URL leads to a private address the operator did not allow",
        ),
        503: problem("The server could not be reached or did not list its tools; detail says why"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const server = await refreshMcpServer(deps, c.get("principal"), c.req.valid("param").id);
      return c.json(server as never, 200);
    },
  );
}
