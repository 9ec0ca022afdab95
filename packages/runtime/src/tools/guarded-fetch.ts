import type { LookupFunction } from "node:net";
import { Agent, type Dispatcher, Pool, fetch as undiciFetch } from "undici";
import {
  hostLookupOf,
  type NetworkPolicy,
  type ResolvedAddress,
  vetAddresses,
  vetUrl,
  vetUrlWithoutDns,
} from "./ssrf";
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

/**
 * A `lookup` for `net.connect` to `origin` that resolves the host and vets every address at the
 * moment a socket is made, so the socket can only go to an address the policy allows: there is no
 * window between the check and the connect for a second DNS answer (rebinding) to slip into.
 */
function vettingLookup(origin: URL, policy: NetworkPolicy): LookupFunction {
  const resolve = hostLookupOf(policy);
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        try {
          if (addresses.length === 0) {
            throw Object.assign(new Error(`Host ${hostname} has no address.`), { code: "ENOTFOUND" });
          }
          vetAddresses(origin, addresses, policy);
        } catch (error) {
          callback(error as NodeJS.ErrnoException, "", 0);
          return;
        }
        pinnedLookup(addresses)(hostname, options, callback);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}

/**
 * Idle kept-alive sockets are closed after this long when the server gives no `Keep-Alive` hint
 * (undici's 4 s would drop them between the model calls of a run, while a tool runs). Idle sockets
 * are unref'd by undici, so they never keep a process alive.
 */
const KEEP_ALIVE_MS = 30_000;

/**
 * One long-lived dispatcher for a policy, whose pooled connections are reused (keep-alive). Every
 * new socket of a host name is vetted when it is made ({@link vettingLookup}); `net.connect` asks no
 * lookup for an IP literal, so those must be vetted before the request ({@link vetUrlWithoutDns}).
 */
function vettingDispatcher(policy: NetworkPolicy): Agent {
  return new Agent({
    keepAliveTimeout: KEEP_ALIVE_MS,
    // A pool per origin: its lookup knows the port, which the allow-list may name.
    factory: (origin, options) => {
      const url = new URL(String(origin));
      const { connect } = options as Pool.Options;
      const base = typeof connect === "object" ? connect : {};
      return new Pool(url, { ...options, connect: { ...base, lookup: vettingLookup(url, policy) } });
    },
  });
}

/**
 * The guard's refusal behind undici's `TypeError: fetch failed` (a connect-time lookup refused the
 * host), told again for `url` so the message names the request, not only its origin; else undefined.
 */
function refusalBehind(error: unknown, url: URL, policy: NetworkPolicy): ToolFailure | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (!ToolFailure.isInstance(e) || e.reason !== "blocked") continue;
    const address = e.details.refusedAddress;
    if (typeof address !== "string") return e;
    try {
      vetAddresses(url, [{ address, family: address.includes(":") ? 6 : 4 }], policy);
    } catch (retold) {
      if (ToolFailure.isInstance(retold)) return retold;
    }
    return e;
  }
  return undefined;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/**
 * The headers a redirect to another origin keeps; every other one is dropped. Credentials are not
 * only `Authorization` and cookies: API keys ride in `x-api-key`, `api-key`, `x-goog-api-key` and
 * any header a tool fills from `{{secret:…}}`, and none of them may follow a redirect elsewhere.
 */
const CROSS_ORIGIN_HEADERS = new Set([
  "accept",
  "accept-language",
  "content-language",
  "content-type",
  "user-agent",
]);

/** Deletes every header of `headers` that a request to another origin may not carry. */
function keepCrossOriginHeaders(headers: Headers): void {
  for (const name of [...headers.keys()]) if (!CROSS_ORIGIN_HEADERS.has(name)) headers.delete(name);
}

interface VettedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: RequestInit["body"];
  signal: AbortSignal | undefined;
  /** `manual` hands a redirect back to the caller (who sends the next hop through the guard again). */
  redirect: RequestRedirect;
}

