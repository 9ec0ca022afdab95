import { AgentOsError, Unavailable } from "@agentos/core";
import { APICallError } from "@ai-sdk/provider";
import { RetryError } from "ai";
import { causeChain } from "../cause-chain";

const PROVIDER_ERROR = Symbol.for("agentos.error.ProviderError");

/**
 * A model provider call that failed for good: `message` says why and what to do. `retriable` tells
 * a durable step whether trying the whole step again later may help (rate limits, outages) or not
 * (a bad key, an unknown model, a rejected request).
 */
export class ProviderError extends Unavailable {
  readonly [PROVIDER_ERROR] = true;
  /** HTTP status the provider answered, if it answered. */
  readonly upstreamStatus: number | undefined;
  readonly retriable: boolean;
  /** Calls made, the first included. */
  readonly attempts: number;

  constructor(
    message: string,
    options: { cause: unknown; retriable: boolean; attempts: number; upstreamStatus?: number | undefined },
  ) {
    super(message, { cause: options.cause });
    this.retriable = options.retriable;
    this.attempts = options.attempts;
    this.upstreamStatus = options.upstreamStatus;
  }

  /** True for a ProviderError from any copy of this package. */
  static is(e: unknown): e is ProviderError {
    return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[PROVIDER_ERROR] === true;
  }
}

export interface ProviderRetryOptions {
  /** Retries after the first call; 0 calls once. */
  maxRetries: number;
  signal?: AbortSignal | undefined;
  /** Waits between attempts; injectable so tests see the requested delays. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** First backoff delay; doubles each retry. Default 1 s. */
  initialDelayMs?: number;
  /** Longest single wait, backoff or `retry-after`; a provider asking for more ends the retries. Default 60 s. */
  maxDelayMs?: number;
  /** Called before each wait, e.g. to log a run event. */
  onRetry?: (retry: { attempt: number; delayMs: number; reason: string }) => void;
  random?: () => number;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** Statuses worth another try: timeout, conflict, rate limit, and any server-side failure. */
export const isRetriableStatus = (status: number): boolean =>
  status === 408 || status === 409 || status === 429 || status >= 500;

function networkCode(error: unknown): string | undefined {
  for (const e of causeChain(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (NETWORK_CODES.has(code) || code === "ENOTFOUND")) return code;
  }
  return undefined;
}

const isAbort = (error: unknown) =>
  error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");

/** The provider failure inside an AI SDK error: RetryError wraps the last one. */
function unwrap(error: unknown): unknown {
  return RetryError.isInstance(error) ? error.lastError : error;
}

/** A stream error part (provider-reported mid-stream), as the AI SDK passes it on. */
interface StreamErrorLike {
  message?: string;
  statusCode?: number;
  isRetryable?: boolean;
}
const isStreamErrorLike = (e: unknown): e is StreamErrorLike =>
  typeof e === "object" &&
  e !== null &&
  !(e instanceof Error) &&
  (typeof (e as StreamErrorLike).isRetryable === "boolean" ||
    typeof (e as StreamErrorLike).statusCode === "number");

interface Classified {
  /** Whether this looks like a provider failure at all (others propagate untouched). */
  isProviderFailure: boolean;
  retriable: boolean;
  status: number | undefined;
}

function classify(error: unknown): Classified {
  const e = unwrap(error);
  if (APICallError.isInstance(e)) {
    if (e.statusCode !== undefined) {
      return { isProviderFailure: true, retriable: isRetriableStatus(e.statusCode), status: e.statusCode };
    }
    // No status: the request never got an answer (refused, reset, DNS). A missing host stays missing.
    return { isProviderFailure: true, retriable: networkCode(e) !== "ENOTFOUND", status: undefined };
  }
  if (isStreamErrorLike(e)) {
    const status = e.statusCode;
    const retriable = status !== undefined ? isRetriableStatus(status) : e.isRetryable === true;
    return { isProviderFailure: true, retriable, status };
  }
  const code = networkCode(e);
  if (code !== undefined || (e instanceof TypeError && /fetch failed/i.test(e.message))) {
    return { isProviderFailure: true, retriable: code !== "ENOTFOUND", status: undefined };
  }
  return { isProviderFailure: false, retriable: false, status: undefined };
}

function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** Gemini puts the wait in the body: `details[].retryDelay: "34.4s"` (google.rpc.RetryInfo). */
function retryInfoDelayMs(responseBody: string | undefined): number | undefined {
  if (!responseBody) return undefined;
  const match = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(responseBody);
  return match?.[1] ? Math.ceil(Number(match[1]) * 1000) : undefined;
}

/**
 * The wait a provider asked for: `retry-after-ms`, then `retry-after` (seconds or an HTTP date),
 * then a RetryInfo delay in the body. Undefined when it did not say.
 */
export function requestedRetryDelayMs(error: unknown, now = Date.now()): number | undefined {
  const e = unwrap(error);
  if (!APICallError.isInstance(e)) return undefined;
  const ms = headerOf(e.responseHeaders, "retry-after-ms");
  if (ms !== undefined && Number.isFinite(Number.parseFloat(ms)) && Number.parseFloat(ms) >= 0) {
    return Math.ceil(Number.parseFloat(ms));
  }
  const after = headerOf(e.responseHeaders, "retry-after")?.trim();
  if (after) {
    if (/^\d+(\.\d+)?$/.test(after)) return Math.ceil(Number(after) * 1000);
    const date = Date.parse(after);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return retryInfoDelayMs(e.responseBody);
}

/** Waits `ms`, rejecting with the signal's reason when it aborts first. */
export const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Calls `fn` and retries provider failures that may pass: 408/409/429/5xx and network errors, with
 * exponential backoff and jitter, honouring the provider's `retry-after`. Other 4xx fail at once.
 * Provider failures end as a {@link ProviderError} with a clear reason; anything else (a bug, an
 * abort, a domain error) propagates unchanged. Call the AI SDK with `maxRetries: 0` inside, so
 * retries are not doubled.
 */
export async function withProviderRetries<T>(
  fn: (attempt: number) => Promise<T>,
  options: ProviderRetryOptions,
): Promise<T> {
  const sleep = options.sleep ?? abortableSleep;
  const initialDelayMs = options.initialDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (options.signal?.aborted || isAbort(error) || ProviderError.is(error)) throw error;
      if (AgentOsError.isInstance(error)) throw error;
      const failure = classify(error);
      if (!failure.isProviderFailure) throw error;
      const reason = describeProviderError(error);
      const attempts = attempt + 1;
      const fail = (message: string) =>
        new ProviderError(message, {
          cause: error,
          retriable: failure.retriable,
          attempts,
          upstreamStatus: failure.status,
        });
      if (!failure.retriable) throw fail(reason);
      if (attempt >= options.maxRetries) {
        throw fail(attempts > 1 ? `${reason} Gave up after ${attempts} attempts.` : reason);
      }
      const requested = requestedRetryDelayMs(error);
      if (requested !== undefined && requested > maxDelayMs) {
        throw fail(
          `${reason} The provider asks to wait ${seconds(requested)}, longer than the ${seconds(maxDelayMs)} a call waits; try again later.`,
        );
      }
      const backoff = Math.min(maxDelayMs, initialDelayMs * 2 ** attempt);
      // Equal jitter: half fixed, half random, so parallel callers spread out but still back off.
      const delayMs = requested ?? Math.round(backoff / 2 + (random() * backoff) / 2);
      options.onRetry?.({ attempt: attempts, delayMs, reason });
      await sleep(delayMs, options.signal);
    }
  }
}

