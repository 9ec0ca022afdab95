import { createHash, randomBytes } from "node:crypto";
import {
  type Agent,
  type ApiToken,
  type ApiTokenCreated,
  type Conversation,
  type Feedback,
  type File,
  Invalid,
  type LlmProvider,
  LOCAL_WORKSPACE_ID,
  type McpServer,
  type Message,
  type Model,
  NotFound,
  newId,
  type RateLimit,
  type Run,
  type RunEvent,
  type RunStep,
  type Sandbox,
  Settings,
  type SiteBinding,
  type TokenScope,
  type Tool,
  type Workflow,
} from "@agentos/core";
import { and, asc, eq, gt, gte, type InferSelectModel, isNull, lt, sql } from "drizzle-orm";
import { createChangeFeed } from "./change-feed";
import type { SecretCipher } from "./cipher";
import type { Database } from "./client";
import { nowIso, ResourceRepository } from "./resource-repository";
import { createRunStore } from "./run-store";
import { createSandboxStore } from "./sandboxes";
import * as t from "./schema";
import { createStatsRepository } from "./stats";
import { createStudioMetaRepository } from "./studio-meta";
import { createWorkerRepository } from "./workers";

type RowOf<T extends t.AnyTable> = InferSelectModel<T>;

function omit<T extends Record<string, unknown>, K extends keyof T>(row: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...row };
  for (const key of keys) delete copy[key];
  return copy;
}

export type Repositories = ReturnType<typeof createRepositories>;

/**
 * A date-time in the form timestamps are stored in (UTC, milliseconds, `Z`), so that comparing the
 * text compares the instants: `2025-01-01T01:00:00+01:00` becomes `2025-01-01T00:00:00.000Z`.
 */
function storedTimestamp(field: string, value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    throw Invalid.field(`query.${field}`, "must be an RFC 3339 date-time, e.g. 2025-01-31T00:00:00Z");
  }
  return new Date(time).toISOString();
}

