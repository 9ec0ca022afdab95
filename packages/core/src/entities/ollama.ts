import { z } from "zod";
import { Id } from "../ids";

// The contract of /api/ollama/*: the worker that hosts Ollama produces these shapes, the API parses
// them and adds the workspace's part, clients read them. The `id`s name the OpenAPI components.

/** An Ollama model name: `[host/][namespace/]model[:tag]`, as `ollama pull` takes it. */
export const OllamaModelName = z
  .string()
  .min(1)
  .max(350)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*){0,2}(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/,
    "must be an Ollama model name such as llama3.2:1b or hf.co/org/repo:Q4_K_M",
  )
  .meta({ example: "llama3.2:1b" });

export const OllamaPullId = z
  .string()
  .regex(/^pull_[0-9a-z]{26}$/, "must be a pull id such as pull_0mhx…")
  .meta({ example: "pull_0mhxk2v9q1a2b3c4d5e6f7g8h9" });

export const OllamaImagePull = z
  .object({
    status: z.string(),
    layers: z.number().int(),
    layersDone: z.number().int(),
    downloadedBytes: z.number(),
    totalBytes: z.number(),
    percent: z.number().meta({ description: "0–100; downloads weigh 80 %, extraction 20 %" }),
    error: z.string().nullable(),
  })
  .meta({ id: "OllamaImagePull", description: "Progress of the Docker image pull of the install flow" });
export type OllamaImagePull = z.infer<typeof OllamaImagePull>;

export const OllamaState = z.enum(["not_installed", "installing", "starting", "ready", "error"]);
export type OllamaState = z.infer<typeof OllamaState>;

export const OllamaStatus = z
  .object({
    state: OllamaState,
    source: z.enum(["env", "detected", "managed"]).nullable().meta({
      description:
        "env: OLLAMA_HOST; detected: found on the default port; managed: the container the install flow runs",
    }),
    baseUrl: z
      .string()
      .nullable()
      .meta({ description: "Root URL of the Ollama API, the ollama provider's base URL" }),
    version: z.string().nullable(),
    reason: z.string().nullable().meta({ description: "Why the state is what it is, and what to do" }),
    installable: z.boolean().meta({ description: "Whether POST /api/ollama/install can run on this worker" }),
    image: z.string(),
    container: z.string().nullable(),
    gpu: z.boolean().nullable().meta({ description: "GPUs passed through to the managed container" }),
    install: z
      .object({
        phase: z.enum(["pulling_image", "creating", "starting"]),
        image: OllamaImagePull.nullable(),
      })
      .nullable(),
    checkedAt: z.string(),
    workerId: Id.meta({ description: "The worker host that hosts Ollama" }),
    providerId: Id.nullable().meta({
      description:
        'The workspace\'s ollama provider (created as "Ollama (local)" when Ollama is first ready)',
    }),
  })
  .meta({ id: "OllamaStatus" });
export type OllamaStatus = z.infer<typeof OllamaStatus>;

/** The status as the worker reports it; the API adds which worker it is and the workspace's provider. */
export const OllamaWorkerStatus = OllamaStatus.omit({ workerId: true, providerId: true });
export type OllamaWorkerStatus = z.infer<typeof OllamaWorkerStatus>;

export const OllamaModel = z
  .object({
    name: z.string(),
    sizeBytes: z.number(),
    family: z.string().nullable(),
    families: z.array(z.string()),
    parameterSize: z.string().nullable().meta({ example: "8.0B" }),
    quantization: z.string().nullable().meta({ example: "Q4_K_M" }),
    format: z.string().nullable(),
    digest: z.string().nullable(),
    modifiedAt: z.string().nullable(),
  })
  .meta({ id: "OllamaModel" });
export type OllamaModel = z.infer<typeof OllamaModel>;

