import { z } from "zod";
import { Id } from "../ids";
import { Stored, updateOf } from "./common";

export const RateLimitCreate = z.object({
  providerId: Id,
  model: z.string().max(200).nullable().default(null).describe("null applies to every model of the provider"),
  requestsPerMinute: z.number().int().min(1).max(1_000_000).nullable().default(null),
  tokensPerMinute: z.number().int().min(1).max(1_000_000_000).nullable().default(null),
});
export type RateLimitCreate = z.input<typeof RateLimitCreate>;
export const RateLimitUpdate = updateOf(RateLimitCreate).omit({ providerId: true, model: true });
export type RateLimitUpdate = z.input<typeof RateLimitUpdate>;

export const RateLimit = z.object({ id: Id, workspaceId: Id, ...RateLimitCreate.shape, ...Stored });
export type RateLimit = z.infer<typeof RateLimit>;
