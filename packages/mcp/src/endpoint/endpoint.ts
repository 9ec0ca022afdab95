import type { ApiDeps, ApiEnv, Principal } from "@agentos/api";
import { problemOf, resolvePrincipal } from "@agentos/api";
import { Unauthorized } from "@agentos/core";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { Hono } from "hono";
import type { ApiHandle } from "../api/studio-api";
import { createStudioMcpServer } from "../server";
import { readBoundedText } from "./body";
import { anonymousRefusal } from "./loopback";
import { SessionRegistry } from "./sessions";

/** What the mount knows about the connection; the headless server knows the TCP peer. */
export interface Connection {
  remoteAddress?: string | undefined;
}

export interface McpEndpointOptions {
  /** True when the Studio listens on loopback only (HOST is 127.0.0.1, ::1 or localhost). */
  boundToLoopback: boolean;
  /** Sessions unused for this long are closed (default 30 minutes). */
  sessionIdleMs?: number;
  /** Most open sessions; initialising one more answers 503 (default 1000). */
  maxSessions?: number;
  /** Largest JSON-RPC body (default the API's body limit). */
  maxBodyBytes?: number;
}

/** The MCP Streamable HTTP endpoint, to mount at `/mcp`. */
export interface McpEndpoint {
  fetch(request: Request, connection?: Connection): Promise<Response>;
  /** Open sessions. */
  readonly sessionCount: number;
  /** Closes every session (ending their streams); for shutdown. */
  close(): Promise<void>;
}

type EndpointEnv = ApiEnv & { Bindings: Connection };

const REALM = 'Bearer realm="AgentOS Studio"';
const MCP_RESOURCE = "/mcp";

function rpcError(status: number, code: number, message: string, headers: HeadersInit = {}): Response {
  return Response.json({ jsonrpc: "2.0", error: { code, message }, id: null }, { status, headers });
}

/** Who owns a session: a token, or the local workspace. */
const ownerOf = (p: Principal) => `${p.workspaceId}:${p.tokenId ?? p.userId ?? p.kind}`;

