/**
 * A loopback stand-in for a hosted model that speaks the OpenAI Chat Completions wire format:
 * `POST …/chat/completions` (streaming SSE and plain JSON), `GET …/models`, and scripted failures
 * (429 with `retry-after`, 500, 401 invalid key). It answers from a queue of scripted responses and
 * records every request, so tests drive the real AI SDK providers end to end without a network.
 *
 * The chunk shapes follow the recordings in test/fixtures/openai-chat-stream-*.sse (captured from
 * api.openai.com by openai-python): a first chunk with `role`, content or tool-call deltas, a chunk
 * with `finish_reason`, then — when `stream_options.include_usage` — a usage chunk with `choices: []`,
 * and `data: [DONE]`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedUsage {
  promptTokens: number;
  completionTokens: number;
  /** Reported as `prompt_tokens_details.cached_tokens`. */
  cachedTokens?: number;
}

export interface ScriptedToolCall {
  /** Default `call_<n>`. */
  id?: string;
  name: string;
  /** JSON text (sent in pieces when streaming) or a value to serialise. */
  arguments: string | Record<string, unknown>;
}

export type ScriptedResponse =
  | {
      type: "text";
      /** Streamed one piece per chunk; a string is split into words. */
      text: string | string[];
      usage?: ScriptedUsage;
      finishReason?: "stop" | "length";
      /** Pause before each streamed chunk, or before a non-streaming answer (slow models, timeouts). */
      chunkDelayMs?: number;
    }
  | {
      type: "tool-calls";
      calls: ScriptedToolCall[];
      usage?: ScriptedUsage;
      chunkDelayMs?: number;
    }
  | {
      type: "error";
      status: number;
      body: unknown;
      headers?: Record<string, string>;
    };

/** Builders for the responses tests usually need. */
export const reply = {
  text: (
    text: string | string[],
    extra: Omit<Extract<ScriptedResponse, { type: "text" }>, "type" | "text"> = {},
  ) => ({ type: "text", text, ...extra }) satisfies ScriptedResponse,
  toolCalls: (
    calls: ScriptedToolCall[],
    extra: Omit<Extract<ScriptedResponse, { type: "tool-calls" }>, "type" | "calls"> = {},
  ) => ({ type: "tool-calls", calls, ...extra }) satisfies ScriptedResponse,
  /** 429 as OpenAI sends it; `retryAfter` is the `retry-after` header (seconds or an HTTP date). */
  rateLimited: (options: { retryAfter?: string; retryAfterMs?: string } = {}): ScriptedResponse => ({
    type: "error",
    status: 429,
    headers: {
      ...(options.retryAfter === undefined ? {} : { "retry-after": options.retryAfter }),
      ...(options.retryAfterMs === undefined ? {} : { "retry-after-ms": options.retryAfterMs }),
    },
    body: {
      error: {
        message:
          "Rate limit reached for gpt-4o-mini in organization org-standin on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.",
        type: "requests",
        param: null,
        code: "rate_limit_exceeded",
      },
    },
  }),
  serverError: (status = 500): ScriptedResponse => ({
    type: "error",
    status,
    body: {
      error: {
        message: "The server had an error while processing your request. Sorry about that!",
        type: "server_error",
        param: null,
        code: null,
      },
    },
  }),
  invalidKey: (): ScriptedResponse => ({
    type: "error",
    status: 401,
    body: {
      error: {
        message:
          "Incorrect API key provided: sk-wrong. You can find your API key at https://platform.openai.com/account/api-keys.",
        type: "invalid_request_error",
        param: null,
        code: "invalid_api_key",
      },
    },
  }),
  modelNotFound: (model: string): ScriptedResponse => ({
    type: "error",
    status: 404,
    body: {
      error: {
        message: `The model \`${model}\` does not exist or you do not have access to it.`,
        type: "invalid_request_error",
        param: null,
        code: "model_not_found",
      },
    },
  }),
};

