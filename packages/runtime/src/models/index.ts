export { canListModels, listProviderModels } from "./model-list";
export {
  checkProvider,
  DEFAULT_CHECK_MODELS,
  PROVIDER_CHECK_TIMEOUT_MS,
  type ProviderCheckOptions,
  type ProviderCheckResult,
} from "./provider-check";
export {
  buildLanguageModel,
  DEFAULT_OLLAMA_BASE_URL,
  endpointOf,
  ollamaBaseUrlFromHost,
  type ProviderConnection,
} from "./providers";
export { createModelResolver, type ModelResolverOptions, type StudioModelResolver } from "./resolver";
export {
  describeProviderError,
  isRetriableStatus,
  ProviderError,
  type ProviderRetryOptions,
  requestedRetryDelayMs,
  withProviderRetries,
} from "./retry";
export type { ModelResolver, RateLimiter, ResolvedModel } from "./types";
export { toUsage } from "./usage";
