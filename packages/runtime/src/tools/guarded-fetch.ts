import type { LookupFunction } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";
import { type NetworkPolicy, type ResolvedAddress, vetUrl } from "./ssrf";
import { describeError, ToolFailure } from "./tool-failure";

export const MAX_REDIRECTS = 5;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface GuardedRequest {
  method: string;
  url: string;
  headers: Headers;
  body?: string | undefined;
  timeoutMs: number;
  /** Bytes of the response body kept; the rest is dropped and the result says `truncated`. */
  maxResponseBytes?: number;
  /** The run's signal: its abort propagates as an abort, unlike the timeout. */
  signal?: AbortSignal;
}

export interface GuardedResponse {
  status: number;
  statusText: string;
  /** The URL of the last hop, after redirects. */
  url: string;
  headers: Headers;
  body: Uint8Array;
  truncated: boolean;
}

export interface GuardedFetchOptions extends NetworkPolicy {
  /** Must honour undici's `dispatcher` init option; undici's own `fetch` (the default) does. */
  fetch?: typeof fetch;
}

/**
 * A `lookup` for `net.connect` that answers with the addresses already vetted, so the socket goes
 * where the check said it may: a second DNS answer (rebinding) is never asked for.
 */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
    const usable = addresses.filter((a) => wanted === undefined || a.family === wanted);
    if (options.all) {
      callback(null, usable);
      return;
    }
    const first = usable[0];
    if (!first) {
      const error = Object.assign(new Error(`No IPv${wanted} address was vetted for this host`), {
        code: "ENOTFOUND",
      });
      callback(error, "", 0);
      return;
    }
    callback(null, first.address, first.family);
  };
}

/** A dispatcher whose sockets connect only to `addresses`, the ones {@link vetUrl} accepted. */
function pinnedDispatcher(addresses: ResolvedAddress[]): Agent {
  return new Agent({ connect: { lookup: pinnedLookup(addresses) } });
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Dropped on a redirect to another origin, as the Fetch standard does for Authorization. */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

interface VettedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: RequestInit["body"];
  signal: AbortSignal | undefined;
  /** `manual` hands a redirect back to the caller (who sends the next hop through the guard again). */
  redirect: RequestRedirect;
}

/** The final answer of {@link sendVetted}; `dispatcher` carries its body and is the caller's to end. */
interface VettedResponse {
  response: Response;
  url: URL;
  dispatcher: Agent;
}

/**
 * Sends a request through the guard: every hop's URL is vetted ({@link vetUrl}) and its socket pinned
 * to the vetted addresses; redirects are followed by hand (at most {@link MAX_REDIRECTS}), so each new
 * host is checked too, and credentials are dropped when the origin changes. The body of the answer
 * is left unread.
 */
async function sendVetted(
  request: VettedRequest,
  options: GuardedFetchOptions,
  tooManyRedirects: () => Error,
): Promise<VettedResponse> {
  const doFetch = options.fetch ?? (undiciFetch as unknown as typeof fetch);
  let { method, body, url } = request;
  const headers = new Headers(request.headers);
  for (let hop = 0; ; hop++) {
    const vetted = await vetUrl(url, options);
    const dispatcher = pinnedDispatcher(vetted.addresses);
    let response: Response;
    try {
      response = await doFetch(vetted.url, {
        method,
        headers,
        body: body ?? null,
        // A streamed body needs half-duplex in undici, as in the Fetch standard.
        ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
        redirect: "manual",
        signal: request.signal ?? null,
        dispatcher,
      } as RequestInit);
    } catch (error) {
      await dispatcher.destroy();
      throw error;
    }
    const location = response.headers.get("location");
    if (request.redirect === "manual" || !REDIRECT_STATUSES.has(response.status) || !location) {
      return { response, url: vetted.url, dispatcher };
    }
    await response.body?.cancel();
    await dispatcher.destroy();
    if (request.redirect === "error") {
      throw new TypeError(
        `${method} ${vetted.url.href} answered a redirect, and redirects are refused here.`,
      );
    }
    if (hop >= MAX_REDIRECTS) throw tooManyRedirects();
    const next = new URL(location, vetted.url);
    if (next.origin !== vetted.url.origin) for (const name of CREDENTIAL_HEADERS) headers.delete(name);
    // As browsers do: 303, and 301/302 after a POST, become a GET without a body.
    if (
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && method === "POST")
    ) {
      if (method !== "HEAD") method = "GET";
      body = undefined;
      headers.delete("content-type");
    } else if (body instanceof ReadableStream) {
      throw new TypeError(
        `${method} ${vetted.url.href} redirected a streamed body, which cannot be sent again.`,
      );
    }
    url = next.href;
  }
}

