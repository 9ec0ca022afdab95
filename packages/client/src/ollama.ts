import { parseServerSentEvents } from "./sse";

// The shapes of /api/ollama/* (the OllamaStatus, OllamaModelList, OllamaPull … schemas of
// contracts/shared-types.md).

export type OllamaState = "not_installed" | "installing" | "starting" | "ready" | "error";

export interface OllamaImagePull {
  status: string;
  layers: number;
  layersDone: number;
  downloadedBytes: number;
  totalBytes: number;
  percent: number;
  error: string | null;
}

/** `GET /api/ollama/status`: where the worker's Ollama comes from and its state. */
export interface OllamaStatus {
  state: OllamaState;
  source: "env" | "detected" | "managed" | null;
  /** Root URL of the Ollama API, once known. */
  baseUrl: string | null;
  version: string | null;
  /** Why the state is what it is, and what to do. */
  reason: string | null;
  installable: boolean;
  image: string;
  container: string | null;
  gpu: boolean | null;
  install: { phase: "pulling_image" | "creating" | "starting"; image: OllamaImagePull | null } | null;
  checkedAt: string;
  workerId: string;
  /** The workspace's ollama provider; agents use it with a model name from `models()`. */
  providerId: string | null;
}

export interface OllamaModel {
  name: string;
  sizeBytes: number;
  family: string | null;
  families: string[];
  parameterSize: string | null;
  quantization: string | null;
  format: string | null;
  digest: string | null;
  modifiedAt: string | null;
}

export interface OllamaRunningModel {
  name: string;
  sizeBytes: number;
  vramBytes: number;
  expiresAt: string | null;
  contextLength: number | null;
}

export interface OllamaRecommendedModel {
  name: string;
  sizeBytes: number;
  description: string;
  goodAt: string[];
  supportsTools: boolean;
  installed: boolean;
}

export interface OllamaModelList {
  items: OllamaModel[];
  running: OllamaRunningModel[];
  recommended: OllamaRecommendedModel[];
}

export interface OllamaModelDetails {
  name: string;
  family: string | null;
  parameterSize: string | null;
  quantization: string | null;
  format: string | null;
  architecture: string | null;
  parameterCount: number | null;
  contextLength: number | null;
  capabilities: string[];
  parameters: string | null;
  template: string | null;
  system: string | null;
  license: string | null;
  modifiedAt: string | null;
}

/** A model pull: a whole snapshot of its progress. */
export interface OllamaPull {
  id: string;
  model: string;
  seq: number;
  status: "pulling" | "verifying" | "writing" | "succeeded" | "failed" | "cancelled";
  message: string;
  layers: Array<{ digest: string; totalBytes: number; completedBytes: number }>;
  completedBytes: number;
  totalBytes: number;
  percent: number | null;
  bytesPerSecond: number | null;
  etaSeconds: number | null;
  resumedBytes: number;
  error: {
    code: "model_not_found" | "disk_full" | "interrupted" | "unreachable" | "ollama_error";
    message: string;
    resumable: boolean;
  } | null;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

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
