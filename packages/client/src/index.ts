import type {
  Agent,
  AgentCreate,
  AgentUpdate,
  ApiToken,
  ApiTokenCreate,
  ApiTokenCreated,
  Conversation,
  ConversationCreate,
  ConversationUpdate,
  Feedback,
  FeedbackCreate,
  FeedbackUpdate,
  FileOwner,
  JsonValue,
  LlmProvider,
  LlmProviderCreate,
  LlmProviderUpdate,
  McpServer,
  McpServerCreate,
  McpServerUpdate,
  Message,
  MessageCreate,
  Model,
  ModelCreate,
  ModelUpdate,
  RateLimit,
  RateLimitCreate,
  RateLimitUpdate,
  Run,
  RunCreate,
  RunEvent,
  RunStep,
  Settings,
  SettingsUpdate,
  Stats,
  File as StoredFile,
  Tool,
  ToolCreate,
  ToolUpdate,
  Workflow,
  WorkflowCreate,
  WorkflowUpdate,
} from "@agentos/core";

/** RFC 9457 problem details as the API sends them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: Array<{ path: string; message: string }>;
}

/** A non-2xx answer; `problem` holds the API's explanation. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${problem.title} (${status}): ${problem.detail}`);
    this.name = "ApiError";
  }
}

export interface ClientOptions {
  /** Origin of the Studio or headless server, e.g. http://localhost:3000. */
  baseUrl: string;
  /** API token; optional against a local-mode Studio on loopback. */
  token?: string;
  fetch?: typeof fetch;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ListParams {
  limit?: number;
  cursor?: string;
  sort?: string;
  q?: string;
  [filter: string]: string | number | undefined;
}

type Query = Record<string, string | number | undefined>;

/** A typed client of the AgentOS contract API (same shapes as packages/core's schemas). */
export function createClient(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;

  async function send(
    method: string,
    path: string,
    init: { body?: unknown; query?: Query } = {},
  ): Promise<Response> {
    const url = new URL(base + path);
    for (const [key, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: BodyInit | undefined;
    if (init.body instanceof FormData) body = init.body;
    else if (init.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.body);
    }
    const response = await doFetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
    if (!response.ok) {
      const text = await response.text();
      let problem: Problem;
      try {
        problem = JSON.parse(text) as Problem;
      } catch {
        problem = {
          type: "about:blank",
          title: response.statusText,
          status: response.status,
          code: "http",
          detail: text,
        };
      }
      throw new ApiError(response.status, problem);
    }
    return response;
  }

  async function call<T>(method: string, path: string, init?: { body?: unknown; query?: Query }): Promise<T> {
    const response = await send(method, path, init);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  function resource<Entity, Create, Update>(path: string) {
    return {
      list: (params: ListParams = {}) => call<Page<Entity>>("GET", path, { query: params }),
      get: (id: string) => call<Entity>("GET", `${path}/${id}`),
      create: (body: Create) => call<Entity>("POST", path, { body }),
      update: (id: string, body: Update) => call<Entity>("PATCH", `${path}/${id}`, { body }),
      delete: (id: string) => call<void>("DELETE", `${path}/${id}`),
    };
  }

  return {
    health: () => call<{ status: "ok"; mode: string; version: string; time: string }>("GET", "/api/health"),
    openapi: () => call<Record<string, unknown>>("GET", "/api/openapi.json"),
    agents: {
      ...resource<Agent, AgentCreate, AgentUpdate>("/api/agents"),
      execute: (id: string, input?: JsonValue) =>
        call<Run>("POST", `/api/agents/${id}/execute`, { body: { input } }),
    },
    tools: resource<Tool, ToolCreate, ToolUpdate>("/api/tools"),
    mcpServers: resource<McpServer, McpServerCreate, McpServerUpdate>("/api/mcp-servers"),
    workflows: {
      ...resource<Workflow, WorkflowCreate, WorkflowUpdate>("/api/workflows"),
      execute: (id: string, input?: JsonValue) =>
        call<Run>("POST", `/api/workflows/${id}/execute`, { body: { input } }),
    },
    llmProviders: resource<LlmProvider, LlmProviderCreate, LlmProviderUpdate>("/api/llm/providers"),
    models: resource<Model, ModelCreate, ModelUpdate>("/api/models"),
    rateLimits: resource<RateLimit, RateLimitCreate, RateLimitUpdate>("/api/llm/rate-limits"),
    conversations: {
      ...resource<Conversation, ConversationCreate, ConversationUpdate>("/api/conversations"),
      messages: {
        list: (id: string, params: { limit?: number; cursor?: string } = {}) =>
          call<Page<Message>>("GET", `/api/conversations/${id}/messages`, { query: params }),
        create: (id: string, body: MessageCreate) =>
          call<Message>("POST", `/api/conversations/${id}/messages`, { body }),
      },
    },
    feedback: resource<Feedback, FeedbackCreate, FeedbackUpdate>("/api/feedback"),
    files: {
      upload(content: Blob, name: string, owner?: { kind: FileOwner["kind"]; id?: string }) {
        const form = new FormData();
        form.set("file", content, name);
        if (owner) form.set("ownerKind", owner.kind);
        if (owner?.id) form.set("ownerId", owner.id);
        return call<StoredFile>("POST", "/api/files", { body: form });
      },
      list: (params: ListParams = {}) => call<Page<StoredFile>>("GET", "/api/files", { query: params }),
      get: (id: string) => call<StoredFile>("GET", `/api/files/${id}`),
      download: async (id: string) =>
        new Uint8Array(await (await send("GET", `/api/files/${id}/content`)).arrayBuffer()),
      delete: (id: string) => call<void>("DELETE", `/api/files/${id}`),
    },
    runs: {
      create: (body: RunCreate) => call<Run>("POST", "/api/runs", { body }),
      list: (params: ListParams = {}) => call<Page<Run>>("GET", "/api/runs", { query: params }),
      get: (id: string) => call<Run>("GET", `/api/runs/${id}`),
      cancel: (id: string) => call<Run>("POST", `/api/runs/${id}/cancel`),
      steps: (id: string) => call<{ items: RunStep[] }>("GET", `/api/runs/${id}/steps`),
      events: (id: string, params: { after?: number; limit?: number } = {}) =>
        call<{ items: RunEvent[]; nextAfter: number }>("GET", `/api/runs/${id}/events`, { query: params }),
    },
    stats: (params: { from?: string; to?: string } = {}) =>
      call<Stats>("GET", "/api/stats", { query: params }),
    settings: {
      get: () => call<Settings>("GET", "/api/settings"),
      update: (body: SettingsUpdate) => call<Settings>("PATCH", "/api/settings", { body }),
    },
    tokens: {
      list: () => call<{ items: ApiToken[] }>("GET", "/api/tokens"),
      create: (body: ApiTokenCreate) => call<ApiTokenCreated>("POST", "/api/tokens", { body }),
      revoke: (id: string) => call<ApiToken>("DELETE", `/api/tokens/${id}`),
    },
    /** Raw request for what the typed methods do not cover; errors are still ApiError. */
    send,
  };
}

export type AgentOsClient = ReturnType<typeof createClient>;
