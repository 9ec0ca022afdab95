import type { Usage } from "@agentos/core";
import type { LanguageModelUsage } from "ai";

/**
 * The AI SDK's usage as the Studio records it. Missing counts are 0 (some local servers report
 * none); cached input is what the provider read from its prompt cache, part of `inputTokens`.
 */
export function toUsage(usage: LanguageModelUsage | undefined): Usage {
  return {
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cachedInputTokens: usage?.inputTokenDetails?.cacheReadTokens ?? 0,
  };
}
