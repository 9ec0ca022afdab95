export {
  type AllowList,
  type Destination,
  EMPTY_ALLOW_LIST,
  isAllowListed,
  parseAllowList,
} from "./allow-list";
export { BUILTIN_DEFINITIONS, type BuiltinName, currentTime, htmlToReadableText } from "./builtin";
export {
  createGuardedFetch,
  type GuardedRequest,
  type GuardedResponse,
  guardedFetch,
  MAX_REDIRECTS,
} from "./guarded-fetch";
export { createInputValidator, type FieldProblem } from "./input";
export { loadMcpServer, mcpResultValue, mcpToolName, refreshMcpServerTools } from "./mcp";
export {
  createMcpClientPool,
  type McpClientPool,
  type McpClientPoolOptions,
  type McpServerConnection,
} from "./mcp-pool";
export {
  LOCAL_OUTBOUND_POLICY,
  OUTBOUND_ALLOW_SETTING,
  type OutboundPolicy,
  outboundFetch,
  outboundPolicyFor,
  serviceUrlRefusal,
  stdioRefusal,
  toolNetworkPolicy,
} from "./outbound-policy";
export { createToolResolver, type RuntimeToolResolver, type ToolResolverDeps } from "./resolver";
export { commandFor, SANDBOX_INPUT_SCHEMA } from "./sandbox";
export { type HostLookup, rangeOf, refusalOf, vetUrl } from "./ssrf";
export { ToolFailure, wasBlocked } from "./tool-failure";
export type { RuntimeTool, ToolContext, ToolResolver } from "./types";
