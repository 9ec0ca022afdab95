import type { OllamaModel, OllamaModelDetails, OllamaRunningModel } from "@agentos/core";
import type { OllamaPsAnswer, OllamaShowAnswer, OllamaTagsAnswer } from "./wire";

type Details = NonNullable<OllamaTagsAnswer["models"][number]["details"]>;

const detailsOf = (details: Details | undefined) => ({
  family: details?.family || null,
  parameterSize: details?.parameter_size || null,
  quantization: details?.quantization_level || null,
  format: details?.format || null,
});

/** The local models by name, from `/api/tags`. */
export function localModelsOf(tags: OllamaTagsAnswer): OllamaModel[] {
  return tags.models
    .map((m) => ({
      name: m.name,
      sizeBytes: m.size,
      ...detailsOf(m.details),
      families: m.details?.families ?? [],
      digest: m.digest ?? null,
      modifiedAt: m.modified_at ?? null,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The models loaded in memory, from `/api/ps`. */
export function runningModelsOf(ps: OllamaPsAnswer): OllamaRunningModel[] {
  return ps.models.map((m) => ({
    name: m.name,
    sizeBytes: m.size,
    vramBytes: m.size_vram ?? 0,
    expiresAt: m.expires_at ?? null,
    contextLength: m.context_length ?? null,
  }));
}

const LICENSE_CHARS = 4000;

/** One model's details from `/api/show`; `model_info` keys are `<architecture>.<field>`. */
export function modelDetailsOf(name: string, show: OllamaShowAnswer): OllamaModelDetails {
  const info = show.model_info ?? {};
  const architecture = typeof info["general.architecture"] === "string" ? info["general.architecture"] : null;
  const number = (key: string) => (typeof info[key] === "number" ? (info[key] as number) : null);
  return {
    name,
    ...detailsOf(show.details),
    architecture,
    parameterCount: number("general.parameter_count"),
    contextLength: architecture ? number(`${architecture}.context_length`) : null,
    capabilities: show.capabilities ?? [],
    parameters: show.parameters ?? null,
    template: show.template ?? null,
    system: show.system ?? null,
    license: show.license ? show.license.slice(0, LICENSE_CHARS) : null,
    modifiedAt: show.modified_at ?? null,
  };
}
