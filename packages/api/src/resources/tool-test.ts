import {
  Invalid,
  type JsonValue,
  NotFound,
  type Tool,
  ToolTestRequest,
  ToolTestResult,
  Unprocessable,
} from "@agentos/core";
import { createMcpClientPool, createToolResolver, stdioRefusal, ToolFailure } from "@agentos/runtime";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { ApiDeps, ApiEnv, Principal } from "../context";
import { requireJson } from "../middleware";
import { commonErrors, IdParams, json, jsonBody, problem } from "../openapi-schemas";
import { outboundOf } from "./outbound";

/** A tool test waits at most this long for an MCP server to connect or to answer a call. */
const MCP_CONNECT_TIMEOUT_MS = 15_000;
const MCP_CALL_TIMEOUT_MS = 60_000;

const isRecord = (value: JsonValue): value is Record<string, JsonValue> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Why `tool` cannot be tested in the API process, or null when it can: sandbox tools need an agent's
 * sandbox on a worker, the run-file builtins need a run, and a hosted Studio starts no stdio servers
 * (the MCP client pool would refuse too; this says so before a pool is made).
 */
export async function untestableReason(
  deps: ApiDeps,
  workspaceId: string,
  tool: Tool,
): Promise<string | null> {
  const config = tool.config;
  switch (config.kind) {
    case "http":
      return null;
    case "sandbox":
      return `Tool ${tool.name} is a sandbox tool: it runs in an agent's sandbox on a worker, so it can only be tested from an agent run. Tested here: http, mcp and builtin tools (current_time, fetch_page).`;
    case "builtin":
      return config.builtin === "read_file" || config.builtin === "write_file"
        ? `Tool ${tool.name} (${config.builtin}) reads and writes the files of a run, so it can only be tested from an agent or workflow run.`
        : null;
    case "mcp": {
      const outbound = outboundOf(deps);
      if (!outbound.isHosted) return null;
      const server = await deps.repos.mcpServers.get(workspaceId, config.mcpServerId).catch((error) => {
        // A tool whose server is gone answers that itself, as it would to an agent.
        if (NotFound.isInstance(error)) return null;
        throw error;
      });
      const refusal = server?.transport.type === "stdio" ? stdioRefusal(outbound, server.name) : null;
      return refusal && `Tool ${tool.name} cannot be tested here. ${refusal}`;
    }
  }
}

/** How a call ended: what the model would see, and the failure told apart from it. */
function outcomeOf(
  tool: Tool,
  output: JsonValue,
  failure: ToolFailure | null,
): Omit<ToolTestResult, "durationMs"> {
  if (failure) {
    const fields = failure.details.fields;
    return {
      ok: false,
      output,
      error: {
        reason: failure.reason,
        message: failure.message,
        ...(Array.isArray(fields) ? { fields: fields as Array<{ path: string; message: string }> } : {}),
      },
      request: null,
    };
  }
  const answer = isRecord(output) ? output : null;
  // An http tool or fetch_page that got a non-2xx answer, or an MCP tool that flagged an error.
  const error =
    answer && typeof answer.error === "string"
      ? {
          reason: typeof answer.status === "number" ? ("http_status" as const) : ("tool_error" as const),
          message: answer.error,
        }
      : null;
  const request =
    tool.config.kind === "http" &&
    answer &&
    typeof answer.status === "number" &&
    typeof answer.url === "string"
      ? {
          method: tool.config.method,
          url: answer.url,
          status: answer.status,
          contentType: typeof answer.contentType === "string" ? answer.contentType : "",
        }
      : null;
  return { ok: error === null, output, error, request };
}

