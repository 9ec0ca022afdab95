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
  Invitation,
  InvitationCreate,
  JsonValue,
  LlmProvider,
  LlmProviderCreate,
  LlmProviderUpdate,
  McpServer,
  McpServerCreate,
  McpServerUpdate,
  Me,
  Member,
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
  Sandbox,
  SandboxCreate,
  Settings,
  SettingsUpdate,
  SiteBinding,
  SiteBindingCreate,
  Stats,
  File as StoredFile,
  Tool,
  ToolCreate,
  ToolTestRequest,
  ToolTestResult,
  ToolUpdate,
  Workflow,
  WorkflowCreate,
  WorkflowUpdate,
} from "@agentos/core";
import {
  followOllamaPull,
  type OllamaModelDetails,
  type OllamaModelList,
  type OllamaPull,
  type OllamaStatus,
} from "./ollama";
import { type FollowOptions, followRunEvents } from "./run-events";
import { parseNdjson } from "./sse";

export * from "./ollama";
export { type FollowOptions, followRunEvents } from "./run-events";
export { parseNdjson, parseServerSentEvents, type SseMessage } from "./sse";

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

/** `GET /api/sandboxes/{id}/site-bindings/{bindingId}/status`. */
export interface SiteBindingStatus {
  answering: boolean;
  httpStatus: number | null;
  ms: number;
  detail: string | null;
  checkedAt: string;
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

interface SendInit {
  /** JSON-serialised unless FormData, Blob or ArrayBuffer (sent as they are). */
  body?: unknown;
  query?: Query;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** `POST /api/llm/providers/{id}/test`: the outcome of a real, minimal call to the provider. */
export interface ProviderTestResult {
  ok: boolean;
  latencyMs: number;
  model: string | null;
  /** Why the check failed and what to do; only when ok is false. */
  reason?: string;
}

/** Filters of `GET /api/runs`; `createdAfter` is inclusive, `createdBefore` exclusive (RFC 3339 date-times). */
export interface RunListParams extends ListParams {
  /** A run status (`queued`, `running` …); the server names a bad one in its problem. */
  status?: string;
  kind?: string;
  agentId?: string;
  workflowId?: string;
  conversationId?: string;
  createdAfter?: string;
  createdBefore?: string;
}

/** One NDJSON line of `POST /api/sandboxes/{id}/exec`. */
export type SandboxExecEvent =
  | { type: "chunk"; stream: "stdout" | "stderr"; text: string }
  | {
      type: "result";
      exitCode: number | null;
      timedOut: boolean;
      truncated: boolean;
      stdout: string;
      stderr: string;
      durationMs: number;
    }
  | { type: "error"; status: number; title: string; detail: string; code: string };

export interface SandboxExecInput {
  command: string | string[];
  stdin?: string;
  env?: Record<string, string>;
  workdir?: string;
  timeoutMs?: number;
  outputLimitBytes?: number;
}

export interface SandboxFileEntry {
  name: string;
  path: string;
  type: "file" | "directory" | "symlink" | "other";
  size: number;
  modifiedAt: string;
}

export type HealthStatus = { status: "ok"; mode: string; version: string; time: string };

/** A typed client of the AgentOS contract API (same shapes as packages/core's schemas). */
export function createClient(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;

  function url(path: string, query: Query = {}): string {
    const target = new URL(base + path);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) target.searchParams.set(key, String(value));
    }
    return target.toString();
  }

  function authHeaders(): Record<string, string> {
    return options.token ? { authorization: `Bearer ${options.token}` } : {};
  }

  async function send(method: string, path: string, init: SendInit = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json", ...authHeaders(), ...init.headers };
    let body: BodyInit | undefined;
    if (init.body instanceof FormData || init.body instanceof Blob || init.body instanceof ArrayBuffer) {
      body = init.body;
    } else if (init.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.body);
    }
    const response = await doFetch(url(path, init.query), {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(init.signal ? { signal: init.signal } : {}),
    });
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

