export {
  type ApiHandle,
  ApiProblem,
  type ProblemDetails,
  type StudioApi,
  studioApiFor,
} from "./api/studio-api";
export {
  type Connection,
  createMcpEndpoint,
  type McpEndpoint,
  type McpEndpointOptions,
} from "./endpoint/endpoint";
export { anonymousRefusal, isLoopbackAddress, isLoopbackHost } from "./endpoint/loopback";
export { describeEvent, followRun } from "./runs/follow";
export { createStudioMcpServer, SERVER_NAME, STUDIO_TOOLS, type StudioMcpServerOptions } from "./server";

/** Where the Studio serves MCP, on web and on the headless server. */
export const MCP_PATH = "/mcp";
