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

/** A type guard for the domain errors whose `code` is `code`. */
function isKind<T extends AgentOsError>(code: string): (e: unknown) => e is T {
  return (e): e is T => AgentOsError.isInstance(e) && e.code === code;
}

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

  /**
   * True for a domain error made by any copy of this package. Each subclass has its own
   * (`NotFound.isInstance(e)` is true only for a NotFound). A property, so it can be passed around.
   */
  static readonly isInstance: (e: unknown) => e is AgentOsError = (e): e is AgentOsError =>
    typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[marker] === true;
}

function label(entity: string): string {
  const words = entity.replace(/[-_]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export class NotFound extends AgentOsError {
  static override readonly isInstance = isKind<NotFound>("not_found");
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
  static override readonly isInstance = isKind<Conflict>("conflict");
  readonly status = 409;
  readonly code = "conflict";
  readonly title = "Conflict";
}

export class Invalid extends AgentOsError {
  static override readonly isInstance = isKind<Invalid>("invalid");
  readonly status = 400;
  readonly code = "invalid";
  readonly title = "Invalid request";
  /** One bad field, with a message saying what to send instead. */
  static field(path: string, message: string): Invalid {
    return new Invalid(`${path}: ${message}`, { errors: [{ path, message }] });
  }
}

/** The request is well formed, but this server cannot do it for this resource (e.g. a tool kind it cannot test). */
export class Unprocessable extends AgentOsError {
  static override readonly isInstance = isKind<Unprocessable>("unprocessable");
  readonly status = 422;
  readonly code = "unprocessable";
  readonly title = "Cannot be done here";
}

export class Forbidden extends AgentOsError {
  static override readonly isInstance = isKind<Forbidden>("forbidden");
  readonly status = 403;
  readonly code = "forbidden";
  readonly title = "Forbidden";
}

export class Unauthorized extends AgentOsError {
  static override readonly isInstance = isKind<Unauthorized>("unauthorized");
  readonly status = 401;
  readonly code = "unauthorized";
  readonly title = "Authentication required";
}

export class Unavailable extends AgentOsError {
  static override readonly isInstance = isKind<Unavailable>("unavailable");
  readonly status = 503;
  readonly code = "unavailable";
  readonly title = "Service unavailable";
}

export class PayloadTooLarge extends AgentOsError {
  static override readonly isInstance = isKind<PayloadTooLarge>("payload_too_large");
  readonly status = 413;
  readonly code = "payload_too_large";
  readonly title = "Payload too large";
}

export class UnsupportedMediaType extends AgentOsError {
  static override readonly isInstance = isKind<UnsupportedMediaType>("unsupported_media_type");
  readonly status = 415;
  readonly code = "unsupported_media_type";
  readonly title = "Unsupported media type";
}
