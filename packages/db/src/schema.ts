import type {
  AgentLimits,
  FileOwner,
  JsonSchema,
  JsonValue,
  McpServer,
  McpTransport,
  MessagePart,
  ModelPricing,
  ModelRef,
  RunError,
  SandboxPolicy,
  Settings,
  ToolConfig,
  Usage,
  WorkflowGraph,
} from "@agentos/core";
import {
  blob,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

// Every row carries workspace_id so hosted multi-tenancy needs no re-migration. Column names are
// the entity field names (snake_cased by drizzle), so a row maps to its entity without renaming.
const workspaceId = () => text().notNull();
const timestamps = { createdAt: text().notNull(), updatedAt: text().notNull() };
const json = <T>() => text({ mode: "json" }).$type<T>();
const bool = () => integer({ mode: "boolean" });

export const workspaces = sqliteTable("workspaces", {
  id: text().primaryKey(),
  name: text().notNull(),
  slug: text().notNull().unique(),
  ...timestamps,
});

export const settings = sqliteTable("settings", {
  workspaceId: text().primaryKey(),
  value: json<Partial<Settings>>().notNull(),
  updatedAt: text().notNull(),
});

export const agents = sqliteTable(
  "agents",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    name: text().notNull(),
    description: text().notNull(),
    instructions: text().notNull(),
    model: json<ModelRef>().notNull(),
    toolIds: json<string[]>().notNull(),
    mcpServerIds: json<string[]>().notNull(),
    sandbox: json<SandboxPolicy>().notNull(),
    limits: json<AgentLimits>().notNull(),
    outputSchema: json<JsonSchema | null>(),
    learnFromFeedback: bool().notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("agents_ws_name").on(t.workspaceId, t.name),
    index("agents_ws_created").on(t.workspaceId, t.createdAt),
  ],
);

export const tools = sqliteTable(
  "tools",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    name: text().notNull(),
    kind: text({ enum: ["http", "mcp", "sandbox", "builtin"] }).notNull(),
    description: text().notNull(),
    inputSchema: json<JsonSchema>().notNull(),
    config: json<ToolConfig>().notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("tools_ws_name").on(t.workspaceId, t.name)],
);

export const mcpServers = sqliteTable(
  "mcp_servers",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    name: text().notNull(),
    description: text().notNull(),
    transport: json<McpTransport>().notNull(),
    enabled: bool().notNull(),
    authTokenSecret: text(),
    tools: json<McpServer["tools"]>().notNull(),
    lastCheckedAt: text(),
    ...timestamps,
  },
  (t) => [uniqueIndex("mcp_servers_ws_name").on(t.workspaceId, t.name)],
);

export const workflows = sqliteTable(
  "workflows",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    name: text().notNull(),
    description: text().notNull(),
    graph: json<WorkflowGraph>().notNull(),
    ...timestamps,
  },
  (t) => [index("workflows_ws_created").on(t.workspaceId, t.createdAt)],
);

export const llmProviders = sqliteTable(
  "llm_providers",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    name: text().notNull(),
    kind: text({ enum: ["openai", "anthropic", "google", "azure", "ollama", "openai-compatible"] }).notNull(),
    baseUrl: text(),
    options: json<Record<string, unknown>>().notNull(),
    enabled: bool().notNull(),
    apiKeySecret: text(),
    ...timestamps,
  },
  (t) => [uniqueIndex("llm_providers_ws_name").on(t.workspaceId, t.name)],
);

export const models = sqliteTable(
  "models",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    providerId: text().notNull(),
    name: text().notNull(),
    displayName: text().notNull(),
    contextWindow: integer().notNull(),
    pricing: json<ModelPricing>().notNull(),
    supportsTools: bool().notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("models_ws_provider_name").on(t.workspaceId, t.providerId, t.name)],
);

export const runs = sqliteTable(
  "runs",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    kind: text({ enum: ["agent", "workflow", "chat"] }).notNull(),
    status: text({ enum: ["queued", "running", "waiting", "succeeded", "failed", "cancelled"] }).notNull(),
    agentId: text(),
    workflowId: text(),
    conversationId: text(),
    // Nullable: a JSON null input (a workflow started without input) is stored as SQL NULL.
    input: json<JsonValue>(),
    output: json<JsonValue | null>(),
    error: json<RunError | null>(),
    usage: json<Usage>().notNull(),
    costUsd: real().notNull().default(0),
    createdAt: text().notNull(),
    updatedAt: text().notNull(),
    startedAt: text(),
    finishedAt: text(),
    // Engine bookkeeping, never part of the Run entity.
    leaseOwner: text(),
    leaseExpiresAt: integer(),
    cancelRequested: bool().notNull().default(false),
  },
  (t) => [
    index("runs_ws_created").on(t.workspaceId, t.createdAt),
    index("runs_status_lease").on(t.status, t.leaseExpiresAt),
    index("runs_ws_agent").on(t.workspaceId, t.agentId),
  ],
);

