import { z } from "zod";

// Ollama's HTTP answers, as far as the worker depends on them (docs/api.md; the recordings in
// worker/test/ollama-standin/fixtures). Unknown fields are ignored, missing optional ones tolerated.

const Details = z
  .object({
    format: z.string().optional(),
    family: z.string().optional(),
    families: z.array(z.string()).nullable().optional(),
    parameter_size: z.string().optional(),
    quantization_level: z.string().optional(),
  })
  .partial();

/** `GET /api/tags`: the models on disk. */
export const OllamaTagsAnswer = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      modified_at: z.string().optional(),
      size: z.number(),
      digest: z.string().optional(),
      details: Details.optional(),
    }),
  ),
});
export type OllamaTagsAnswer = z.infer<typeof OllamaTagsAnswer>;

/** `GET /api/ps`: the models loaded in memory. */
export const OllamaPsAnswer = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      size: z.number(),
      size_vram: z.number().optional(),
      expires_at: z.string().optional(),
      context_length: z.number().optional(),
      details: Details.optional(),
    }),
  ),
});
export type OllamaPsAnswer = z.infer<typeof OllamaPsAnswer>;

/** `POST /api/show`: one model's details, parameters, template and capabilities. */
export const OllamaShowAnswer = z.object({
  license: z.string().optional(),
  parameters: z.string().optional(),
  template: z.string().optional(),
  system: z.string().optional(),
  details: Details.optional(),
  model_info: z.record(z.string(), z.unknown()).optional(),
  capabilities: z.array(z.string()).optional(),
  modified_at: z.string().optional(),
});
export type OllamaShowAnswer = z.infer<typeof OllamaShowAnswer>;

/** One NDJSON line of `POST /api/pull`: a status (with byte counts while a blob downloads) or an error. */
export const OllamaPullLine = z.union([
  z.object({ error: z.string() }),
  z.object({
    status: z.string(),
    digest: z.string().optional(),
    total: z.number().optional(),
    completed: z.number().optional(),
  }),
]);
export type OllamaPullLine = z.infer<typeof OllamaPullLine>;

/** The body of every Ollama error answer. */
export const OllamaErrorBody = z.object({ error: z.string() });

export const OllamaVersionAnswer = z.object({ version: z.string() });
