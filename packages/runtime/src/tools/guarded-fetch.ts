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

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Dropped on a redirect to another origin, as the Fetch standard does for Authorization. */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

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
 * An HTTP request through the SSRF guard: every hop's URL is vetted ({@link vetUrl}) and the socket
 * is pinned to the vetted addresses; redirects are followed by hand (at most {@link MAX_REDIRECTS})
 * so each new host is checked too. The body is read up to a cap. Failures a model can act on
 * (refused address, timeout, connection error) are {@link ToolFailure}s; the run's abort propagates.
 */
export async function guardedFetch(
  request: GuardedRequest,
  options: GuardedFetchOptions,
): Promise<GuardedResponse> {
  const doFetch = options.fetch ?? (undiciFetch as unknown as typeof fetch);
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  let { method, body } = request;
  const headers = new Headers(request.headers);
  let url = request.url;

  for (let hop = 0; ; hop++) {
    const vetted = await vetUrl(url, options);
    const dispatcher = new Agent({ connect: { lookup: pinnedLookup(vetted.addresses) } });
    try {
      const response = await doFetch(vetted.url, {
        method,
        headers,
        body: body ?? null,
        redirect: "manual",
        signal,
        dispatcher,
      } as RequestInit);
      const location = response.headers.get("location");
      if (REDIRECT_STATUSES.has(response.status) && location) {
        await response.body?.cancel();
        if (hop >= MAX_REDIRECTS) {
          throw new ToolFailure(
            `${request.method} ${request.url} redirected more than ${MAX_REDIRECTS} times; call the final URL directly.`,
            { reason: "network" },
          );
        }
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
        }
        url = next.href;
        continue;
      }
      const { body: bytes, truncated } = await readCapped(
        response,
        request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      );
      return {
        status: response.status,
        statusText: response.statusText,
        url: vetted.url.href,
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
      throw new ToolFailure(`${method} ${url} failed: ${describeError(error)}`, {
        cause: error,
        reason: "network",
      });
    } finally {
      // Every body was read or cancelled above, so nothing is lost by dropping the sockets now.
      await dispatcher.destroy();
    }
  }
}
