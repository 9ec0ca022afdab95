import {
  catalogPricing,
  Invalid,
  type LlmProvider,
  type ModelPricing,
  type ModelRef,
  Unavailable,
} from "@agentos/core";
import { type Repositories, schema } from "@agentos/db";
import type { LanguageModel } from "ai";
import { and, eq } from "drizzle-orm";
import { fillSecretReferences } from "../secrets/references";
import { buildLanguageModel, DEFAULT_OLLAMA_BASE_URL, type ProviderConnection } from "./providers";
import type { ModelResolver, ResolvedModel } from "./types";

export interface ModelResolverOptions {
  repos: Repositories;
  /** Where an Ollama provider without `baseUrl` points (see `ollamaBaseUrlFromHost`); default local. */
  ollamaBaseUrl?: string | undefined;
  /** A fetch every provider uses instead of the global one (tests, proxies). */
  fetch?: typeof globalThis.fetch | undefined;
}

/** A {@link ModelResolver} that also hands out connections, for checks that bypass `enabled`. */
export interface StudioModelResolver extends ModelResolver {
  /** Where Ollama providers without a base URL point. */
  readonly ollamaBaseUrl: string;
  /** The stored provider with its key opened, whether enabled or not. */
  connect(workspaceId: string, providerId: string): Promise<ProviderConnection & { enabled: boolean }>;
  /** The AI SDK model for a connection (throws Invalid when the provider is misconfigured). */
  build(connection: ProviderConnection, modelName: string): LanguageModel;
  /** Registered pricing of the model; zero for unregistered local (Ollama) models, else null. */
  pricingOf(
    workspaceId: string,
    connection: ProviderConnection,
    modelName: string,
  ): Promise<ModelPricing | null>;
}

const FREE: ModelPricing = { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0 };

/** Resolves agents' model references against the providers and models tables. */
export function createModelResolver(options: ModelResolverOptions): StudioModelResolver {
  // Repositories are only touched inside calls: the contract document builds the API without a database.
  const { repos } = options;

  async function connect(workspaceId: string, providerId: string) {
    const row = await repos.llmProviders.getRow(workspaceId, providerId);
    let apiKey: string | null = null;
    if (row.apiKeySecret) {
      try {
        apiKey = repos.secrets.open(row.apiKeySecret);
      } catch (error) {
        throw new Unavailable(
          `The API key of provider "${row.name}" cannot be decrypted: ${(error as Error).message} Or set the key again on the provider.`,
          { cause: error },
        );
      }
    }
    // A key of the form {{secret:NAME}} is taken from the workspace's vault.
    if (apiKey)
      apiKey = await fillSecretReferences(repos, workspaceId, apiKey, { by: `provider ${row.name}` });
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      baseUrl: row.baseUrl,
      options: row.options as LlmProvider["options"],
      apiKey,
      enabled: row.enabled,
    };
  }

  function build(connection: ProviderConnection, modelName: string): LanguageModel {
    return buildLanguageModel(connection, modelName, {
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.ollamaBaseUrl ? { ollamaBaseUrl: options.ollamaBaseUrl } : {}),
    });
  }

  async function pricingOf(workspaceId: string, connection: ProviderConnection, modelName: string) {
    const m = schema.models;
    const [row] = await repos.db
      .select({ pricing: m.pricing })
      .from(m)
      .where(and(eq(m.workspaceId, workspaceId), eq(m.providerId, connection.id), eq(m.name, modelName)))
      .limit(1);
    if (row) return row.pricing;
    // Unregistered: local models are free; hosted ones cost their public list price when known.
    return connection.kind === "ollama" ? FREE : catalogPricing(connection.kind, modelName);
  }

  return {
    ollamaBaseUrl: options.ollamaBaseUrl ?? DEFAULT_OLLAMA_BASE_URL,
    connect,
    build,
    pricingOf,
    async resolve(workspaceId: string, ref: ModelRef): Promise<ResolvedModel> {
      const connection = await connect(workspaceId, ref.providerId);
      if (!connection.enabled) {
        throw new Invalid(
          `Provider "${connection.name}" is disabled: enable it, or point the agent at another provider.`,
          { errors: [{ path: "model.providerId", message: "refers to a disabled provider" }] },
        );
      }
      return {
        model: build(connection, ref.model),
        providerId: connection.id,
        modelName: ref.model,
        pricing: await pricingOf(workspaceId, connection, ref.model),
      };
    },
  };
}
