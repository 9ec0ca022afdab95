import type { ModelPricing, ModelRef } from "@agentos/core";
import type { LanguageModel } from "ai";

/** A model ready to call, with what the engine needs to account for it. */
export interface ResolvedModel {
  model: LanguageModel;
  providerId: string;
  /** Model name as the provider knows it, e.g. gpt-4o-mini. */
  modelName: string;
  /** From the models table; null when the model is not registered (cost then counts as 0). */
  pricing: ModelPricing | null;
}

/** Turns an agent's model reference into a callable model; decrypts the provider key inside. */
export interface ModelResolver {
  resolve(workspaceId: string, ref: ModelRef): Promise<ResolvedModel>;
}

/** Rate limits per provider and model, shared by every process on the database. */
export interface RateLimiter {
  /**
   * Waits until one request and `estimatedTokens` tokens may be spent, or throws when the wait
   * would exceed the limiter's maximum wait (a clear error saying which limit and for how long).
   */
  acquire(
    request: { workspaceId: string; providerId: string; model: string; estimatedTokens: number },
    signal?: AbortSignal,
  ): Promise<void>;
  /**
   * Settles a finished call against the token limits: debits what it used beyond `estimatedTokens`
   * (later calls then wait) or refunds an overestimate. Optional so that test doubles may omit it.
   */
  recordTokens?(usage: {
    workspaceId: string;
    providerId: string;
    model: string;
    estimatedTokens: number;
    actualTokens: number;
  }): Promise<void>;
}