export interface RecordedRequest {
  method: string;
  /** Path with query, e.g. `/v1/chat/completions`. */
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, or null for none. */
  body: Record<string, unknown> | null;
}

export interface OpenAiCompatibleServerOptions {
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401 invalid key. */
  apiKey?: string;
  /** Listed by `GET …/models`. */
  models?: string[];
  /** Answer when the queue is empty; default a 500 saying the script ran out. */
  fallback?: ScriptedResponse;
}

export interface OpenAiCompatibleServer {
  /** e.g. http://127.0.0.1:41234/v1 — what a provider's `baseUrl` is set to. */
  baseUrl: string;
  /** http://127.0.0.1:41234 */
  origin: string;
  /** Requests so far, oldest first. */
  requests: RecordedRequest[];
  /** Appends responses to the script; each chat completion takes the next one. */
  enqueue(...responses: ScriptedResponse[]): void;
  /** Responses not yet used. */
  pending(): number;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

const wordsOf = (text: string) => text.match(/\S+\s*|\s+/g) ?? [text];

/** A rough count, so unscripted usage is plausible: about four characters per token. */
const estimateTokens = (body: Record<string, unknown> | null) =>
  Math.max(1, Math.ceil(JSON.stringify(body?.messages ?? "").length / 4));

function usageJson(usage: ScriptedUsage) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens ?? 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

const argumentsText = (call: ScriptedToolCall) =>
  typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments);

/** Splits JSON text into small pieces, as the API streams tool arguments. */
function piecesOf(text: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += 6) pieces.push(text.slice(i, i + 6));
  return pieces.length > 0 ? pieces : [""];
}