/** The provider's own words from an error body: OpenAI, Anthropic, Gemini and Ollama shapes. */
function providerMessage(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    const error = (first as { error?: unknown } | null)?.error;
    if (typeof error === "string") return error;
    const message =
      (error as { message?: unknown } | undefined)?.message ??
      (first as { message?: unknown } | null)?.message;
    return typeof message === "string" ? message : undefined;
  } catch {
    return body.trim().startsWith("<") ? undefined : body;
  }
}

const clip = (text: string, max = 300) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** The URL without query (some providers put keys or versions there). */
function displayUrl(url: string | undefined): string {
  if (!url) return "the provider";
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.split("?")[0] ?? url;
  }
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_HEADERS_TIMEOUT: "no response headers in time",
  UND_ERR_BODY_TIMEOUT: "the response stalled",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  ENETUNREACH: "network unreachable",
  EHOSTUNREACH: "host unreachable",
  UND_ERR_SOCKET: "connection closed",
  EPIPE: "connection closed",
};

function networkWords(error: unknown): string {
  const code = networkCode(error);
  if (code) return NETWORK_WORDS[code] ?? code;
  const deepest = causeChain(error).at(-1);
  return deepest instanceof Error ? deepest.message : "no response";
}

function describeStatus(status: number, code: string | undefined, message: string | undefined): string {
  const said = message ? ` Provider said: "${clip(message)}"` : "";
  if (status === 401) return `invalid API key — update the provider's key.${said}`;
  if (status === 403)
    return `access denied — the key may not use this model or endpoint; check its permissions.${said}`;
  if (status === 404) return `model not found — check the model name (and the provider's base URL).${said}`;
  if (status === 429 && (code === "insufficient_quota" || /quota|billing/i.test(message ?? ""))) {
    return `quota exhausted — check the provider account's plan and billing.${said}`;
  }
  if (status === 429)
    return `rate limited — wait, send fewer requests, or raise the account's limits.${said}`;
  if (status === 408) return `the provider timed out — try again.${said}`;
  if (status >= 500) return `the provider failed (${status}) — try again later.${said}`;
  return `request rejected.${said}`;
}

function errorCode(body: string | undefined): string | undefined {
  const match = body ? /"(?:code|type)"\s*:\s*"([a-z_]+)"/.exec(body) : null;
  return match?.[1];
}

/**
 * A short reason a provider call failed, with what to do: "invalid API key — update the provider's
 * key", "model not found", "rate limited", "unreachable at <url>". Never includes the key.
 */
export function describeProviderError(error: unknown): string {
  if (ProviderError.is(error)) return error.message;
  const e = unwrap(error);
  if (APICallError.isInstance(e)) {
    const where = displayUrl(e.url);
    if (e.statusCode === undefined) {
      return `Provider unreachable at ${where} (${networkWords(e)}) — check the provider's base URL and that the server is running.`;
    }
    const message = providerMessage(e.responseBody) ?? e.message;
    const retryAfter = e.statusCode === 429 ? requestedRetryDelayMs(e) : undefined;
    const wait = retryAfter !== undefined ? ` Retry after ${seconds(retryAfter)}.` : "";
    return `${e.statusCode} from ${where}: ${describeStatus(e.statusCode, errorCode(e.responseBody), message)}${wait}`;
  }
  if (isStreamErrorLike(e)) {
    const status = e.statusCode;
    return status !== undefined
      ? `${status} during the stream: ${describeStatus(status, undefined, e.message)}`
      : `The provider reported an error during the stream: ${clip(e.message ?? "unknown error")}`;
  }
  if (networkCode(e) !== undefined || (e instanceof TypeError && /fetch failed/i.test(e.message))) {
    return `Provider unreachable (${networkWords(e)}) — check the provider's base URL and that the server is running.`;
  }
  if (isAbort(e)) return "The call was cancelled or timed out.";
  return e instanceof Error ? clip(e.message, 500) : clip(String(e), 500);
}
