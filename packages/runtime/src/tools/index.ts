export { BUILTIN_DEFINITIONS, type BuiltinName, currentTime, htmlToReadableText } from "./builtin";
export { type GuardedRequest, type GuardedResponse, guardedFetch, MAX_REDIRECTS } from "./guarded-fetch";
export { createInputValidator, type FieldProblem } from "./input";
export { loadMcpServer, mcpResultValue, mcpToolName, refreshMcpServerTools } from "./mcp";
export {
  createMcpClientPool,
  type McpClientPool,
  type McpClientPoolOptions,
  type McpServerConnection,
} from "./mcp-pool";
export { createToolResolver, type RuntimeToolResolver, type ToolResolverDeps } from "./resolver";
export { commandFor, SANDBOX_INPUT_SCHEMA } from "./sandbox";
export { type HostLookup, rangeOf, vetUrl } from "./ssrf";
export { ToolFailure } from "./tool-failure";
export type { RuntimeTool, ToolContext, ToolResolver } from "./types";