export const runSteps = sqliteTable(
  "run_steps",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    runId: text().notNull(),
    key: text().notNull(),
    kind: text({ enum: ["llm", "tool", "sleep", "wait", "node", "other"] }).notNull(),
    name: text().notNull(),
    status: text({ enum: ["running", "succeeded", "failed"] }).notNull(),
    attempt: integer().notNull().default(1),
    input: json<JsonValue | null>(),
    output: json<JsonValue | null>(),
    error: json<RunError | null>(),
    model: text(),
    usage: json<Usage | null>(),
    costUsd: real().notNull().default(0),
    startedAt: text().notNull(),
    finishedAt: text(),
  },
  (t) => [
    uniqueIndex("run_steps_run_key").on(t.runId, t.key),
    index("run_steps_ws_model").on(t.workspaceId, t.model),
  ],
);

export const runEvents = sqliteTable(
  "run_events",
  {
    runId: text().notNull(),
    seq: integer().notNull(),
    workspaceId: workspaceId(),
    type: text().notNull(),
    payload: json<JsonValue>().notNull(),
    createdAt: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);

export const conversations = sqliteTable(
  "conversations",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    agentId: text().notNull(),
    title: text().notNull(),
    ...timestamps,
  },
  (t) => [index("conversations_ws_created").on(t.workspaceId, t.createdAt)],
);

export const messages = sqliteTable(
  "messages",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    conversationId: text().notNull(),
    role: text({ enum: ["system", "user", "assistant"] }).notNull(),
    parts: json<MessagePart[]>().notNull(),
    runId: text(),
    createdAt: text().notNull(),
  },
  (t) => [index("messages_conversation").on(t.conversationId, t.id)],
);

export const feedback = sqliteTable(
  "feedback",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    rating: text({ enum: ["up", "down"] }).notNull(),
    comment: text().notNull(),
    runId: text(),
    messageId: text(),
    agentId: text(),
    ...timestamps,
  },
  (t) => [index("feedback_ws_created").on(t.workspaceId, t.createdAt)],
);

export const files = sqliteTable(
  "files",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    name: text().notNull(),
    size: integer().notNull(),
    mediaType: text().notNull(),
    sha256: text().notNull(),
    owner: json<FileOwner>().notNull(),
    createdAt: text().notNull(),
  },
  (t) => [index("files_ws_created").on(t.workspaceId, t.createdAt)],
);

/** File contents live apart so listing files never reads their bytes. */
export const fileContents = sqliteTable("file_contents", {
  fileId: text().primaryKey(),
  content: blob({ mode: "buffer" }).notNull(),
});

export const sandboxes = sqliteTable(
  "sandboxes",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    agentId: text(),
    runId: text(),
    policy: json<SandboxPolicy>().notNull(),
    envSecret: text(),
    state: text({ enum: ["creating", "running", "stopped", "missing", "error", "removed"] }).notNull(),
    stateReason: text(),
    workerId: text(),
    containerId: text(),
    lastUsedAt: text(),
    ...timestamps,
  },
  (t) => [index("sandboxes_ws_created").on(t.workspaceId, t.createdAt)],
);

export const siteBindings = sqliteTable("site_bindings", {
  id: text().primaryKey(),
  workspaceId: workspaceId(),
  sandboxId: text().notNull(),
  host: text().notNull().unique(),
  containerPort: integer().notNull(),
  hostPort: integer().notNull().unique(),
  createdAt: text().notNull(),
});

export const workers = sqliteTable("workers", {
  id: text().primaryKey(),
  baseUrl: text().notNull(),
  capabilities: json<{ docker: boolean; ollama: boolean }>().notNull(),
  capacity: integer().notNull(),
  status: text({ enum: ["online", "draining", "gone"] }).notNull(),
  lastHeartbeatAt: text().notNull(),
  startedAt: text().notNull(),
});

/**
 * Facts about the installation itself, one row per key, written once (INSERT OR IGNORE) so that
 * every process of a Studio agrees: `installation_id` names it in sandbox container labels.
 */
