import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import { ApiProblem, type StudioApi } from "../api/studio-api";

/** What a tool runs with: the API as the caller sees it, the call's abort signal, progress. */
export interface ToolContext {
  api: StudioApi;
  /** Aborted when the client cancels the call or goes away. */
  signal: AbortSignal;
  /** Sends a `notifications/progress` when the client asked for progress (a progressToken). */
  progress(message: string): Promise<void>;
}

/** One MCP tool over the contract API. */
export interface StudioTool<S extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: S;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean };
  /**
   * Maps an API field path (`body.name`, `path.id`) to the tool argument a caller should fix;
   * by default `body.`/`query.` are dropped and `path.id` stays as is.
   */
  fields?: Record<string, string>;
  run(args: z.output<S>, context: ToolContext): Promise<CallToolResult>;
}

/** Declares a tool; only narrows the type. */
export function defineTool<S extends z.ZodObject>(tool: StudioTool<S>): StudioTool<S> {
  return tool;
}

/** A domain failure a tool reports to the caller as a tool error (`isError: true`). */
export class ToolError extends Error {
  override name = "ToolError";
}

/** A successful result: a one-line summary for people and models, the JSON, and structured content. */
export function ok(value: unknown, summary?: string): CallToolResult {
  const json = JSON.stringify(value, null, 2);
  return {
    content: [{ type: "text", text: summary ? `${summary}\n\n${json}` : json }],
    ...(value !== null && typeof value === "object" && !Array.isArray(value)
      ? { structuredContent: value as Record<string, unknown> }
      : {}),
  };
}

/** A tool error: the call reached the tool, which could not do what was asked. */
export function toolError(text: string, structured?: Record<string, unknown>): CallToolResult {
  return {
    content: [{ type: "text", text }],
    isError: true,
    ...(structured ? { structuredContent: structured } : {}),
  };
}

function argumentName(path: string, fields: Record<string, string> | undefined): string {
  const mapped = fields?.[path];
  if (mapped) return mapped;
  return path.replace(/^(body|query)\./, "");
}

/** Readable text for a problem+json answer, naming each bad field by its tool argument. */
export function describeProblem(error: ApiProblem, fields?: Record<string, string>): string {
  const { problem } = error;
  if (problem.errors && problem.errors.length > 0) {
    const lines = problem.errors.map((e) => `- ${argumentName(e.path, fields)}: ${e.message}`);
    return `${problem.title} (${error.status}). Fix these arguments:\n${lines.join("\n")}`;
  }
  return `${problem.title} (${error.status}): ${problem.detail}`;
}

/** Readable text for a failed zod parse of tool arguments, one line per field. */
export function describeInvalidArguments(toolName: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    return `- ${path || "(arguments)"}: ${issue.message}`;
  });
  return `Invalid arguments for ${toolName}. Fix these arguments:\n${lines.join("\n")}`;
}

/**
 * Runs a tool on raw arguments: validation failures and API problems become tool errors with
 * the field named; anything unexpected becomes a tool error without internals (and is logged).
 */
export async function runTool(
  tool: StudioTool,
  args: unknown,
  context: ToolContext,
): Promise<CallToolResult> {
  const parsed = tool.input.safeParse(args ?? {});
  if (!parsed.success) return toolError(describeInvalidArguments(tool.name, parsed.error));
  try {
    return await tool.run(parsed.data, context);
  } catch (error) {
    if (error instanceof ApiProblem) return toolError(describeProblem(error, tool.fields));
    if (error instanceof ToolError) return toolError(error.message);
    if (context.signal.aborted) throw error;
    console.error(`[mcp] tool ${tool.name} failed:`, error);
    return toolError(
      `${tool.name} failed unexpectedly on the server; it has been logged. Try again, and report it if it persists.`,
    );
  }
}