/** How one hop is sent: its checked URL, a dispatcher that connects only where the policy allows, and its release. */
interface Route {
  url: URL;
  dispatcher: Dispatcher;
  /** Called once the hop's answer is done with (read, cancelled, or failed). */
  release(): Promise<void>;
}

/** Checks a hop's URL and picks its dispatcher; throws the {@link ToolFailure} of a refusal. */
type Router = (url: string) => Route | Promise<Route>;

/** A fresh dispatcher per hop, pinned to the addresses {@link vetUrl} resolved and accepted. */
const pinnedRouter =
  (policy: NetworkPolicy): Router =>
  async (url) => {
    const vetted = await vetUrl(url, policy);
    const dispatcher = pinnedDispatcher(vetted.addresses);
    return { url: vetted.url, dispatcher, release: () => dispatcher.destroy() };
  };

/** The policy's one {@link vettingDispatcher}: DNS is asked once, by the lookup of a new socket. */
function sharedRouter(policy: NetworkPolicy): Router {
  const dispatcher = vettingDispatcher(policy);
  const release = async () => undefined;
  return (url) => ({ url: vetUrlWithoutDns(url, policy).url, dispatcher, release });
}

/** The final answer of {@link sendVetted}; `release` is the caller's to call once its body is done with. */
interface VettedResponse {
  response: Response;
  url: URL;
  release(): Promise<void>;
}

/**
 * Sends a request through the guard: every hop goes by `route`, whose sockets reach only addresses the
 * policy allows; redirects are followed by hand (at most {@link MAX_REDIRECTS}), so each new host is
 * checked too, and only a few harmless headers follow a change of origin. The body of the answer is left
 * unread. A refusal throws its {@link ToolFailure}, also when it came from a socket's lookup.
 */
async function sendVetted(
  request: VettedRequest,
  options: GuardedFetchOptions,
  route: Router,
  tooManyRedirects: () => Error,
): Promise<VettedResponse> {
  const doFetch = options.fetch ?? (undiciFetch as unknown as typeof fetch);
  let { method, body, url } = request;
  const headers = new Headers(request.headers);
  for (let hop = 0; ; hop++) {
    const vetted = await route(url);
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
        dispatcher: vetted.dispatcher,
      } as RequestInit);
    } catch (error) {
      await vetted.release();
      throw refusalBehind(error, vetted.url, options) ?? error;
    }
    const location = response.headers.get("location");
    if (request.redirect === "manual" || !REDIRECT_STATUSES.has(response.status) || !location) {
      return { response, url: vetted.url, release: vetted.release };
    }
    await response.body?.cancel();
    await vetted.release();
    if (request.redirect === "error") {
      throw new TypeError(
        `${method} ${vetted.url.href} answered a redirect, and redirects are refused here.`,
      );
    }
    if (hop >= MAX_REDIRECTS) throw tooManyRedirects();
    const next = new URL(location, vetted.url);
    if (next.origin !== vetted.url.origin) keepCrossOriginHeaders(headers);
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
 * Each request has its own pinned dispatcher: callers build the policy per call, so there is no
 * per-policy lifetime to keep a pool over (and tools call arbitrary hosts, rarely in a row).
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
      pinnedRouter(options),
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
    await sent?.release();
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
 * through the guard of `options` over one pool of kept-alive connections: a refused destination
 * throws the {@link ToolFailure} that says why and how to allow it; the answer streams as usual,
 * and anything else fails as fetch would.
 */
export function createGuardedFetch(options: GuardedFetchOptions): typeof fetch {
  const route = sharedRouter(options);
  return async (input, init) => {
    const parts = await requestParts(input, init);
    const method = (parts.init.method ?? "GET").toUpperCase();
    const { response } = await sendVetted(
      {
        method,
        url: parts.url,
        headers: new Headers(parts.init.headers),
        body: parts.init.body,
        signal: parts.init.signal ?? undefined,
        redirect: parts.init.redirect ?? "follow",
      },
      options,
      route,
      () => new TypeError(`${method} ${parts.url} redirected more than ${MAX_REDIRECTS} times.`),
    );
    return response;
  };
}
