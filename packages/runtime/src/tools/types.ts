import type { Agent, JsonSchema, JsonValue } from "@agentos/core";

/** What a tool execution knows about the run it serves. */
export interface ToolContext {
  workspaceId: string;
  /** The run served; empty when the tool is called outside a run (`POST /api/tools/{id}/test`). */
  runId: string;
  agent: Agent | null;
  /** Aborted when the run is cancelled or the step times out. */
  signal: AbortSignal;
  /** Appends a `log` run event. */
  log(message: string): Promise<void>;
}

/** A tool as the agent loop sees it: a JSON-schema described function returning JSON. */
export interface RuntimeTool {
  /** Unique per agent; what the model calls it by. */
  name: string;
  description: string;
  inputSchema: JsonSchema;
  execute(input: JsonValue, context: ToolContext): Promise<JsonValue>;
}

/** Builds the tools an agent may call: its own tools plus the tools of its MCP servers. */
export interface ToolResolver {
  toolsForAgent(workspaceId: string, agent: Agent): Promise<RuntimeTool[]>;
  /** A single stored tool by id (workflow tool nodes). */
  toolById(workspaceId: string, toolId: string): Promise<RuntimeTool>;
}