/** Calls a stored tool once, outside any run, through the runtime's own tool code. */
export async function testTool(
  deps: ApiDeps,
  principal: Principal,
  toolId: string,
  input: Record<string, JsonValue>,
  signal: AbortSignal,
): Promise<ToolTestResult> {
  const { workspaceId } = principal;
  const tool = await deps.repos.tools.get(workspaceId, toolId);
  const refusal = await untestableReason(deps, workspaceId, tool);
  if (refusal) throw new Unprocessable(refusal);

  // As on the worker: hosted, every URL must lead to a public or operator-allowed address.
  const outbound = outboundOf(deps);
  // A pool of this call's own: a stdio server it starts ends with the test.
  const mcp = createMcpClientPool({
    connectTimeoutMs: MCP_CONNECT_TIMEOUT_MS,
    callTimeoutMs: MCP_CALL_TIMEOUT_MS,
    outbound,
  });
  const resolver = createToolResolver({
    repos: deps.repos,
    mcp,
    outbound,
    // As on the worker: in local mode, pages on the user's own machine are theirs to fetch.
    fetchPage: { allowPrivateNetwork: deps.config.mode === "local" },
  });
  const runtime = resolver.strictTool(workspaceId, tool);
  const started = performance.now();
  try {
    let output: JsonValue;
    let failure: ToolFailure | null = null;
    try {
      output = await runtime.execute(input, {
        workspaceId,
        runId: "",
        agent: null,
        signal,
        // Nothing is written to runs: a tool test has none.
        log: async () => {},
      });
    } catch (error) {
      if (signal.aborted) throw error;
      // A header naming a secret the vault lacks fails an agent's step; here it is the tool's fault, not the request's.
      if (Invalid.isInstance(error)) failure = new ToolFailure(error.message, { cause: error });
      else if (ToolFailure.isInstance(error)) failure = error;
      else throw error;
      output = failure.toResult();
    }
    return { ...outcomeOf(tool, output, failure), durationMs: Math.round(performance.now() - started) };
  } finally {
    await mcp.close();
  }
}

/** `POST /api/tools/{id}/test`: one real call of a stored tool, its answer and timing, no run. */
export function registerToolTestRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/tools/{id}/test",
      tags: ["Tools"],
      summary: "Test a tool",
      description:
        "Calls the stored tool once with `input`, in the API process, through the same code an agent's tool call runs: the input is checked against the tool's inputSchema, templates and `{{secret:NAME}}` headers are filled, and the request goes through the SSRF guard (private addresses refused unless `allowPrivateNetwork` — in a hosted Studio, unless the operator lists them in `AGENTOS_OUTBOUND_ALLOW`, for MCP servers too — every redirect re-checked, sockets pinned to the vetted addresses) with the tool's timeout and response cap. Nothing is written to runs. A failing call answers 200 with `ok: false`, `error.reason` and the message the model would get; `output` is exactly what the model would receive. Testable here: `http`, `mcp` (Streamable HTTP, and stdio in local mode; the server is started for the test and stopped after it) and `builtin` `current_time` and `fetch_page`. Sandbox tools and `read_file`/`write_file` need a run, and a hosted Studio starts no stdio MCP servers (they run only in local mode; one stored before is never started): those answer 422. Needs the `run` scope.",
      middleware: [requireJson] as const,
      request: { params: IdParams, body: jsonBody(ToolTestRequest.meta({ id: "ToolTestRequest" })) },
      responses: {
        200: json(ToolTestResult.meta({ id: "ToolTestResult" }), "The outcome of the call"),
        403: problem("The token lacks the run scope"),
        404: problem("No such tool in this workspace"),
        415: problem("The body is not JSON"),
        422: problem("This kind of tool cannot be tested here; the detail says where it can"),
        ...commonErrors,
      },
    }),
    async (c) => {
      // A test executes the tool (it may call paid APIs), so it needs the run scope (auth/scopes.ts).
      const principal = c.get("principal");
      const { input } = c.req.valid("json");
      const result = await testTool(deps, principal, c.req.valid("param").id, input, c.req.raw.signal);
      return c.json(result as never, 200);
    },
  );
}
