import {
  Conflict,
  Id,
  Invalid,
  isFinalRunStatus,
  JsonValue,
  Run,
  RunCreate,
  RunEvent,
  RunKind,
  RunStatus,
  RunStep,
  Timestamp,
} from "@agentos/core";
import { nowIso } from "@agentos/db";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ApiDeps, ApiEnv, Principal } from "../context";
import { requireJson } from "../middleware";
import { commonErrors, IdParams, json, jsonBody, ListQuery, pageOf, problem } from "../openapi-schemas";
import { streamRunEvents } from "./run-events";
import { requireReferences } from "./service";

const RunSchema = Run.meta({ id: "Run" });
const notFound = problem("No such run in this workspace");

/** Runs: create (queued for the engine), list, get, cancel, steps and events. */
export function registerRunRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { repos } = deps;

  async function createRun(p: Principal, input: z.output<typeof RunCreate>): Promise<Run> {
    await requireReferences(repos, p.workspaceId, [
      ["body.agentId", "agents", "agentId" in input ? input.agentId : null],
      ["body.workflowId", "workflows", "workflowId" in input ? input.workflowId : null],
      ["body.conversationId", "conversations", "conversationId" in input ? input.conversationId : null],
    ]);
    const run = await repos.runStore.queue(p.workspaceId, {
      kind: input.kind,
      agentId: "agentId" in input ? input.agentId : null,
      workflowId: "workflowId" in input ? input.workflowId : null,
      conversationId: "conversationId" in input ? input.conversationId : null,
      input: input.input,
    });
    deps.onRunQueued?.({
      id: run.id,
      workspaceId: p.workspaceId,
      agentId: run.agentId,
      workflowId: run.workflowId,
    });
    return run;
  }

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/runs",
      tags: ["Runs"],
      summary: "Create a run",
      description: "The run starts `queued`; the engine picks it up. Poll it or stream its events.",
      middleware: [requireJson] as const,
      request: { body: jsonBody(RunCreate.meta({ id: "RunCreate" })) },
      responses: {
        201: json(RunSchema, "The queued run"),
        415: problem("The body is not JSON"),
        ...commonErrors,
      },
    }),
    async (c) => c.json((await createRun(c.get("principal"), c.req.valid("json"))) as never, 201),
  );

  const ExecuteBody = z.object({ input: JsonValue.optional() }).meta({ id: "ExecuteInput" });
  for (const [kind, path, tag] of [
    ["agent", "/api/agents/{id}/execute", "Agents"],
    ["workflow", "/api/workflows/{id}/execute", "Workflows"],
  ] as const) {
    app.openapi(
      createRoute({
        method: "post",
        path,
        tags: [tag],
        summary: `Run the ${kind}`,
        description: "Shorthand for POST /api/runs with this id.",
        middleware: [requireJson] as const,
        request: { params: IdParams, body: jsonBody(ExecuteBody) },
        responses: {
          201: json(RunSchema, "The queued run"),
          415: problem("The body is not JSON"),
          ...commonErrors,
        },
      }),
      async (c) => {
        const id = c.req.valid("param").id;
        const input = c.req.valid("json").input;
        const body =
          kind === "agent"
            ? RunCreate.parse({ kind, agentId: id, input })
            : RunCreate.parse({ kind, workflowId: id, input });
        const p = c.get("principal");
        await (kind === "agent" ? repos.agents : repos.workflows).getRow(p.workspaceId, id);
        return c.json((await createRun(p, body)) as never, 201);
      },
    );
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/runs",
      tags: ["Runs"],
      summary: "List runs",
      description:
        "Newest first by default. `createdAfter` (inclusive) and `createdBefore` (exclusive) narrow the list to a time range; any UTC offset is accepted and compared as an instant.",
      request: {
        query: ListQuery.omit({ q: true }).extend({
          status: RunStatus.optional(),
          kind: RunKind.optional(),
          agentId: Id.optional(),
          workflowId: Id.optional(),
          conversationId: Id.optional(),
          createdAfter: Timestamp.optional().meta({
            description:
              "Only runs created at or after this instant (inclusive); RFC 3339, e.g. 2025-01-31T00:00:00Z",
          }),
          createdBefore: Timestamp.optional().meta({
            description:
              "Only runs created before this instant (exclusive), so adjacent ranges never overlap; RFC 3339",
          }),
        }),
      },
      responses: { 200: json(pageOf(RunSchema, "RunPage"), "A page of runs"), ...commonErrors },
    }),
    async (c) => {
      const { limit, cursor, sort, ...filters } = c.req.valid("query");
      const { createdAfter, createdBefore } = filters;
      if (createdAfter && createdBefore && Date.parse(createdBefore) <= Date.parse(createdAfter)) {
        throw Invalid.field(
          "query.createdBefore",
          `must be later than createdAfter (${createdAfter}); the range includes createdAfter and excludes createdBefore`,
        );
      }
      const page = await repos.runs.list(c.get("principal").workspaceId, { limit, cursor, sort, filters });
      return c.json(page as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/runs/{id}",
      tags: ["Runs"],
      summary: "Get a run",
      request: { params: IdParams },
      responses: { 200: json(RunSchema, "The run"), 404: notFound, ...commonErrors },
    }),
    async (c) =>
      c.json((await repos.runs.get(c.get("principal").workspaceId, c.req.valid("param").id)) as never, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/runs/{id}/cancel",
      tags: ["Runs"],
      summary: "Cancel a run",
      description:
        "A queued run is cancelled at once; a running or waiting run is asked to stop and ends `cancelled` between steps.",
      request: { params: IdParams },
      responses: {
        200: json(RunSchema, "The run, cancelled or asked to stop"),
        404: notFound,
        409: problem("The run already finished"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const id = c.req.valid("param").id;
      const row = await repos.runs.getRow(workspaceId, id);
      if (isFinalRunStatus(row.status)) {
        throw new Conflict(
          `Run ${id} already ${row.status}; only queued, running or waiting runs can be cancelled.`,
        );
      }
      const now = nowIso();
      const changes =
        row.status === "queued"
          ? {
              status: "cancelled" as const,
              finishedAt: now,
              cancelRequested: true,
              error: { code: "cancelled", message: "Cancelled before it started." },
            }
          : { cancelRequested: true };
      const updated = await repos.runs.update(workspaceId, id, changes);
      if (row.status !== "queued") deps.onRunCancelRequested?.({ id, workspaceId });
      return c.json(updated as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/runs/{id}/steps",
      tags: ["Runs"],
      summary: "List the steps of a run",
      request: { params: IdParams },
      responses: {
        200: json(z.object({ items: z.array(RunStep.meta({ id: "RunStep" })) }), "Steps in start order"),
        404: notFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const id = c.req.valid("param").id;
      await repos.runs.getRow(workspaceId, id);
      return c.json({ items: await repos.runSteps.list(workspaceId, id) } as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/runs/{id}/events",
      tags: ["Runs"],
      summary: "List the events of a run",
      description:
        "Events after `after` (a seq), in order; `nextAfter` continues the listing. With `Accept: text/event-stream` the events stream as Server-Sent Events (`id` = seq, `event` = type) until the run is final, then an `end` event; reconnecting with `Last-Event-ID` resumes after that seq, so every event arrives exactly once.",
      request: {
        params: IdParams,
        query: z.object({
          after: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(1000).default(500),
        }),
      },
      responses: {
        200: {
          description: "Events in seq order (JSON), or a Server-Sent Events stream",
          content: {
            "application/json": {
              schema: z
                .object({ items: z.array(RunEvent.meta({ id: "RunEvent" })), nextAfter: z.number().int() })
                .meta({ id: "RunEventPage" }),
            },
            "text/event-stream": {
              schema: z
                .string()
                .meta({ description: "SSE: id = seq, event = type, data = the RunEvent as JSON" }),
            },
          },
        },
        404: notFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const id = c.req.valid("param").id;
      const { after, limit } = c.req.valid("query");
      await repos.runs.getRow(workspaceId, id);
      if (c.req.header("accept")?.includes("text/event-stream")) {
        return streamRunEvents(c, repos, { id, workspaceId }, after) as never;
      }
      const items = await repos.runEvents.list(workspaceId, id, after, limit);
      return c.json({ items, nextAfter: items.at(-1)?.seq ?? after } as never, 200);
    },
  );

  const Decision = z.object({ comment: z.string().max(10_000).default("") }).meta({ id: "ApprovalDecision" });
  for (const [action, approved] of [
    ["approve", true],
    ["reject", false],
  ] as const) {
    app.openapi(
      createRoute({
        method: "post",
        path: `/api/runs/{id}/${action}`,
        tags: ["Runs"],
        summary: approved ? "Approve a waiting run" : "Reject a waiting run",
        description: approved
          ? "Delivers the approval to the run's waiting approval node; the run continues."
          : "Delivers the rejection to the run's waiting approval node; the run ends failed (approval_rejected).",
        middleware: [requireJson] as const,
        request: { params: IdParams, body: jsonBody(Decision) },
        responses: {
          200: json(RunSchema, "The run, queued to continue"),
          404: notFound,
          409: problem("The run is not waiting for an approval"),
          415: problem("The body is not JSON"),
          ...commonErrors,
        },
      }),
      async (c) => {
        const { workspaceId } = c.get("principal");
        const id = c.req.valid("param").id;
        const row = await repos.runs.getRow(workspaceId, id);
        const decision = { approved, comment: c.req.valid("json").comment };
        const decided =
          row.status === "waiting" &&
          (deps.deliverApproval
            ? await deps.deliverApproval({ id, workspaceId }, decision)
            : (await repos.runStore.decideApproval({ id, workspaceId }, decision)) !== null);
        if (!decided) {
          throw new Conflict(
            `Run ${id} is ${row.status}, not waiting for an approval; only a waiting run can be ${action}d.`,
          );
        }
        // The local engine re-queued the run: wake it. Inngest resumes the run itself.
        if (!deps.deliverApproval) {
          deps.onRunQueued?.({ id, workspaceId, agentId: row.agentId, workflowId: row.workflowId });
        }
        return c.json((await repos.runs.get(workspaceId, id)) as never, 200);
      },
    );
  }
}
