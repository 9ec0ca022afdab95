import { z } from "zod";

/** The worker's Ollama settings (part of the worker's env schema; OLLAMA_HOST sits beside them). */
export const OllamaEnv = z.object({
  OLLAMA_IMAGE: z
    .string()
    .min(1)
    .default("ollama/ollama")
    .describe("Image of the managed Ollama container the install flow runs"),
  OLLAMA_CONTAINER: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/, "must be a Docker container name")
    .default("agentos-ollama")
    .describe("Name of the managed Ollama container; its models live in the volume <name>-models"),
  OLLAMA_MANAGED_PORT: z.coerce
    .number()
    .int()
    .min(1)
    .max(65535)
    .default(11434)
    .describe("Host port the managed container's API is published on (at SANDBOX_PUBLISH_IP)"),
  OLLAMA_DETECT_URL: z
    .union([z.literal(""), z.url({ protocol: /^https?$/ })])
    .default("http://127.0.0.1:11434")
    .describe("Where a local Ollama is looked for when OLLAMA_HOST is unset; empty turns detection off"),
  OLLAMA_GPU: z
    .enum(["auto", "on", "off"])
    .default("auto")
    .describe(
      "GPU passthrough for the managed container; auto: when nvidia-smi or Docker's nvidia runtime exists",
    ),
});
export type OllamaEnv = z.output<typeof OllamaEnv>;