/** Calls `done` once the response body has been read to the end or cancelled by the client. */
function whenBodyDone(response: Response, done: () => void): Response {
  if (!response.body) {
    done();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          controller.close();
          done();
        } else controller.enqueue(chunk.value);
      } catch (error) {
        controller.error(error);
        done();
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * The Studio's MCP endpoint over the official SDK's web-standard Streamable HTTP transport.
 * An `initialize` without Mcp-Session-Id opens a session; other requests without one are served
 * statelessly (a fresh server per request). Authentication is the API's own principal
 * resolution, with one restriction: a request without a token acts for the local workspace only
 * in local mode, on a Studio bound to loopback, from loopback.
 */
export function createMcpEndpoint(
  studio: { api: ApiHandle; deps: ApiDeps },
  options: McpEndpointOptions,
): McpEndpoint {
  const { api, deps } = studio;
  const sessions = new SessionRegistry(options.sessionIdleMs ?? 30 * 60_000);
  const maxSessions = options.maxSessions ?? 1000;
  const maxBodyBytes = options.maxBodyBytes ?? deps.config.bodyLimitBytes;
  const newServer = () => createStudioMcpServer({ api, version: deps.config.version });

  async function openSession(request: Request, parsedBody: unknown, authInfo: AuthInfo, owner: string) {
    if (sessions.size >= maxSessions) await sessions.sweep();
    if (sessions.size >= maxSessions) {
      const message = `Too many open MCP sessions (${maxSessions}); close unused ones or retry later.`;
      return rpcError(503, -32000, message, { "retry-after": "5" });
    }
    const server = newServer();
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      maxRequestBodySize: maxBodyBytes,
      onsessioninitialized: (id) => sessions.add({ id, server, transport, owner, lastSeenAt: Date.now() }),
      onsessionclosed: (id) => sessions.delete(id),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    return transport.handleRequest(request, { parsedBody, authInfo });
  }

  async function serveStateless(request: Request, parsedBody: unknown, authInfo: AuthInfo) {
    const server = newServer();
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    await server.connect(transport);
    const response = await transport.handleRequest(request, { parsedBody, authInfo });
    // Closing the server aborts a tool still running when the client goes away.
    return whenBodyDone(response, () => void server.close());
  }

  async function handle(request: Request, principal: Principal): Promise<Response> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
    const authInfo: AuthInfo = {
      token: bearer ?? "",
      clientId: principal.tokenId ?? "local",
      scopes: principal.scopes,
      extra: { workspaceId: principal.workspaceId },
    };
    const owner = ownerOf(principal);
    const sessionId = request.headers.get("mcp-session-id");
    if (sessionId) {
      const session = sessions.use(sessionId);
      if (!session || session.owner !== owner) {
        return rpcError(
          404,
          -32001,
          "Session not found: it was closed, expired, or belongs to another token. Initialize a new session.",
        );
      }
      return session.transport.handleRequest(request, { authInfo });
    }
    sessions.sweepSometimes();
    if (request.method === "GET") {
      return rpcError(405, -32000, "GET opens a session's event stream: send the Mcp-Session-Id header.", {
        allow: "POST, DELETE",
      });
    }
    if (request.method === "DELETE") {
      return rpcError(400, -32000, "DELETE ends a session: send the Mcp-Session-Id header.");
    }
    if (request.method !== "POST") {
      return rpcError(405, -32000, `${request.method} is not part of MCP Streamable HTTP.`, {
        allow: "GET, POST, DELETE",
      });
    }
    const body = await readBoundedText(request, maxBodyBytes);
    if (body.tooLarge) {
      return rpcError(413, -32000, `The JSON-RPC body is larger than the limit of ${maxBodyBytes} bytes.`);
    }
    let parsedBody: unknown;
    try {
      parsedBody = JSON.parse(body.text);
    } catch {
      return rpcError(400, -32700, "Parse error: the body is not valid JSON.");
    }
    const messages = Array.isArray(parsedBody) ? parsedBody : [parsedBody];
    if (messages.some((m) => isInitializeRequest(m))) {
      return openSession(request, parsedBody, authInfo, owner);
    }
    return serveStateless(request, parsedBody, authInfo);
  }

  const app = new Hono<EndpointEnv>();
  app.onError((error, c) => {
    const problem = problemOf(error);
    if (problem.status >= 500) console.error(`[mcp] ${c.req.method} ${c.req.path} failed:`, error);
    const headers: Record<string, string> = { "content-type": "application/problem+json" };
    if (problem.status === 401) {
      headers["www-authenticate"] = c.req.header("authorization") ? `${REALM}, error="invalid_token"` : REALM;
      // RFC 9728: where MCP clients discover Studio as the authorization server (hosted, with a public URL).
      const publicUrl = deps.tenancy?.auth ? deps.tenancy.publicUrl : null;
      if (publicUrl) {
        headers["www-authenticate"] +=
          `, resource_metadata="${publicUrl}/.well-known/oauth-protected-resource${MCP_RESOURCE}"`;
      }
    }
    return new Response(JSON.stringify(problem), { status: problem.status, headers });
  });
  app.use("*", async (c, next) => {
    if (!c.req.header("authorization")) {
      const refusal =
        deps.config.mode !== "local"
          ? "this Studio runs in hosted mode"
          : !options.boundToLoopback
            ? "this Studio listens beyond loopback"
            : anonymousRefusal({ remoteAddress: c.env?.remoteAddress, headers: c.req.raw.headers });
      if (refusal) {
        throw new Unauthorized(
          `MCP requires Authorization: Bearer <api token> here: ${refusal}. Create a token with POST /api/tokens (Settings → API tokens).`,
        );
      }
    }
    await next();
  });
  app.use("*", resolvePrincipal(deps));
  app.all("*", (c) => handle(c.req.raw, c.get("principal")));

  return {
    fetch: async (request, connection = {}) => app.fetch(request, connection),
    get sessionCount() {
      return sessions.size;
    },
    close: () => sessions.closeAll(),
  };
}