export const studioMeta = sqliteTable("studio_meta", {
  key: text().primaryKey(),
  value: text().notNull(),
  createdAt: text().notNull(),
});

export const apiTokens = sqliteTable("api_tokens", {
  id: text().primaryKey(),
  workspaceId: workspaceId(),
  name: text().notNull(),
  prefix: text().notNull(),
  hash: text().notNull().unique(),
  scopes: json<Array<"read" | "write" | "run" | "admin">>().notNull(),
  expiresAt: text(),
  lastUsedAt: text(),
  revokedAt: text(),
  createdAt: text().notNull(),
});

export const rateLimits = sqliteTable(
  "rate_limits",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    providerId: text().notNull(),
    model: text(),
    requestsPerMinute: integer(),
    tokensPerMinute: integer(),
    ...timestamps,
  },
  // SQLite treats NULLs as distinct, so the service also refuses a second provider-wide (null model) limit.
  (t) => [uniqueIndex("rate_limits_ws_provider_model").on(t.workspaceId, t.providerId, t.model)],
);

/**
 * Token buckets of rate limits, shared by every process on the database: one row per
 * (limit, dimension), refilled lazily from `updatedAtMs` when a process takes from it.
 */
export const rateLimitBuckets = sqliteTable("rate_limit_buckets", {
  /** `<rate limit id>:requests` or `<rate limit id>:tokens`. */
  key: text().primaryKey(),
  workspaceId: workspaceId(),
  tokens: real().notNull(),
  updatedAtMs: integer().notNull(),
});

export type AnyTable =
  | typeof agents
  | typeof tools
  | typeof mcpServers
  | typeof workflows
  | typeof llmProviders
  | typeof models
  | typeof runs
  | typeof runSteps
  | typeof runEvents
  | typeof conversations
  | typeof messages
  | typeof feedback
  | typeof files
  | typeof sandboxes
  | typeof siteBindings
  | typeof workers
  | typeof apiTokens
  | typeof rateLimits;

// ── Hosted mode: accounts and workspaces (Better Auth), budgets, secrets, audit ──────────────────
// Better Auth's tables (core, organization, jwt and oauth-provider plugins), as `auth generate`
// describes them for Better Auth 1.7; the adapter maps its models onto these by the keys of
// AUTH_MODELS (packages/db/src/auth/models.ts). Their timestamps are epoch milliseconds, as Better
// Auth writes Dates; Studio's own tables keep ISO text.
const epochMs = () => integer({ mode: "timestamp_ms" });
const jsonText = () => text({ mode: "json" });

export const authUsers = sqliteTable("auth_user", {
  id: text().primaryKey(),
  name: text().notNull(),
  email: text().notNull().unique(),
  emailVerified: bool().notNull().default(false),
  image: text(),
  createdAt: epochMs().notNull(),
  updatedAt: epochMs().notNull(),
});

export const authSessions = sqliteTable(
  "auth_session",
  {
    id: text().primaryKey(),
    expiresAt: epochMs().notNull(),
    token: text().notNull().unique(),
    createdAt: epochMs().notNull(),
    updatedAt: epochMs().notNull(),
    ipAddress: text(),
    userAgent: text(),
    userId: text()
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    activeOrganizationId: text(),
  },
  (t) => [index("auth_session_user").on(t.userId)],
);

export const authAccounts = sqliteTable(
  "auth_account",
  {
    id: text().primaryKey(),
    accountId: text().notNull(),
    providerId: text().notNull(),
    userId: text()
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    accessToken: text(),
    refreshToken: text(),
    idToken: text(),
    accessTokenExpiresAt: epochMs(),
    refreshTokenExpiresAt: epochMs(),
    scope: text(),
    password: text(),
    createdAt: epochMs().notNull(),
    updatedAt: epochMs().notNull(),
  },
  (t) => [index("auth_account_user").on(t.userId)],
);

export const authVerifications = sqliteTable(
  "auth_verification",
  {
    id: text().primaryKey(),
    identifier: text().notNull(),
    value: text().notNull(),
    expiresAt: epochMs().notNull(),
    createdAt: epochMs().notNull(),
    updatedAt: epochMs().notNull(),
  },
  (t) => [index("auth_verification_identifier").on(t.identifier)],
);

/** Better Auth's organizations are Studio's workspaces: same id, mirrored into `workspaces`. */
export const authOrganizations = sqliteTable("auth_organization", {
  id: text().primaryKey(),
  name: text().notNull(),
  slug: text().notNull().unique(),
  logo: text(),
  createdAt: epochMs().notNull(),
  metadata: text(),
});

