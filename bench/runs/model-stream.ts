// Reading an OpenAI-compatible chat completion stream token by token, directly (the baseline) or
// through a tap the worker's provider points at (the same stream the run consumes).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readSse } from "./sse";
import { wallNowMs } from "./timing";

/** A streamed content delta and when it arrived. */
export interface TimedToken {
  text: string;
  atMs: number;
}

/** One streamed chat completion: when it was requested and when each token arrived. */
export interface ModelStreamTrace {
  requestedAtMs: number;
  tokens: TimedToken[];
}

interface CompletionChunk {
  choices?: Array<{ delta?: { content?: string | null } }>;
}

/** Collects the non-empty content deltas of a chat completion SSE body into `tokens`. */
export async function collectTokens(body: ReadableStream<Uint8Array>, tokens: TimedToken[]): Promise<void> {
  for await (const message of readSse(body)) {
    if (message.data === "[DONE]") return;
    const content = (JSON.parse(message.data) as CompletionChunk).choices?.[0]?.delta?.content;
    if (content) tokens.push({ text: content, atMs: message.receivedAtMs });
  }
}

/** Requests a streamed completion from `baseUrl` (…/v1) with fetch and times every token. */
export async function readCompletionDirectly(
  baseUrl: string,
  apiKey: string,
  model: string,
  timeoutMs: number,
): Promise<ModelStreamTrace> {
  const trace: ModelStreamTrace = { requestedAtMs: wallNowMs(), tokens: [] };
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({
      model,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "Stream the benchmark answer" }],
    }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok || !response.body) {
    throw new Error(`POST ${baseUrl}/chat/completions → ${response.status}: ${await response.text()}`);
  }
  await collectTokens(response.body, trace.tokens);
  return trace;
}

export interface ModelTap {
  /** What a provider's `baseUrl` is set to, e.g. http://127.0.0.1:41234/v1. */
  baseUrl: string;
  /** Streamed completions that went through the tap, oldest first. */
  traces: ModelStreamTrace[];
  close(): Promise<void>;
}

const FORWARDED_REQUEST_HEADERS = ["content-type", "authorization", "accept"];
const FORWARDED_RESPONSE_HEADERS = ["content-type", "retry-after", "retry-after-ms"];

/**
 * A pass-through in front of the model server that notes when each streamed token passes. The
 * run's own stream then has per-token reference times on this process's clock, so the lag added
 * by the worker, the database and the API's SSE is measured token by token, not estimated.
 */
export async function startModelTap(upstreamOrigin: string): Promise<ModelTap> {
  const traces: ModelStreamTrace[] = [];
  const server = createServer(async (request, response) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const name of FORWARDED_REQUEST_HEADERS) {
        const value = request.headers[name];
        if (typeof value === "string") headers.set(name, value);
      }
      const trace: ModelStreamTrace = { requestedAtMs: wallNowMs(), tokens: [] };
      const upstream = await fetch(`${upstreamOrigin}${request.url ?? "/"}`, {
        method: request.method ?? "GET",
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      const responseHeaders: Record<string, string> = {};
      for (const name of FORWARDED_RESPONSE_HEADERS) {
        const value = upstream.headers.get(name);
        if (value !== null) responseHeaders[name] = value;
      }
      response.writeHead(upstream.status, responseHeaders);
      if (!upstream.body) return void response.end();
      const isStream = upstream.headers.get("content-type")?.includes("text/event-stream") ?? false;
      let forwarded = upstream.body;
      if (isStream) {
        traces.push(trace);
        const [toClient, observed] = upstream.body.tee();
        forwarded = toClient;
        void collectTokens(observed, trace.tokens).catch(() => {});
      }
      const reader = forwarded.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        response.write(value);
      }
      response.end();
    } catch (error) {
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
      response.end(`model tap: ${(error as Error).message}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    traces,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
