import { Invalid, type LlmProvider } from "@agentos/core";
import { createAnthropic } from "@ai-sdk/anthropic";
import { createAzure } from "@ai-sdk/azure";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import { createOllama } from "ollama-ai-provider-v2";

/** A provider as stored, with its API key opened: everything needed to call it. */
export interface ProviderConnection {
  id: string;
  name: string;
  kind: LlmProvider["kind"];
  baseUrl: string | null;
  options: LlmProvider["options"];
  /** The decrypted key; never log it. */
  apiKey: string | null;
}

export const DEFAULT_OLLAMA_BASE_URL = "http://127.0.0.1:11434/api";

/**
 * The Ollama API base URL from an `OLLAMA_HOST` value as the ollama CLI reads it (`host:port`,
 * `http://host:port`, or a bare host), with the `/api` prefix the provider calls.
 */
export function ollamaBaseUrlFromHost(host: string): string {
  const trimmed = host.trim();
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  const hasPort = /^https?:\/\/(\[[^\]]*\]|[^/:]*):\d+/i.test(withScheme);
  const url = new URL(withScheme);
  if (!hasPort && url.protocol === "http:") url.port = "11434";
  return ollamaApiUrl(url.toString());
}

/** Adds `/api` to an Ollama URL given as the server's root (users often paste http://host:11434). */
function ollamaApiUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.pathname === "" || url.pathname === "/") url.pathname = "/api";
  return url.toString().replace(/\/+$/, "");
}

function missing(connection: ProviderConnection, field: "apiKey" | "baseUrl", what: string): Invalid {
  const message = `Provider "${connection.name}" (${connection.kind}) has no ${what}: set \`${field}\` on the provider.`;
  return new Invalid(message, { errors: [{ path: field, message: `is required for ${connection.kind}` }] });
}

function requireKey(connection: ProviderConnection): string {
  // Without a key the SDKs would fall back to OPENAI_API_KEY & co. from the environment, which
  // this process does not own; the stored provider is the only source of credentials.
  if (!connection.apiKey) throw missing(connection, "apiKey", "API key");
  return connection.apiKey;
}

/** Options shared by every kind: optional base URL override, custom headers, a test fetch. */
interface CommonSettings {
  headers?: Record<string, string>;
  fetch?: typeof globalThis.fetch;
}

/**
 * Builds the AI SDK language model for `modelName` on this provider. OpenAI and Azure use the Chat
 * Completions API (supported by every OpenAI-style gateway and stateless; the Responses API stores
 * conversations by default); usage is requested in streams where it is opt-in.
 */
export function buildLanguageModel(
  connection: ProviderConnection,
  modelName: string,
  settings: { fetch?: typeof globalThis.fetch; ollamaBaseUrl?: string } = {},
): LanguageModel {
  const common: CommonSettings = {
    ...(connection.options.headers ? { headers: { ...connection.options.headers } } : {}),
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  };
  const baseURL = connection.baseUrl ?? undefined;
  switch (connection.kind) {
    case "openai":
      return createOpenAI({ ...common, apiKey: requireKey(connection), baseURL }).chat(modelName);
    case "anthropic":
      return createAnthropic({ ...common, apiKey: requireKey(connection), baseURL })(modelName);
    case "google":
      return createGoogleGenerativeAI({ ...common, apiKey: requireKey(connection), baseURL })(modelName);
    case "azure": {
      const { azureResourceName, azureApiVersion } = connection.options;
      if (!baseURL && !azureResourceName) {
        const message = `Provider "${connection.name}" (azure) needs \`options.azureResourceName\` or \`baseUrl\` to know where the deployment lives.`;
        throw new Invalid(message, {
          errors: [{ path: "options.azureResourceName", message: "is required without baseUrl" }],
        });
      }
      return createAzure({
        ...common,
        apiKey: requireKey(connection),
        ...(baseURL ? { baseURL } : { resourceName: azureResourceName }),
        ...(azureApiVersion ? { apiVersion: azureApiVersion } : {}),
        // Dated API versions (2024-10-21) only exist on the deployment-based URLs; v1/preview do not.
        ...(azureApiVersion && /^\d{4}-\d{2}-\d{2}/.test(azureApiVersion)
          ? { useDeploymentBasedUrls: true }
          : {}),
      }).chat(modelName);
    }
    case "ollama": {
      const headers = { ...common.headers };
      // Ollama itself takes no key; a key set here is for a proxy or hosted Ollama in front of it.
      if (connection.apiKey) headers.Authorization = `Bearer ${connection.apiKey}`;
      return createOllama({
        ...common,
        headers,
        baseURL: baseURL ? ollamaApiUrl(baseURL) : (settings.ollamaBaseUrl ?? DEFAULT_OLLAMA_BASE_URL),
      })(modelName);
    }
    case "openai-compatible":
      if (!baseURL)
        throw missing(connection, "baseUrl", "base URL (e.g. http://127.0.0.1:1234/v1 for LM Studio)");
      return createOpenAICompatible({
        ...common,
        name: "openai-compatible",
        baseURL,
        ...(connection.apiKey ? { apiKey: connection.apiKey } : {}),
        includeUsage: true,
      }).chatModel(modelName);
  }
}

/** Where calls to this provider go, for messages ("unreachable at …"). */
export function endpointOf(connection: ProviderConnection, ollamaBaseUrl = DEFAULT_OLLAMA_BASE_URL): string {
  if (connection.baseUrl)
    return connection.kind === "ollama" ? ollamaApiUrl(connection.baseUrl) : connection.baseUrl;
  switch (connection.kind) {
    case "openai":
      return "https://api.openai.com/v1";
    case "anthropic":
      return "https://api.anthropic.com/v1";
    case "google":
      return "https://generativelanguage.googleapis.com/v1beta";
    case "azure":
      return `https://${connection.options.azureResourceName ?? "<resource>"}.openai.azure.com/openai`;
    case "ollama":
      return ollamaBaseUrl;
    case "openai-compatible":
      return "(no base URL)";
  }
}
