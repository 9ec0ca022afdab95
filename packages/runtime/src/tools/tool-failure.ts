import type { JsonValue, ToolTestFailureReason } from "@agentos/core";
import { causeChain } from "../cause-chain";

/** What kind of failure it was, for callers that report it apart (the tool test endpoint); the model reads the message. */
export type ToolFailureReason = Exclude<ToolTestFailureReason, "http_status">;

const marker = Symbol.for("agentos.error.ToolFailure");

/**
 * A failure the model should see and may work around (a refused address, a 404, a bad input, an
 * MCP tool error): the resolver turns it into the tool's result `{ error, ...details }` instead of
 * failing the step. Anything else thrown by a tool (a database fault, a bug) propagates.
 */
export class ToolFailure extends Error {
  readonly [marker] = true;
  /** Extra JSON fields returned beside `error`, e.g. the fields that failed validation. */
  readonly details: Record<string, JsonValue>;
  readonly reason: ToolFailureReason;

  constructor(
    message: string,
    options?: { cause?: unknown; details?: Record<string, JsonValue>; reason?: ToolFailureReason },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options?.details ?? {};
    this.reason = options?.reason ?? "tool_error";
  }

  static isInstance(e: unknown): e is ToolFailure {
    return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[marker] === true;
  }

  /** The value a tool call returns for this failure. */
  toResult(): JsonValue {
    return { error: this.message, ...this.details };
  }
}

/** The message of an error and of its causes, for a tool failure that wraps a lower-level error. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  for (const e of causeChain(error)) {
    const message = e instanceof Error ? e.message : String(e);
    if (message && !parts.includes(message)) parts.push(message);
    if (!(e instanceof Error) || parts.length === 4) break;
  }
  return parts.join(": ") || "unknown error";
}

/** The refusal of the SSRF guard (reason `blocked`) in `error` or its causes, or null. */
export function blockedFailure(error: unknown): ToolFailure | null {
  const blocked = causeChain(error).find((e) => ToolFailure.isInstance(e) && e.reason === "blocked");
  return (blocked as ToolFailure | undefined) ?? null;
}

/** Whether `error` or one of its causes is a destination the SSRF guard refused (reason `blocked`). */
export function wasBlocked(error: unknown): boolean {
  return blockedFailure(error) !== null;
}
