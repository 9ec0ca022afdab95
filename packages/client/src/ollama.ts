import type { OllamaPull } from "@agentos/core";
import { parseServerSentEvents } from "./sse";

// The shapes of /api/ollama/* are the Ollama schemas of @agentos/core.
export type {
  OllamaImagePull,
  OllamaModel,
  OllamaModelDetails,
  OllamaModelList,
  OllamaPull,
  OllamaRecommendedModel,
  OllamaRunningModel,
  OllamaState,
  OllamaStatus,
} from "@agentos/core";

type Send = (
  method: string,
  path: string,
  init: { headers?: Record<string, string>; signal?: AbortSignal },
) => Promise<Response>;

/**
 * Yields a pull's snapshots from `GET /api/ollama/pulls/{id}/events`: the current one first, then
 * each update, until the pull ends. Reconnecting (after a reload) starts again from the current one.
 */
export async function* followOllamaPull(
  send: Send,
  id: string,
  signal?: AbortSignal,
): AsyncGenerator<OllamaPull, void, undefined> {
  const response = await send("GET", `/api/ollama/pulls/${id}/events`, {
    headers: { accept: "text/event-stream" },
    ...(signal ? { signal } : {}),
  });
  if (!response.body) return;
  for await (const message of parseServerSentEvents(response.body)) {
    if (message.event === "end") return;
    if (message.event === "progress") yield JSON.parse(message.data) as OllamaPull;
  }
}