export const OllamaRunningModel = z
  .object({
    name: z.string(),
    sizeBytes: z.number().meta({ description: "Memory the loaded model takes (RAM and VRAM)" }),
    vramBytes: z.number(),
    expiresAt: z.string().nullable(),
    contextLength: z.number().int().nullable(),
  })
  .meta({ id: "OllamaRunningModel" });
export type OllamaRunningModel = z.infer<typeof OllamaRunningModel>;

export const OllamaRecommendedModel = z
  .object({
    name: z.string(),
    sizeBytes: z.number().meta({ description: "Approximate download size" }),
    description: z.string(),
    goodAt: z.array(z.string()),
    supportsTools: z.boolean(),
    installed: z.boolean(),
  })
  .meta({ id: "OllamaRecommendedModel" });
export type OllamaRecommendedModel = z.infer<typeof OllamaRecommendedModel>;

export const OllamaModelList = z
  .object({
    items: z.array(OllamaModel),
    running: z.array(OllamaRunningModel),
    recommended: z.array(OllamaRecommendedModel),
  })
  .meta({ id: "OllamaModelList" });
export type OllamaModelList = z.infer<typeof OllamaModelList>;

export const OllamaModelDetails = z
  .object({
    name: z.string(),
    family: z.string().nullable(),
    parameterSize: z.string().nullable(),
    quantization: z.string().nullable(),
    format: z.string().nullable(),
    architecture: z.string().nullable(),
    parameterCount: z.number().nullable(),
    contextLength: z.number().nullable(),
    capabilities: z.array(z.string()).meta({ example: ["completion", "tools"] }),
    parameters: z.string().nullable(),
    template: z.string().nullable(),
    system: z.string().nullable(),
    license: z.string().nullable().meta({ description: "The first 4000 characters" }),
    modifiedAt: z.string().nullable(),
  })
  .meta({ id: "OllamaModelDetails" });
export type OllamaModelDetails = z.infer<typeof OllamaModelDetails>;

export const OllamaPullStatus = z.enum([
  "pulling",
  "verifying",
  "writing",
  "succeeded",
  "failed",
  "cancelled",
]);
export type OllamaPullStatus = z.infer<typeof OllamaPullStatus>;

/** One blob of a model, as its progress lines report it. */
export const OllamaPullLayer = z.object({
  digest: z.string(),
  totalBytes: z.number(),
  completedBytes: z.number(),
});
export type OllamaPullLayer = z.infer<typeof OllamaPullLayer>;

/** Why a pull failed. */
export const OllamaPullError = z.object({
  code: z.enum(["model_not_found", "disk_full", "interrupted", "unreachable", "ollama_error"]),
  message: z.string(),
  resumable: z.boolean().meta({ description: "Pulling again continues from the bytes on disk" }),
});
export type OllamaPullError = z.infer<typeof OllamaPullError>;

/** A model pull: a whole snapshot of its progress. */
export const OllamaPull = z
  .object({
    id: OllamaPullId,
    model: z.string(),
    seq: z.number().int().meta({ description: "Increases with every snapshot; the SSE event id" }),
    status: OllamaPullStatus,
    message: z.string().meta({ description: "Ollama's last status line, e.g. `pulling 74701a8c35f6`" }),
    layers: z.array(OllamaPullLayer),
    completedBytes: z.number(),
    totalBytes: z.number().meta({
      description: "Sum of the layers announced so far (Ollama pulls them one after another)",
    }),
    percent: z.number().nullable(),
    bytesPerSecond: z.number().nullable(),
    etaSeconds: z.number().nullable(),
    resumedBytes: z.number().meta({ description: "Bytes already on disk when the pull started" }),
    error: OllamaPullError.nullable(),
    startedAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: "OllamaPull" });
export type OllamaPull = z.infer<typeof OllamaPull>;

export const OllamaPullCreate = z.object({ name: OllamaModelName }).meta({ id: "OllamaPullCreate" });
export type OllamaPullCreate = z.infer<typeof OllamaPullCreate>;
