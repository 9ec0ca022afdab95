import { z } from "zod";
import { Id } from "../ids";
import { Description, JsonSchema, JsonValue, Stored, updateOf } from "./common";

export const TOOL_KINDS = ["http", "mcp", "sandbox", "builtin"] as const;
export const ToolKind = z.enum(TOOL_KINDS);
export type ToolKind = z.infer<typeof ToolKind>;

export const BUILTIN_TOOLS = ["current_time", "fetch_page", "read_file", "write_file"] as const;

export const HttpToolConfig = z.object({
  kind: z.literal("http"),
  method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("GET"),
  url: z.string().min(1).max(4000).describe("URL template; {name} is replaced by the input field `name`"),
  headers: z.record(z.string().min(1).max(200), z.string().max(8000)).default({}),
  bodyTemplate: z
    .string()
    .max(100_000)
    .nullable()
    .default(null)
    .describe("Body template; null sends the input as JSON"),
  timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  allowPrivateNetwork: z
    .boolean()
    .default(false)
    .describe("Let the tool reach loopback, link-local and private addresses"),
});
export const McpToolConfig = z.object({
  kind: z.literal("mcp"),
  mcpServerId: Id,
  toolName: z.string().min(1).max(200),
});
export const SandboxToolConfig = z.object({
  kind: z.literal("sandbox"),
  language: z.enum(["bash", "python", "node"]).default("bash"),
  timeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
});
export const BuiltinToolConfig = z.object({
  kind: z.literal("builtin"),
  builtin: z.enum(BUILTIN_TOOLS),
});
export const ToolConfig = z.discriminatedUnion("kind", [
  HttpToolConfig,
  McpToolConfig,
  SandboxToolConfig,
  BuiltinToolConfig,
]);
export type ToolConfig = z.infer<typeof ToolConfig>;

export const ToolCreate = z.object({
  name: z
    .string()
    .regex(
      /^[a-zA-Z0-9_-]{1,64}$/,
      "must be 1–64 letters, digits, _ or - (models require this for tool names)",
    ),
  description: Description.default(""),
  inputSchema: JsonSchema.default({ type: "object", properties: {} }),
  config: ToolConfig,
});
export type ToolCreate = z.input<typeof ToolCreate>;
export const ToolUpdate = updateOf(ToolCreate);
export type ToolUpdate = z.input<typeof ToolUpdate>;

export const Tool = z.object({ id: Id, workspaceId: Id, kind: ToolKind, ...ToolCreate.shape, ...Stored });
export type Tool = z.infer<typeof Tool>;

/** `POST /api/tools/{id}/test`: the arguments to call the stored tool with. */
export const ToolTestRequest = z.object({
  input: z
    .record(z.string(), JsonValue)
    .default({})
    .describe(
      "The arguments as an agent's model would send them, checked against the tool's inputSchema; default none",
    ),
});
export type ToolTestRequest = z.input<typeof ToolTestRequest>;

export const TOOL_TEST_FAILURES = [
  "invalid_input",
  "blocked",
  "timeout",
  "network",
  "http_status",
  "tool_error",
] as const;
export const ToolTestFailureReason = z
  .enum(TOOL_TEST_FAILURES)
  .describe(
    "invalid_input: the arguments do not match the tool's inputSchema; blocked: the SSRF guard refused the address or scheme; timeout: no answer within the tool's timeoutMs; network: DNS, connection or redirect failure; http_status: the server answered outside 2xx; tool_error: any other failure the tool reported (an MCP tool error, a bad template)",
  );
export type ToolTestFailureReason = z.infer<typeof ToolTestFailureReason>;

export const ToolTestResult = z.object({
  ok: z.boolean().describe("True when the tool answered without a failure (for HTTP tools: a 2xx answer)"),
  output: JsonValue.describe(
    "Exactly what an agent's model receives for this call; for an HTTP tool {status, ok, url, contentType, body}",
  ),
  error: z
    .object({
      reason: ToolTestFailureReason,
      message: z.string(),
      fields: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .describe("The input fields that were refused, e.g. by the inputSchema"),
    })
    .nullable()
    .describe("Why the call failed; null when ok"),
  durationMs: z.number().int().nonnegative().describe("Time the tool took, validation included"),
  request: z
    .object({
      method: z.string(),
      url: z.string().describe("The URL of the last hop, after redirects"),
      status: z.number().int(),
      contentType: z.string(),
    })
    .nullable()
    .describe("The HTTP exchange of an http tool that got an answer (the body is in output); null otherwise"),
});
export type ToolTestResult = z.infer<typeof ToolTestResult>;
