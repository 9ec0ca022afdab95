import { type Agent, AgentCreate, AgentUpdate, Id, JsonValue, type Run } from "@agentos/core";
import { z } from "zod";
import type { Page } from "../api/page";
import { answerForRun } from "../runs/result";
import { SearchInput, WaitInput } from "./inputs";
import { defineTool, ok } from "./tool";

const AgentId = Id.describe("Id of the agent, e.g. agt_01jh…");

export const agentTools = [
  defineTool({
    name: "list_agents",
    title: "List agents",
    description:
      "Lists the agents of this Studio workspace (newest first), with their model, tools and limits. Pass `q` to search by name and `cursor` to page on.",
    input: z.object(SearchInput),
    annotations: { readOnlyHint: true },
    async run(args, { api }) {
      const page = await api.get<Page<Agent>>("/api/agents", args);
      return ok(page, `${page.items.length} agent(s)${page.nextCursor ? "; more with cursor" : ""}.`);
    },
  }),
  defineTool({
    name: "get_agent",
    title: "Get an agent",
    description:
      "Returns one agent: instructions, model, tool ids, MCP server ids, sandbox policy and limits.",
    input: z.object({ agentId: AgentId }),
    annotations: { readOnlyHint: true },
    fields: { "path.id": "agentId" },
    async run({ agentId }, { api }) {
      return ok(await api.get<Agent>(`/api/agents/${agentId}`));
    },
  }),
  defineTool({
    name: "create_agent",
    title: "Create an agent",
    description:
      "Creates an agent: a name, a model (an LLM provider id and the model name), instructions and optionally tool ids, MCP server ids, a sandbox policy, limits and an output JSON Schema. Names are unique in the workspace.",
    input: AgentCreate,
    fields: {},
    async run(args, { api }) {
      const agent = await api.post<Agent>("/api/agents", args);
      return ok(agent, `Created agent ${agent.name} (${agent.id}).`);
    },
  }),
  defineTool({
    name: "update_agent",
    title: "Update an agent",
    description:
      "Changes the given fields of an agent; fields left out keep their value. Lists (toolIds, mcpServerIds) are replaced, not merged.",
    input: AgentUpdate.extend({ agentId: AgentId }),
    fields: { "path.id": "agentId" },
    async run({ agentId, ...changes }, { api }) {
      const agent = await api.patch<Agent>(`/api/agents/${agentId}`, changes);
      return ok(agent, `Updated agent ${agent.name} (${agent.id}).`);
    },
  }),
  defineTool({
    name: "run_agent",
    title: "Run an agent",
    description:
      "Starts a background run of an agent on `input` (a question, or JSON the agent expects). By default waits for it to finish, sending a progress notification per run event, and returns the output, token usage and cost; with `wait: false` returns the queued run's id at once (follow it with get_run).",
    input: z.object({
      agentId: AgentId,
      input: JsonValue.optional().describe("What to give the agent: text, or any JSON"),
      ...WaitInput,
    }),
    fields: { "path.id": "agentId" },
    async run({ agentId, input, wait, timeoutSeconds }, context) {
      const run = await context.api.post<Run>(`/api/agents/${agentId}/execute`, { input });
      return answerForRun(context.api, run, { wait, timeoutSeconds }, context);
    },
  }),
];