/** Every repository over one database; secrets are sealed with `cipher` before they are stored. */
export function createRepositories(db: Database, cipher: SecretCipher) {
  const agents = new ResourceRepository<RowOf<typeof t.agents>, Agent>(db, {
    entity: "agent",
    idKind: "agent",
    table: t.agents,
    toEntity: (row) => row as Agent,
    sortable: { name: t.agents.name, updatedAt: t.agents.updatedAt },
    filters: { providerId: (v) => sql`json_extract(${t.agents.model}, '$.providerId') = ${v}` },
    searchColumn: t.agents.name,
    describeConflict: (v) =>
      `An agent named "${v.name}" already exists. Choose another name or update that agent.`,
  });

  const tools = new ResourceRepository<RowOf<typeof t.tools>, Tool>(db, {
    entity: "tool",
    idKind: "tool",
    table: t.tools,
    toEntity: (row) => row as Tool,
    sortable: { name: t.tools.name },
    filters: { kind: (v) => eq(t.tools.kind, v as Tool["kind"]) },
    searchColumn: t.tools.name,
    describeConflict: (v) =>
      `A tool named "${v.name}" already exists; tool names must be unique for models to tell them apart.`,
  });

  const mcpServers = new ResourceRepository<RowOf<typeof t.mcpServers>, McpServer>(db, {
    entity: "MCP server",
    idKind: "mcpServer",
    table: t.mcpServers,
    toEntity: (row) =>
      ({ ...omit(row, "authTokenSecret"), hasAuthToken: row.authTokenSecret !== null }) as McpServer,
    sortable: { name: t.mcpServers.name },
    searchColumn: t.mcpServers.name,
    describeConflict: (v) => `An MCP server named "${v.name}" already exists.`,
  });

  const workflows = new ResourceRepository<RowOf<typeof t.workflows>, Workflow>(db, {
    entity: "workflow",
    idKind: "workflow",
    table: t.workflows,
    toEntity: (row) => row as Workflow,
    sortable: { name: t.workflows.name, updatedAt: t.workflows.updatedAt },
    searchColumn: t.workflows.name,
  });

  const llmProviders = new ResourceRepository<RowOf<typeof t.llmProviders>, LlmProvider>(db, {
    entity: "LLM provider",
    idKind: "llmProvider",
    table: t.llmProviders,
    toEntity: (row) =>
      ({ ...omit(row, "apiKeySecret"), hasApiKey: row.apiKeySecret !== null }) as LlmProvider,
    sortable: { name: t.llmProviders.name },
    filters: { kind: (v) => eq(t.llmProviders.kind, v as LlmProvider["kind"]) },
    searchColumn: t.llmProviders.name,
    describeConflict: (v) => `A provider named "${v.name}" already exists.`,
  });

  const models = new ResourceRepository<RowOf<typeof t.models>, Model>(db, {
    entity: "model",
    idKind: "model",
    table: t.models,
    toEntity: (row) => row as Model,
    sortable: { name: t.models.name },
    filters: { providerId: (v) => eq(t.models.providerId, v) },
    searchColumn: t.models.name,
    describeConflict: (v) =>
      `Model "${v.name}" is already registered for provider ${v.providerId}; update it instead.`,
  });

  const conversations = new ResourceRepository<RowOf<typeof t.conversations>, Conversation>(db, {
    entity: "conversation",
    idKind: "conversation",
    table: t.conversations,
    toEntity: (row) => row as Conversation,
    sortable: { updatedAt: t.conversations.updatedAt },
    filters: { agentId: (v) => eq(t.conversations.agentId, v) },
    searchColumn: t.conversations.title,
  });

  const feedback = new ResourceRepository<RowOf<typeof t.feedback>, Feedback>(db, {
    entity: "feedback",
    idKind: "feedback",
    table: t.feedback,
    toEntity: (row) => row as Feedback,
    filters: {
      rating: (v) => eq(t.feedback.rating, v as Feedback["rating"]),
      agentId: (v) => eq(t.feedback.agentId, v),
      runId: (v) => eq(t.feedback.runId, v),
      messageId: (v) => eq(t.feedback.messageId, v),
    },
  });

  const rateLimits = new ResourceRepository<RowOf<typeof t.rateLimits>, RateLimit>(db, {
    entity: "rate limit",
    idKind: "rateLimit",
    table: t.rateLimits,
    toEntity: (row) => row as RateLimit,
    filters: { providerId: (v) => eq(t.rateLimits.providerId, v) },
    describeConflict: (v) =>
      `A rate limit for provider ${v.providerId}${v.model ? ` and model ${v.model}` : ""} already exists; update it instead.`,
  });

  const runs = new ResourceRepository<RowOf<typeof t.runs>, Run>(db, {
    entity: "run",
    idKind: "run",
    table: t.runs,
    toEntity: (row) => omit(row, "leaseOwner", "leaseExpiresAt", "cancelRequested") as Run,
    sortable: { updatedAt: t.runs.updatedAt },
    filters: {
      status: (v) => eq(t.runs.status, v as Run["status"]),
      kind: (v) => eq(t.runs.kind, v as Run["kind"]),
      agentId: (v) => eq(t.runs.agentId, v),
      workflowId: (v) => eq(t.runs.workflowId, v),
      conversationId: (v) => eq(t.runs.conversationId, v),
      // A range over createdAt: from createdAfter (inclusive) up to createdBefore (exclusive).
      createdAfter: (v) => gte(t.runs.createdAt, storedTimestamp("createdAfter", v)),
      createdBefore: (v) => lt(t.runs.createdAt, storedTimestamp("createdBefore", v)),
    },
  });

  const files = new ResourceRepository<RowOf<typeof t.files>, File>(db, {
    entity: "file",
    idKind: "file",
    table: t.files,
    toEntity: (row) => row as File,
    sortable: { name: t.files.name, size: t.files.size },
    filters: {
      ownerKind: (v) => sql`json_extract(${t.files.owner}, '$.kind') = ${v}`,
      ownerId: (v) => sql`json_extract(${t.files.owner}, '$.id') = ${v}`,
    },
    searchColumn: t.files.name,
  });

  const sandboxes = new ResourceRepository<RowOf<typeof t.sandboxes>, Sandbox>(db, {
    entity: "sandbox",
    idKind: "sandbox",
    table: t.sandboxes,
    toEntity: (row) => omit(row, "envSecret") as Sandbox,
    filters: {
      agentId: (v) => eq(t.sandboxes.agentId, v),
      state: (v) => eq(t.sandboxes.state, v as Sandbox["state"]),
    },
  });

  const siteBindings = new ResourceRepository<RowOf<typeof t.siteBindings>, SiteBinding>(db, {
    entity: "site binding",
    idKind: "siteBinding",
    table: t.siteBindings,
    toEntity: (row) => row as SiteBinding,
    filters: { sandboxId: (v) => eq(t.siteBindings.sandboxId, v) },
    describeConflict: (v) => `Host ${v.host} is already bound to a sandbox; delete that binding first.`,
  });

  return {
    db,
    agents,
    tools,
    mcpServers,
    workflows,
    llmProviders,
    models,
    conversations,
    feedback,
    rateLimits,
    runs,
    files,
    sandboxes,
    siteBindings,
    secrets: cipher,
    workspaces: createWorkspaceRepository(db),
    stats: createStatsRepository(db),
    runStore: createRunStore(db),
    changes: createChangeFeed(db),
    workers: createWorkerRepository(db),
    studioMeta: createStudioMetaRepository(db),
    sandboxStore: createSandboxStore(db),
    settings: createSettingsRepository(db),
    messages: createMessageRepository(db),
    runEvents: createRunEventRepository(db),
    runSteps: createRunStepRepository(db),
    fileContents: createFileContentRepository(db),
    apiTokens: createApiTokenRepository(db),
  };
}

