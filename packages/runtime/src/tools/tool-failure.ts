import type { JsonValue, ToolTestFailureReason } from "@agentos/core";

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
  for (let e: unknown = error; e && parts.length < 4; e = (e as { cause?: unknown }).cause) {
    const message = e instanceof Error ? e.message : String(e);
    if (message && !parts.includes(message)) parts.push(message);
    if (!(e instanceof Error)) break;
  }
  return parts.join(": ") || "unknown error";
}

/** The refusal of the SSRF guard (reason `blocked`) in `error` or its causes, or null. */
export function blockedFailure(error: unknown): ToolFailure | null {
  for (let e: unknown = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (ToolFailure.isInstance(e) && e.reason === "blocked") return e;
  }
  return null;
}

/** Whether `error` or one of its causes is a destination the SSRF guard refused (reason `blocked`). */
export function wasBlocked(error: unknown): boolean {
  return blockedFailure(error) !== null;
}
