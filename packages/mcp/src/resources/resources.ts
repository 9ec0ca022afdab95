import type { Agent, Run, RunEvent } from "@agentos/core";
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, McpError, type ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import type { Page } from "../api/page";
import { ApiProblem, type StudioApi } from "../api/studio-api";

/** Resource read errors are protocol errors (MCP's -32002 for a missing resource). */
const RESOURCE_NOT_FOUND = -32002;
/** Most events one read of a run's log returns. */
const MAX_LOG_EVENTS = 10_000;
const JSON_TYPE = "application/json";

function asMcpError(error: unknown, uri: string): unknown {
  if (!(error instanceof ApiProblem)) return error;
  if (error.status === 404) return new McpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
  if (error.status === 400 || error.status === 401 || error.status === 403) {
    return new McpError(ErrorCode.InvalidParams, `${error.problem.title}: ${error.problem.detail}`, { uri });
  }
  return new McpError(ErrorCode.InternalError, `${error.problem.title}: ${error.problem.detail}`, { uri });
}

function variable(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
}

async function readJson(uri: URL, load: () => Promise<unknown>): Promise<ReadResourceResult> {
  try {
    const value = await load();
    return { contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: JSON.stringify(value, null, 2) }] };
  } catch (error) {
    throw asMcpError(error, uri.href);
  }
}

async function runLog(api: StudioApi, runId: string): Promise<{ runId: string; events: RunEvent[] }> {
  const events: RunEvent[] = [];
  let after = 0;
  while (events.length < MAX_LOG_EVENTS) {
    const page = await api.get<{ items: RunEvent[]; nextAfter: number }>(`/api/runs/${runId}/events`, {
      after,
      limit: 1000,
    });
    events.push(...page.items);
    if (page.items.length < 1000) break;
    after = page.nextAfter;
  }
  return { runId, events };
}

/**
 * Registers the agent, run and run-log resources. `apiFor` gives the API as the caller of one
 * request sees it (their token forwarded).
 */
export function registerResources(server: McpServer, apiFor: (extra: unknown) => StudioApi): void {
  server.registerResource(
    "agent",
    new ResourceTemplate("agentos://agents/{agentId}", {
      list: async (extra) => {
        const page = await apiFor(extra).get<Page<Agent>>("/api/agents", { limit: 100 });
        return {
          resources: page.items.map((a) => ({
            uri: `agentos://agents/${a.id}`,
            name: a.name,
            description: a.description || `Agent on ${a.model.model}`,
            mimeType: JSON_TYPE,
          })),
        };
      },
    }),
    {
      title: "Agent",
      description: "An agent's definition (model, instructions, tools, limits) as JSON.",
      mimeType: JSON_TYPE,
    },
    (uri, { agentId }, extra) => readJson(uri, () => apiFor(extra).get(`/api/agents/${variable(agentId)}`)),
  );

  server.registerResource(
    "run",
    new ResourceTemplate("agentos://runs/{runId}", {
      list: async (extra) => {
        const page = await apiFor(extra).get<Page<Run>>("/api/runs", { limit: 50 });
        return {
          resources: page.items.map((r) => ({
            uri: `agentos://runs/${r.id}`,
            name: `${r.kind} run ${r.id} (${r.status})`,
            mimeType: JSON_TYPE,
          })),
        };
      },
    }),
    {
      title: "Run",
      description: "A run (status, input, output, error, usage, cost) as JSON; the 50 newest are listed.",
      mimeType: JSON_TYPE,
    },
    (uri, { runId }, extra) => readJson(uri, () => apiFor(extra).get(`/api/runs/${variable(runId)}`)),
  );

  server.registerResource(
    "run-events",
    new ResourceTemplate("agentos://runs/{runId}/events", { list: undefined }),
    {
      title: "Run log",
      description: `The events of a run in order (status changes, steps, text, tool calls, usage, logs), up to ${MAX_LOG_EVENTS}.`,
      mimeType: JSON_TYPE,
    },
    (uri, { runId }, extra) => readJson(uri, () => runLog(apiFor(extra), variable(runId))),
  );
}
