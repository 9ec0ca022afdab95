import { Invalid, Unavailable } from "@agentos/core";
import type { z } from "zod";
import { classifyOllamaError, OllamaModelNotFound, OllamaUnreachable } from "./errors";
import { lines } from "./ndjson";
import {
  OllamaErrorBody,
  OllamaPsAnswer,
  OllamaPullLine,
  OllamaShowAnswer,
  OllamaTagsAnswer,
  OllamaVersionAnswer,
} from "./wire";

/** Ollama's HTTP API at one base URL, with its failures turned into typed errors. */
export interface OllamaApi {
  /** The server's root URL, e.g. http://127.0.0.1:11434. */
  readonly baseUrl: string;
  version(timeoutMs?: number): Promise<string>;
  tags(): Promise<OllamaTagsAnswer>;
  ps(): Promise<OllamaPsAnswer>;
  show(name: string): Promise<OllamaShowAnswer>;
  remove(name: string): Promise<void>;
  /**
   * Starts a pull; resolves once Ollama answered (so an unreachable server or a rejected name
   * throws here) with its progress lines, which end when the pull does or `signal` aborts it.
   */
  pull(name: string, signal: AbortSignal): Promise<AsyncGenerator<OllamaPullLine, void, undefined>>;
}

export interface OllamaApiOptions {
  fetch?: typeof globalThis.fetch;
  /** Per request, except pulls (which last as long as the download). Default 30 s. */
  timeoutMs?: number;
}

/** The client of the Ollama at `baseUrl` (a root URL, without /api). */
export function createOllamaApi(baseUrl: string, options: OllamaApiOptions = {}): OllamaApi {
  const root = baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function request(
    method: string,
    path: string,
    init: { body?: unknown; signal?: AbortSignal; field?: string; model?: string } = {},
  ): Promise<Response> {
    let response: Response;
    try {
      response = await doFetch(`${root}${path}`, {
        method,
        ...(init.body === undefined
          ? {}
          : { headers: { "content-type": "application/json" }, body: JSON.stringify(init.body) }),
        signal: init.signal ?? AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new OllamaUnreachable(root, error);
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => "");
    const parsed = OllamaErrorBody.safeParse(safeJson(text));
    const message = parsed.success ? parsed.data.error : text.trim() || `HTTP ${response.status}`;
    if (response.status === 404 && init.model) throw new OllamaModelNotFound(init.model, root);
    if (response.status === 400 && init.field) {
      throw Invalid.field(init.field, `Ollama rejected it: ${message}`);
    }
    if (classifyOllamaError(message) === "disk_full") {
      throw new Unavailable(
        `Ollama at ${root} is out of disk space (${message}). Free space on the disk that holds its models, or delete models you do not use.`,
      );
    }
    throw new Unavailable(`Ollama at ${root} answered ${response.status} to ${method} ${path}: ${message}`);
  }

  async function json<S extends z.ZodType>(
    schema: S,
    response: Response,
    what: string,
  ): Promise<z.output<S>> {
    const result = schema.safeParse(await response.json().catch(() => null));
    if (result.success) return result.data;
    throw new Unavailable(
      `Ollama at ${root} sent an answer to ${what} this Studio does not understand (${result.error.issues[0]?.message}). Is it an Ollama server?`,
    );
  }

  return {
    baseUrl: root,
    async version(versionTimeoutMs = 2000) {
      const response = await request("GET", "/api/version", {
        signal: AbortSignal.timeout(versionTimeoutMs),
      });
      return (await json(OllamaVersionAnswer, response, "/api/version")).version;
    },
    async tags() {
      return json(OllamaTagsAnswer, await request("GET", "/api/tags"), "/api/tags");
    },
    async ps() {
      return json(OllamaPsAnswer, await request("GET", "/api/ps"), "/api/ps");
    },
    async show(name) {
      const response = await request("POST", "/api/show", { body: { model: name }, model: name });
      return json(OllamaShowAnswer, response, "/api/show");
    },
    async remove(name) {
      const response = await request("DELETE", "/api/delete", { body: { model: name }, model: name });
      await response.body?.cancel();
    },
    async pull(name, signal) {
      const response = await request("POST", "/api/pull", {
        body: { model: name, stream: true },
        signal,
        field: "body.name",
      });
      const body = response.body;
      if (!body) throw new Unavailable(`Ollama at ${root} answered a pull without a body.`);
      return (async function* () {
        for await (const line of lines(body as unknown as AsyncIterable<Uint8Array>)) {
          const parsed = OllamaPullLine.safeParse(safeJson(line));
          // A line this Studio does not understand is skipped, not fatal: the next one may be.
          if (parsed.success) yield parsed.data;
        }
      })();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