export const authMembers = sqliteTable(
  "auth_member",
  {
    id: text().primaryKey(),
    organizationId: text()
      .notNull()
      .references(() => authOrganizations.id, { onDelete: "cascade" }),
    userId: text()
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    role: text().notNull().default("member"),
    createdAt: epochMs().notNull(),
  },
  (t) => [
    uniqueIndex("auth_member_org_user").on(t.organizationId, t.userId),
    index("auth_member_user").on(t.userId),
  ],
);

export const authInvitations = sqliteTable(
  "auth_invitation",
  {
    id: text().primaryKey(),
    organizationId: text()
      .notNull()
      .references(() => authOrganizations.id, { onDelete: "cascade" }),
    email: text().notNull(),
    role: text(),
    status: text().notNull().default("pending"),
    expiresAt: epochMs().notNull(),
    createdAt: epochMs().notNull(),
    inviterId: text()
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
  },
  (t) => [index("auth_invitation_org").on(t.organizationId), index("auth_invitation_email").on(t.email)],
);

export const authJwks = sqliteTable("auth_jwks", {
  id: text().primaryKey(),
  publicKey: text().notNull(),
  privateKey: text().notNull(),
  createdAt: epochMs().notNull(),
  expiresAt: epochMs(),
  alg: text(),
  crv: text(),
});

export const oauthClients = sqliteTable(
  "oauth_client",
  {
    id: text().primaryKey(),
    clientId: text().notNull().unique(),
    clientSecret: text(),
    clientDiscoveryId: text(),
    disabled: bool().default(false),
    skipConsent: bool(),
    enableEndSession: bool(),
    subjectType: text(),
    scopes: jsonText(),
    clientCredentialsScopes: jsonText(),
    userId: text().references(() => authUsers.id, { onDelete: "cascade" }),
    createdAt: epochMs(),
    updatedAt: epochMs(),
    name: text(),
    uri: text(),
    icon: text(),
    contacts: jsonText(),
    tos: text(),
    policy: text(),
    softwareId: text(),
    softwareVersion: text(),
    softwareStatement: text(),
    redirectUris: jsonText().notNull(),
    postLogoutRedirectUris: jsonText(),
    backchannelLogoutUri: text(),
    backchannelLogoutSessionRequired: bool(),
    tokenEndpointAuthMethod: text(),
    applicationType: text(),
    jwks: text(),
    jwksUri: text(),
    grantTypes: jsonText(),
    responseTypes: jsonText(),
    requirePKCE: integer("require_pkce", { mode: "boolean" }),
    dpopBoundAccessTokens: bool().default(false),
    referenceId: text(),
    metadata: jsonText(),
  },
  (t) => [index("oauth_client_user").on(t.userId)],
);

export const oauthResources = sqliteTable("oauth_resource", {
  id: text().primaryKey(),
  identifier: text().notNull().unique(),
  name: text().notNull(),
  accessTokenTtl: integer(),
  refreshTokenTtl: integer(),
  signingAlgorithm: text(),
  signingKeyId: text(),
  allowedScopes: jsonText(),
  customClaims: jsonText(),
  dpopBoundAccessTokensRequired: bool().default(false),
  disabled: bool().default(false),
  createdAt: epochMs(),
  updatedAt: epochMs(),
  policyVersion: integer().default(1),
  metadata: jsonText(),
});

export const oauthClientResources = sqliteTable(
  "oauth_client_resource",
  {
    id: text().primaryKey(),
    clientId: text()
      .notNull()
      .references(() => oauthClients.clientId, { onDelete: "cascade" }),
    resourceId: text()
      .notNull()
      .references(() => oauthResources.identifier, { onDelete: "cascade" }),
    metadata: jsonText(),
    createdAt: epochMs(),
  },
  (t) => [uniqueIndex("oauth_client_resource_pair").on(t.clientId, t.resourceId)],
);

export const oauthRefreshTokens = sqliteTable(
  "oauth_refresh_token",
  {
    id: text().primaryKey(),
    token: text().notNull().unique(),
    clientId: text()
      .notNull()
      .references(() => oauthClients.clientId, { onDelete: "cascade" }),
    sessionId: text().references(() => authSessions.id, { onDelete: "set null" }),
    userId: text()
      .notNull()
      .references(() => authUsers.id, { onDelete: "cascade" }),
    referenceId: text(),
    authorizationCodeId: text(),
    resources: jsonText(),
    requestedUserInfoClaims: jsonText(),
    expiresAt: epochMs().notNull(),
    createdAt: epochMs().notNull(),
    revoked: epochMs(),
    rotatedAt: epochMs(),
    rotationReplayResponse: text(),
    rotationReplayExpiresAt: epochMs(),
    authTime: epochMs(),
    confirmation: jsonText(),
    scopes: jsonText().notNull(),
  },
  (t) => [index("oauth_refresh_token_client").on(t.clientId), index("oauth_refresh_token_user").on(t.userId)],
);