/** Starts the stand-in on 127.0.0.1 with an ephemeral port. */
export async function startOpenAiCompatibleServer(
  options: OpenAiCompatibleServerOptions = {},
): Promise<OpenAiCompatibleServer> {
  const queue: ScriptedResponse[] = [];
  const requests: RecordedRequest[] = [];
  let completionCount = 0;
  let callCount = 0;

  const fallback: ScriptedResponse = options.fallback ?? {
    type: "error",
    status: 500,
    body: {
      error: {
        message: "The stand-in has no scripted response left: enqueue one per model call.",
        type: "server_error",
        param: null,
        code: null,
      },
    },
  };

  async function streamCompletion(
    response: ServerResponse,
    scripted: Extract<ScriptedResponse, { type: "text" | "tool-calls" }>,
    body: Record<string, unknown>,
    closed: () => boolean,
  ) {
    const id = `chatcmpl-standin${++completionCount}`;
    const created = Math.floor(Date.now() / 1000);
    const model = String(body.model ?? "stand-in");
    const envelope = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
      id,
      object: "chat.completion.chunk",
      created,
      model,
      system_fingerprint: "fp_standin",
      choices,
      ...extra,
    });
    const choice = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
      index: 0,
      delta,
      logprobs: null,
      finish_reason: finishReason,
    });

    const chunks: unknown[] = [];
    let completionTokens = 0;
    let finishReason: string;
    if (scripted.type === "text") {
      const pieces = Array.isArray(scripted.text) ? scripted.text : wordsOf(scripted.text);
      chunks.push(envelope([choice({ role: "assistant", content: "", refusal: null })]));
      for (const piece of pieces) chunks.push(envelope([choice({ content: piece })]));
      completionTokens = pieces.length;
      finishReason = scripted.finishReason ?? "stop";
    } else {
      scripted.calls.forEach((call, index) => {
        const head = {
          index,
          id: call.id ?? `call_standin${++callCount}`,
          type: "function",
          function: { name: call.name, arguments: "" },
        };
        chunks.push(
          envelope([
            choice(
              index === 0
                ? { role: "assistant", content: null, tool_calls: [head], refusal: null }
                : { tool_calls: [head] },
            ),
          ]),
        );
        for (const piece of piecesOf(argumentsText(call))) {
          chunks.push(envelope([choice({ tool_calls: [{ index, function: { arguments: piece } }] })]));
          completionTokens++;
        }
      });
      finishReason = "tool_calls";
    }
    chunks.push(envelope([choice({}, finishReason)]));
    const streamOptions = body.stream_options as { include_usage?: boolean } | undefined;
    if (streamOptions?.include_usage) {
      const usage = scripted.usage ?? { promptTokens: estimateTokens(body), completionTokens };
      chunks.push(envelope([], { usage: usageJson(usage) }));
    }

    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    for (const chunk of chunks) {
      if (scripted.chunkDelayMs) await sleep(scripted.chunkDelayMs);
      if (closed()) return;
      response.write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    response.end("data: [DONE]\n\n");
  }

  function completion(
    scripted: Extract<ScriptedResponse, { type: "text" | "tool-calls" }>,
    body: Record<string, unknown>,
  ) {
    const message =
      scripted.type === "text"
        ? {
            role: "assistant",
            content: Array.isArray(scripted.text) ? scripted.text.join("") : scripted.text,
            refusal: null,
            annotations: [],
          }
        : {
            role: "assistant",
            content: null,
            refusal: null,
            annotations: [],
            tool_calls: scripted.calls.map((call) => ({
              id: call.id ?? `call_standin${++callCount}`,
              type: "function",
              function: { name: call.name, arguments: argumentsText(call) },
            })),
          };
    const completionTokens =
      scripted.type === "text"
        ? (Array.isArray(scripted.text) ? scripted.text : wordsOf(scripted.text)).length
        : scripted.calls.reduce((sum, call) => sum + piecesOf(argumentsText(call)).length, 0);
    return {
      id: `chatcmpl-standin${++completionCount}`,
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: String(body.model ?? "stand-in"),
      choices: [
        {
          index: 0,
          message,
          logprobs: null,
          finish_reason: scripted.type === "text" ? (scripted.finishReason ?? "stop") : "tool_calls",
        },
      ],
      usage: usageJson(scripted.usage ?? { promptTokens: estimateTokens(body), completionTokens }),
      service_tier: "default",
      system_fingerprint: "fp_standin",
    };
  }

  const server = createServer(async (request, response) => {
    let isClosed = false;
    response.on("close", () => {
      isClosed = true;
    });
    try {
      const raw = await readBody(request);
      const path = request.url ?? "/";
      const headers = headersOf(request);
      let body: Record<string, unknown> | null = null;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          body = { unparsed: raw };
        }
      }
      requests.push({ method: request.method ?? "GET", path, headers, body });

      const pathname = path.split("?")[0] ?? "/";
      if (options.apiKey !== undefined && headers.authorization !== `Bearer ${options.apiKey}`) {
        const invalid = reply.invalidKey() as Extract<ScriptedResponse, { type: "error" }>;
        return sendJson(response, invalid.status, invalid.body);
      }
      if (request.method === "GET" && pathname.endsWith("/models")) {
        return sendJson(response, 200, {
          object: "list",
          data: (options.models ?? ["stand-in-model"]).map((id) => ({
            id,
            object: "model",
            created: 1_700_000_000,
            owned_by: "stand-in",
          })),
        });
      }
      if (request.method !== "POST" || !pathname.endsWith("/chat/completions")) {
        return sendJson(response, 404, {
          error: { message: `Unknown endpoint ${request.method} ${pathname}`, type: "invalid_request_error" },
        });
      }
      const scripted = queue.shift() ?? fallback;
      if (scripted.type === "error")
        return sendJson(response, scripted.status, scripted.body, scripted.headers);
      if (body?.stream === true) return await streamCompletion(response, scripted, body, () => isClosed);
      if (scripted.chunkDelayMs) await sleep(scripted.chunkDelayMs);
      if (!isClosed) sendJson(response, 200, completion(scripted, body ?? {}));
    } catch (error) {
      if (!response.headersSent) sendJson(response, 500, { error: { message: String(error) } });
      else response.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    baseUrl: `${origin}/v1`,
    requests,
    enqueue: (...responses) => {
      queue.push(...responses);
    },
    pending: () => queue.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
