import { z } from "zod";
import { Id } from "../ids";
import { Name, Stored, updateOf } from "./common";

export const PROVIDER_KINDS = [
  "openai",
  "anthropic",
  "google",
  "azure",
  "ollama",
  "openai-compatible",
] as const;
export const ProviderKind = z.enum(PROVIDER_KINDS);
export type ProviderKind = z.infer<typeof ProviderKind>;

const LlmProviderFields = z.object({
  name: Name,
  kind: ProviderKind,
  baseUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .default(null)
    .describe("Override the provider's API base URL"),
  options: z
    .object({
      azureResourceName: z.string().max(200).optional(),
      azureApiVersion: z.string().max(50).optional(),
      headers: z.record(z.string().min(1).max(200), z.string().max(8000)).optional(),
    })
    .default({}),
  enabled: z.boolean().default(true),
});

export const LlmProviderCreate = LlmProviderFields.extend({
  apiKey: z.string().min(1).max(8000).optional().describe("Write-only; encrypted at rest and never returned"),
});
export type LlmProviderCreate = z.input<typeof LlmProviderCreate>;
export const LlmProviderUpdate = updateOf(LlmProviderCreate).extend({
  apiKey: z.string().min(1).max(8000).nullable().optional().describe("null removes the key"),
});
export type LlmProviderUpdate = z.input<typeof LlmProviderUpdate>;

export const LlmProvider = z.object({
  id: Id,
  workspaceId: Id,
  ...LlmProviderFields.shape,
  hasApiKey: z.boolean(),
  ...Stored,
});
export type LlmProvider = z.infer<typeof LlmProvider>;
