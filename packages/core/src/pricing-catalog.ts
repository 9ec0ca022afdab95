import type { ProviderKind } from "./entities/llm-provider";
import type { ModelPricing } from "./entities/model";

export interface CatalogModel {
  name: string;
  displayName: string;
  contextWindow: number;
  pricing: ModelPricing;
}

const p = (inputPerMTok: number, outputPerMTok: number, cachedInputPerMTok: number): ModelPricing => ({
  inputPerMTok,
  outputPerMTok,
  cachedInputPerMTok,
});

/**
 * Public list prices (USD per 1M tokens; standard tier, shortest context band) of common models,
 * as the providers published them when this table was last updated (2025-11). A new provider is
 * seeded with its kind's models; every price stays editable through /api/models, and prices
 * change — check the provider's pricing page.
 */
export const PRICE_CATALOG: Partial<Record<ProviderKind, CatalogModel[]>> = {
  openai: [
    { name: "gpt-5", displayName: "GPT-5", contextWindow: 400_000, pricing: p(1.25, 10, 0.125) },
    { name: "gpt-5-mini", displayName: "GPT-5 mini", contextWindow: 400_000, pricing: p(0.25, 2, 0.025) },
    { name: "gpt-5-nano", displayName: "GPT-5 nano", contextWindow: 400_000, pricing: p(0.05, 0.4, 0.005) },
    { name: "gpt-4.1", displayName: "GPT-4.1", contextWindow: 1_047_576, pricing: p(2, 8, 0.5) },
    {
      name: "gpt-4.1-mini",
      displayName: "GPT-4.1 mini",
      contextWindow: 1_047_576,
      pricing: p(0.4, 1.6, 0.1),
    },
    { name: "gpt-4o", displayName: "GPT-4o", contextWindow: 128_000, pricing: p(2.5, 10, 1.25) },
    { name: "gpt-4o-mini", displayName: "GPT-4o mini", contextWindow: 128_000, pricing: p(0.15, 0.6, 0.075) },
    { name: "o4-mini", displayName: "o4-mini", contextWindow: 200_000, pricing: p(1.1, 4.4, 0.275) },
  ],
  anthropic: [
    {
      name: "claude-opus-4-5",
      displayName: "Claude Opus 4.5",
      contextWindow: 200_000,
      pricing: p(5, 25, 0.5),
    },
    {
      name: "claude-sonnet-4-5",
      displayName: "Claude Sonnet 4.5",
      contextWindow: 200_000,
      pricing: p(3, 15, 0.3),
    },
    {
      name: "claude-haiku-4-5",
      displayName: "Claude Haiku 4.5",
      contextWindow: 200_000,
      pricing: p(1, 5, 0.1),
    },
  ],
  google: [
    {
      name: "gemini-2.5-pro",
      displayName: "Gemini 2.5 Pro",
      contextWindow: 1_048_576,
      pricing: p(1.25, 10, 0.125),
    },
    {
      name: "gemini-2.5-flash",
      displayName: "Gemini 2.5 Flash",
      contextWindow: 1_048_576,
      pricing: p(0.3, 2.5, 0.03),
    },
    {
      name: "gemini-2.5-flash-lite",
      displayName: "Gemini 2.5 Flash-Lite",
      contextWindow: 1_048_576,
      pricing: p(0.1, 0.4, 0.01),
    },
  ],
};

/** The catalog price of a model by provider kind and name, or null when it is not listed. */
export function catalogPricing(kind: ProviderKind, model: string): ModelPricing | null {
  return PRICE_CATALOG[kind]?.find((m) => m.name === model)?.pricing ?? null;
}
