import { Id, JsonValue, type Run, type Workflow } from "@agentos/core";
import { z } from "zod";
import type { Page } from "../api/page";
import { answerForRun } from "../runs/result";
import { SearchInput, WaitInput } from "./inputs";
import { defineTool, ok } from "./tool";

export const workflowTools = [
  defineTool({
    name: "list_workflows",
    title: "List workflows",
    description:
      "Lists the workflows of this workspace (graphs of agent, tool, condition, approval and output nodes), newest first.",
    input: z.object(SearchInput),
    annotations: { readOnlyHint: true },
    async run(args, { api }) {
      const page = await api.get<Page<Workflow>>("/api/workflows", args);
      return ok(page, `${page.items.length} workflow(s)${page.nextCursor ? "; more with cursor" : ""}.`);
    },
  }),
  defineTool({
    name: "execute_workflow",
    title: "Execute a workflow",
    description:
      "Starts a background run of a workflow on `input`. By default waits for it to finish, with a progress notification per run event; with `wait: false` returns the queued run's id at once. A workflow with an approval node stops in status `waiting` until approve_run or reject_run.",
    input: z.object({
      workflowId: Id.describe("Id of the workflow, e.g. wf_01jh…"),
      input: JsonValue.optional().describe("The workflow's input: any JSON"),
      ...WaitInput,
    }),
    fields: { "path.id": "workflowId" },
    async run({ workflowId, input, wait, timeoutSeconds }, context) {
      const run = await context.api.post<Run>(`/api/workflows/${workflowId}/execute`, { input });
      return answerForRun(context.api, run, { wait, timeoutSeconds }, context);
    },
  }),
];
