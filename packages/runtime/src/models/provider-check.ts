import { AgentOsError, type ProviderKind } from "@agentos/core";
import type { Repositories } from "@agentos/db";
import { generateText } from "ai";
import { canListModels, listProviderModels } from "./model-list";
import { endpointOf, type ProviderConnection } from "./providers";
import type { StudioModelResolver } from "./resolver";
import { describeProviderError } from "./retry";

/** The outcome of checking a provider with a real call. */
export interface ProviderCheckResult {
  ok: boolean;
  /** Time the check took, provider call(s) included, in milliseconds. */
  latencyMs: number;
  /** The model the check called; null when none could be chosen. */
  model: string | null;
  /** Why the check failed, and what to do. */
  reason?: string;
}

/** Models to try when a hosted provider has none registered: small, cheap, widely available. */
export const DEFAULT_CHECK_MODELS: Partial<Record<ProviderKind, string>> = {
  openai: "gpt-4o-mini",
  anthropic: "claude-haiku-4-5",
  google: "gemini-2.5-flash",
};

export const PROVIDER_CHECK_TIMEOUT_MS = 30_000;

export interface ProviderCheckOptions {
  /** Default: the provider's first registered model, else a default per kind or the server's first model. */
  model?: string | undefined;
  timeoutMs?: number;
  /** Aborted when the caller goes away. */
  signal?: AbortSignal | undefined;
  fetch?: typeof globalThis.fetch;
}

const elapsedSince = (start: number) => Math.round(performance.now() - start);

/**
 * Checks a provider for real: a minimal generation (at most 5 output tokens) with its key and
 * settings. Provider failures come back as `ok: false` with a clear reason, not as errors; only an
 * unknown provider throws (NotFound). Disabled providers can be checked before they are enabled.
 */
export async function checkProvider(
  deps: { resolver: StudioModelResolver; repos: Repositories },
  workspaceId: string,
  providerId: string,
  options: ProviderCheckOptions = {},
): Promise<ProviderCheckResult> {
  const timeoutMs = options.timeoutMs ?? PROVIDER_CHECK_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const start = performance.now();
  let connection: ProviderConnection | undefined;
  let model: string | null = options.model ?? null;
  try {
    connection = await deps.resolver.connect(workspaceId, providerId);
    model ??= await chooseModel(deps, workspaceId, connection, signal, options.fetch);
    if (model === null) {
      return {
        ok: false,
        latencyMs: elapsedSince(start),
        model,
        reason: `No model to check: register a model (for Azure, a deployment name) for provider "${connection.name}" or send { "model": "…" }.`,
      };
    }
    await generateText({
      model: deps.resolver.build(connection, model),
      prompt: "Reply with the single word OK.",
      maxOutputTokens: 5,
      maxRetries: 0,
      abortSignal: signal,
    });
    return { ok: true, latencyMs: elapsedSince(start), model };
  } catch (error) {
    // isInstance is the shared AgentOsError marker, so the kind is told by its code.
    if (AgentOsError.isInstance(error) && error.code === "not_found") throw error;
    const reason = timeout.aborted
      ? `No answer within ${timeoutMs / 1000} s from ${connection ? endpointOf(connection, deps.resolver.ollamaBaseUrl) : "the provider"} — check the base URL; a local model may still be loading, so try again.`
      : describeProviderError(error);
    return { ok: false, latencyMs: elapsedSince(start), model, reason };
  }
}

async function chooseModel(
  { repos, resolver }: { resolver: StudioModelResolver; repos: Repositories },
  workspaceId: string,
  connection: ProviderConnection,
  signal: AbortSignal,
  fetch: typeof globalThis.fetch | undefined,
): Promise<string | null> {
  const registered = await repos.models.list(workspaceId, {
    limit: 1,
    sort: "createdAt",
    filters: { providerId: connection.id },
  });
  const first = registered.items[0]?.name ?? DEFAULT_CHECK_MODELS[connection.kind];
  if (first) return first;
  if (!canListModels(connection.kind)) return null;
  const { ollamaBaseUrl } = resolver;
  const listFetch = fetch ?? resolver.fetchFor(connection);
  const offered = await listProviderModels(connection, {
    signal,
    ollamaBaseUrl,
    ...(listFetch ? { fetch: listFetch } : {}),
  });
  if (offered.length === 0) {
    throw new Error(
      connection.kind === "ollama"
        ? `Ollama at ${endpointOf(connection, ollamaBaseUrl)} has no models installed: pull one (ollama pull llama3.2) or send { "model": "…" }.`
        : `The server at ${endpointOf(connection, ollamaBaseUrl)} lists no models: load one, or send { "model": "…" }.`,
    );
  }
  return offered[0] ?? null;
}