function createWorkspaceRepository(db: Database) {
  return {
    /** Creates the local-mode workspace if it does not exist yet. */
    async ensureLocal(): Promise<void> {
      const now = nowIso();
      await db
        .insert(t.workspaces)
        .values({ id: LOCAL_WORKSPACE_ID, name: "Local", slug: "local", createdAt: now, updatedAt: now })
        .onConflictDoNothing();
    },
  };
}

function createSettingsRepository(db: Database) {
  const read = async (workspaceId: string): Promise<Settings> => {
    const [row] = await db.select().from(t.settings).where(eq(t.settings.workspaceId, workspaceId));
    return Settings.parse(row?.value ?? {});
  };
  return {
    get: read,
    async update(workspaceId: string, changes: Partial<Settings>): Promise<Settings> {
      const value = { ...(await read(workspaceId)), ...changes };
      await db
        .insert(t.settings)
        .values({ workspaceId, value, updatedAt: nowIso() })
        .onConflictDoUpdate({ target: t.settings.workspaceId, set: { value, updatedAt: nowIso() } });
      return value;
    },
  };
}

function createMessageRepository(db: Database) {
  return {
    async list(workspaceId: string, conversationId: string, after: string | undefined, limit: number) {
      const rows = await db
        .select()
        .from(t.messages)
        .where(
          and(
            eq(t.messages.workspaceId, workspaceId),
            eq(t.messages.conversationId, conversationId),
            after ? gt(t.messages.id, after) : undefined,
          ),
        )
        .orderBy(asc(t.messages.id))
        .limit(limit + 1);
      const items = rows.slice(0, limit) as Message[];
      return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
    },
    async insert(
      workspaceId: string,
      values: Omit<Message, "id" | "workspaceId" | "createdAt">,
    ): Promise<Message> {
      const message: Message = { ...values, id: newId("message"), workspaceId, createdAt: nowIso() };
      await db.insert(t.messages).values(message);
      await db
        .update(t.conversations)
        .set({ updatedAt: message.createdAt })
        .where(eq(t.conversations.id, values.conversationId));
      return message;
    },
    async find(workspaceId: string, id: string): Promise<Message | undefined> {
      const [row] = await db
        .select()
        .from(t.messages)
        .where(and(eq(t.messages.workspaceId, workspaceId), eq(t.messages.id, id)));
      return row as Message | undefined;
    },
    async deleteConversation(workspaceId: string, conversationId: string): Promise<void> {
      await db
        .delete(t.messages)
        .where(and(eq(t.messages.workspaceId, workspaceId), eq(t.messages.conversationId, conversationId)));
    },
  };
}

