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
import { LOCAL_OUTBOUND_POLICY, type OutboundPolicy, outboundFetch } from "../tools/outbound-policy";
import { buildLanguageModel, DEFAULT_OLLAMA_BASE_URL, type ProviderConnection } from "./providers";
import type { ModelResolver, ResolvedModel } from "./types";

export interface ModelResolverOptions {
  repos: Repositories;
  /** Where an Ollama provider without `baseUrl` points (see `ollamaBaseUrlFromHost`); default local. */
  ollamaBaseUrl?: string | undefined;
  /** A fetch every provider uses instead of the global one (tests, proxies). */
  fetch?: typeof globalThis.fetch | undefined;
  /**
   * Where providers' URLs may lead: in hosted mode every provider call goes through the SSRF guard
   * (public addresses and the operator's allow-list), except an ollama provider without a base
   * URL, which calls the operator's own Ollama. Default: local mode's trust.
   */
  outbound?: OutboundPolicy;
}

/** A {@link ModelResolver} that also hands out connections, for checks that bypass `enabled`. */
export interface StudioModelResolver extends ModelResolver {
  /** Where Ollama providers without a base URL point. */
  readonly ollamaBaseUrl: string;
  /** The stored provider with its key opened, whether enabled or not. */
  connect(workspaceId: string, providerId: string): Promise<ProviderConnection & { enabled: boolean }>;
  /** The AI SDK model for a connection (throws Invalid when the provider is misconfigured). */
  build(connection: ProviderConnection, modelName: string): LanguageModel;
  /** The fetch calls to this provider go through (the guarded one in hosted mode), or undefined for the global one. */
  fetchFor(connection: ProviderConnection): typeof globalThis.fetch | undefined;
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
  const guardedFetch = outboundFetch(options.outbound ?? LOCAL_OUTBOUND_POLICY);

  function fetchFor(connection: ProviderConnection) {
    if (options.fetch) return options.fetch;
    // The operator's Ollama (OLLAMA_HOST, or the worker's own) is no user-supplied URL.
    if (connection.kind === "ollama" && !connection.baseUrl) return undefined;
    return guardedFetch;
  }

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
    const fetch = fetchFor(connection);
    return buildLanguageModel(connection, modelName, {
      ...(fetch ? { fetch } : {}),
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
    fetchFor,
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
