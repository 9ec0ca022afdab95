import { z } from "zod";
import { Id } from "../ids";
import { Description, JsonSchema, Stored, updateOf } from "./common";

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
