import { type AuditActorKind, Forbidden } from "@agentos/core";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ApiDeps, ApiEnv, Principal } from "../context";

const ENTITIES: Array<[RegExp, string]> = [
  [/^llm\/providers/, "provider"],
  [/^llm\/rate-limits/, "rate_limit"],
  [/^mcp-servers/, "mcp_server"],
  [/^agents/, "agent"],
  [/^tools/, "tool"],
  [/^workflows/, "workflow"],
  [/^models/, "model"],
  [/^conversations/, "conversation"],
  [/^feedback/, "feedback"],
  [/^runs/, "run"],
  [/^files/, "file"],
  [/^sandboxes/, "sandbox"],
  [/^tokens/, "token"],
  [/^settings/, "settings"],
  [/^budgets/, "budget"],
  [/^secrets/, "secret"],
  [/^members/, "member"],
  [/^invitations/, "invitation"],
];
const VERBS: Record<string, string> = { POST: "create", PATCH: "update", PUT: "update", DELETE: "delete" };

export interface AuditedAction {
  action: string;
  targetKind: string;
  /** The id in the path, if any. */
  targetId: string | null;
  /** Whether the request starts a run (its id comes back in the response). */
  startsRun: boolean;
}

/** Names a mutating API request as an audit action: `agent.create`, `run.cancel`, `token.revoke`. */
export function auditedAction(method: string, path: string): AuditedAction | null {
  const rest = path.replace(/^\/api\//, "");
  const entry = ENTITIES.find(([pattern]) => pattern.test(rest));
  if (!entry) return null;
  const [pattern, entity] = entry;
  const [id, sub, ...more] = rest.replace(pattern, "").split("/").filter(Boolean);
  const verb = VERBS[method];
  if (!verb) return null;
  if (entity === "run" && !id && method === "POST")
    return { action: "run.start", targetKind: "run", targetId: null, startsRun: true };
  if (sub === "execute" || sub === "chat")
    return { action: "run.start", targetKind: entity, targetId: id ?? null, startsRun: true };
  if (sub && method === "POST") {
    const action = [sub, ...more].join(".").replace(/-/g, "_");
    return { action: `${entity}.${action}`, targetKind: entity, targetId: id ?? null, startsRun: false };
  }
  if (entity === "token" && method === "DELETE")
    return { action: "token.revoke", targetKind: "token", targetId: id ?? null, startsRun: false };
  return { action: `${entity}.${verb}`, targetKind: entity, targetId: id ?? null, startsRun: false };
}

export function actorOf(p: Principal): { actorKind: AuditActorKind; actorId: string | null } {
  if (p.kind === "token") return { actorKind: "token", actorId: p.tokenId ?? null };
  if (p.kind === "user" || p.kind === "oauth") return { actorKind: p.kind, actorId: p.userId ?? null };
  return { actorKind: "local", actorId: null };
}

export const clientIp = (c: Context) =>
  c.req.header("x-forwarded-for")?.split(",")[0]?.trim() ?? c.req.header("x-real-ip") ?? null;

async function createdId(response: Response): Promise<string | null> {
  const header = response.headers.get("x-agentos-run-id");
  if (header) return header;
  // JSON bodies only: an NDJSON or SSE stream must not be read (that would buffer it to its end).
  if (!/^application\/([\w.-]+\+)?json\b/i.test(response.headers.get("content-type") ?? "")) return null;
  try {
    const body = (await response.clone().json()) as { id?: unknown };
    return typeof body.id === "string" ? body.id : null;
  } catch {
    return null;
  }
}

/**
 * Writes every mutation (and every refused one) to the audit log, and notes who started each
 * run, which per-token budgets are charged by. Runs after the handler; never fails the request.
 */
export function auditTrail(deps: ApiDeps) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    // A refusal by the scope check after this middleware arrives as the thrown Forbidden (the app's
    // error handler turns it into the 403 later); refusals inside handlers arrive as responses.
    let refused: unknown = null;
    try {
      await next();
    } catch (error) {
      if (!Forbidden.isInstance(error)) throw error;
      refused = error;
    }
    await record(c, refused ? 403 : c.res.status);
    if (refused) throw refused;
  });

  async function record(c: Context<ApiEnv>, status: number): Promise<void> {
    const tenancy = deps.tenancy;
    const method = c.req.method;
    if (!tenancy || method === "GET" || method === "HEAD" || method === "OPTIONS") return;
    if (status >= 500 || (status >= 400 && status !== 403)) return;
    const principal = c.get("principal");
    const named = principal ? auditedAction(method, c.req.path) : null;
    if (!principal || !named) return;
    try {
      const created = status < 300 && (method === "POST" || named.startsRun) ? await createdId(c.res) : null;
      const runId = named.startsRun ? created : null;
      if (runId) {
        await tenancy.repos.runOrigins.record({
          runId,
          workspaceId: principal.workspaceId,
          tokenId: principal.tokenId ?? null,
          userId: principal.userId ?? null,
        });
      }
      await tenancy.repos.audit.record({
        workspaceId: principal.workspaceId,
        action: status === 403 ? `${named.action}.denied` : named.action,
        ...actorOf(principal),
        targetKind: runId ? "run" : named.targetKind,
        targetId: runId ?? named.targetId ?? created,
        status,
        ip: clientIp(c),
        detail: { method, path: c.req.path, ...(runId && named.targetId ? { from: named.targetId } : {}) },
      });
    } catch (error) {
      console.error(`[api] could not write the audit entry of ${method} ${c.req.path}:`, error);
    }
  }
}
