import {
  AuditEvent,
  Budget,
  BudgetCreate,
  BudgetSpend,
  BudgetUpdate,
  Conflict,
  Me,
  NotFound,
  Run,
  Secret,
  SecretCreate,
  SecretUpdate,
  Unavailable,
} from "@agentos/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ApiDeps, ApiEnv } from "../context";
import { requireJson } from "../middleware";
import { commonErrors, IdParams, json, jsonBody, problem } from "../openapi-schemas";
import { registerMemberRoutes } from "./members";
import type { TenancyDeps } from "./tenancy-deps";

const TAG = "Governance";
const notFound = (what: string) => problem(`No such ${what} in this workspace`);

/** `/api/me`, budgets with spend, the secrets vault, the audit log, and resuming budget-parked runs. */
export function registerTenancyRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const tenancy = (): TenancyDeps => {
    if (!deps.tenancy) throw new Unavailable("Budgets, secrets and audit are not set up on this process.");
    return deps.tenancy;
  };

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/me",
      tags: ["System"],
      summary: "Who is calling",
      description: "The caller's kind (local, token, user, oauth), workspace, role, scopes and workspaces.",
      responses: { 200: json(Me.meta({ id: "Me" }), "The caller"), ...commonErrors },
    }),
    async (c) => {
      const p = c.get("principal");
      const t = deps.tenancy;
      const user = p.userId && t ? await t.repos.tenancy.userById(p.userId) : undefined;
      const workspaces = p.userId && t ? await t.repos.tenancy.memberships(p.userId) : [];
      return c.json(
        {
          mode: deps.config.mode,
          kind: p.kind,
          user: user ? { id: user.id, email: user.email, name: user.name } : null,
          workspaceId: p.workspaceId,
          role: p.role ?? null,
          scopes: p.scopes,
          tokenId: p.tokenId ?? null,
          workspaces,
        },
        200,
      );
    },
  );

  // ── Budgets ────────────────────────────────────────────────────────────────────────────────
  const BudgetSchema = Budget.meta({ id: "Budget" });
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/budgets",
      tags: [TAG],
      summary: "List budgets",
      responses: {
        200: json(z.object({ items: z.array(BudgetSchema) }), "Budgets, oldest first"),
        ...commonErrors,
      },
    }),
    async (c) =>
      c.json({ items: await tenancy().repos.budgets.list(c.get("principal").workspaceId) } as never, 200),
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/budgets/spend",
      tags: [TAG],
      summary: "Spend against each budget",
      description: "Each budget with the USD spent on model calls in its current UTC day or month.",
      responses: {
        200: json(
          z.object({ items: z.array(BudgetSpend.meta({ id: "BudgetSpend" })) }),
          "Budgets with spend",
        ),
        ...commonErrors,
      },
    }),
    async (c) =>
      c.json({ items: await tenancy().repos.budgets.spend(c.get("principal").workspaceId) } as never, 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/budgets",
      tags: [TAG],
      summary: "Create a budget",
      description:
        "A spending limit in USD per UTC day or month for the workspace, an agent or an API token, checked before every model call.",
      middleware: [requireJson] as const,
      request: { body: jsonBody(BudgetCreate.meta({ id: "BudgetCreate" })) },
      responses: {
        201: json(BudgetSchema, "The budget"),
        409: problem("A budget for this subject and period exists"),
        415: problem("The body is not JSON"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const input = c.req.valid("json") as Required<BudgetCreate>;
      if (input.agentId) await deps.repos.agents.getRow(workspaceId, input.agentId);
      if (
        input.tokenId &&
        !(await deps.repos.apiTokens.list(workspaceId)).some((t) => t.id === input.tokenId)
      ) {
        throw new NotFound("API token", input.tokenId);
      }
      return c.json((await tenancy().repos.budgets.create(workspaceId, input)) as never, 201);
    },
  );
  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/budgets/{id}",
      tags: [TAG],
      summary: "Change a budget's limit",
      description: "Runs parked by a budget are re-queued, so a raised limit lets them continue.",
      middleware: [requireJson] as const,
      request: { params: IdParams, body: jsonBody(BudgetUpdate.meta({ id: "BudgetUpdate" })) },
      responses: { 200: json(BudgetSchema, "The budget"), 404: notFound("budget"), ...commonErrors },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const budget = await tenancy().repos.budgets.update(
        workspaceId,
        c.req.valid("param").id,
        c.req.valid("json").limitUsd,
      );
      await resumeBudgetWaits(deps, workspaceId);
      return c.json(budget as never, 200);
    },
  );
  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/budgets/{id}",
      tags: [TAG],
      summary: "Delete a budget",
      request: { params: IdParams },
      responses: { 204: { description: "Deleted" }, 404: notFound("budget"), ...commonErrors },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      await tenancy().repos.budgets.delete(workspaceId, c.req.valid("param").id);
      await resumeBudgetWaits(deps, workspaceId);
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/runs/{id}/resume",
      tags: ["Runs"],
      summary: "Resume a run parked by a budget",
      description:
        "Re-queues a run waiting with error budget_exceeded; it parks again if the budget still does not allow its next model call.",
      request: { params: IdParams },
      responses: {
        200: json(Run.meta({ id: "Run" }), "The run, queued again"),
        404: notFound("run"),
        409: problem("The run is not waiting on a budget"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const { id } = c.req.valid("param");
      await deps.repos.runs.getRow(workspaceId, id);
      const resumed = await resumeBudgetWaits(deps, workspaceId, id);
      if (resumed === 0) {
        throw new Conflict(`Run ${id} is not waiting on a budget; only such runs can be resumed.`);
      }
      return c.json((await deps.repos.runs.get(workspaceId, id)) as never, 200);
    },
  );

  // ── Secrets ────────────────────────────────────────────────────────────────────────────────
  const SecretSchema = Secret.meta({ id: "Secret" });
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/secrets",
      tags: [TAG],
      summary: "List secrets",
      description: "Names and metadata only: values are write-only. Reference one as {{secret:NAME}}.",
      responses: {
        200: json(z.object({ items: z.array(SecretSchema) }), "Secrets by name"),
        ...commonErrors,
      },
    }),
    async (c) =>
      c.json({ items: await tenancy().repos.vault.list(c.get("principal").workspaceId) } as never, 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/secrets",
      tags: [TAG],
      summary: "Create a secret",
      description:
        "Sealed with AES-256-GCM; usable as {{secret:NAME}} in provider API keys, HTTP tool headers and sandbox env.",
      middleware: [requireJson] as const,
      request: { body: jsonBody(SecretCreate.meta({ id: "SecretCreate" })) },
      responses: {
        201: json(SecretSchema, "The secret, without its value"),
        409: problem("A secret with this name exists"),
        415: problem("The body is not JSON"),
        ...commonErrors,
      },
    }),
    async (c) =>
      c.json(
        (await tenancy().repos.vault.create(
          c.get("principal").workspaceId,
          c.req.valid("json") as Required<SecretCreate>,
        )) as never,
        201,
      ),
  );
  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/secrets/{id}",
      tags: [TAG],
      summary: "Change a secret's value or description",
      middleware: [requireJson] as const,
      request: { params: IdParams, body: jsonBody(SecretUpdate.meta({ id: "SecretUpdate" })) },
      responses: { 200: json(SecretSchema, "The secret"), 404: notFound("secret"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        (await tenancy().repos.vault.update(
          c.get("principal").workspaceId,
          c.req.valid("param").id,
          c.req.valid("json"),
        )) as never,
        200,
      ),
  );
  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/secrets/{id}",
      tags: [TAG],
      summary: "Delete a secret",
      request: { params: IdParams },
      responses: { 204: { description: "Deleted" }, 404: notFound("secret"), ...commonErrors },
    }),
    async (c) => {
      await tenancy().repos.vault.delete(c.get("principal").workspaceId, c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  // ── Audit ──────────────────────────────────────────────────────────────────────────────────
  const AuditQuery = z.object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().max(1000).optional(),
    action: z
      .string()
      .max(100)
      .optional()
      .meta({ description: "An action, or a prefix ending in . (token.)" }),
    actorId: z.string().max(100).optional(),
    targetId: z.string().max(200).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    format: z
      .enum(["json", "ndjson"])
      .default("json")
      .meta({ description: "ndjson: every match, one per line" }),
  });
  const AuditSchema = AuditEvent.meta({ id: "AuditEvent" });
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/audit",
      tags: [TAG],
      summary: "The audit log",
      description:
        "Who did what and when: sign-ins, token create/revoke, CRUD, run start/cancel, approvals, secret use. Newest first; format=ndjson exports every match.",
      request: { query: AuditQuery },
      responses: {
        200: {
          description: "A page of entries, or NDJSON",
          content: {
            "application/json": {
              schema: z.object({ items: z.array(AuditSchema), nextCursor: z.string().nullable() }),
            },
            "application/x-ndjson": { schema: z.string() },
          },
        },
        ...commonErrors,
      },
    }),
    async (c) => {
      const { format, ...query } = c.req.valid("query");
      const { workspaceId } = c.get("principal");
      const audit = tenancy().repos.audit;
      if (format === "json") return c.json((await audit.list(workspaceId, query)) as never, 200);
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          let cursor: string | undefined = query.cursor;
          do {
            const page = await audit.list(workspaceId, { ...query, limit: 500, cursor });
            for (const item of page.items) controller.enqueue(encoder.encode(`${JSON.stringify(item)}\n`));
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
          controller.close();
        },
      });
      return new Response(body, {
        status: 200,
        headers: {
          "content-type": "application/x-ndjson",
          "content-disposition": `attachment; filename="audit-${workspaceId}.ndjson"`,
        },
      }) as never;
    },
  );

  registerMemberRoutes(app, deps);
}

/** Re-queues runs parked by a budget and wakes the engine; returns how many. */
async function resumeBudgetWaits(deps: ApiDeps, workspaceId: string, runId?: string): Promise<number> {
  if (!deps.tenancy) return 0;
  const resumed = await deps.tenancy.repos.budgetWaits.resume(workspaceId, runId);
  for (const run of resumed) deps.onRunQueued?.(run);
  return resumed.length;
}