async function readCapped(response: Response, maxBytes: number) {
  if (!response.body) return { body: new Uint8Array(), truncated: false };
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - size));
      size = maxBytes;
      truncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { body, truncated };
}

/**
 * An HTTP request of a tool through the SSRF guard ({@link sendVetted}: every hop vetted, sockets
 * pinned, redirects re-checked). The body is read up to a cap. Failures a model can act on (refused
 * address, timeout, connection error) are {@link ToolFailure}s; the run's abort propagates.
 */
export async function guardedFetch(
  request: GuardedRequest,
  options: GuardedFetchOptions,
): Promise<GuardedResponse> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  let sent: VettedResponse | undefined;
  try {
    sent = await sendVetted(
      { ...request, body: request.body, signal, redirect: "follow" },
      options,
      () =>
        new ToolFailure(
          `${request.method} ${request.url} redirected more than ${MAX_REDIRECTS} times; call the final URL directly.`,
          { reason: "network" },
        ),
    );
    const { response } = sent;
    const { body: bytes, truncated } = await readCapped(
      response,
      request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    );
    return {
      status: response.status,
      statusText: response.statusText,
      url: sent.url.href,
      headers: response.headers,
      body: bytes,
      truncated,
    };
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    if (ToolFailure.isInstance(error)) throw error;
    if (timeout.aborted) {
      throw new ToolFailure(
        `${request.method} ${request.url} timed out after ${request.timeoutMs} ms; try again or raise the tool's timeoutMs.`,
        { reason: "timeout" },
      );
    }
    throw new ToolFailure(`${request.method} ${request.url} failed: ${describeError(error)}`, {
      cause: error,
      reason: "network",
    });
  } finally {
    // The body was read or cancelled above, so nothing is lost by dropping the sockets now.
    await sent?.dispatcher.destroy();
  }
}

/** The URL and init of a fetch call; a Request's body is read, so a redirect can send it again. */
async function requestParts(input: string | URL | Request, init: RequestInit | undefined) {
  if (!(input instanceof Request)) return { url: String(input), init: init ?? {} };
  const body = input.body ? await input.arrayBuffer() : null;
  return {
    url: input.url,
    init: {
      method: input.method,
      headers: input.headers,
      body,
      signal: input.signal,
      redirect: input.redirect,
      ...init,
    } as RequestInit,
  };
}

/**
 * A `fetch` for the SDKs that take one (AI SDK providers, MCP transports) that sends every request
 * through the guard of `options`: a refused destination throws the {@link ToolFailure} that says
 * why and how to allow it; the answer streams as usual, and anything else fails as fetch would.
 */
export function createGuardedFetch(options: GuardedFetchOptions): typeof fetch {
  return async (input, init) => {
    const parts = await requestParts(input, init);
    const method = (parts.init.method ?? "GET").toUpperCase();
    const { response, dispatcher } = await sendVetted(
      {
        method,
        url: parts.url,
        headers: new Headers(parts.init.headers),
        body: parts.init.body,
        signal: parts.init.signal ?? undefined,
        redirect: parts.init.redirect ?? "follow",
      },
      options,
      () => new TypeError(`${method} ${parts.url} redirected more than ${MAX_REDIRECTS} times.`),
    );
    // Closing waits for the request in flight: the sockets go once the body is read or cancelled.
    dispatcher.close().catch(() => undefined);
    return response;
  };
}
