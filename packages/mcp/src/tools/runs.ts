import { Id, type Run, RunKind, RunStatus } from "@agentos/core";
import { z } from "zod";
import type { Page } from "../api/page";
import { ApiProblem, type StudioApi } from "../api/studio-api";
import { runResult } from "../runs/result";
import { PageInput } from "./inputs";
import { defineTool, ok, ToolError } from "./tool";

const RunId = Id.describe("Id of the run, e.g. run_01jh…");
const runFields = { "path.id": "runId" };

/** Approve and reject are answered by routes the run engine adds; say so when they are missing. */
async function decide(
  api: StudioApi,
  runId: string,
  decision: "approve" | "reject",
  comment: string | undefined,
) {
  try {
    return await api.post<Run>(`/api/runs/${runId}/${decision}`, comment === undefined ? {} : { comment });
  } catch (error) {
    if (error instanceof ApiProblem && error.isMissingRoute) {
      throw new ToolError(
        `This Studio cannot ${decision} runs yet: it has no POST /api/runs/{id}/${decision} endpoint (the run engine's human approval is not installed). Update the Studio, or cancel the run with cancel_run.`,
      );
    }
    throw error;
  }
}

export const runTools = [
  defineTool({
    name: "get_run",
    title: "Get a run",
    description:
      "Returns a run: its status (queued, running, waiting, succeeded, failed, cancelled), input, output, error, token usage and cost in USD.",
    input: z.object({ runId: RunId }),
    annotations: { readOnlyHint: true },
    fields: runFields,
    async run({ runId }, { api }) {
      return runResult(await api.get<Run>(`/api/runs/${runId}`));
    },
  }),
  defineTool({
    name: "list_runs",
    title: "List runs",
    description:
      "Lists runs, newest first, optionally filtered by status, kind (agent, workflow, chat), agent, workflow or conversation.",
    input: z.object({
      ...PageInput,
      status: RunStatus.optional(),
      kind: RunKind.optional(),
      agentId: Id.optional(),
      workflowId: Id.optional(),
      conversationId: Id.optional(),
    }),
    annotations: { readOnlyHint: true },
    async run(args, { api }) {
      const page = await api.get<Page<Run>>("/api/runs", args);
      return ok(page, `${page.items.length} run(s)${page.nextCursor ? "; more with cursor" : ""}.`);
    },
  }),
  defineTool({
    name: "cancel_run",
    title: "Cancel a run",
    description:
      "Cancels a run: a queued run ends cancelled at once; a running or waiting run is asked to stop and ends cancelled between steps. A finished run cannot be cancelled.",
    input: z.object({ runId: RunId }),
    annotations: { destructiveHint: true, idempotentHint: false },
    fields: runFields,
    async run({ runId }, { api }) {
      const run = await api.post<Run>(`/api/runs/${runId}/cancel`);
      return ok(
        { run },
        run.status === "cancelled" ? `Run ${run.id} cancelled.` : `Run ${run.id} was asked to stop.`,
      );
    },
  }),
  defineTool({
    name: "approve_run",
    title: "Approve a waiting run",
    description:
      "Approves the pending human-approval step of a run in status `waiting`, so it goes on. `comment` is recorded with the decision.",
    input: z.object({ runId: RunId, comment: z.string().max(2000).optional() }),
    fields: runFields,
    async run({ runId, comment }, { api }) {
      const run = await decide(api, runId, "approve", comment);
      return ok({ run }, `Run ${run.id} approved; it is ${run.status}.`);
    },
  }),
  defineTool({
    name: "reject_run",
    title: "Reject a waiting run",
    description:
      "Rejects the pending human-approval step of a run in status `waiting`. `comment` says why and is recorded with the decision.",
    input: z.object({ runId: RunId, comment: z.string().max(2000).optional() }),
    fields: runFields,
    async run({ runId, comment }, { api }) {
      const run = await decide(api, runId, "reject", comment);
      return ok({ run }, `Run ${run.id} rejected; it is ${run.status}.`);
    },
  }),
];