export const oauthAccessTokens = sqliteTable(
  "oauth_access_token",
  {
    id: text().primaryKey(),
    token: text().unique(),
    clientId: text()
      .notNull()
      .references(() => oauthClients.clientId, { onDelete: "cascade" }),
    sessionId: text().references(() => authSessions.id, { onDelete: "set null" }),
    userId: text().references(() => authUsers.id, { onDelete: "cascade" }),
    referenceId: text(),
    authorizationCodeId: text(),
    resources: jsonText(),
    requestedUserInfoClaims: jsonText(),
    refreshId: text().references(() => oauthRefreshTokens.id, { onDelete: "cascade" }),
    expiresAt: epochMs().notNull(),
    createdAt: epochMs().notNull(),
    revoked: epochMs(),
    confirmation: jsonText(),
    scopes: jsonText().notNull(),
  },
  (t) => [index("oauth_access_token_client").on(t.clientId), index("oauth_access_token_user").on(t.userId)],
);

export const oauthConsents = sqliteTable(
  "oauth_consent",
  {
    id: text().primaryKey(),
    clientId: text()
      .notNull()
      .references(() => oauthClients.clientId, { onDelete: "cascade" }),
    userId: text().references(() => authUsers.id, { onDelete: "cascade" }),
    referenceId: text(),
    resources: jsonText(),
    requestedUserInfoClaims: jsonText(),
    scopes: jsonText().notNull(),
    createdAt: epochMs().notNull(),
    updatedAt: epochMs().notNull(),
  },
  (t) => [index("oauth_consent_client").on(t.clientId), index("oauth_consent_user").on(t.userId)],
);

export const oauthClientAssertions = sqliteTable("oauth_client_assertion", {
  id: text().primaryKey(),
  expiresAt: epochMs().notNull(),
});

/** Failed sign-ins per email, for lockout; a success clears the row. */
export const loginFailures = sqliteTable("login_failures", {
  email: text().primaryKey(),
  failures: integer().notNull(),
  lockedUntilMs: integer(),
  updatedAt: text().notNull(),
});

/** Who started a run (a token, a user), for per-token budgets and the audit trail. */
export const runOrigins = sqliteTable(
  "run_origins",
  {
    runId: text().primaryKey(),
    workspaceId: workspaceId(),
    tokenId: text(),
    userId: text(),
    createdAt: text().notNull(),
  },
  (t) => [index("run_origins_ws_token").on(t.workspaceId, t.tokenId)],
);

export const budgets = sqliteTable(
  "budgets",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    scope: text({ enum: ["workspace", "agent", "token"] }).notNull(),
    /** The agent or token id; the workspace id for a workspace budget. */
    subjectId: text().notNull(),
    period: text({ enum: ["day", "month"] }).notNull(),
    limitUsd: real().notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex("budgets_ws_subject_period").on(t.workspaceId, t.scope, t.subjectId, t.period)],
);

export const secrets = sqliteTable(
  "secrets",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    name: text().notNull(),
    description: text().notNull(),
    /** AES-256-GCM sealed value (`v1.<keyId>.…`). */
    valueSecret: text().notNull(),
    /** Id of the master key that sealed the value, so rotation finds what to re-seal. */
    keyId: text().notNull(),
    lastUsedAt: text(),
    ...timestamps,
  },
  (t) => [uniqueIndex("secrets_ws_name").on(t.workspaceId, t.name)],
);

export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: text().primaryKey(),
    workspaceId: workspaceId(),
    action: text().notNull(),
    actorKind: text({ enum: ["user", "token", "oauth", "local", "system"] }).notNull(),
    actorId: text(),
    targetKind: text(),
    targetId: text(),
    status: integer(),
    ip: text(),
    detail: json<Record<string, JsonValue>>().notNull(),
    createdAt: text().notNull(),
  },
  (t) => [
    index("audit_ws_created").on(t.workspaceId, t.createdAt),
    index("audit_ws_action").on(t.workspaceId, t.action),
  ],
);
