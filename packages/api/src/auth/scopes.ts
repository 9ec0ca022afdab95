import { Forbidden, type TokenScope } from "@agentos/core";
import { createMiddleware } from "hono/factory";
import type { ApiEnv } from "../context";

// Paths whose every method needs `admin`: tokens, settings changes, secrets, budgets changes, audit,
// and invitations (their links let the holder join).
const ADMIN_ALWAYS = [
  /^\/api\/tokens(\/|$)/,
  /^\/api\/invitations(\/|$)/,
  /^\/api\/audit(\/|$)/,
  /^\/api\/secrets(\/|$)/,
  /^\/api\/admin(\/|$)/,
];
const ADMIN_WRITES = [/^\/api\/settings$/, /^\/api\/budgets(\/|$)/, /^\/api\/members(\/|$)/];
// Mutations that execute something (and spend money): runs, chat, approvals, provider and tool tests, sandbox exec.
const RUN_ACTIONS = [
  /^\/api\/runs$/,
  /^\/api\/runs\/[^/]+\/(cancel|approve|reject|resume)$/,
  /^\/api\/(agents|workflows)\/[^/]+\/execute$/,
  /^\/api\/conversations\/[^/]+\/chat$/,
  /^\/api\/llm\/providers\/[^/]+\/test$/,
  /^\/api\/tools\/[^/]+\/test$/,
  /^\/api\/sandboxes\/[^/]+\/exec$/,
];

/** The scope a request needs: read for reads, write for mutations, run to execute, admin to administer. */
export function requiredScope(method: string, path: string): TokenScope {
  const isRead = method === "GET" || method === "HEAD";
  if (ADMIN_ALWAYS.some((p) => p.test(path))) {
    // Secrets are listed by name to everyone who can read; only admins change them.
    return isRead && path.startsWith("/api/secrets") ? "read" : "admin";
  }
  if (!isRead && ADMIN_WRITES.some((p) => p.test(path))) return "admin";
  if (isRead) return "read";
  if (RUN_ACTIONS.some((p) => p.test(path))) return "run";
  return "write";
}

const WHY: Record<TokenScope, string> = {
  read: "to read",
  write: "to create, change or delete",
  run: "to run agents and workflows, chat, approve or cancel runs, test tools and providers, exec in sandboxes",
  admin: "to manage tokens, secrets, budgets, settings, members and invitations, and the audit log",
};

/** 403 unless the principal holds the scope this route needs. */
export const requireScope = createMiddleware<ApiEnv>(async (c, next) => {
  if (c.req.method === "OPTIONS") return next();
  const principal = c.get("principal");
  const needed = requiredScope(c.req.method, c.req.path);
  if (!principal.scopes.includes(needed)) {
    const who =
      principal.kind === "token" || principal.kind === "oauth"
        ? `This token has the scopes ${principal.scopes.join(", ") || "none"}`
        : `Your role in this workspace (${principal.role ?? "none"}) allows ${principal.scopes.join(", ") || "nothing"}`;
    throw new Forbidden(
      `${who}; ${c.req.method} ${c.req.path} needs "${needed}" (${WHY[needed]}). Use a token or role that has it.`,
    );
  }
  await next();
});

/**
 * CSRF protection for cookie-authenticated mutations: the browser's Origin (or Referer) must be
 * this Studio or a trusted origin. Tokens in an Authorization header cannot be sent cross-site.
 */
export function csrfGuard(trusted: () => string[]) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const principal = c.get("principal");
    const method = c.req.method;
    if (principal.kind !== "user" || method === "GET" || method === "HEAD" || method === "OPTIONS") {
      return next();
    }
    const source = c.req.header("origin") ?? c.req.header("referer");
    let origin: string | null = null;
    try {
      origin = source ? new URL(source).origin : null;
    } catch {
      origin = null;
    }
    const self = new URL(c.req.url).origin;
    const host = c.req.header("x-forwarded-host") ?? c.req.header("host");
    const isSelf =
      origin !== null && (origin === self || (host !== undefined && new URL(origin).host === host));
    if (!isSelf && !(origin && trusted().includes(origin))) {
      throw new Forbidden(
        `Cross-site request refused: a signed-in browser request must come from this Studio (Origin ${origin ?? "missing"}).`,
      );
    }
    await next();
  });
}