function createRunEventRepository(db: Database) {
  return {
    async list(workspaceId: string, runId: string, afterSeq: number, limit: number): Promise<RunEvent[]> {
      const rows = await db
        .select({
          runId: t.runEvents.runId,
          seq: t.runEvents.seq,
          type: t.runEvents.type,
          payload: t.runEvents.payload,
          createdAt: t.runEvents.createdAt,
        })
        .from(t.runEvents)
        .where(
          and(
            eq(t.runEvents.workspaceId, workspaceId),
            eq(t.runEvents.runId, runId),
            gt(t.runEvents.seq, afterSeq),
          ),
        )
        .orderBy(asc(t.runEvents.seq))
        .limit(limit);
      return rows as RunEvent[];
    },
  };
}

function createRunStepRepository(db: Database) {
  return {
    async list(workspaceId: string, runId: string): Promise<RunStep[]> {
      const rows = await db
        .select()
        .from(t.runSteps)
        .where(and(eq(t.runSteps.workspaceId, workspaceId), eq(t.runSteps.runId, runId)))
        .orderBy(asc(t.runSteps.startedAt), asc(t.runSteps.id));
      return rows.map((row) => omit(row, "workspaceId")) as RunStep[];
    },
  };
}

function createFileContentRepository(db: Database) {
  return {
    async put(fileId: string, content: Uint8Array): Promise<void> {
      await db.insert(t.fileContents).values({ fileId, content: Buffer.from(content) });
    },
    async get(fileId: string): Promise<Buffer> {
      const [row] = await db.select().from(t.fileContents).where(eq(t.fileContents.fileId, fileId));
      if (!row) throw new NotFound("file", fileId);
      return row.content;
    },
    async delete(fileId: string): Promise<void> {
      await db.delete(t.fileContents).where(eq(t.fileContents.fileId, fileId));
    },
  };
}

export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

function createApiTokenRepository(db: Database) {
  const toEntity = (row: RowOf<typeof t.apiTokens>): ApiToken => omit(row, "hash") as ApiToken;
  return {
    /** Creates a token; the secret is in the result only, and only its SHA-256 is stored. */
    async create(
      workspaceId: string,
      input: { name: string; scopes: TokenScope[]; expiresAt: string | null },
    ): Promise<ApiTokenCreated> {
      const token = `agt_${randomBytes(24).toString("base64url")}`;
      const row = {
        id: newId("apiToken"),
        workspaceId,
        name: input.name,
        prefix: token.slice(0, 12),
        hash: hashToken(token),
        scopes: input.scopes,
        expiresAt: input.expiresAt,
        lastUsedAt: null,
        revokedAt: null,
        createdAt: nowIso(),
      };
      await db.insert(t.apiTokens).values(row);
      return { ...toEntity(row), token };
    },
    async list(workspaceId: string): Promise<ApiToken[]> {
      const rows = await db
        .select()
        .from(t.apiTokens)
        .where(eq(t.apiTokens.workspaceId, workspaceId))
        .orderBy(asc(t.apiTokens.createdAt));
      return rows.map(toEntity);
    },
    async revoke(workspaceId: string, id: string): Promise<ApiToken> {
      const now = nowIso();
      const result = await db
        .update(t.apiTokens)
        .set({ revokedAt: now })
        .where(
          and(
            eq(t.apiTokens.workspaceId, workspaceId),
            eq(t.apiTokens.id, id),
            isNull(t.apiTokens.revokedAt),
          ),
        )
        .returning();
      const row = result[0];
      if (!row) throw new NotFound("API token", id);
      return toEntity(row);
    },
    /** The live (unrevoked, unexpired) token with this secret, marking it used. */
    async authenticate(token: string): Promise<ApiToken | null> {
      const [row] = await db
        .select()
        .from(t.apiTokens)
        .where(eq(t.apiTokens.hash, hashToken(token)));
      if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= nowIso())) return null;
      await db.update(t.apiTokens).set({ lastUsedAt: nowIso() }).where(eq(t.apiTokens.id, row.id));
      return toEntity(row);
    },
  };
}
