import {
  Forbidden,
  LOCAL_WORKSPACE_ID,
  NotFound,
  scopesOfRole,
  type TokenScope,
  Unauthorized,
} from "@agentos/core";
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from "jose";
import type { ApiDeps, Principal } from "../context";
import { MCP_RESOURCE_PATH, WORKSPACE_CLAIM } from "./better-auth";
import type { TenancyDeps } from "./tenancy-deps";

const ALL_SCOPES: TokenScope[] = ["read", "write", "run", "admin"];
/** The header a signed-in user may send to act in another of their workspaces for one request. */
export const WORKSPACE_HEADER = "x-agentos-workspace";

const bearerOf = (request: Request) =>
  /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1] ?? null;

/**
 * Who is calling. A bearer token must be valid wherever it is sent: an API token (`agt_…`), or
 * in hosted mode an OAuth access token an MCP client got from Studio. Without one, a hosted
 * Studio reads the session cookie; local mode acts for the local workspace.
 */
export async function authenticate(deps: ApiDeps, request: Request): Promise<Principal> {
  const bearer = bearerOf(request);
  const tenancy = deps.tenancy;
  if (request.headers.has("authorization") && !bearer) {
    throw new Unauthorized("The Authorization header must be `Bearer <token>`.");
  }
  if (bearer?.startsWith("agt_")) {
    const token = await deps.repos.apiTokens.authenticate(bearer);
    if (!token) throw invalidToken();
    return { kind: "token", workspaceId: token.workspaceId, scopes: token.scopes, tokenId: token.id };
  }
  if (bearer) {
    if (!tenancy?.auth || !tenancy.publicUrl) throw invalidToken();
    return oauthPrincipal(tenancy, bearer);
  }
  if (tenancy?.auth) {
    const principal = await sessionPrincipal(tenancy, request);
    if (principal) return principal;
  }
  if (deps.config.mode === "local") {
    return { kind: "local", workspaceId: LOCAL_WORKSPACE_ID, scopes: [...ALL_SCOPES] };
  }
  throw new Unauthorized(
    "This Studio requires authentication: sign in, or send Authorization: Bearer <api token>.",
  );
}

function invalidToken(): Unauthorized {
  return new Unauthorized(
    "The bearer token is invalid, expired or revoked. Create a new one in Settings → API tokens.",
  );
}

async function sessionPrincipal(tenancy: TenancyDeps, request: Request): Promise<Principal | null> {
  const auth = tenancy.auth!;
  const found = await auth.api.getSession({ headers: request.headers });
  if (!found) return null;
  const userId = found.user.id;
  const memberships = await tenancy.repos.tenancy.memberships(userId);
  const wanted =
    request.headers.get(WORKSPACE_HEADER) ??
    (found.session as { activeOrganizationId?: string | null }).activeOrganizationId ??
    null;
  const membership = wanted ? memberships.find((m) => m.id === wanted) : memberships[0];
  if (!membership) {
    if (wanted && memberships.length > 0) {
      // Another workspace's id answers like any missing resource: it does not exist for this user.
      throw new NotFound("workspace", wanted);
    }
    throw new Forbidden(
      "Your account belongs to no workspace yet: accept an invitation, or ask an admin to invite you.",
    );
  }
  return {
    kind: "user",
    workspaceId: membership.id,
    scopes: scopesOfRole(membership.role),
    userId,
    role: membership.role,
  };
}

let jwksCache: { at: number; keys: ReturnType<typeof createLocalJWKSet> } | null = null;

async function signingKeys(tenancy: TenancyDeps, refresh: boolean) {
  if (jwksCache && !refresh && Date.now() - jwksCache.at < 5 * 60_000) return jwksCache.keys;
  const auth = tenancy.auth as unknown as { api: { getJwks(): Promise<JSONWebKeySet> } };
  const keys = createLocalJWKSet(await auth.api.getJwks());
  jwksCache = { at: Date.now(), keys };
  return keys;
}

/** An OAuth access token issued by Studio to an MCP client, bound to this Studio's /mcp resource. */
async function oauthPrincipal(tenancy: TenancyDeps, token: string): Promise<Principal> {
  const audience = `${tenancy.publicUrl}${MCP_RESOURCE_PATH}`;
  let payload: Record<string, unknown>;
  try {
    const verify = async (refresh: boolean) =>
      (await jwtVerify(token, await signingKeys(tenancy, refresh), { audience })).payload;
    payload = await verify(false).catch(() => verify(true));
  } catch {
    throw invalidToken();
  }
  const userId = typeof payload.sub === "string" ? payload.sub : null;
  if (!userId) throw invalidToken();
  const memberships = await tenancy.repos.tenancy.memberships(userId);
  const claimed = typeof payload[WORKSPACE_CLAIM] === "string" ? (payload[WORKSPACE_CLAIM] as string) : null;
  const membership = claimed ? memberships.find((m) => m.id === claimed) : memberships[0];
  if (!membership) throw invalidToken();
  const granted = String(payload.scope ?? "").split(" ");
  // A token never does more than its user's role allows now, whatever it was granted.
  const scopes = scopesOfRole(membership.role).filter((s) => granted.includes(s));
  return { kind: "oauth", workspaceId: membership.id, scopes, userId, role: membership.role };
}