  async function call<T>(method: string, path: string, init?: SendInit): Promise<T> {
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
    /** Origin the client talks to, without a trailing slash. */
    baseUrl: base,
    health: () => call<HealthStatus>("GET", "/api/health"),
    openapi: () => call<Record<string, unknown>>("GET", "/api/openapi.json"),
    agents: {
      ...resource<Agent, AgentCreate, AgentUpdate>("/api/agents"),
      execute: (id: string, input?: JsonValue) =>
        call<Run>("POST", `/api/agents/${id}/execute`, { body: { input } }),
    },
    tools: {
      ...resource<Tool, ToolCreate, ToolUpdate>("/api/tools"),
      /**
       * Calls the stored tool once for real, outside any run (http, mcp, builtin current_time and
       * fetch_page); a failing call is `ok: false` with `error.reason`, other kinds answer 422.
       */
      test: (id: string, body: ToolTestRequest, signal?: AbortSignal) =>
        call<ToolTestResult>("POST", `/api/tools/${id}/test`, { body, ...(signal ? { signal } : {}) }),
    },
    mcpServers: {
      ...resource<McpServer, McpServerCreate, McpServerUpdate>("/api/mcp-servers"),
      /** Connects to the server and stores the tools it lists now; 503 with the reason when it cannot. */
      refresh: (id: string) => call<McpServer>("POST", `/api/mcp-servers/${id}/refresh`),
    },
    workflows: {
      ...resource<Workflow, WorkflowCreate, WorkflowUpdate>("/api/workflows"),
      execute: (id: string, input?: JsonValue) =>
        call<Run>("POST", `/api/workflows/${id}/execute`, { body: { input } }),
    },
    llmProviders: {
      ...resource<LlmProvider, LlmProviderCreate, LlmProviderUpdate>("/api/llm/providers"),
      /** Calls the provider for real (at most 5 output tokens); a failure is `ok: false` with a reason. */
      test: (id: string, body: { model?: string } = {}) =>
        call<ProviderTestResult>("POST", `/api/llm/providers/${id}/test`, { body }),
    },
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
      /** URL of the chat endpoint, which speaks the AI SDK UI message stream protocol (`useChat`). */
      chatUrl: (id: string) => url(`/api/conversations/${id}/chat`),
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
      list: (params: RunListParams = {}) => call<Page<Run>>("GET", "/api/runs", { query: params }),
      get: (id: string) => call<Run>("GET", `/api/runs/${id}`),
      cancel: (id: string) => call<Run>("POST", `/api/runs/${id}/cancel`),
      steps: (id: string) => call<{ items: RunStep[] }>("GET", `/api/runs/${id}/steps`),
      events: (id: string, params: { after?: number; limit?: number } = {}) =>
        call<{ items: RunEvent[]; nextAfter: number }>("GET", `/api/runs/${id}/events`, { query: params }),
      /** Streams the run's events (SSE) until it is final, resuming with Last-Event-ID after a drop. */
      follow: (id: string, followOptions: FollowOptions = {}) =>
        followRunEvents(
          id,
          (lastEventId, signal) =>
            send("GET", `/api/runs/${id}/events`, {
              headers: {
                accept: "text/event-stream",
                ...(lastEventId > 0 ? { "last-event-id": String(lastEventId) } : {}),
              },
              ...(signal ? { signal } : {}),
            }),
          followOptions,
        ),
      approve: (id: string, comment = "") =>
        call<Run>("POST", `/api/runs/${id}/approve`, { body: { comment } }),
      reject: (id: string, comment = "") =>
        call<Run>("POST", `/api/runs/${id}/reject`, { body: { comment } }),
    },
    sandboxes: {
      list: (params: ListParams = {}) => call<Page<Sandbox>>("GET", "/api/sandboxes", { query: params }),
      get: (id: string) => call<Sandbox>("GET", `/api/sandboxes/${id}`),
      create: (body: SandboxCreate) => call<Sandbox>("POST", "/api/sandboxes", { body }),
      delete: (id: string) => call<void>("DELETE", `/api/sandboxes/${id}`),
      start: (id: string) => call<Sandbox>("POST", `/api/sandboxes/${id}/start`),
      stop: (id: string) => call<Sandbox>("POST", `/api/sandboxes/${id}/stop`),
      /** Runs a command, yielding output chunks as they come and then one result (or error). */
      async *exec(id: string, input: SandboxExecInput, signal?: AbortSignal) {
        const response = await send("POST", `/api/sandboxes/${id}/exec`, {
          body: input,
          headers: { accept: "application/x-ndjson" },
          ...(signal ? { signal } : {}),
        });
        if (!response.body) return;
        yield* parseNdjson<SandboxExecEvent>(response.body);
      },
      files: {
        list: (id: string, path: string) =>
          call<{ items: SandboxFileEntry[] }>("GET", `/api/sandboxes/${id}/files`, { query: { path } }),
        download: async (id: string, path: string) =>
          (await send("GET", `/api/sandboxes/${id}/files/content`, { query: { path } })).blob(),
        upload: (id: string, path: string, content: Blob) =>
          call<unknown>("PUT", `/api/sandboxes/${id}/files/content`, {
            query: { path },
            body: content,
            headers: { "content-type": "application/octet-stream" },
          }),
      },
      siteBindings: {
        list: (id: string) => call<{ items: SiteBinding[] }>("GET", `/api/sandboxes/${id}/site-bindings`),
        create: (id: string, body: SiteBindingCreate) =>
          call<SiteBinding>("POST", `/api/sandboxes/${id}/site-bindings`, { body }),
        delete: (id: string, bindingId: string) =>
          call<void>("DELETE", `/api/sandboxes/${id}/site-bindings/${bindingId}`),
        /** Whether the site answers `GET /`, checked by the server without the caller's credentials. */
        status: (id: string, bindingId: string) =>
          call<SiteBindingStatus>("GET", `/api/sandboxes/${id}/site-bindings/${bindingId}/status`),
      },
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
    /** Who is calling: mode, kind, workspace, role and scopes. */
    me: () => call<Me>("GET", "/api/me"),
    /** A hosted workspace's members; changes need a signed-in owner or admin. */
    members: {
      list: () => call<{ items: Member[] }>("GET", "/api/members"),
      /** 409 for the last owner; only an owner makes or changes an owner. */
      updateRole: (id: string, role: Member["role"]) =>
        call<Member>("PATCH", `/api/members/${id}`, { body: { role } }),
      remove: (id: string) => call<void>("DELETE", `/api/members/${id}`),
    },
    /** Pending invitations of a hosted workspace; share `acceptUrl`, Studio sends no email. */
    invitations: {
      list: () => call<{ items: Invitation[] }>("GET", "/api/invitations"),
      create: (body: InvitationCreate) => call<Invitation>("POST", "/api/invitations", { body }),
      cancel: (id: string) => call<void>("DELETE", `/api/invitations/${id}`),
    },
    /** Local models through the worker host's Ollama. */
    ollama: {
      status: () => call<OllamaStatus>("GET", "/api/ollama/status"),
      /** Starts the managed-container install; follow it with `status()`. */
      install: () => call<OllamaStatus>("POST", "/api/ollama/install"),
      models: () => call<OllamaModelList>("GET", "/api/ollama/models"),
      details: (name: string) =>
        call<OllamaModelDetails>("GET", "/api/ollama/models/details", { query: { name } }),
      pull: (name: string) => call<OllamaPull>("POST", "/api/ollama/models", { body: { name } }),
      delete: (name: string) => call<void>("DELETE", "/api/ollama/models", { query: { name } }),
      pulls: () => call<{ items: OllamaPull[] }>("GET", "/api/ollama/pulls"),
      getPull: (id: string) => call<OllamaPull>("GET", `/api/ollama/pulls/${id}`),
      cancelPull: (id: string) => call<OllamaPull>("DELETE", `/api/ollama/pulls/${id}`),
      /** Yields the pull's snapshots (SSE) until it ends: the current one first, then each update. */
      followPull: (id: string, signal?: AbortSignal) => followOllamaPull(send, id, signal),
    },
    /** Raw request for what the typed methods do not cover; errors are still ApiError. */
    send,
    /** Absolute URL of an API path on this client's server, e.g. for links and downloads. */
    url,
    /** The Authorization header this client sends, for requests made outside it (streams). */
    authHeaders,
  };
}

export type AgentOsClient = ReturnType<typeof createClient>;
