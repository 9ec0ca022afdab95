import { z } from "zod";
import { Id } from "../ids";
import { Description, JsonSchema, Name, Stored, updateOf } from "./common";

export const ModelRef = z.object({
  providerId: Id.describe("LLM provider that serves the model"),
  model: z.string().trim().min(1).max(200).describe("Model name as the provider knows it, e.g. gpt-4o-mini"),
});
export type ModelRef = z.infer<typeof ModelRef>;

export const SandboxPolicy = z.object({
  enabled: z.boolean().default(false),
  image: z.string().min(1).max(300).default("agentos/sandbox-base"),
  network: z.boolean().default(false).describe("Network access inside the sandbox (off by default)"),
  memoryMb: z.number().int().min(16).max(65536).default(512),
  cpus: z.number().min(0.1).max(64).default(1),
  pidsLimit: z.number().int().min(8).max(32768).default(256),
  readOnlyRootfs: z.boolean().default(false),
  execTimeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
});
export type SandboxPolicy = z.infer<typeof SandboxPolicy>;

export const AgentLimits = z.object({
  maxSteps: z.number().int().min(1).max(200).default(10).describe("Upper bound on model calls per run"),
  stepTimeoutMs: z.number().int().min(1000).max(3_600_000).default(120_000),
  maxOutputTokens: z.number().int().min(1).max(1_000_000).nullable().default(null),
  temperature: z.number().min(0).max(2).nullable().default(null),
});
export type AgentLimits = z.infer<typeof AgentLimits>;

export const AgentCreate = z.object({
  name: Name,
  description: Description.default(""),
  instructions: z.string().max(100_000).default(""),
  model: ModelRef,
  toolIds: z.array(Id).max(128).default([]),
  mcpServerIds: z.array(Id).max(32).default([]),
  sandbox: SandboxPolicy.default(SandboxPolicy.parse({})),
  limits: AgentLimits.default(AgentLimits.parse({})),
  outputSchema: JsonSchema.nullable().default(null).describe("When set, the run's output is structured"),
  learnFromFeedback: z.boolean().default(false).describe("Add recent rated examples to the instructions"),
});
export type AgentCreate = z.input<typeof AgentCreate>;

export const AgentUpdate = updateOf(AgentCreate);
export type AgentUpdate = z.input<typeof AgentUpdate>;

export const Agent = z.object({ id: Id, workspaceId: Id, ...AgentCreate.shape, ...Stored });
export type Agent = z.infer<typeof Agent>;
