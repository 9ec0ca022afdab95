import { z } from "zod";
import { Id } from "../ids";
import { Description, JsonSchema, Name, Stored, Timestamp, updateOf } from "./common";

export const McpTransport = z.discriminatedUnion("type", [
  z.object({ type: z.literal("streamable-http"), url: z.url({ protocol: /^https?$/ }) }),
  z.object({
    type: z.literal("stdio"),
    command: z.string().min(1).max(1000),
    args: z.array(z.string().max(4000)).max(100).default([]),
  }),
]);
export type McpTransport = z.infer<typeof McpTransport>;

export const McpServerTool = z.object({
  name: z.string(),
  description: z.string().default(""),
  inputSchema: JsonSchema,
});

const McpServerFields = z.object({
  name: Name,
  description: Description.default(""),
  transport: McpTransport,
  enabled: z.boolean().default(true),
});

export const McpServerCreate = McpServerFields.extend({
  authToken: z
    .string()
    .min(1)
    .max(8000)
    .optional()
    .describe("Bearer token sent to the server; write-only, encrypted at rest"),
});
export type McpServerCreate = z.input<typeof McpServerCreate>;
export const McpServerUpdate = updateOf(McpServerCreate).extend({
  authToken: z.string().min(1).max(8000).nullable().optional().describe("null removes the token"),
});
export type McpServerUpdate = z.input<typeof McpServerUpdate>;

export const McpServer = z.object({
  id: Id,
  workspaceId: Id,
  ...McpServerFields.shape,
  hasAuthToken: z.boolean(),
  tools: z.array(McpServerTool).describe("Tools the server listed when last checked"),
  lastCheckedAt: Timestamp.nullable(),
  ...Stored,
});
export type McpServer = z.infer<typeof McpServer>;
