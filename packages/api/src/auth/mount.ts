import { oauthProviderAuthServerMetadata } from "@better-auth/oauth-provider";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { every } from "hono/combine";
import type { ApiDeps, ApiEnv } from "../context";
import { problemJson } from "../problem";
import { auditTrail } from "./audit-trail";
import { AUTH_BASE_PATH, MCP_RESOURCE_PATH, OAUTH_SCOPES } from "./better-auth";
import { limitTokenRequests } from "./request-limit";
import { csrfGuard, requireScope } from "./scopes";

/** The ways to sign in that a hosted Studio offers, for its sign-in page. */
export interface SignInOptions {
  signUp: "first" | "invite" | "open";
  providers: Array<{ id: string; name: string; kind: "social" | "oidc" }>;
}

/** The 404 problem of a route that exists in hosted mode only, with why in `detail`. */
export const notHostedProblem = (detail: string) => ({
  type: "https://agentos.dev/problems/not_found",
  title: "Not found",
  status: 404,
  code: "not_found",
  detail,
});

const notHosted = notHostedProblem(
  "Accounts exist in hosted mode only (AGENTOS_MODE=hosted); MCP OAuth also needs AGENTOS_PUBLIC_URL.",
);

/**
 * Better Auth's handler under /api/auth/*, and the OAuth discovery documents MCP clients read:
 * RFC 9728 protected-resource metadata for /mcp and RFC 8414 authorization-server metadata. Next
 * rewrites /.well-known/* to /api/.well-known/* (web/proxy.ts), so both prefixes are served.
 */
export function registerAuthRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  // What the sign-in page offers; public, like the pages that read it.
  app.get(`${AUTH_BASE_PATH}/studio-options`, (c) =>
    c.json({
      mode: deps.config.mode,
      signUp: deps.tenancy?.signIn.signUp ?? "first",
      providers: deps.tenancy?.auth ? (deps.tenancy.signIn.providers ?? []) : [],
      oauth: Boolean(deps.tenancy?.auth && deps.tenancy.publicUrl),
    }),
  );
  app.on(["GET", "POST"], `${AUTH_BASE_PATH}/*`, (c) => {
    const auth = deps.tenancy?.auth;
    return auth ? auth.handler(c.req.raw) : problemJson(c, notHosted);
  });
  for (const prefix of ["", "/api"]) {
    app.get(`${prefix}/.well-known/oauth-protected-resource/*`, (c) => protectedResource(c.req.raw, deps));
    app.get(`${prefix}/.well-known/oauth-protected-resource`, (c) => protectedResource(c.req.raw, deps));
    for (const doc of ["oauth-authorization-server", "openid-configuration"]) {
      app.get(`${prefix}/.well-known/${doc}/*`, (c) => authorizationServer(c.req.raw, deps));
      app.get(`${prefix}/.well-known/${doc}`, (c) => authorizationServer(c.req.raw, deps));
    }
  }
}

const oauthOff = () =>
  Response.json(notHosted, { status: 404, headers: { "content-type": "application/problem+json" } });

function protectedResource(_request: Request, deps: ApiDeps): Response {
  const publicUrl = deps.tenancy?.auth ? deps.tenancy.publicUrl : null;
  if (!publicUrl) return oauthOff();
  return Response.json(
    {
      resource: `${publicUrl}${MCP_RESOURCE_PATH}`,
      authorization_servers: [`${publicUrl}${AUTH_BASE_PATH}`],
      bearer_methods_supported: ["header"],
      scopes_supported: [...OAUTH_SCOPES],
      resource_name: "AgentOS Studio MCP",
    },
    { headers: { "cache-control": "public, max-age=300" } },
  );
}

let metadataHandler: ((request: Request) => Promise<Response>) | null = null;

async function authorizationServer(request: Request, deps: ApiDeps): Promise<Response> {
  const auth = deps.tenancy?.auth;
  if (!auth || !deps.tenancy?.publicUrl) return oauthOff();
  metadataHandler ??= oauthProviderAuthServerMetadata(auth as never) as (
    request: Request,
  ) => Promise<Response>;
  return metadataHandler(request);
}

/**
 * Per-request governance after the principal is known: CSRF for cookie sessions, the per-token
 * request rate, the scope the route needs, and the audit trail of what was done.
 */
export function governRequests(
  deps: ApiDeps,
  isPublic: (path: string) => boolean,
): MiddlewareHandler<ApiEnv> {
  const trusted = () => [
    ...(deps.tenancy?.publicUrl ? [deps.tenancy.publicUrl] : []),
    ...deps.config.corsOrigins,
  ];
  // The audit trail wraps the scope check, so requests it refuses are logged as `….denied` too.
  const chain = every(csrfGuard(trusted), limitTokenRequests(deps), auditTrail(deps), requireScope);
  return async (c, next) => (isPublic(c.req.path) ? next() : chain(c, next));
}
