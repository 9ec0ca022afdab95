/**
 * The one error model: domain code throws these, the API maps them to problem+json (RFC 9457).
 * Each class carries a Symbol.for marker so `isInstance` holds across bundles (Next.js copies packages).
 */
export interface FieldError {
  /** Dotted path of the offending field, e.g. `body.model.providerId` or `query.limit`. */
  path: string;
  message: string;
}

const marker = Symbol.for("agentos.error");

export abstract class AgentOsError extends Error {
  readonly [marker] = true;
  abstract readonly status: number;
  abstract readonly code: string;
  /** Short, stable summary for problem+json `title`. */
  abstract readonly title: string;
  readonly errors: FieldError[] | undefined;

  constructor(message: string, options?: { cause?: unknown; errors?: FieldError[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.errors = options?.errors;
  }

  static isInstance(e: unknown): e is AgentOsError {
    return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[marker] === true;
  }
}

function label(entity: string): string {
  const words = entity.replace(/[-_]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export class NotFound extends AgentOsError {
  readonly status = 404;
  readonly code = "not_found";
  readonly title: string;
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${label(entity)} ${id} does not exist in this workspace.`);
    this.title = `${label(entity)} not found`;
  }
}

export class Conflict extends AgentOsError {
  readonly status = 409;
  readonly code = "conflict";
  readonly title = "Conflict";
}

export class Invalid extends AgentOsError {
  readonly status = 400;
  readonly code = "invalid";
  readonly title = "Invalid request";
  /** One bad field, with a message saying what to send instead. */
  static field(path: string, message: string): Invalid {
    return new Invalid(`${path}: ${message}`, { errors: [{ path, message }] });
  }
}

export class Forbidden extends AgentOsError {
  readonly status = 403;
  readonly code = "forbidden";
  readonly title = "Forbidden";
}

export class Unauthorized extends AgentOsError {
  readonly status = 401;
  readonly code = "unauthorized";
  readonly title = "Authentication required";
}

export class Unavailable extends AgentOsError {
  readonly status = 503;
  readonly code = "unavailable";
  readonly title = "Service unavailable";
}

export class PayloadTooLarge extends AgentOsError {
  readonly status = 413;
  readonly code = "payload_too_large";
  readonly title = "Payload too large";
}

export class UnsupportedMediaType extends AgentOsError {
  readonly status = 415;
  readonly code = "unsupported_media_type";
  readonly title = "Unsupported media type";
}
