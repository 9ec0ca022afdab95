import { z } from "zod";
import { Id } from "../ids";
import { Stored, updateOf } from "./common";

/** USD per one million tokens. */
export const ModelPricing = z.object({
  inputPerMTok: z.number().min(0).max(100_000),
  outputPerMTok: z.number().min(0).max(100_000),
  cachedInputPerMTok: z.number().min(0).max(100_000),
});
export type ModelPricing = z.infer<typeof ModelPricing>;

export const ModelCreate = z.object({
  providerId: Id,
  name: z.string().trim().min(1).max(200).describe("Model name as the provider knows it"),
  displayName: z.string().max(200).default(""),
  contextWindow: z.number().int().min(1).max(100_000_000).default(128_000),
  pricing: ModelPricing.default({ inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0 }),
  supportsTools: z.boolean().default(true),
});
export type ModelCreate = z.input<typeof ModelCreate>;
export const ModelUpdate = updateOf(ModelCreate).omit({ providerId: true });
export type ModelUpdate = z.input<typeof ModelUpdate>;

export const Model = z.object({ id: Id, workspaceId: Id, ...ModelCreate.shape, ...Stored });
export type Model = z.infer<typeof Model>;
