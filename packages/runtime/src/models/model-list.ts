import { APICallError } from "@ai-sdk/provider";
import { z } from "zod";
import { DEFAULT_OLLAMA_BASE_URL, type ProviderConnection } from "./providers";

const OpenAiModelList = z.object({ data: z.array(z.object({ id: z.string() })) });
const OllamaTags = z.object({ models: z.array(z.object({ name: z.string() })) });

/** Whether {@link listProviderModels} can ask this kind of provider for its models. */
export const canListModels = (kind: ProviderConnection["kind"]): boolean =>
  kind === "ollama" || kind === "openai-compatible";

/**
 * The models a local or OpenAI-compatible server offers (`GET /models`, Ollama `GET /api/tags`).
 * Failures are AI SDK `APICallError`s, so `describeProviderError` explains them like model calls.
 */
export async function listProviderModels(
  connection: ProviderConnection,
  options: { fetch?: typeof globalThis.fetch; signal?: AbortSignal; ollamaBaseUrl?: string } = {},
): Promise<string[]> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = { accept: "application/json", ...connection.options.headers };
  if (connection.apiKey) headers.authorization = `Bearer ${connection.apiKey}`;
  let url: string;
  if (connection.kind === "ollama") {
    const base = connection.baseUrl ?? options.ollamaBaseUrl ?? DEFAULT_OLLAMA_BASE_URL;
    const root = new URL(base);
    if (root.pathname === "" || root.pathname === "/") root.pathname = "/api";
    url = `${root.toString().replace(/\/+$/, "")}/tags`;
  } else if (connection.kind === "openai-compatible" && connection.baseUrl) {
    url = `${connection.baseUrl.replace(/\/+$/, "")}/models`;
  } else {
    throw new Error(`Listing models is not supported for ${connection.kind} providers.`);
  }

  let response: Response;
  try {
    response = await doFetch(url, { headers, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) throw error;
    throw new APICallError({
      message: `Cannot connect to ${url}`,
      url,
      requestBodyValues: {},
      cause: error,
      isRetryable: true,
    });
  }
  const text = await response.text();
  const responseHeaders = Object.fromEntries(response.headers.entries());
  if (!response.ok) {
    throw new APICallError({
      message: response.statusText || `HTTP ${response.status}`,
      url,
      requestBodyValues: {},
      statusCode: response.status,
      responseHeaders,
      responseBody: text,
    });
  }
  try {
    const body = JSON.parse(text) as unknown;
    return connection.kind === "ollama"
      ? OllamaTags.parse(body).models.map((m) => m.name)
      : OpenAiModelList.parse(body).data.map((m) => m.id);
  } catch (error) {
    throw new Error(
      `The answer of ${url} is not a model list: check that the base URL is the API root (e.g. ending in /v1).`,
      { cause: error },
    );
  }
}
