import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  McpError,
  type ServerNotification,
  type ServerRequest,
} from "@modelcontextprotocol/sdk/types.js";
import { type ApiHandle, type StudioApi, studioApiFor } from "./api/studio-api";
import { registerResources } from "./resources/resources";
import { agentTools } from "./tools/agents";
import { catalogTools } from "./tools/catalog";
import { chatTools } from "./tools/chat";
import { runTools } from "./tools/runs";
import { sandboxTools } from "./tools/sandboxes";
import { statsTools } from "./tools/stats";
import { runTool, type StudioTool, type ToolContext } from "./tools/tool";
import { workflowTools } from "./tools/workflows";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Every tool the Studio offers over MCP, in the order tools/list gives them. */
export const STUDIO_TOOLS: readonly StudioTool[] = [
  ...agentTools,
  ...runTools,
  ...workflowTools,
  ...catalogTools,
  ...chatTools,
  ...sandboxTools,
  ...statsTools,
] as StudioTool[];

export const SERVER_NAME = "agentos-studio";

const INSTRUCTIONS =
  "AgentOS Studio: define agents (model + tools), run them as background runs, chat with them, run workflows and sandboxes. " +
  "Runs are asynchronous: run_agent, execute_workflow and chat_with_agent wait for the result by default (progress notifications follow the run); pass wait: false to get the run id at once and check it with get_run. " +
  "Resources: agentos://agents/{agentId}, agentos://runs/{runId} and the run log agentos://runs/{runId}/events.";

export interface StudioMcpServerOptions {
  /** The contract API, called in-process. */
  api: ApiHandle;
  version: string;
}

/** The API as the caller of one request sees it: their bearer token (if any) is forwarded. */
function callerApi(api: ApiHandle, extra: unknown): StudioApi {
  const token = (extra as Partial<Extra> | undefined)?.authInfo?.token;
  return studioApiFor(api, token || undefined);
}

function toolContext(api: ApiHandle, extra: Extra): ToolContext {
  const progressToken = extra._meta?.progressToken;
  let progress = 0;
  return {
    api: callerApi(api, extra),
    signal: extra.signal,
    async progress(message) {
      if (progressToken === undefined) return;
      progress += 1;
      await extra.sendNotification({
        method: "notifications/progress",
        params: { progressToken, progress, message },
      });
    },
  };
}

/**
 * The Studio's MCP server: tools and resources over the contract API. One instance serves one
 * session (or one stateless request); the caller's token arrives per request as `authInfo`.
 */
export function createStudioMcpServer(options: StudioMcpServerOptions): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: "AgentOS Studio", version: options.version },
    { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS },
  );
  const byName = new Map(STUDIO_TOOLS.map((tool) => [tool.name, tool]));
  for (const tool of STUDIO_TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        ...(tool.annotations ? { annotations: { title: tool.title, ...tool.annotations } } : {}),
      },
      (args: unknown, extra: Extra) => runTool(tool, args, toolContext(options.api, extra)),
    );
  }
  // McpServer (SDK 1.32) answers an unknown tool with a tool result; the MCP spec makes it a
  // protocol error (-32602), and our arguments errors name fields by argument. So tools/call is
  // answered here, with the same tools registered above for tools/list.
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      throw new McpError(
        ErrorCode.InvalidParams,
        `Unknown tool "${request.params.name}": call tools/list for the tools this Studio offers.`,
      );
    }
    return runTool(tool, request.params.arguments, toolContext(options.api, extra));
  });
  registerResources(server, (extra) => callerApi(options.api, extra));
  return server;
}
