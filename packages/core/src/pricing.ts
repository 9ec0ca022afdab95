import type { Usage } from "./entities/common";
import type { ModelPricing } from "./entities/model";

/** Cost in USD of one model call; cached input tokens are billed at the cached rate, not twice. */
export function costOf(usage: Usage, pricing: ModelPricing): number {
  const uncachedInput = Math.max(0, usage.inputTokens - usage.cachedInputTokens);
  const micro =
    uncachedInput * pricing.inputPerMTok +
    usage.cachedInputTokens * pricing.cachedInputPerMTok +
    usage.outputTokens * pricing.outputPerMTok;
  return micro / 1_000_000;
}
