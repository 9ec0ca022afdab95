import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JsonValue, ModelPricing } from "@agentos/core";
import {
  type Agent,
  type AgentCreate,
  AgentCreate as AgentCreateSchema,
  LOCAL_WORKSPACE_ID,
  newId,
  type Run,
} from "@agentos/core";
import {
  createRepositories,
  createRunStore,
  createSecretCipher,
  migrate,
  openDatabase,
  type Repositories,
  type RunStore,
} from "@agentos/db";
import type { LanguageModel } from "ai";
import type { ModelResolver } from "../models/types";
import type { RuntimeTool, ToolResolver } from "../tools/types";

/** A fresh libSQL file with migrations applied and the local workspace, for engine tests. */
export async function openTestDatabase(dir = mkdtempSync(join(tmpdir(), "agentos-runtime-"))) {
  const url = `file:${join(dir, "studio.db")}`;
  const db = await openDatabase({ url });
  await migrate(db);
  const repos = createRepositories(db, createSecretCipher(Buffer.alloc(32, 1).toString("base64")));
  await repos.workspaces.ensureLocal();
  return { db, url, dir, repos, store: createRunStore(db), close: () => db.$client.close() };
}

/** A model resolver that always answers with `model` (a scripted model in tests). */
export function fixedModelResolver(model: LanguageModel, pricing: ModelPricing | null = null): ModelResolver {
  return {
    resolve: async (_workspaceId, ref) => ({
      model,
      providerId: ref.providerId,
      modelName: ref.model,
      pricing,
    }),
  };
}

/** A tool resolver over a fixed list of tools; `toolById` matches a tool's `id` (if given) or name. */
export function fixedToolResolver(tools: Array<RuntimeTool & { id?: string }>): ToolResolver {
  return {
    toolsForAgent: async () => tools,
    toolById: async (_ws, id) => {
      const found = tools.find((t) => t.id === id || t.name === id);
      if (!found) throw new Error(`no tool ${id}`);
      return found;
    },
  };
}

export async function insertProvider(repos: Repositories) {
  return repos.llmProviders.insert(LOCAL_WORKSPACE_ID, {
    name: `scripted-${newId("llmProvider")}`,
    kind: "openai-compatible",
    baseUrl: "http://127.0.0.1:9/v1",
    options: {},
    enabled: true,
    apiKeySecret: null,
  });
}

export async function insertAgent(repos: Repositories, overrides: Partial<AgentCreate> = {}): Promise<Agent> {
  const providerId = overrides.model?.providerId ?? (await insertProvider(repos)).id;
  const input = AgentCreateSchema.parse({
    name: `agent-${newId("agent")}`,
    model: { providerId, model: "scripted" },
    ...overrides,
  });
  return repos.agents.insert(LOCAL_WORKSPACE_ID, input);
}

export function queueRun(
  repos: Repositories,
  run: {
    kind: Run["kind"];
    agentId?: string;
    workflowId?: string;
    conversationId?: string;
    input: JsonValue;
  },
): Promise<Run> {
  return repos.runStore.queue(LOCAL_WORKSPACE_ID, run);
}

export type { RunStore };
